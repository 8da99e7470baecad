"""State changes of disputes: open, answer, propose and accept a settlement, withdraw, rule.

Shape of each: lock the case, then the dispute (always in that order, as cases.process then
locks the payment) → guard (who, state, input) → change → flush → event or audit row →
notices after the commit. Money moves only through cases.process ("settle", "resolve",
"withdraw_dispute"), which refuses a second move under the same lock, so a double submit or
two agents at once move the money once. Operations flush; the caller commits once.
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from audit.trail import record_action
from cases import process
from disputes import rules
from disputes.evidence import Upload, attach_evidence
from disputes.four_eyes import require_second_agent
from disputes.process import AGENT, CLAIM_TYPE, CLIENT, DESIGNER, DISPUTE_PROCESS, PLATFORM, lock_case, lock_dispute
from disputes.permissions import can_open_dispute, can_rule, party_of
from disputes.ruling_money import ruling_money
from errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import db
from messaging.notify import notify
from models.accounts import User
from models.cases import Case, CaseEvent, CaseState
from models.disputes import (
    Dispute,
    DisputeParty,
    DisputeReason,
    DisputeState,
    ProposalStatus,
    Ruling,
    RulingDraft,
    RulingOutcome,
    SettlementProposal,
)
from models.moderation import ViolationSource
from models.types import utcnow
from moderation import claims
from payments.escrow import payment_of
from screening.contact_filter import screen_text

log = logging.getLogger(__name__)

DISPUTE_PATH = "/disputes/{id}"
MIN_REASONING = 20


def dispute_url(dispute: Dispute) -> str:
    return DISPUTE_PATH.format(id=dispute.id)


def active_dispute(case: Case) -> Dispute | None:
    return db.session.scalar(
        sa.select(Dispute).where(
            Dispute.case_id == case.id, Dispute.state.in_((DisputeState.open, DisputeState.awaiting_ruling))
        )
    )


def latest_dispute(case: Case) -> Dispute | None:
    return db.session.scalar(sa.select(Dispute).where(Dispute.case_id == case.id).order_by(Dispute.id.desc()).limit(1))


_lock_case = lock_case
_lock = lock_dispute  # the resolution centre's other modules lock in the same order


def _require_active(dispute: Dispute) -> None:
    if not dispute.is_active:
        raise InvalidTransition(_l("This dispute is closed: %(state)s.", state=rules.STATE_LABELS[dispute.state]))


def _require_party(dispute: Dispute, actor: User, party: DisputeParty | None = None) -> DisputeParty:
    side = party_of(dispute.case, actor)
    if side is None:
        raise NotFound(_l("This dispute does not exist."))
    if party is not None and side != party:
        raise PermissionDenied(_l("Only the %(party)s can do this.", party=_PARTY_NAMES[party]))
    return side


_PARTY_NAMES = {DisputeParty.client: _l("client"), DisputeParty.designer: _l("designer")}


def _screen(fields: dict[str, str], actor: User, dispute_ref: str) -> None:
    """Statements and notes go through the contact filter, as messages do."""
    screen_text(fields, author=actor, source=ViolationSource.message, source_ref=dispute_ref)


def _tell(user: User, dispute: Dispute, title, body) -> None:
    notify(user, "case_disputed", title=title, body=body, url=dispute_url(dispute), case_id=dispute.case_id)


# -- the parties --------------------------------------------------------------------------------
def open_dispute(
    case: Case,
    *,
    actor: User | None,
    reason: DisputeReason | str,
    statement: str = "",
    evidence: list[Upload] = (),
    now: datetime | None = None,
) -> Dispute:
    """Stop the case and open its dispute: by the client (a reason from the list, a statement,
    evidence files) or by the platform (actor None: suspension, nothing delivered in time).

    The case goes to "disputed" through cases.process (nothing is paid out; the designer is
    notified); the designer's answer is due in DISPUTE_ANSWER_DAYS. Raises NotFound for
    strangers, PermissionDenied for the designer, DomainError for a missing reason or
    statement, ContactDetailsRefused for contact details in the statement, InvalidTransition
    when the case cannot be disputed now (not in progress or delivered, already disputed).
    """
    now = now or utcnow()
    case = _lock_case(case.id)
    if actor is not None and not can_open_dispute(actor, case):
        if party_of(case, actor) is None:
            raise NotFound(_l("This case does not exist."))
        raise PermissionDenied(_l("Only the client can open a dispute on a case."))
    try:
        reason = DisputeReason(reason)
    except ValueError:
        raise DomainError(_l("Choose a reason from the list."), field="reason") from None
    statement = (statement or "").strip()
    if actor is not None:
        if reason in rules.PLATFORM_REASONS:
            raise DomainError(_l("Choose a reason from the list."), field="reason")
        if len(statement) < 20:
            raise DomainError(
                _l("Explain what went wrong in a few sentences (at least 20 characters)."), field="statement"
            )
        _screen({"statement": statement}, actor, f"case:{case.id}")
    process.dispute_case(case, actor=actor, reason=rules.reason_note(reason), statement=statement, now=now)
    dispute = Dispute(
        case_id=case.id,
        opened_by_id=actor.id if actor else None,
        reason=reason,
        client_statement=statement,
        answer_due_at=rules.answer_due_at(now),
        state=DisputeState.open,
        opened_at=now,
    )
    dispute.queue_due_at = rules.queue_due_at(dispute, case)
    db.session.add(dispute)
    db.session.flush()
    if evidence and actor is not None:
        attach_evidence(dispute, list(evidence), actor=actor, party=DisputeParty.client)
    if actor is None:
        record_action("dispute.opened", dispute, actor=None, after={"reason": reason.value}, reason=statement or None)
    log.info("dispute %s opened on case %s (%s)", dispute.id, case.id, reason.value)
    return dispute


def record_missing_dispute(case: Case, *, now: datetime | None = None) -> Dispute | None:
    """Give a case moved to "disputed" by a path other than open_dispute (the case process's own
    deadline, a suspension, the case page's form) the dispute row the resolution centre works
    from, built from the case's last "dispute" event (who, reason, statement).
    Returns the active dispute, new or existing (None if the case is not disputed). Idempotent."""
    now = now or utcnow()
    case = _lock_case(case.id)
    existing = active_dispute(case)
    if existing is not None or case.state != CaseState.disputed:
        return existing
    event = db.session.scalar(
        sa.select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.action == "dispute")
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    note = event.note if event is not None else None
    statement = str((event.data or {}).get("statement") or "") if event is not None else ""
    opened_by = event.actor_id if event is not None and event.actor_id == case.client_id else None
    dispute = Dispute(
        case_id=case.id,
        opened_by_id=opened_by,
        reason=rules.reason_from_text(note),
        client_statement=(statement or note or "").strip(),
        answer_due_at=rules.answer_due_at(now),
        state=DisputeState.open,
        opened_at=now,
    )
    dispute.queue_due_at = rules.queue_due_at(dispute, case)
    db.session.add(dispute)
    db.session.flush()
    record_action("dispute.opened", dispute, actor=None, after={"reason": dispute.reason.value}, reason=note)
    return dispute


def answer_dispute(
    dispute: Dispute, *, actor: User, statement: str, evidence: list[Upload] = (), now: datetime | None = None
) -> Dispute:
    """The designer answers with a statement and files; the dispute goes to the resolution centre.

    A late answer (after answer_due_at) is still taken while no one has ruled: the agent sees
    its date. Raises NotFound, PermissionDenied (not the designer), InvalidTransition (closed
    or already answered), DomainError (empty statement), ContactDetailsRefused.
    """
    now = now or utcnow()
    dispute = _lock(dispute)
    _require_party(dispute, actor, DisputeParty.designer)
    _require_active(dispute)
    if dispute.answered_at is not None:
        raise InvalidTransition(_l("You have already answered this dispute."))
    statement = (statement or "").strip()
    if len(statement) < 20:
        raise DomainError(_l("Give your side in a few sentences (at least 20 characters)."), field="statement")
    _screen({"statement": statement}, actor, f"dispute:{dispute.id}")
    DISPUTE_PROCESS.apply(dispute, "answer", role=DESIGNER, actor=actor, locked=True, statement=statement, now=now)
    if evidence:
        attach_evidence(dispute, list(evidence), actor=actor, party=DisputeParty.designer)
    _tell(
        dispute.case.client,
        dispute,
        _l("The designer answered the dispute on case %(ref)s", ref=dispute.case.reference),
        _l("Read their answer on the dispute page. The resolution centre now rules, unless you settle."),
    )
    return dispute


def add_evidence(dispute: Dispute, *, actor: User, evidence: list[Upload]) -> list:
    """A party adds files to an active dispute. Raises NotFound, InvalidTransition, DomainError."""
    dispute = _lock(dispute)
    side = _require_party(dispute, actor)
    _require_active(dispute)
    if not evidence:
        raise DomainError(_l("Choose at least one file."), field="evidence")
    return attach_evidence(dispute, list(evidence), actor=actor, party=side)


def propose_settlement(
    dispute: Dispute, *, actor: User, designer_cents: int, note: str = "", now: datetime | None = None
) -> SettlementProposal:
    """A party offers an amount to the designer (the rest refunded); it replaces any proposal
    on the table. Raises NotFound, InvalidTransition (closed), DomainError (amount outside
    0 … case amount), ContactDetailsRefused (note)."""
    now = now or utcnow()
    dispute = _lock(dispute)
    _require_party(dispute, actor)
    _require_active(dispute)
    case = dispute.case
    if not isinstance(designer_cents, int) or not 0 <= designer_cents <= case.amount_cents:
        raise DomainError(
            _l("The amount to the designer must be between 0 and the amount of the case."), field="designer_amount"
        )
    note = (note or "").strip()
    _screen({"note": note}, actor, f"dispute:{dispute.id}")
    for open_one in _open_proposals(dispute):
        open_one.status, open_one.decided_at = ProposalStatus.superseded, now
    db.session.flush()
    proposal = SettlementProposal(
        dispute_id=dispute.id, proposer_id=actor.id, designer_cents=designer_cents, note=note, created_at=now
    )
    db.session.add(proposal)
    db.session.flush()
    other = case.designer if actor.id == case.client_id else case.client
    _tell(
        other,
        dispute,
        _l("A settlement was proposed on case %(ref)s", ref=case.reference),
        _l("Accept it on the dispute page to end the dispute without a ruling, or propose another amount."),
    )
    return proposal


def _open_proposals(dispute: Dispute) -> list[SettlementProposal]:
    return list(
        db.session.scalars(
            sa.select(SettlementProposal)
            .where(SettlementProposal.dispute_id == dispute.id, SettlementProposal.status == ProposalStatus.open)
            .with_for_update()
        )
    )


def _lock_proposal(proposal: SettlementProposal) -> tuple[Dispute, SettlementProposal]:
    dispute = _lock(proposal.dispute)
    proposal = db.session.execute(
        sa.select(SettlementProposal)
        .where(SettlementProposal.id == proposal.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    return dispute, proposal


def accept_settlement(proposal: SettlementProposal, *, actor: User, now: datetime | None = None) -> Dispute:
    """The other party accepts a proposal: the dispute is settled and the money moves as a
    split ruling would (the designer's part minus the fee on it; the rest refunded).
    Raises NotFound, PermissionDenied (the proposer), InvalidTransition (no longer open),
    escrow.PaymentFailed."""
    now = now or utcnow()
    dispute, proposal = _lock_proposal(proposal)
    side = _require_party(dispute, actor)
    if proposal.proposer_id == actor.id:
        raise PermissionDenied(_l("The other party accepts your proposal, not you."))
    _require_active(dispute)
    if proposal.status != ProposalStatus.open:
        raise InvalidTransition(_l("This proposal is no longer on the table."))
    case = dispute.case
    process.settle_case(
        case, actor=actor, refund_cents=case.amount_cents - proposal.designer_cents, note=proposal.note or None, now=now
    )
    proposal.status, proposal.decided_at = ProposalStatus.accepted, now
    DISPUTE_PROCESS.apply(dispute, "settle", role=side.value, actor=actor, locked=True, now=now)
    log.info("dispute %s settled: %s cents to the designer", dispute.id, proposal.designer_cents)
    return dispute


def withdraw_settlement(
    proposal: SettlementProposal, *, actor: User, now: datetime | None = None
) -> SettlementProposal:
    """The proposer takes their proposal back. Raises NotFound, PermissionDenied, InvalidTransition."""
    now = now or utcnow()
    dispute, proposal = _lock_proposal(proposal)
    _require_party(dispute, actor)
    if proposal.proposer_id != actor.id:
        raise PermissionDenied(_l("Only the party who proposed it can take it back."))
    if proposal.status != ProposalStatus.open:
        raise InvalidTransition(_l("This proposal is no longer on the table."))
    proposal.status, proposal.decided_at = ProposalStatus.withdrawn, now
    db.session.flush()
    return proposal


def withdraw_dispute(dispute: Dispute, *, actor: User, now: datetime | None = None) -> Dispute:
    """The client withdraws the dispute they opened: the case returns to where it was (in
    progress, or delivered with its auto-completion restarted); open proposals lapse. A
    dispute the platform opened cannot be withdrawn. Raises NotFound, PermissionDenied,
    InvalidTransition."""
    now = now or utcnow()
    dispute = _lock(dispute)
    _require_party(dispute, actor, DisputeParty.client)
    if dispute.opened_by_id != actor.id:
        raise PermissionDenied(_l("The platform opened this dispute: only the resolution centre can close it."))
    _require_active(dispute)
    process.withdraw_case_dispute(dispute.case, actor=actor, now=now)
    for open_one in _open_proposals(dispute):
        open_one.status, open_one.decided_at = ProposalStatus.withdrawn, now
    DISPUTE_PROCESS.apply(dispute, "withdraw", role=CLIENT, actor=actor, locked=True, now=now)
    _tell(
        dispute.case.designer,
        dispute,
        _l("The dispute on case %(ref)s was withdrawn", ref=dispute.case.reference),
        _l("The client withdrew the dispute: the case continues where it was."),
    )
    return dispute


# -- the resolution centre ----------------------------------------------------------------------
def ruling_guard(dispute: Dispute, *, actor: User, reasoning: str, now: datetime) -> tuple[Dispute, str]:
    """What every ruling and ruling draft checks first: a resolution agent who is not a party,
    the dispute locked and active, the answer time over, a reasoning, the agent's claim.
    Returns the locked dispute and the stripped reasoning. Raises as rule_dispute."""
    if not can_rule(actor, dispute):
        raise PermissionDenied(_l("Only a resolution agent who is not a party can rule on a dispute."))
    dispute = _lock(dispute)
    _require_active(dispute)
    waiting = (
        dispute.state == DisputeState.open
        and now < dispute.answer_due_at
        and not dispute.escalated
        and dispute.opened_by_id is not None
    )
    if waiting:
        raise InvalidTransition(
            _l(
                "The designer may answer until %(date)s; rule after that.",
                date=dispute.answer_due_at.strftime("%Y-%m-%d %H:%M UTC"),
            )
        )
    reasoning = (reasoning or "").strip()
    if len(reasoning) < MIN_REASONING:
        raise DomainError(
            _l("Write the reasoning both parties will read (at least %(n)d characters).", n=MIN_REASONING),
            field="reasoning",
        )
    claims.require_claim(CLAIM_TYPE, dispute.id, actor=actor)
    return dispute, reasoning


def rule_dispute(
    dispute: Dispute,
    *,
    actor: User,
    outcome: RulingOutcome | str,
    reasoning: str,
    designer_cents: int | None = None,
    percent=None,
    approved: RulingDraft | None = None,
    now: datetime | None = None,
) -> Ruling:
    """A resolution agent rules: full refund, full payment, or a split (cents to the designer,
    or a percentage of the amount; the rest refunded), with a reasoning both parties read.
    The fee is taken only on the designer's part; the case becomes "resolved" and reviews open.

    The agent rules once the designer answered or the answer time passed, or at once on a
    dispute the platform opened or one escalated near the payment's 90-day limit. A large
    refund, or one setting aside a party's proposal, is made only by approving another agent's
    draft (`approved`, see disputes.four_eyes and disputes.ruling).
    Raises PermissionDenied (not an agent, or a party), InvalidTransition (closed, waiting
    for the answer, claimed by another agent, a draft waiting), DomainError (bad amount, short
    reasoning), SecondAgentNeeded, escrow.PaymentFailed.
    """
    now = now or utcnow()
    dispute, reasoning = ruling_guard(dispute, actor=actor, reasoning=reasoning, now=now)
    case = dispute.case
    money = ruling_money(case, outcome, designer_cents, percent)
    require_second_agent(dispute, money, actor=actor, approved=approved)
    outcome, designer_part = money.outcome, money.designer_cents
    process.resolve_case(case, actor=actor, refund_cents=money.refund_cents, note=reasoning, now=now)
    # A monthly contract's allowance case has no payment: its fee is taken on the month's payout.
    fee_cents = payment_of(case, lock=False).fee_cents if case.contract_month_id is None else 0
    ruling = Ruling(
        dispute_id=dispute.id,
        agent_id=actor.id,
        outcome=outcome,
        designer_cents=designer_part,
        refund_cents=money.refund_cents,
        fee_cents=fee_cents,
        currency=case.currency,
        reasoning=reasoning,
        ruled_at=now,
    )
    db.session.add(ruling)
    for open_one in _open_proposals(dispute):
        open_one.status, open_one.decided_at = ProposalStatus.withdrawn, now
    DISPUTE_PROCESS.apply(dispute, "rule", role=AGENT, actor=actor, locked=True, now=now, ruling=ruling)
    return ruling


# -- deadlines (applied by disputes.deadlines) --------------------------------------------------
def mark_for_ruling(dispute: Dispute, *, now: datetime) -> bool:
    """No answer by the deadline: the dispute goes to the resolution centre. Idempotent."""
    dispute = _lock(dispute)
    if dispute.state != DisputeState.open or dispute.answer_due_at > now:
        return False
    DISPUTE_PROCESS.apply(dispute, "mark_unanswered", role=PLATFORM, locked=True)
    return True


def escalate_dispute(dispute: Dispute, *, now: datetime) -> bool:
    """Nobody ruled and the payment's 90-day limit is near: flag it on the dashboard. Idempotent."""
    dispute = _lock(dispute)
    if not dispute.is_active or dispute.escalated:
        return False
    dispute.escalated, dispute.escalated_at = True, now
    db.session.flush()
    limit = rules.escrow_limit(dispute.case)
    record_action(
        "dispute.escalated",
        dispute,
        actor=None,
        after={"escrow_limit_at": limit.isoformat() if limit else None},
        reason="the payment's 90-day limit is near",
    )
    return True
