"""Who may open which back-office view. Deny by default; a refusal is a 404, never a login page."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from models.accounts import StaffRole


def is_staff_with(*roles: StaffRole) -> bool:
    """True for a logged-in, active account holding one of `roles` (admin holds them all)."""
    return bool(
        current_user
        and current_user.is_authenticated
        and current_user.is_active
        and current_user.has_staff_power(*roles)
    )


def hide() -> None:
    """What everyone without access sees: nothing is here."""
    abort(404)
