"""Dependencies point one way: web → domain → models; nlp stands alone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = {"storefront", "backoffice", "jobs", "demo", "cli", "app", "wsgi"}
DOMAIN = [
    "accounts",
    "cases",
    "payments",
    "messaging",
    "files",
    "moderation",
    "profiles",
    "listings",
    "disputes",
    "helpcentre",
    "legal",
    "support",
    "community",
    "contracts",
]


def _imports(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {(str(path.relative_to(ROOT)), alias.name.split(".")[0]) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((str(path.relative_to(ROOT)), node.module.split(".")[0]))
    return found


def test_the_contact_filter_imports_neither_flask_nor_the_database():
    bad = {
        (f, m) for f, m in _imports("nlp") if m in {"flask", "flask_sqlalchemy", "sqlalchemy", "extensions", "models"}
    }
    assert not bad


def test_models_do_not_reach_into_the_web_or_domain_layers():
    bad = {(f, m) for f, m in _imports("models") if m in WEB | set(DOMAIN)}
    assert not bad


@pytest.mark.parametrize("package", [p for p in DOMAIN if (ROOT / p).is_dir()])
def test_domain_packages_do_not_import_the_web_layer(package):
    bad = {(f, m) for f, m in _imports(package) if m in WEB - {"jobs"}}
    assert not bad
