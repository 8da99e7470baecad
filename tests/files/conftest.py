"""The files tests: refusals rendered in a request's language, and the people they use. The
storage backends come from tests/fixtures/storage.py."""

from __future__ import annotations

import pytest

from tests.factories import make_user


@pytest.fixture(autouse=True)
def _request_context(request, app, _app_context):
    """Refusals carry lazily translated messages, rendered in a request's language."""
    if request.node.get_closest_marker("no_app_context"):
        yield
        return
    with app.test_request_context():
        yield


@pytest.fixture
def owner():
    return make_user(name="Lab owner")


@pytest.fixture
def designer():
    return make_user(name="Designer", designer=True)
