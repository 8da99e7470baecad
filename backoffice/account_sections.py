"""The sections of the whole-account page: each one query (or two), a page of rows at a time.

Every list is paged by its own query-string parameter (`<section>_page`) and loads the rows it
shows with their related rows joined, so the page runs the same number of queries whatever the
account's history holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

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


def _paged(name: str, query: sa.Select, page: int) -> Section:
    rows = list(db.session.scalars(query.limit(PER_SECTION + 1).offset((page - 1) * PER_SECTION)).unique())
    return Section(name, rows[:PER_SECTION], page, len(rows) > PER_SECTION)


def _queries(user: User, viewer: User) -> dict[str, Callable[[], sa.Select]]:
    reports = Violation.source == ViolationSource.report
    return {
        "identity": lambda: (
            sa.select(VerificationSubmission)
            .options(joinedload(VerificationSubmission.verifier))
            .where(VerificationSubmission.designer_id == user.id)
            .order_by(VerificationSubmission.submitted_at.desc(), VerificationSubmission.id.desc())
        ),
        "listings": lambda: (
            sa.select(Listing)
            .where(Listing.designer_id == user.id)
            .order_by(Listing.updated_at.desc(), Listing.id.desc())
        ),
        "cases": lambda: (
            sa.select(Case)
            .options(joinedload(Case.client), joinedload(Case.designer))
            .where(sa.or_(Case.client_id == user.id, Case.designer_id == user.id))
            .order_by(Case.created_at.desc(), Case.id.desc())
        ),
        "disputes": lambda: (
            sa.select(Dispute)
            .join(Case, Dispute.case_id == Case.id)
            .options(joinedload(Dispute.case))
            .where(sa.or_(Case.client_id == user.id, Case.designer_id == user.id))
            .order_by(Dispute.opened_at.desc(), Dispute.id.desc())
        ),
        "reviews_given": lambda: (
            sa.select(Review)
            .options(joinedload(Review.subject), joinedload(Review.case))
            .where(Review.author_id == user.id)
            .order_by(Review.created_at.desc(), Review.id.desc())
        ),
        "reviews_received": lambda: (
            sa.select(Review)
            .options(joinedload(Review.author), joinedload(Review.case))
            .where(Review.subject_id == user.id)
            .order_by(Review.created_at.desc(), Review.id.desc())
        ),
        "violations": lambda: (
            sa.select(Violation)
            .where(Violation.user_id == user.id, ~reports)
            .order_by(Violation.created_at.desc(), Violation.id.desc())
        ),
        "reports_by": lambda: (
            sa.select(Violation)
            .options(joinedload(Violation.user))
            .where(Violation.reporter_id == user.id, reports)
            .order_by(Violation.created_at.desc(), Violation.id.desc())
        ),
        "reports_against": lambda: (
            sa.select(Violation)
            .options(joinedload(Violation.reporter))
            .where(Violation.user_id == user.id, reports)
            .order_by(Violation.created_at.desc(), Violation.id.desc())
        ),
        "notes": lambda: (
            sa.select(StaffNote)
            .options(joinedload(StaffNote.author))
            .where(StaffNote.user_id == user.id)
            .order_by(StaffNote.created_at.desc(), StaffNote.id.desc())
        ),
        "devices": lambda: (
            sa.select(SignInDevice)
            .where(SignInDevice.user_id == user.id)
            .order_by(SignInDevice.last_seen_at.desc(), SignInDevice.id.desc())
        ),
        "history": lambda: (
            sa.select(AuditEntry)
            .options(joinedload(AuditEntry.actor))
            .where(
                sa.or_(
                    sa.and_(AuditEntry.object_type == "User", AuditEntry.object_id == str(user.id)),
                    AuditEntry.actor_id == user.id,
                ),
                visible_to(viewer),
            )
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        ),
    }


def account_sections(user: User, *, viewer: User, pages: dict[str, int]) -> dict[str, Any]:
    """Everything the account page shows about `user`, as `viewer` may read it."""
    queries = _queries(user, viewer)
    sections = {name: _paged(name, queries[name](), pages.get(name, 1)) for name in SECTIONS}
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
