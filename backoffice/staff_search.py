"""One search box across the back office, each group shown only to the roles of its area.

Moderators find accounts (name, e-mail), listings (title) and messages of reported threads;
resolution agents find cases by reference; admins find everything. A message is searched only
in a conversation a user reported (a report names one of its messages): other conversations
stay private, and each search that shows reported messages is written in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from audit.trail import record_action
from extensions import db
from models.accounts import StaffRole, User
from models.cases import Case
from models.disputes import Dispute
from models.listings import Listing
from models.messaging import Message
from models.moderation import Violation, ViolationSource
from moderation import permissions

PER_GROUP = 20
SHORTEST = 2  # fewer characters match too much to be a search
LONGEST = 100


@dataclass
class Results:
    """Each group is None when the viewer's role does not reach its area, else its rows."""

    accounts: list[User] | None = None
    listings: list[Listing] | None = None
    messages: list[tuple[Message, int]] | None = None  # (message, the report's violation id)
    cases: list[tuple[Case, int | None]] | None = None  # (case, its latest dispute id)


def searchable_text(raw: str | None) -> str:
    return " ".join((raw or "").split())[:LONGEST]


def may_search_cases(viewer: User) -> bool:
    return viewer.has_staff_power(StaffRole.resolution_agent)


def search(text: str, *, viewer: User) -> Results:
    """What `viewer` may find for `text` (case-insensitive, anywhere in the field).
    Nothing for a text under SHORTEST characters."""
    results = Results()
    text = searchable_text(text)
    if len(text) < SHORTEST:
        return results
    needle = text.lower()
    if permissions.can_moderate(viewer):
        results.accounts = list(
            db.session.scalars(
                sa.select(User)
                .where(
                    sa.or_(
                        sa.func.lower(User.email).contains(needle, autoescape=True),
                        sa.func.lower(User.display_name).contains(needle, autoescape=True),
                    )
                )
                .order_by(User.display_name, User.id)
                .limit(PER_GROUP)
            )
        )
        results.listings = list(
            db.session.scalars(
                sa.select(Listing)
                .options(joinedload(Listing.designer))
                .where(sa.func.lower(Listing.title).contains(needle, autoescape=True))
                .order_by(Listing.title, Listing.id)
                .limit(PER_GROUP)
            )
        )
        results.messages = _reported_messages(needle)
    if may_search_cases(viewer):
        latest_dispute = (
            sa.select(sa.func.max(Dispute.id)).where(Dispute.case_id == Case.id).correlate(Case).scalar_subquery()
        )
        results.cases = [
            tuple(row)
            for row in db.session.execute(
                sa.select(Case, latest_dispute)
                .options(joinedload(Case.client), joinedload(Case.designer))
                .where(Case.reference.contains(text.upper().replace(" ", ""), autoescape=True))
                .order_by(Case.reference)
                .limit(PER_GROUP)
            )
        ]
    return results


def _reported_messages(needle: str) -> list[tuple[Message, int]]:
    # A report of a message is a Violation with source_ref "message:<id>": its conversation is reported.
    reported = (
        sa.select(Message.conversation_id, sa.func.min(Violation.id).label("violation_id"))
        .join(Violation, Violation.source_ref == sa.literal("message:") + sa.cast(Message.id, sa.String))
        .where(Violation.source == ViolationSource.report)
        .group_by(Message.conversation_id)
        .subquery()
    )
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(Message, reported.c.violation_id)
            .join(reported, Message.conversation_id == reported.c.conversation_id)
            .where(sa.func.lower(Message.body).contains(needle, autoescape=True))
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(PER_GROUP)
        ).unique()
    ]


def record_message_search(text: str, found: list[tuple[Message, int]], *, actor: User) -> None:
    """Reported threads' words were shown: one audit row per reported thread, with the search."""
    by_violation: dict[int, list[int]] = {}
    for message, violation_id in found:
        by_violation.setdefault(violation_id, []).append(message.id)
    for violation_id, message_ids in sorted(by_violation.items()):
        record_action(
            "violation.thread_searched",
            ("Violation", violation_id),
            actor=actor,
            after={"search": searchable_text(text), "messages": message_ids},
        )
