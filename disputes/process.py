"""The dispute process: its table, its locks, and the one Process that moves a dispute.

    open            → awaiting_ruling   the designer answers, or the answer time passes
    awaiting_ruling → awaiting_ruling   a late answer, taken while no one has ruled
    open | awaiting_ruling → settled    a party accepts the other's proposal
                           → withdrawn  the client withdraws the dispute they opened
                           → ruled      a resolution agent rules

The verbs are disputes.operations: each checks its own input (a statement, a proposal, the
ruling's money), moves the case through cases.process, then the dispute through here.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from disputes import rules
from errors import NotFound
from extensions import db
from models.cases import Case
from models.disputes import Dispute, DisputeState
from moderation import claims
from audit.trail import record_action
from transitions import Move, Process, Table, step

S = DisputeState
CLIENT, DESIGNER, AGENT, PLATFORM = "client", "designer", "agent", "platform"
CLAIM_TYPE = "dispute"

# (state, action)                         → next state         who may
TRANSITIONS = Table(
    {
        (S.open, "answer"): step(S.awaiting_ruling, DESIGNER),
        (S.awaiting_ruling, "answer"): step(S.awaiting_ruling, DESIGNER),
        (S.open, "mark_unanswered"): step(S.awaiting_ruling, PLATFORM),
        (S.open, "settle"): step(S.settled, "client designer"),
        (S.awaiting_ruling, "settle"): step(S.settled, "client designer"),
        (S.open, "withdraw"): step(S.withdrawn, CLIENT),
        (S.awaiting_ruling, "withdraw"): step(S.withdrawn, CLIENT),
        (S.open, "rule"): step(S.ruled, AGENT),
        (S.awaiting_ruling, "rule"): step(S.ruled, AGENT),
    }
)


# -- locks: the case, then the dispute ---------------------------------------------------------
def lock_case(case_id: int) -> Case:
    case = db.session.execute(
        sa.select(Case).where(Case.id == case_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if case is None:
        raise NotFound(_l("This dispute does not exist."))
    return case


def lock_dispute(dispute: Dispute) -> Dispute:
    lock_case(dispute.case_id)
    # populate_existing: a dispute moved by a racing transaction is read as committed.
    return db.session.execute(
        sa.select(Dispute).where(Dispute.id == dispute.id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


# -- what each move writes ----------------------------------------------------------------------
def _answered(dispute: Dispute, *, statement: str, now: datetime, **_params) -> None:
    dispute.designer_answer, dispute.answered_at = statement, now


def _closed(dispute: Dispute, *, now: datetime, **_params) -> None:
    dispute.closed_at = now


def _announce(move: Move) -> None:
    """An active dispute's place in the queue follows its state; a closed dispute leaves the agents'
    claims; the platform's and the agents' moves are audited."""
    dispute = move.obj
    if dispute.is_active:
        dispute.queue_due_at = rules.queue_due_at(dispute, dispute.case)
    if move.after in (S.settled, S.withdrawn, S.ruled):
        claims.release_item(CLAIM_TYPE, dispute.id)
        db.session.flush()
    if move.action == "mark_unanswered":
        record_action(
            "dispute.unanswered",
            dispute,
            actor=None,
            before={"state": move.before.value},
            after={"state": move.after.value},
            reason="no answer by the deadline",
        )
    elif move.action == "rule":
        ruling = move.params["ruling"]
        record_action(
            "dispute.ruled",
            dispute,
            actor=move.actor,
            before={"state": move.before.value},
            after={
                "outcome": ruling.outcome.value,
                "designer_cents": ruling.designer_cents,
                "refund_cents": ruling.refund_cents,
                "fee_cents": ruling.fee_cents,
            },
            reason=ruling.reasoning,
        )


DISPUTE_PROCESS = Process(
    "dispute",
    TRANSITIONS,
    lock=lock_dispute,
    event=_announce,
    refused=lambda dispute, _action: _l("This dispute is closed: %(state)s.", state=rules.STATE_LABELS[dispute.state]),
    denied=_l("You cannot do this on this dispute."),
    fields={"answer": _answered, "settle": _closed, "withdraw": _closed, "rule": _closed},
)
