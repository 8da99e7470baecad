"""Accepting the terms and the privacy policy, and knowing when a user must accept again."""

from __future__ import annotations

import sqlalchemy as sa

from extensions import db
from legal.documents import current_versions
from models.accounts import User
from models.legal import LegalAcceptance


def accepted_versions(user: User) -> dict[str, int]:
    """The latest version of each document this user accepted (documents never accepted are absent)."""
    rows = db.session.execute(
        sa.select(LegalAcceptance.document, sa.func.max(LegalAcceptance.version))
        .where(LegalAcceptance.user_id == user.id)
        .group_by(LegalAcceptance.document)
    ).all()
    return dict(rows)


def pending_documents(user: User) -> list[str]:
    """The documents whose version in force this user has not accepted yet, in a fixed order."""
    accepted = accepted_versions(user)
    return [name for name, version in current_versions().items() if accepted.get(name, 0) < version]


def accept_current_terms(user: User) -> list[LegalAcceptance]:
    """Record that `user` accepts the versions in force of the terms and privacy policy
    (at sign-up, where ticking the box is that acceptance, or on the page a new version opens).
    Idempotent: a version already accepted is not recorded twice. Flushes."""
    pending = pending_documents(user)
    versions = current_versions()
    rows = [LegalAcceptance(user_id=user.id, document=name, version=versions[name]) for name in pending]
    db.session.add_all(rows)
    db.session.flush()
    return rows
