"""When the resolution centre's ruling is due: one rule, read by every page that shows it.

* The agent rules DISPUTE_RULING_DAYS (14) after the designer's answer time ends.
* Each evidence request extends that by the days it gives the party to answer (requests
  running at the same time count once): the agent waits for what they asked for.
* Nothing goes past the escrow limit (rules.escrow_limit: acceptance + ESCROW_LIMIT_DAYS),
  by which the money must leave escrow (README "Escrow deadlines").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from disputes import rules
from extensions import db
from models.disputes import Dispute, EvidenceRequest

DAY = timedelta(days=1)


@dataclass(frozen=True)
class RulingDue:
    at: datetime  # when the ruling is due, extension and cap applied
    base_at: datetime  # without any evidence request
    extended_days: int  # the extension actually applied, in whole days
    requests: list[EvidenceRequest]  # the requests that extended it, oldest first
    capped: bool  # the escrow limit cut the date short

    @property
    def extended(self) -> bool:
        return self.extended_days > 0

    @property
    def request_dates(self) -> str:
        return ", ".join(sorted({r.asked_at.strftime("%Y-%m-%d") for r in self.requests}))


def ruling_due(dispute: Dispute) -> RulingDue:
    requests = list(
        db.session.scalars(
            sa.select(EvidenceRequest)
            .where(EvidenceRequest.dispute_id == dispute.id)
            .order_by(EvidenceRequest.asked_at, EvidenceRequest.id)
        )
    )
    return ruling_due_with(dispute, requests)


def ruling_due_with(dispute: Dispute, requests: list[EvidenceRequest]) -> RulingDue:
    """The same rule with the dispute's evidence requests already loaded (oldest first), for many disputes."""
    limit = rules.escrow_limit(dispute.case)
    base = dispute.answer_due_at + timedelta(days=rules.setting("DISPUTE_RULING_DAYS"))
    wanted = base + _covered(requests)
    due = min(wanted, limit) if limit is not None else wanted
    shown = max(due - base, timedelta(0))
    return RulingDue(
        at=due,
        base_at=base,
        extended_days=round(shown / DAY),
        requests=requests,
        capped=limit is not None and wanted > limit,
    )


def _covered(requests: list[EvidenceRequest]) -> timedelta:
    """The time the requests' answer windows cover, overlapping windows counted once."""
    total, end = timedelta(0), None
    for request in requests:  # sorted by asked_at
        start = request.asked_at if end is None else max(request.asked_at, end)
        if request.due_at > start:
            total += request.due_at - start
        end = request.due_at if end is None else max(end, request.due_at)
    return total
