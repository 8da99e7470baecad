"""The legal documents, kept as Markdown files: legal/content/<document>.<language>.md.

Each file's front matter gives its title, `version` (a whole number, raised when the text
changes in substance) and `effective` date. Both languages of a document carry the same
version. Terms and privacy are accepted by each user (at sign-up, and again at the next login
after their version is raised); cookies and the legal notice are information only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markupsafe import Markup

from helpcentre.rendering import read_document, render_markdown

CONTENT = Path(__file__).resolve().parent / "content"
DOCUMENTS = ("terms", "privacy", "cookies", "notice")
ACCEPTED = ("terms", "privacy")  # the ones a user accepts; the others inform


@dataclass(frozen=True)
class LegalDocument:
    name: str
    language: str
    title: str
    version: int
    effective: date
    summary: str
    body: str

    def html(self) -> Markup:
        return render_markdown(self.body)


@functools.lru_cache(maxsize=1)
def _all() -> dict[tuple[str, str], LegalDocument]:
    found = {}
    for name in DOCUMENTS:
        for path in sorted(CONTENT.glob(f"{name}.*.md")):
            meta, body = read_document(path)
            language = path.suffixes[0].lstrip(".")
            found[(name, language)] = LegalDocument(
                name,
                language,
                str(meta["title"]),
                int(meta["version"]),
                meta["effective"],
                str(meta.get("summary", "")),
                body,
            )
    return found


def document(name: str, language: str) -> LegalDocument | None:
    docs = _all()
    return docs.get((name, language)) or docs.get((name, "en"))


def current_versions() -> dict[str, int]:
    """The version in force of each document users accept."""
    return {name: document(name, "en").version for name in ACCEPTED}


def all_documents() -> list[LegalDocument]:
    return list(_all().values())
