"""Every user-facing string of the platform has a French translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "node_modules", "tests", "bench", "migrations", "static", "instance", ".git", "nlp"}
METHOD_MAP = [("**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _french_catalogue() -> dict[str, str]:
    translated = {}
    for po in sorted(ROOT.glob("translations/*/fr/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string and not message.fuzzy:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    translated[key] = message.string
    return translated


def _source_messages() -> set[str]:
    def wanted(dirname: str) -> bool:
        return not any(part in SKIP_DIRS for part in Path(dirname).parts)

    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        METHOD_MAP,
        keywords=KEYWORDS,
        directory_filter=wanted,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        found.add(message if isinstance(message, str) else message[0])
    return {m for m in found if m}


def test_every_message_has_a_french_translation():
    missing = sorted(_source_messages() - set(_french_catalogue()))
    assert not missing, f"{len(missing)} strings lack French: {missing[:20]}"
