"""The sections of the whole-account page: each one query (or two), a page of rows at a time.

Every list is paged by its own query-string parameter (`<section>_page`) and loads the rows it
shows with their related rows joined, so the page runs the same number of queries whatever the
account's history holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from flask_babel import lazy_gettext as _l

from accounts.devices import linked_accounts
from cases.states import STATE_LABELS as CASE_STATE_LABELS
from disputes import rules as dispute_rules
from extensions import db
from models.accounts import AccountStatus, User
from models.cases import Case, Review
from models.disputes import Dispute
from models.listings import Listing
from models.moderation import AuditEntry, Violation, ViolationSource, ViolationStatus
from models.profiles import DesignerProfile, ReviewState
from models.trust import SignInDevice, StaffNote
from models.verification import VerificationStatus, VerificationSubmission
from audit.areas import visible_to
from moderation.violations import SOURCE_WORDS, strike_count
from moderation.workbench import STATE_WORDS
from payments.case_money import case_money_of

PER_SECTION = 10

SECTIONS = (
    "identity",
    "listings",
    "cases",
    "disputes",
    "reviews_given",
    "reviews_received",
    "violations",
    "reports_by",
    "reports_against",
    "notes",
    "devices",
    "history",
)


@dataclass
class Section:
    name: str
    rows: list[Any]
    page: int
    more: bool


def _paged(name: str, query: sa.Select, params: dict, page: int) -> Section:
    bounds = {"limit": PER_SECTION + 1, "offset": (page - 1) * PER_SECTION}
    rows = list(db.session.scalars(query, params | bounds).unique())
    return Section(name, rows[:PER_SECTION], page, len(rows) > PER_SECTION)


def _statements() -> dict[str, sa.Select]:
    """Each section's statement but the history's, for any account (bound "user_id")."""
    user_id = sa.bindparam("user_id")
    reports = Violation.source == ViolationSource.report
    return {
        "identity": (
            sa.select(VerificationSubmission)
            .options(joinedload(VerificationSubmission.verifier))
            .where(VerificationSubmission.designer_id == user_id)
            .order_by(VerificationSubmission.submitted_at.desc(), VerificationSubmission.id.desc())
        ),
        "listings": (
            sa.select(Listing)
            .where(Listing.designer_id == user_id)
            .order_by(Listing.updated_at.desc(), Listing.id.desc())
        ),
        "cases": (
            sa.select(Case)
            .options(joinedload(Case.client), joinedload(Case.designer))
            .where(sa.or_(Case.client_id == user_id, Case.designer_id == user_id))
            .order_by(Case.created_at.desc(), Case.id.desc())
        ),
        "disputes": (
            sa.select(Dispute)
            .join(Case, Dispute.case_id == Case.id)
            .options(joinedload(Dispute.case))
            .where(sa.or_(Case.client_id == user_id, Case.designer_id == user_id))
            .order_by(Dispute.opened_at.desc(), Dispute.id.desc())
        ),
        "reviews_given": (
            sa.select(Review)
            .options(joinedload(Review.subject), joinedload(Review.case))
            .where(Review.author_id == user_id)
            .order_by(Review.created_at.desc(), Review.id.desc())
        ),
        "reviews_received": (
            sa.select(Review)
            .options(joinedload(Review.author), joinedload(Review.case))
            .where(Review.subject_id == user_id)
            .order_by(Review.created_at.desc(), Review.id.desc())
        ),
        "violations": (
            sa.select(Violation)
            .where(Violation.user_id == user_id, ~reports)
            .order_by(Violation.created_at.desc(), Violation.id.desc())
        ),
        "reports_by": (
            sa.select(Violation)
            .options(joinedload(Violation.user))
            .where(Violation.reporter_id == user_id, reports)
            .order_by(Violation.created_at.desc(), Violation.id.desc())
        ),
        "reports_against": (
            sa.select(Violation)
            .options(joinedload(Violation.reporter))
            .where(Violation.user_id == user_id, reports)
            .order_by(Violation.created_at.desc(), Violation.id.desc())
        ),
        "notes": (
            sa.select(StaffNote)
            .options(joinedload(StaffNote.author))
            .where(StaffNote.user_id == user_id)
            .order_by(StaffNote.created_at.desc(), StaffNote.id.desc())
        ),
        "devices": (
            sa.select(SignInDevice)
            .where(SignInDevice.user_id == user_id)
            .order_by(SignInDevice.last_seen_at.desc(), SignInDevice.id.desc())
        ),
    }


# Built once with bound parameters (the page, and each section's bounds): building eleven
# statements on every view of the page cost more than running them.
_STATEMENTS = {
    name: statement.limit(sa.bindparam("limit")).offset(sa.bindparam("offset"))
    for name, statement in _statements().items()
}


def _history(viewer: User) -> sa.Select:
    """The account's history, as `viewer` may read it (their areas decide the statement)."""
    return (
        sa.select(AuditEntry)
        .options(joinedload(AuditEntry.actor))
        .where(
            sa.or_(
                sa.and_(AuditEntry.object_type == "User", AuditEntry.object_id == sa.bindparam("user_key")),
                AuditEntry.actor_id == sa.bindparam("user_id"),
            ),
            visible_to(viewer),
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
    )


def account_sections(user: User, *, viewer: User, pages: dict[str, int]) -> dict[str, Any]:
    """Everything the account page shows about `user`, as `viewer` may read it."""
    params = {"user_id": user.id, "user_key": str(user.id)}
    statements = _STATEMENTS | {"history": _history(viewer)}
    sections = {name: _paged(name, statements[name], params, pages.get(name, 1)) for name in SECTIONS}
    return {
        "sections": sections,
        "profile": db.session.scalar(sa.select(DesignerProfile).where(DesignerProfile.user_id == user.id)),
        "money": case_money_of(sections["cases"].rows),
        "strikes": strike_count(user.id),
        "linked": linked_accounts(user),
    }


ACCOUNT_STATUS_WORDS = {
    AccountStatus.active: _l("active"),
    AccountStatus.suspended: _l("suspended"),
    AccountStatus.terminated: _l("closed by staff"),
    AccountStatus.deleted: _l("deleted"),
}


def state_words() -> dict:
    """The page's states, reasons and origins in words (enum member → label), never their codes."""
    queue_states = {
        s: STATE_WORDS[s.value] for kind in (ReviewState, VerificationStatus, ViolationStatus) for s in kind
    }
    return {
        **queue_states,
        **CASE_STATE_LABELS,
        **dispute_rules.STATE_LABELS,
        **dispute_rules.REASON_LABELS,
        **SOURCE_WORDS,
        **ACCOUNT_STATUS_WORDS,
    }
