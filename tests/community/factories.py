"""Community factories: designers new or established, posts through the real operation."""

from __future__ import annotations

from datetime import timedelta

from community import operations
from extensions import commit
from models.types import utcnow
from tests.catalogue.factories import make_designer


def established_designer(**fields):
    """A designer whose account is older than COMMUNITY_NEW_ACCOUNT_DAYS: posts go out at once."""
    return make_designer(created_at=utcnow() - timedelta(days=400), **fields)


def new_designer(**fields):
    """A designer who signed up today: the first post waits for a moderator."""
    return make_designer(**fields)


def make_post(author, body: str = "A full-arch zirconia bridge, designed in exocad with tight contacts.", **fields):
    post = operations.create_post(author=author, body=body, **fields)
    commit()
    return post
