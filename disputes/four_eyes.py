"""Rulings one agent does not make alone. A ruling that refunds more than
RULING_SECOND_AGENT_ABOVE_CENTS (default $500), or that sets aside the settlement proposal a
party has on the table (its proposer agreed to it), waits as a draft until another agent
approves it. rule_dispute asks `require_second_agent` before any money moves."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from errors import DomainError, InvalidTransition
from extensions import db
from models.accounts import User
from models.disputes import Dispute, DraftStatus, ProposalStatus, RulingDraft, SettlementProposal
from payments.case_money import format_money
from disputes.ruling_money import RulingMoney

DEFAULT_ABOVE_CENTS = 50_000
LARGE_REFUND = "large_refund"
OVERTURNS_PROPOSAL = "overturns_proposal"


class SecondAgentNeeded(DomainError):
    """The ruling needs another agent's approval; nothing moved."""


def above_cents() -> int:
    return int(current_app.config.get("RULING_SECOND_AGENT_ABOVE_CENTS", DEFAULT_ABOVE_CENTS))


def open_proposal(dispute: Dispute) -> SettlementProposal | None:
    return db.session.scalar(
        sa.select(SettlementProposal).where(
            SettlementProposal.dispute_id == dispute.id, SettlementProposal.status == ProposalStatus.open
        )
    )


def second_agent_reasons(dispute: Dispute, money: RulingMoney) -> list[str]:
    """Why this ruling needs a second agent ([] when one agent may make it)."""
    reasons = []
    if money.refund_cents > above_cents():
        reasons.append(LARGE_REFUND)
    proposal = open_proposal(dispute)
    if proposal is not None and proposal.designer_cents != money.designer_cents:
        reasons.append(OVERTURNS_PROPOSAL)
    return reasons


def reason_texts(reasons: list[str], currency: str = "usd") -> list[str]:
    texts = {
        LARGE_REFUND: _l("it refunds more than %(amount)s", amount=format_money(above_cents(), currency)),
        OVERTURNS_PROPOSAL: _l("it sets aside the settlement proposal a party has on the table"),
    }
    return [str(texts[r]) for r in reasons if r in texts]


def pending_draft(dispute: Dispute, *, lock: bool = False) -> RulingDraft | None:
    query = sa.select(RulingDraft).where(
        RulingDraft.dispute_id == dispute.id, RulingDraft.status == DraftStatus.pending
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


# Built once (the resolution centre's queue reads it on every page).
_AWAITING_SECOND_AGENT = sa.select(RulingDraft.dispute_id).where(
    RulingDraft.dispute_id.in_(sa.bindparam("dispute_ids", expanding=True)), RulingDraft.status == DraftStatus.pending
)


def disputes_awaiting_second_agent(dispute_ids: list[int]) -> set[int]:
    if not dispute_ids:
        return set()
    return set(db.session.scalars(_AWAITING_SECOND_AGENT, {"dispute_ids": list(dispute_ids)}))


def require_second_agent(
    dispute: Dispute, money: RulingMoney, *, actor: User, approved: RulingDraft | None = None
) -> None:
    """Guard of every ruling, with the dispute locked: a waiting draft is decided first, and a
    ruling that needs a second agent is made only by approving a draft someone else wrote
    with the same figures. Raises InvalidTransition or SecondAgentNeeded."""
    waiting = pending_draft(dispute, lock=True)
    if waiting is not None and (approved is None or waiting.id != approved.id):
        raise InvalidTransition(
            _l(
                "A ruling drafted by %(name)s is waiting for a second agent: approve it or send it back first.",
                name=waiting.drafted_by.display_name if waiting.drafted_by else "?",
            )
        )
    reasons = second_agent_reasons(dispute, money)
    if not reasons:
        return
    if (
        approved is None
        or approved.drafted_by_id == actor.id
        or approved.status != DraftStatus.pending
        or (approved.outcome, approved.designer_cents) != (money.outcome, money.designer_cents)
    ):
        raise SecondAgentNeeded(
            _l(
                "This ruling needs a second agent's approval because %(why)s.",
                why="; ".join(reason_texts(reasons, money.currency)),
            )
        )
