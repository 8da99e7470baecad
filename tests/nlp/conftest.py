"""The contact filter is text in, findings out: its tests need no web application.

tests/fixtures/app.py wraps every test in an app context backed by a database; this override
keeps the nlp tests free of both (and fast).
"""

import pytest


@pytest.fixture(autouse=True)
def _app_context():
    yield
