"""Fixtures of the file transfer pages: people, stored files and share links made through files/."""

from __future__ import annotations

import pytest

from tests.factories import make_user


@pytest.fixture(autouse=True)
def _request_context(app, _app_context):
    """The core's refusals carry lazily translated messages, rendered in a request's language."""
    with app.test_request_context():
        yield


@pytest.fixture
def owner():
    return make_user(name="Lab owner")


@pytest.fixture
def stranger():
    return make_user(name="Stranger")
