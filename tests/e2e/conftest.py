"""The browser tests: every test in this folder is marked e2e (`make test-fast` leaves them out).
The live server, Chromium and log_in come from tests/fixtures/browser.py."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
