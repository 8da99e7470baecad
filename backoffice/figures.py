"""The back office's figures per queue, from the audit log and the queue tables.

Every figure comes from a fixed number of aggregate queries, whatever the volume: one for the
review queues' backlogs, three for the disputes (their count, those that may be late, their
evidence requests), one for the decisions of the window by action, person and day (read from the
daily roll-up kept with the audit log, not from the log's rows), two for the hours to decision
(moderation.decision_times), one for reversals, one for staff names. The page is always current:
what is stored (the roll-up, the closed days' hours) is exact and final, the rest is read live.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from audit.areas import MODERATION, RESOLUTION, VERIFICATION
from disputes import rules
from disputes.ruling_due import ruling_due_with
from extensions import db
from models.accounts import User
from models.cases import Case
from models.disputes import ACTIVE_DISPUTE_STATES, Dispute, EvidenceRequest
from models.listings import Listing
from models.moderation import Appeal, AppealStatus, AuditDayCount, Violation, ViolationStatus
from models.profiles import DesignerProfile, ReviewState
from models.verification import VerificationStatus, VerificationSubmission
from moderation import decision_times
from moderation.service_levels import SERVICE_LEVEL_HOURS

WINDOW_DAYS = 30
APPROVED, REJECTED = "approved", "rejected"  # how each decision counts in the approval / rejection rates
SUSPENDED = "violation.suspended"


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    area: str  # the audit area whose staff work this queue
    outcomes: dict[str, tuple]  # decision action → (words, APPROVED / REJECTED / None)
    rate_words: tuple = ()  # how the APPROVED and REJECTED rates read for this queue


QUEUES = (
    Queue(
        "profile",
        _l("Profile reviews"),
        MODERATION,
        {"profile.approved": (_l("approved"), APPROVED), "profile.rejected": (_l("rejected"), REJECTED)},
        (_l("Approved"), _l("Rejected")),
    ),
    Queue(
        "listing",
        _l("Listing reviews"),
        MODERATION,
        {"listing.approved": (_l("approved"), APPROVED), "listing.rejected": (_l("rejected"), REJECTED)},
        (_l("Approved"), _l("Rejected")),
    ),
    Queue(
        "verification",
        _l("Identity verifications"),
        VERIFICATION,
        {"verification.approved": (_l("approved"), APPROVED), "verification.rejected": (_l("rejected"), REJECTED)},
        (_l("Approved"), _l("Rejected")),
    ),
    Queue(
        "violation",
        _l("Violations"),
        MODERATION,
        {
            "violation.dismissed": (_l("dismissed"), REJECTED),
            "violation.warned": (_l("warned"), APPROVED),
            SUSPENDED: (_l("suspended"), APPROVED),
        },
        (_l("Upheld (warning or suspension)"), _l("Dismissed")),
    ),
    Queue("dispute", _l("Disputes"), RESOLUTION, {"dispute.ruled": (_l("ruled"), None)}),
)
QUEUE_OF_ACTION = {action: queue.key for queue in QUEUES for action in queue.outcomes}
DECISION_ACTIONS = tuple(QUEUE_OF_ACTION)


@dataclass
class QueueFigures:
    queue: Queue
    backlog: int = 0
    past_due: int = 0
    decisions: int = 0
    median_hours: float | None = None
    outcomes: dict[str, int] = field(default_factory=dict)  # action → decisions
    per_staff: dict[int | None, list[int]] = field(default_factory=dict)  # actor → [decisions, days worked]
    per_day: dict[str, dict[str, int]] = field(default_factory=dict)  # "YYYY-MM-DD" → action → decisions
    reversals: int | None = None  # None: this queue's decisions have no appeal

    def rate(self, kind: str) -> float | None:
        """Share of decisions counting as APPROVED or REJECTED; None without decisions or such outcomes."""
        counted = [a for a, (_w, k) in self.queue.outcomes.items() if k == kind]
        if not self.decisions or not counted:
            return None
        return sum(self.outcomes.get(a, 0) for a in counted) / self.decisions

    def series(self, days: list[str]) -> tuple[int, list[tuple[str, list[tuple[str, int, str | None]], int]]]:
        """The chart's data: (highest daily total, [(day, [(action, decisions, kind)], total)]) for each day."""
        rows = []
        for day in days:
            counts = self.per_day.get(day, {})
            parts = [(a, counts.get(a, 0), kind) for a, (_w, kind) in self.queue.outcomes.items()]
            rows.append((day, parts, sum(n for _a, n, _k in parts)))
        return max([total for _d, _p, total in rows] + [1]), rows

    @property
    def reversal_rate(self) -> float | None:
        suspended = self.outcomes.get(SUSPENDED, 0)
        return self.reversals / suspended if self.reversals is not None and suspended else None


@dataclass
class Figures:
    since: datetime
    days: list[str]
    queues: list[QueueFigures]
    names: dict[int, str]


def figures(queue_keys: list[str], *, now: datetime | None = None, people: set[int] = frozenset()) -> Figures:
    """The figures of the queues named (those the viewer's areas cover), over the last WINDOW_DAYS days.

    `people`: more staff whose names the page shows (the deciders of quality reviews).
    """
    now = now or datetime.now(timezone.utc)
    first_day = (now - timedelta(days=WINDOW_DAYS - 1)).date()
    since = datetime.combine(first_day, datetime.min.time(), tzinfo=timezone.utc)
    days = [(first_day + timedelta(days=n)).isoformat() for n in range(WINDOW_DAYS)]
    result = {q.key: QueueFigures(q) for q in QUEUES if q.key in queue_keys}
    if not result:
        return Figures(since, days, [], {})
    _backlogs(result, now)
    if "dispute" in result:
        _disputes_backlog(result["dispute"], now)
    actors = _decisions(result, since)
    _medians(result, since)
    if "violation" in result:
        result["violation"].reversals = _reversals(since)
    actors |= set(people)
    names = (
        dict(db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(actors))).all())
        if actors
        else {}
    )
    return Figures(since, days, list(result.values()), names)


def _backlogs(result: dict[str, QueueFigures], now: datetime) -> None:
    """Items waiting and items past their service level, for the review queues: one query."""
    waiting = {
        "profile": (DesignerProfile.submitted_at, DesignerProfile.state == ReviewState.pending),
        "listing": (Listing.submitted_at, Listing.state == ReviewState.pending),
        "verification": (
            VerificationSubmission.submitted_at,
            VerificationSubmission.status == VerificationStatus.submitted,
        ),
        "violation": (Violation.created_at, Violation.status == ViolationStatus.open),
    }
    parts = []
    for key, (entered, condition) in waiting.items():
        if key in result:
            cutoff = now - timedelta(hours=SERVICE_LEVEL_HOURS[key])
            parts.append(
                sa.select(
                    sa.literal(key).label("queue"),
                    sa.func.count().label("backlog"),
                    sa.func.coalesce(sa.func.sum(sa.case((entered < cutoff, 1), else_=0)), 0).label("late"),
                ).where(condition)
            )
    if parts:
        for key, backlog, late in db.session.execute(sa.union_all(*parts)):
            result[key].backlog, result[key].past_due = backlog, late


def _disputes_backlog(figures: QueueFigures, now: datetime) -> None:
    """Active disputes, past due when their ruling date (disputes.ruling_due, the one rule) has passed.

    Evidence requests only push the date later and the escrow limit only earlier, so only disputes
    whose base date or escrow limit has passed can be late: those alone are loaded and judged.
    """
    active = Dispute.state.in_(ACTIVE_DISPUTE_STATES)
    may_be_late = sa.or_(
        Dispute.answer_due_at < now - timedelta(days=rules.setting("DISPUTE_RULING_DAYS")),
        Case.escrow_limit_at < now,
        sa.and_(
            Case.escrow_limit_at.is_(None), Case.accepted_at < now - timedelta(days=rules.setting("ESCROW_LIMIT_DAYS"))
        ),
    )
    figures.backlog = db.session.scalar(sa.select(sa.func.count()).select_from(Dispute).where(active))
    late = db.session.scalars(
        sa.select(Dispute)
        .join(Case, Case.id == Dispute.case_id)
        .options(contains_eager(Dispute.case))
        .where(active, may_be_late)
    ).all()
    requests = defaultdict(list)
    for request in db.session.scalars(
        sa.select(EvidenceRequest)
        .where(EvidenceRequest.dispute_id.in_([d.id for d in late]))
        .order_by(EvidenceRequest.asked_at, EvidenceRequest.id)
    ):
        requests[request.dispute_id].append(request)
    figures.past_due = sum(1 for d in late if ruling_due_with(d, requests[d.id]).at < now)


def _decisions(result: dict[str, QueueFigures], since: datetime) -> set[int]:
    """Decisions of the window by action, person and day: outcomes, per person, per day. One query,
    on the daily roll-up (AuditDayCount: UTC days, kept by audit.trail with each audit row), summed
    by the database: per action and day, and per queue and person with the days they worked (a
    month of ten people's roll-up rows is thousands; the sums are a few hundred)."""
    actions = [a for q in result.values() for a in q.queue.outcomes]
    window = (AuditDayCount.action.in_(actions), AuditDayCount.day >= since.date())
    entries = sa.func.sum(AuditDayCount.entries)
    per_day = (
        sa.select(
            AuditDayCount.action.label("key"),
            AuditDayCount.day,
            sa.literal(-1).label("actor"),
            entries.label("entries"),
            sa.literal(0).label("days"),
        )
        .where(*window)
        .group_by(AuditDayCount.action, AuditDayCount.day)
    )
    queue = sa.case({a: QUEUE_OF_ACTION[a] for a in actions}, value=AuditDayCount.action).label("queue")
    days = sa.func.count(sa.distinct(AuditDayCount.day))
    per_staff = (
        sa.select(queue, sa.null(), AuditDayCount.actor_key, entries, days)
        .where(*window)
        # By its name: the CASE written again would carry new parameters, a different expression to PostgreSQL.
        .group_by(sa.literal_column("queue"), AuditDayCount.actor_key)
    )
    both = sa.union_all(per_day, per_staff).subquery()
    rows = db.session.execute(sa.select(both).order_by(both.c.actor, both.c.key, both.c.day))
    actors = set()
    for key, on, actor_key, count, worked in rows:
        if actor_key == -1:  # an action's decisions of a day
            figures = result[QUEUE_OF_ACTION[key]]
            figures.decisions += count
            figures.outcomes[key] = figures.outcomes.get(key, 0) + count
            figures.per_day.setdefault(on.isoformat(), {})[key] = count
        else:  # a person's decisions in a queue (0: the platform itself)
            result[key].per_staff[actor_key or None] = [count, worked]
            if actor_key:
                actors.add(actor_key)
    return actors


def _medians(result: dict[str, QueueFigures], since: datetime) -> None:
    """Median hours from entering the queue to the decision, per queue (moderation.decision_times:
    the window's closed days as stored by the sweep, the rest live: two queries)."""
    spans = decision_times.hours_to_decision(
        {key: list(figures.queue.outcomes) for key, figures in result.items()}, since.date()
    )
    for key, hours in spans.items():
        if hours:
            result[key].median_hours = statistics.median(hours)


def record_decision_days(now: datetime) -> int:
    """Sweep: store the closed days' hours to decision of every queue (by the real clock, not `now`)."""
    return decision_times.record_closed_days(
        {queue.key: list(queue.outcomes) for queue in QUEUES}, window_days=WINDOW_DAYS
    )


def _reversals(since: datetime) -> int:
    """Appeals decided in the window that reinstated the account (one query): the suspension or
    termination reversed by the moderator who decided the appeal."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Appeal)
        .where(Appeal.status == AppealStatus.reinstated, Appeal.decided_at >= since)
    )
