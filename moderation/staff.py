"""Staff roles: admins grant and revoke them (granting is accounts.operations.grant_staff_roles)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accounts.operations import grant_staff_roles
from audit.trail import record_action
from errors import DomainError
from extensions import db
from models.accounts import StaffRole, User
from moderation import permissions


def grant_roles(user: User, roles: list[StaffRole], *, actor: User) -> None:
    """An admin gives staff roles to an account. Raises PermissionDenied (not an admin)."""
    permissions.require(permissions.can_manage_staff(actor))
    grant_staff_roles(db.session.get(User, user.id, with_for_update=True), roles, actor=actor)


def revoke_staff_roles(user: User, roles: list[StaffRole], *, actor: User) -> None:
    """An admin takes staff roles away; the back office closes to the account at its next request.

    Raises PermissionDenied (not an admin) and DomainError (an admin removing their own admin role,
    which could leave the platform with none).
    """
    permissions.require(permissions.can_manage_staff(actor))
    user = db.session.get(User, user.id, with_for_update=True)
    if user.id == actor.id and StaffRole.admin in roles:
        raise DomainError(_l("You cannot remove your own admin role; ask another admin."))
    held = user.staff_roles
    removed = [g for g in user.roles if g.role in roles]
    if not removed:
        return
    for grant in removed:
        user.roles.remove(grant)
    db.session.flush()
    record_action(
        "staff.roles_revoked",
        user,
        actor=actor,
        before={"roles": sorted(r.value for r in held)},
        after={"roles": sorted(r.value for r in user.staff_roles)},
    )
