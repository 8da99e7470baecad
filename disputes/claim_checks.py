"""Claim checks: contradictions and warnings the written record shows, marked for the agent.

Each rule is a small function of a dispute's facts returning a Finding (or None). They read
the record only (deliveries, the client's downloads, revisions, accounts, evidence) and
decide nothing: the agent weighs them. `findings_of` loads the facts of a page of disputes
in a few queries, for the queue's badges as for the detail page.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from cases.deadlines import auto_complete_at
from disputes.rules import REASON_LABELS
from extensions import db
from models.accounts import AccountStatus, User
from models.cases import Case, CaseEvent, CaseFile, CaseState, Delivery
from models.disputes import Dispute, DisputeEvidence, DisputeParty, DisputeReason, DisputeState
from models.files import FileDownload
from models.types import utcnow

DATE = "%Y-%m-%d"


class Severity(enum.Enum):
    # In the order the agent reads them.
    blocking = "blocking"  # the dispute waits on something that cannot come
    contradiction = "contradiction"  # the record contradicts what the claim says
    attention = "attention"  # something the ruling must take into account


SEVERITY_LABELS = {
    Severity.blocking: _l("Blocked"),
    Severity.contradiction: _l("Contradiction"),
    Severity.attention: _l("To check"),
}
_ORDER = list(Severity)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    text: str

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self.severity]


@dataclass
class DisputeFacts:
    """What the rules read about one dispute."""

    dispute: Dispute
    case: Case
    deliveries: list[Delivery]  # oldest first
    last_delivery_downloaded_at: datetime | None  # the client's first complete download of a file of it
    evidence_parties_by_deadline: set[DisputeParty]
    restarted_at: datetime | None  # an earlier dispute withdrawn: the auto-completion clock restarted
    state_before: CaseState | None  # the case's state before this dispute, from its "dispute" event
    now: datetime

    @property
    def last_delivery(self) -> Delivery | None:
        return self.deliveries[-1] if self.deliveries else None


def deliveries_note(deliveries: list[Delivery]) -> str:
    """ "2 deliveries, the last on 2026-12-01": said the same way to the agent and to the client."""
    return ngettext(
        "%(num)d delivery, on %(date)s",
        "%(num)d deliveries, the last on %(date)s",
        len(deliveries),
        date=deliveries[-1].delivered_at.strftime(DATE),
    )


# -- the rules ----------------------------------------------------------------------------------
def not_delivered_with_deliveries(facts: DisputeFacts) -> Finding | None:
    if facts.dispute.reason != DisputeReason.not_delivered or not facts.deliveries:
        return None
    return Finding(
        "not_delivered_with_deliveries",
        Severity.contradiction,
        _l(
            "The claim says nothing was delivered, but the case has %(deliveries)s.",
            deliveries=deliveries_note(facts.deliveries),
        ),
    )


def downloaded_without_revision(facts: DisputeFacts) -> Finding | None:
    last, downloaded = facts.last_delivery, facts.last_delivery_downloaded_at
    if last is None or downloaded is None or last.revision_request:
        return None
    return Finding(
        "downloaded_without_revision",
        Severity.attention,
        _l(
            "The client downloaded delivery %(n)d on %(date)s and opened the dispute on %(opened)s "
            "without asking for a revision.",
            n=last.number,
            date=downloaded.strftime(DATE),
            opened=facts.dispute.opened_at.strftime(DATE),
        ),
    )


def _party_waited_on(dispute: Dispute) -> DisputeParty | None:
    """The party the dispute waits on: the designer until they answer."""
    if dispute.state == DisputeState.open and dispute.answered_at is None:
        return DisputeParty.designer
    return None


_SUSPENDED_TEXT = {
    (DisputeParty.client, AccountStatus.suspended): _l("The client's account is suspended."),
    (DisputeParty.client, AccountStatus.terminated): _l("The client's account is terminated."),
    (DisputeParty.designer, AccountStatus.suspended): _l("The designer's account is suspended."),
    (DisputeParty.designer, AccountStatus.terminated): _l("The designer's account is terminated."),
}


def party_suspended(facts: DisputeFacts) -> Finding | None:
    for side, user in ((DisputeParty.client, facts.case.client), (DisputeParty.designer, facts.case.designer)):
        if user.status not in (AccountStatus.suspended, AccountStatus.terminated):
            continue
        text = str(_SUSPENDED_TEXT[(side, user.status)])
        if facts.dispute.is_active and _party_waited_on(facts.dispute) == side:
            return Finding(
                "party_suspended",
                Severity.blocking,
                text + " " + str(_l("The dispute is waiting for their answer, which cannot come: rule without it.")),
            )
        return Finding("party_suspended", Severity.attention, text)
    return None


_DESIGN_CLAIMS = (DisputeReason.not_per_prescription, DisputeReason.poor_quality)


def quality_without_revision(facts: DisputeFacts) -> Finding | None:
    last = facts.last_delivery
    if facts.dispute.reason not in _DESIGN_CLAIMS or last is None or last.revision_request:
        return None
    if facts.case.revisions_left <= 0:
        return None
    return Finding(
        "quality_without_revision",
        Severity.attention,
        ngettext(
            "The claim is about the design, but no revision of delivery %(n)d was asked for while "
            "%(num)d revision was left.",
            "The claim is about the design, but no revision of delivery %(n)d was asked for while "
            "%(num)d revisions were left.",
            facts.case.revisions_left,
            n=last.number,
        ),
    )


def opened_after_auto_complete(facts: DisputeFacts) -> Finding | None:
    """The case would have completed (and paid the designer) before the dispute: a late sweep let it open."""
    dispute, last = facts.dispute, facts.last_delivery
    if facts.state_before != CaseState.delivered or last is None:
        return None
    started = max(last.delivered_at, facts.restarted_at or last.delivered_at)
    due = auto_complete_at(facts.case, started)
    if dispute.opened_at <= due:
        return None
    return Finding(
        "opened_after_auto_complete",
        Severity.contradiction,
        _l(
            "The dispute was opened on %(opened)s, after the case's automatic completion date (%(due)s).",
            opened=dispute.opened_at.strftime(DATE),
            due=due.strftime(DATE),
        ),
    )


def one_sided_evidence(facts: DisputeFacts) -> Finding | None:
    dispute = facts.dispute
    if facts.now < dispute.answer_due_at or len(facts.evidence_parties_by_deadline) != 1:
        return None
    side = next(iter(facts.evidence_parties_by_deadline))
    text = (
        _l(
            "Only the client gave evidence files by the answer deadline (%(date)s).",
            date=dispute.answer_due_at.strftime(DATE),
        )
        if side == DisputeParty.client
        else _l(
            "Only the designer gave evidence files by the answer deadline (%(date)s).",
            date=dispute.answer_due_at.strftime(DATE),
        )
    )
    return Finding("one_sided_evidence", Severity.attention, text)


RULES: list[Callable[[DisputeFacts], Finding | None]] = [
    not_delivered_with_deliveries,
    opened_after_auto_complete,
    party_suspended,
    downloaded_without_revision,
    quality_without_revision,
    one_sided_evidence,
]


def check(facts: DisputeFacts) -> list[Finding]:
    """The findings of one dispute's facts, the most serious first."""
    found = [finding for rule in RULES if (finding := rule(facts)) is not None]
    return sorted(found, key=lambda f: _ORDER.index(f.severity))


# -- facts, loaded for many disputes at once ----------------------------------------------------
# Built once with bound parameters: a queue page reads them all, and building a statement costs
# more than running it.
def _in(column, name: str):
    return column.in_(sa.bindparam(name, expanding=True))


_DELIVERIES = sa.select(Delivery).where(_in(Delivery.case_id, "case_ids")).order_by(Delivery.case_id, Delivery.number)
_FIRST_DOWNLOADS = (
    sa.select(CaseFile.case_id, sa.func.min(FileDownload.at))
    .join(FileDownload, FileDownload.file_id == CaseFile.file_id)
    .join(Case, Case.id == CaseFile.case_id)
    .where(
        _in(CaseFile.delivery_id, "delivery_ids"),
        FileDownload.reader_id == Case.client_id,
        FileDownload.completed.is_(True),
    )
    .group_by(CaseFile.case_id)
)
_EVIDENCE = sa.select(DisputeEvidence.dispute_id, DisputeEvidence.party, DisputeEvidence.added_at).where(
    _in(DisputeEvidence.dispute_id, "dispute_ids")
)
_WITHDRAWN = sa.select(Dispute.case_id, Dispute.closed_at).where(
    _in(Dispute.case_id, "case_ids"), Dispute.state == DisputeState.withdrawn
)
_DISPUTE_EVENTS = (
    sa.select(CaseEvent.case_id, CaseEvent.at, CaseEvent.from_state)
    .where(_in(CaseEvent.case_id, "case_ids"), CaseEvent.action == "dispute")
    .order_by(CaseEvent.id)
)


def facts_of(disputes: Iterable[Dispute], *, now: datetime | None = None) -> dict[int, DisputeFacts]:
    now = now or utcnow()
    disputes = list(disputes)
    if not disputes:
        return {}
    case_ids = {d.case_id for d in disputes}
    # A queue page loaded the cases and their parties with its disputes: only what is missing is read.
    cases = {d.case_id: d.case for d in disputes if "case" not in sa.inspect(d).unloaded}
    if missing := case_ids - cases.keys():
        cases |= {c.id: c for c in db.session.scalars(sa.select(Case).where(Case.id.in_(missing)))}
    unloaded = [(c, sa.inspect(c).unloaded) for c in cases.values()]
    parties = {c.client_id for c, u in unloaded if "client" in u} | {
        c.designer_id for c, u in unloaded if "designer" in u
    }
    if parties:
        # The parties, in one query, so each case's client and designer are read from the session.
        db.session.scalars(sa.select(User).where(User.id.in_(parties))).all()
    by_case = {"case_ids": list(case_ids)}
    deliveries: dict[int, list[Delivery]] = {case_id: [] for case_id in case_ids}
    for delivery in db.session.scalars(_DELIVERIES, by_case):
        deliveries[delivery.case_id].append(delivery)
    last_ids = {ds[-1].id: case_id for case_id, ds in deliveries.items() if ds}
    downloaded: dict[int, datetime] = {}
    if last_ids:
        rows = db.session.execute(_FIRST_DOWNLOADS, {"delivery_ids": list(last_ids)})
        downloaded = {case_id: at for case_id, at in rows}
    dispute_ids = [d.id for d in disputes]
    evidence: dict[int, list[tuple[DisputeParty, datetime]]] = {d.id: [] for d in disputes}
    for dispute_id, party, added_at in db.session.execute(_EVIDENCE, {"dispute_ids": dispute_ids}):
        evidence[dispute_id].append((party, added_at))
    withdrawn: dict[int, list[datetime]] = {case_id: [] for case_id in case_ids}
    for case_id, closed_at in db.session.execute(_WITHDRAWN, by_case):
        if closed_at is not None:
            withdrawn[case_id].append(closed_at)
    # Each "dispute" event of these cases: the state it left is the case's state before that dispute.
    disputed_from: dict[int, list[tuple[datetime, str | None]]] = {case_id: [] for case_id in case_ids}
    for case_id, at, from_state in db.session.execute(_DISPUTE_EVENTS, by_case):
        disputed_from[case_id].append((at, from_state))
    facts = {}
    for d in disputes:
        opened = d.opened_at
        before = [at for at in withdrawn[d.case_id] if at <= opened]
        left = [from_state for at, from_state in disputed_from[d.case_id] if at <= opened and from_state]
        downloaded_at = downloaded.get(d.case_id)
        facts[d.id] = DisputeFacts(
            dispute=d,
            case=cases[d.case_id],
            deliveries=deliveries[d.case_id],
            last_delivery_downloaded_at=downloaded_at
            if downloaded_at is not None and downloaded_at <= opened
            else None,
            evidence_parties_by_deadline={party for party, at in evidence[d.id] if at <= d.answer_due_at},
            restarted_at=max(before) if before else None,
            state_before=CaseState(left[-1]) if left else None,
            now=now,
        )
    return facts


def findings_of(disputes: Iterable[Dispute], *, now: datetime | None = None) -> dict[int, list[Finding]]:
    """{dispute id: findings} for the given disputes."""
    return {dispute_id: check(facts) for dispute_id, facts in facts_of(disputes, now=now).items()}


def findings(dispute: Dispute, *, now: datetime | None = None) -> list[Finding]:
    return findings_of([dispute], now=now)[dispute.id]


def not_delivered_warning(case: Case) -> str | None:
    """What the "open a dispute" form tells a client about to say "not delivered" on a case
    with deliveries: a warning, not a refusal (the first rule, seen from the client's side)."""
    deliveries = list(
        db.session.scalars(sa.select(Delivery).where(Delivery.case_id == case.id).order_by(Delivery.number))
    )
    if not deliveries:
        return None
    return _l(
        "This case has %(deliveries)s. If the design is wrong, choose “%(instead)s” instead.",
        deliveries=deliveries_note(deliveries),
        instead=REASON_LABELS[DisputeReason.not_per_prescription],
    )
