"""Named access rules for designer profiles (deny by default)."""

from __future__ import annotations

from models.accounts import AccountStatus, StaffRole, User


def can_design(user: User | None) -> bool:
    """An active account that sells design work may keep a designer profile."""
    return bool(user is not None and user.is_authenticated and user.is_designer and user.status == AccountStatus.active)


def can_moderate(user: User | None) -> bool:
    """Moderators (and admins) decide on profiles and listings."""
    return bool(user is not None and user.is_authenticated and user.has_staff_power(StaffRole.moderator))


def can_edit_profile(profile, user: User | None) -> bool:
    return can_design(user) and profile.user_id == user.id
