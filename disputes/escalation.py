"""Why a dispute is escalated and by when it must be ruled, read from the record.

The sweep escalates a dispute not ruled DISPUTE_ESCALATE_DAYS before the payment's hard
limit (acceptance + 90 days: the money cannot stay in escrow longer). The agent sees that
reason, the limit itself, and what brought the dispute here when the platform opened it
(nothing delivered by the undelivered limit, a party suspended), which is why so little time
is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from disputes import rules
from models.disputes import Dispute, DisputeReason


@dataclass(frozen=True)
class Escalation:
    reasons: list  # sentences, the trigger first
    hard_deadline: datetime | None
    days_left: int | None  # whole days before the hard deadline (negative once passed)


def escalation_of(dispute: Dispute, *, now: datetime) -> Escalation | None:
    """The escalation of an escalated dispute; None for any other."""
    if not dispute.escalated:
        return None
    case = dispute.case
    limit = rules.escrow_limit(case)
    reasons = [_l("Fewer than %(n)d days before the ruling is due.", n=rules.setting("DISPUTE_ESCALATE_DAYS"))]
    if dispute.opened_by_id is None and dispute.reason == DisputeReason.not_delivered and case.accepted_at:
        if case.undelivered_limit_at is not None and dispute.opened_at >= case.undelivered_limit_at:
            reasons.append(
                _l(
                    "Nothing delivered by day %(n)d after acceptance: the platform opened this dispute.",
                    n=(case.undelivered_limit_at - case.accepted_at).days,
                )
            )
    elif dispute.opened_by_id is None and dispute.reason == DisputeReason.party_suspended:
        reasons.append(_l("A party's account was suspended: the platform opened this dispute."))
    return Escalation(reasons=reasons, hard_deadline=limit, days_left=(limit - now).days if limit is not None else None)


def escalations_of(disputes, *, now: datetime) -> dict[int, Escalation]:
    """{dispute id: escalation} for the escalated ones among `disputes` (a queue page)."""
    return {d.id: e for d in disputes if (e := escalation_of(d, now=now)) is not None}
