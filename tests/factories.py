"""Factories: build valid objects in one call, overriding only what a test cares about."""

from __future__ import annotations

import itertools

from extensions import db
from legal.operations import accept_current_terms
from models.accounts import StaffRole, StaffRoleGrant, User
from models.payments import BillingDetails
from models.types import utcnow
from passwords import hash_password

PASSWORD = "correct horse battery"
_PASSWORD_HASH = None
_seq = itertools.count(1)


def make_user(
    *,
    email: str | None = None,
    password: str | None = None,
    name: str | None = None,
    client: bool = True,
    designer: bool = False,
    roles: tuple[StaffRole, ...] = (),
    confirmed: bool = True,
    accepted_terms: bool = True,
    billing: bool = True,
    **fields,
) -> User:
    """A user who accepted the terms in force; with `billing`, billing details too (asked before a first
    order or payout)."""
    global _PASSWORD_HASH
    n = next(_seq)
    if password is None:
        _PASSWORD_HASH = _PASSWORD_HASH or hash_password(PASSWORD)
    user = User(
        email=email or f"user{n}@example.com",
        display_name=name or f"User {n}",
        password_hash=_PASSWORD_HASH if password is None else hash_password(password),
        is_client=client,
        is_designer=designer,
        email_confirmed_at=utcnow() if confirmed else None,
        **fields,
    )
    user.roles = [StaffRoleGrant(role=r) for r in roles]
    db.session.add(user)
    db.session.flush()
    if accepted_terms:  # as sign-up does: the versions in force are accepted
        accept_current_terms(user)
    if billing:
        db.session.add(
            BillingDetails(
                user_id=user.id,
                legal_name=user.display_name,
                address="1 Test Street",
                postal_code="75001",
                city="Paris",
                country="FR",
            )
        )
    db.session.commit()
    return user


def login(client, user: User, password: str | None = None):
    response = client.post("/account/login", data={"email": user.email, "password": password or PASSWORD})
    assert response.status_code == 302, "login failed: " + response.get_data(as_text=True)[:500]
    return response
