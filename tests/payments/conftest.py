"""Payments fixtures: the local Stripe server and an app configured to use it.

Both live for the whole session (an app is built outside any test's app context); the
server forgets everything between tests.
"""
from __future__ import annotations

import pytest

from tests.payments.stripe_server import StripeServer

WEBHOOK_SECRET = "whsec_occlusa_test"


@pytest.fixture(scope="session")
def _stripe_session_server():
    with StripeServer() as server:
        yield server


@pytest.fixture(scope="session")
def _stripe_session_app(make_app, _stripe_session_server):
    return make_app(STRIPE_SECRET_KEY=_stripe_session_server.api_key, STRIPE_API_BASE=_stripe_session_server.url,
                    STRIPE_PUBLISHABLE_KEY="pk_test_occlusa", STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET)


@pytest.fixture
def stripe_server(_stripe_session_server):
    _stripe_session_server.reset()
    return _stripe_session_server


@pytest.fixture
def stripe_app(_stripe_session_app, stripe_server):
    """The app in Stripe mode, talking to the local server; its context is pushed for the test."""
    with _stripe_session_app.app_context():
        yield _stripe_session_app


@pytest.fixture
def stripe_client(stripe_app):
    return stripe_app.test_client()
