"""Least privilege on the audit log: each staff role reads the entries of its own area.

An entry's area comes from its action's prefix ("profile.approved" → "profile" → moderation).
This is the one mapping: the audit page, its CSV export and the dashboard's latest entries all
filter through `visible_to`. A prefix not listed here is the staff area (admins only), so a new
kind of entry is never shown to a role nobody decided should see it.
"""

from __future__ import annotations

import sqlalchemy as sa

from models.accounts import StaffRole, User
from models.moderation import AuditEntry

MODERATION, VERIFICATION, RESOLUTION, SUPPORT, STAFF = "moderation", "verification", "resolution", "support", "staff"

# The role (besides admin) that reads each area.
AREA_ROLES: dict[str, tuple[StaffRole, ...]] = {
    MODERATION: (StaffRole.moderator,),
    VERIFICATION: (StaffRole.verifier,),
    RESOLUTION: (StaffRole.resolution_agent,),
    SUPPORT: (StaffRole.support,),
    STAFF: (),
}

PREFIX_AREAS: dict[str, str] = {
    "profile": MODERATION,
    "listing": MODERATION,
    "post": MODERATION,  # community posts: review, take-down
    "violation": MODERATION,
    "account": MODERATION,
    "appeal": MODERATION,
    "verification": VERIFICATION,
    "dispute": RESOLUTION,
    "case": RESOLUTION,
    "contract": RESOLUTION,  # monthly contracts: what the platform did (expired, renewed, ended, cancelled unpaid)
    "payment": RESOLUTION,
    "invoice": RESOLUTION,
    "payouts": RESOLUTION,
    "file": RESOLUTION,
    "share_link": RESOLUTION,
    "ticket": SUPPORT,
    "staff": STAFF,
    "macro": STAFF,  # canned responses: written by admins
    "quality": STAFF,  # second looks at other staff members' decisions: admins read them
}


def prefix_of(action: str) -> str:
    return action.partition(".")[0]


def area_of(action: str) -> str:
    return PREFIX_AREAS.get(prefix_of(action), STAFF)


def readable_areas(user: User) -> set[str]:
    """The areas whose entries `user` may read (all of them for an admin)."""
    if user.has_staff_power(StaffRole.admin):
        return set(AREA_ROLES)
    return {area for area, roles in AREA_ROLES.items() if roles and user.has_staff_power(*roles)}


def readable_prefixes(user: User) -> list[str]:
    areas = readable_areas(user)
    return sorted(prefix for prefix, area in PREFIX_AREAS.items() if area in areas)


def visible_to(user: User) -> sa.ColumnElement[bool]:
    """The condition on AuditEntry that keeps only the entries of `user`'s areas."""
    if user.has_staff_power(StaffRole.admin):
        return sa.true()
    prefixes = readable_prefixes(user)
    if not prefixes:
        return sa.false()
    return sa.or_(*(AuditEntry.action.startswith(f"{prefix}.", autoescape=True) for prefix in prefixes))
