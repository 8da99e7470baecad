"""Track records: figures computed from what happened (messages, cases, reviews), never typed.

Designer figures (profile and listing pages): median first reply, on-time delivery, completed
cases, repeat clients, the dental sub-ratings and clinical outcomes. Client figures (the client
profile designers see): reviews from designers with their average, completed cases, disputes.
Each figure carries its sample size, so a page can say "not enough data yet" instead of a
figure built on one case. A designer's figures cost a fixed number of statements (five).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from extensions import db
from models.accounts import User
from models.cases import SUB_RATINGS, Case, CaseEvent, CaseState, ClinicalOutcome, Delivery, Review
from models.messaging import Conversation, ConversationKind, Message, MessageKind, Participant
from models.types import utcnow

# Figures are read over the latest this-many items, so a busy designer's page stays cheap
# and the figure follows how they work now rather than years ago.
WINDOW = 100
# Below this many items a rate or median is not shown (one late case is not a record).
MIN_SAMPLE = 3


@dataclass
class DesignerRecord:
    member_since: datetime
    response_minutes: int | None = None  # median minutes from a client's first message to the first reply
    response_sample: int = 0
    on_time_rate: int | None = None  # percent of due deliveries made by the due date
    on_time_sample: int = 0
    completed: int = 0
    clients: int = 0  # distinct clients whose case the designer accepted
    repeat_clients: int = 0  # … of whom came back with another case
    sub_ratings: dict[str, float] = field(default_factory=dict)  # name → average of 1–5, rounded to 0.1
    sub_rating_count: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # ClinicalOutcome value → count
    outcome_count: int = 0
    changes_at: datetime | None = None  # when these figures change by time alone (a case turning late)

    @property
    def seated_rate(self) -> int | None:
        """Percent of recorded outcomes seated as designed (None below MIN_SAMPLE)."""
        if self.outcome_count < MIN_SAMPLE:
            return None
        return round(100 * self.outcomes.get(ClinicalOutcome.seated.value, 0) / self.outcome_count)


def _response_minutes(designer_id: int) -> list[float]:
    """Minutes to the designer's first written reply in each of their latest general conversations
    that the other side opened (automatic "Full" replies do not count as answers)."""
    mine = sa.select(Participant.conversation_id).where(Participant.user_id == designer_id)
    asked = (
        sa.select(Message.conversation_id, sa.func.min(Message.created_at).label("asked_at"))
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.conversation_id.in_(mine),
            Message.sender_id != designer_id,
            Conversation.kind == ConversationKind.general,
        )
        .group_by(Message.conversation_id)
        .subquery()
    )
    reply = aliased(Message)
    answered = (
        sa.select(sa.func.min(reply.created_at))
        .where(
            reply.conversation_id == asked.c.conversation_id,
            reply.sender_id == designer_id,
            reply.kind == MessageKind.text,
            reply.created_at >= asked.c.asked_at,
        )
        .scalar_subquery()
    )
    first_own = (
        sa.select(sa.func.min(Message.created_at))
        .where(
            Message.conversation_id == asked.c.conversation_id,
            Message.sender_id == designer_id,
            Message.kind == MessageKind.text,
        )
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(asked.c.asked_at, answered, first_own).order_by(asked.c.asked_at.desc()).limit(WINDOW)
    )
    minutes = []
    for asked_at, answered_at, first_at in rows:
        if first_at is not None and first_at < asked_at:
            continue  # the designer wrote first: nothing to answer
        if answered_at is None:
            continue  # not answered yet: counted once answered (a median of waits so far would lie)
        minutes.append(_utc(answered_at) - _utc(asked_at))
    return [m.total_seconds() / 60 for m in minutes]


def _utc(value: datetime) -> datetime:
    # Raw subquery results skip the UTCDateTime type on SQLite: naive values are UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _on_time(designer_id: int, now: datetime) -> tuple[int, int, datetime | None]:
    """(on time, counted, next due) over the latest accepted cases whose due time has come:
    delivered by the due time is on time; delivered later, or not yet delivered past it, is
    late. Next due: when the first undelivered case still in time would turn late (or None)."""
    first_delivery = sa.select(sa.func.min(Delivery.delivered_at)).where(Delivery.case_id == Case.id).scalar_subquery()
    # The due time set at acceptance (cases.deadlines.due_at): the promise the client saw.
    rows = db.session.execute(
        sa.select(Case.due_at, first_delivery, Case.state)
        .where(Case.designer_id == designer_id, Case.due_at.is_not(None))
        .order_by(Case.accepted_at.desc())
        .limit(WINDOW)
    )
    on_time = counted = 0
    next_due = None
    for due, delivered_at, state in rows:
        due = _utc(due)
        if delivered_at is not None:
            counted += 1
            on_time += _utc(delivered_at) <= due
        elif state in (CaseState.in_progress, CaseState.disputed):
            if due < now:
                counted += 1
            else:
                next_due = due if next_due is None else min(next_due, due)
    return on_time, counted, next_due


def designer_record(user: User, *, now: datetime | None = None) -> DesignerRecord:
    """The designer's computed figures (five statements)."""
    now = now or utcnow()
    record = DesignerRecord(member_since=user.created_at)
    waits = _response_minutes(user.id)
    record.response_sample = len(waits)
    if len(waits) >= MIN_SAMPLE:
        record.response_minutes = round(statistics.median(waits))
    on_time, counted, record.changes_at = _on_time(user.id, now)
    record.on_time_sample = counted
    if counted >= MIN_SAMPLE:
        record.on_time_rate = round(100 * on_time / counted)
    per_client = (
        sa.select(
            Case.client_id,
            sa.func.count().label("n"),
            sa.func.sum(sa.case((Case.state == CaseState.completed, 1), else_=0)).label("done"),
        )
        .where(Case.designer_id == user.id, Case.accepted_at.is_not(None))
        .group_by(Case.client_id)
        .subquery()
    )
    clients, repeat, completed = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(sa.case((per_client.c.n >= 2, 1), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(per_client.c.done), 0),
        )
    ).one()
    record.clients, record.repeat_clients, record.completed = clients, int(repeat), int(completed)
    about = sa.and_(Review.subject_id == user.id, Review.about_designer.is_(True))
    averages = db.session.execute(
        sa.select(
            sa.func.count(Review.fit_stars), *[sa.func.avg(getattr(Review, f"{n}_stars")) for n in SUB_RATINGS]
        ).where(about)
    ).one()
    record.sub_rating_count = averages[0]
    record.sub_ratings = {n: round(float(v), 1) for n, v in zip(SUB_RATINGS, averages[1:]) if v is not None}
    outcomes = dict(
        db.session.execute(
            sa.select(Review.outcome, sa.func.count())
            .where(about, Review.outcome.is_not(None))
            .group_by(Review.outcome)
        ).all()
    )
    record.outcomes = {o.value: n for o, n in outcomes.items()}
    record.outcome_count = sum(outcomes.values())
    return record


@dataclass
class ClientRecord:
    member_since: datetime
    reviews: list[Review]
    review_count: int
    rating_average: float | None
    completed: int
    disputes: int


def client_record(user: User, *, limit: int = 20) -> ClientRecord:
    """What designers see of a client: reviews from designers, completed cases, disputes (four statements)."""
    about = sa.and_(Review.subject_id == user.id, Review.about_designer.is_(False))
    count, average = db.session.execute(sa.select(sa.func.count(), sa.func.avg(Review.stars)).where(about)).one()
    reviews = list(
        db.session.scalars(
            sa.select(Review)
            .where(about)
            .options(selectinload(Review.author))
            .order_by(Review.created_at.desc())
            .limit(limit)
        )
    )
    completed = db.session.scalar(
        sa.select(sa.func.count()).select_from(Case).where(Case.client_id == user.id, Case.state == CaseState.completed)
    )
    disputes = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(CaseEvent.case_id)))
        .join(Case, Case.id == CaseEvent.case_id)
        .where(Case.client_id == user.id, CaseEvent.action == "dispute")
    )
    return ClientRecord(
        member_since=user.created_at,
        reviews=reviews,
        review_count=count,
        rating_average=round(float(average), 1) if average is not None else None,
        completed=completed,
        disputes=disputes,
    )


def may_see_client(viewer: User | None, client_id: int) -> bool:
    """A designer sees a client's profile once the client sent them a request (a case) or a
    message; anyone else is told nothing (the page answers 404)."""
    if (
        viewer is None
        or not getattr(viewer, "is_authenticated", False)
        or not viewer.is_designer
        or viewer.id == client_id
    ):
        return False
    requested = sa.select(Case.id).where(Case.designer_id == viewer.id, Case.client_id == client_id).exists()
    mine = sa.select(Participant.conversation_id).where(Participant.user_id == viewer.id)
    wrote = sa.select(Message.id).where(Message.sender_id == client_id, Message.conversation_id.in_(mine)).exists()
    return bool(db.session.scalar(sa.select(sa.or_(requested, wrote))))
