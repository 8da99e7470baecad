"""Ruling as the resolution centre does it: one agent submits; a ruling that needs a second
agent (disputes.four_eyes) is kept as a draft that another agent approves (the ruling is made
and the money moves, through operations.rule_dispute) or sends back with a note, and that its
author may withdraw. Each step is audited. Operations flush; the caller commits once."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from audit.trail import record_action
from disputes import operations
from disputes.four_eyes import pending_draft, second_agent_reasons
from disputes.permissions import can_rule
from disputes.ruling_money import ruling_money
from errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import db
from models.accounts import User
from models.disputes import Dispute, DraftStatus, Ruling, RulingDraft
from models.types import utcnow
from moderation import claims


def _figures(draft: RulingDraft) -> dict:
    return {
        "outcome": draft.outcome.value,
        "designer_cents": draft.designer_cents,
        "refund_cents": draft.refund_cents,
        "fee_cents": draft.fee_cents,
        "percent_hundredths": draft.percent_hundredths,
    }


def submit_ruling(
    dispute: Dispute,
    *,
    actor: User,
    outcome: str,
    reasoning: str,
    designer_cents: int | None = None,
    percent: Decimal | str | None = None,
    now: datetime | None = None,
) -> Ruling | RulingDraft:
    """The agent's "Rule": the ruling is made and the money moves at once, or, when it needs a
    second agent, it is kept as a draft for one (no money moves). Raises as rule_dispute."""
    now = now or utcnow()
    dispute, reasoning = operations.ruling_guard(dispute, actor=actor, reasoning=reasoning, now=now)
    money = ruling_money(dispute.case, outcome, designer_cents, percent)
    reasons = second_agent_reasons(dispute, money)
    if not reasons:
        return operations.rule_dispute(
            dispute,
            actor=actor,
            outcome=money.outcome,
            reasoning=reasoning,
            designer_cents=money.designer_cents,
            now=now,
        )
    waiting = pending_draft(dispute, lock=True)
    if waiting is not None:
        raise InvalidTransition(
            _l(
                "A ruling drafted by %(name)s is waiting for a second agent: approve it or send it back first.",
                name=waiting.drafted_by.display_name if waiting.drafted_by else "?",
            )
        )
    draft = RulingDraft(
        dispute_id=dispute.id,
        drafted_by_id=actor.id,
        outcome=money.outcome,
        designer_cents=money.designer_cents,
        refund_cents=money.refund_cents,
        fee_cents=money.fee_cents,
        currency=money.currency,
        percent_hundredths=money.percent_hundredths,
        reasoning=reasoning,
        reasons=reasons,
        created_at=now,
    )
    db.session.add(draft)
    # The author hands the dispute over: a second agent claims it to approve.
    claims.release_item(operations.CLAIM_TYPE, dispute.id, actor=actor)
    db.session.flush()
    record_action(
        "dispute.ruling_drafted", dispute, actor=actor, after={**_figures(draft), "reasons": reasons}, reason=reasoning
    )
    return draft


def _locked_draft(dispute: Dispute, draft_id: int, actor: User) -> tuple[Dispute, RulingDraft]:
    """The dispute then the draft, locked (the order every ruling locks in)."""
    if not can_rule(actor, dispute):
        raise NotFound(_l("This dispute does not exist."))
    dispute = operations.lock_dispute(dispute)
    draft = db.session.execute(
        sa.select(RulingDraft)
        .where(RulingDraft.id == draft_id, RulingDraft.dispute_id == dispute.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if draft is None:
        raise NotFound(_l("This draft does not exist."))
    if draft.status != DraftStatus.pending:
        raise InvalidTransition(_l("This draft was already decided."))
    return dispute, draft


def approve_draft(dispute: Dispute, draft_id: int, *, actor: User, now: datetime | None = None) -> Ruling:
    """A second agent approves another agent's draft: the ruling is made with its figures and
    reasoning, and the money moves once. Raises PermissionDenied (its author), InvalidTransition
    (decided, dispute closed, claimed by a third agent), and as rule_dispute."""
    now = now or utcnow()
    dispute, draft = _locked_draft(dispute, draft_id, actor)
    if draft.drafted_by_id == actor.id:
        raise PermissionDenied(_l("A second agent approves this ruling, not its author."))
    if draft.drafted_by is not None:  # the author's claim, if they came back to the page, yields to the approver
        claims.release_item(operations.CLAIM_TYPE, dispute.id, actor=draft.drafted_by)
    ruling = operations.rule_dispute(
        dispute,
        actor=actor,
        outcome=draft.outcome,
        reasoning=draft.reasoning,
        designer_cents=draft.designer_cents,
        approved=draft,
        now=now,
    )
    draft.status, draft.decided_by_id, draft.decided_at = DraftStatus.approved, actor.id, now
    db.session.flush()
    record_action(
        "dispute.ruling_approved",
        dispute,
        actor=actor,
        after={**_figures(draft), "draft": draft.id, "drafted_by": draft.drafted_by_id},
    )
    return ruling


def send_back_draft(
    dispute: Dispute, draft_id: int, *, actor: User, note: str, now: datetime | None = None
) -> RulingDraft:
    """A second agent sends a draft back to its author with a note; nothing moves.
    Raises PermissionDenied (its author: they withdraw it), DomainError (no note)."""
    now = now or utcnow()
    dispute, draft = _locked_draft(dispute, draft_id, actor)
    if draft.drafted_by_id == actor.id:
        raise PermissionDenied(_l("A second agent sends this ruling back, not its author: withdraw it instead."))
    note = (note or "").strip()
    if len(note) < 10:
        raise DomainError(_l("Tell the author why you send it back (at least 10 characters)."), field="note")
    draft.status, draft.decided_by_id, draft.decided_at, draft.decision_note = (
        DraftStatus.sent_back,
        actor.id,
        now,
        note,
    )
    claims.release_item(operations.CLAIM_TYPE, dispute.id, actor=actor)  # back to its author
    db.session.flush()
    record_action("dispute.ruling_sent_back", dispute, actor=actor, after={"draft": draft.id}, reason=note)
    return draft


def withdraw_draft(dispute: Dispute, draft_id: int, *, actor: User, now: datetime | None = None) -> RulingDraft:
    """The author takes their draft back; nothing moves. Raises PermissionDenied (anyone else)."""
    now = now or utcnow()
    dispute, draft = _locked_draft(dispute, draft_id, actor)
    if draft.drafted_by_id != actor.id:
        raise PermissionDenied(_l("Only the agent who drafted this ruling can withdraw it."))
    draft.status, draft.decided_by_id, draft.decided_at = DraftStatus.withdrawn, actor.id, now
    db.session.flush()
    record_action("dispute.ruling_draft_withdrawn", dispute, actor=actor, after={"draft": draft.id})
    return draft


def last_sent_back(dispute: Dispute) -> RulingDraft | None:
    """The latest draft a second agent sent back, for its note on the form."""
    return db.session.scalar(
        sa.select(RulingDraft)
        .where(RulingDraft.dispute_id == dispute.id, RulingDraft.status == DraftStatus.sent_back)
        .order_by(RulingDraft.id.desc())
        .limit(1)
    )
