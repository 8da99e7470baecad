"""Operations that notify build links to pages: tests calling them directly need a request context."""
import pytest


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield
