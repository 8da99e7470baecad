"""Named rules for staff actions, checked by the back-office views and again by the operations.

Every rule that grants something because of a staff role goes through User.has_staff_power,
which also asks for the session's second factor.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from errors import PermissionDenied
from models.accounts import StaffRole, User


def can_moderate(actor: User | None) -> bool:
    """Review profiles and listings, decide violations, suspend accounts."""
    return actor is not None and actor.has_staff_power(StaffRole.moderator)


def can_verify(actor: User | None) -> bool:
    """See identity documents and decide verifications."""
    return actor is not None and actor.has_staff_power(StaffRole.verifier)


def can_manage_staff(actor: User | None) -> bool:
    return actor is not None and actor.has_staff_power(StaffRole.admin)


def can_lead(actor: User | None) -> bool:
    """Assign, reassign and take over queue items: staff with the admin role act as leads."""
    return actor is not None and actor.has_staff_power(StaffRole.admin)


def can_change_status_of(actor: User | None, user: User) -> bool:
    """Suspend, terminate or reinstate `user`: moderators for ordinary accounts, admins for staff,
    and never one's own account."""
    if actor is None or actor.id == user.id or not can_moderate(actor):
        return False
    return not user.is_staff or can_manage_staff(actor)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_l("Your staff role does not allow this action."))
