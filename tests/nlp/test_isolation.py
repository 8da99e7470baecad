"""The package is text in, findings out: no web framework, no database, no app module."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = (
    "flask",
    "flask_sqlalchemy",
    "sqlalchemy",
    "app",
    "extensions",
    "config",
    "models",
    "messaging",
    "accounts",
)


def test_nlp_imports_nothing_from_the_app():
    code = (
        "import sys, nlp; nlp.find_contacts('add me on insta', 'en'); "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({APP_PACKAGES!r})))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )

    assert result.stdout.strip() == "[]"
