"""What accepting a settlement proposal gives each side, shown to the party before they accept.

The figures come from payments.fees.settlement_split, the division escrow.settle moves when
the proposal is accepted (disputes.operations.accept_settlement → cases.process.settle_case),
so the confirmation shows exactly what will be paid.
"""

from __future__ import annotations

from disputes.permissions import party_of
from models.accounts import User
from models.disputes import ProposalStatus, SettlementProposal
from payments.fees import SettlementSplit, settlement_split


def proposal_split(proposal: SettlementProposal) -> SettlementSplit:
    """The refund to the client, and the designer's gross, fee and net, if this proposal is accepted."""
    return settlement_split(proposal.dispute.case.amount_cents, proposal.designer_cents)


def may_accept(proposal: SettlementProposal, actor: User) -> bool:
    """Whether `actor` is offered the confirmation: the other party, the proposal still on the
    table. accept_settlement checks the same again under the lock."""
    dispute = proposal.dispute
    return (
        dispute.is_active
        and proposal.status == ProposalStatus.open
        and proposal.proposer_id != actor.id
        and party_of(dispute.case, actor) is not None
    )
