"""Disputes reuse the payments engineer's local Stripe server fixtures."""
from tests.payments.conftest import _stripe_session_app, _stripe_session_server, stripe_app, stripe_server  # noqa: F401
