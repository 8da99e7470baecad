"""A request context for tests that read a refusal's message (messages are rendered per request)."""
import pytest


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield
