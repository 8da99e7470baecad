"""Named access rules for listings (deny by default). Who may *see* one is listings.visibility."""

from __future__ import annotations

from models.accounts import User
from profiles.permissions import can_design, can_moderate

__all__ = ["can_design", "can_moderate", "can_edit_listing", "can_favourite"]


def can_edit_listing(listing, user: User | None) -> bool:
    return can_design(user) and listing.designer_id == user.id


def can_favourite(user: User | None) -> bool:
    """Clients build their team by favouriting listings."""
    return bool(user is not None and user.is_authenticated and user.is_client)
