"""Case deadlines: stored on the case, applied by the minute sweep (cases/sweeps.py,
registered in registrations.py).

The rule that keeps escrow inside Stripe's limits. A card hold lasts about 7 days, and a
platform outside the US may keep captured money at most 90 days. So, counting from the
designer's acceptance (the capture):

* A request not accepted within ACCEPT_WITHIN_DAYS (5) expires; its hold is released.
* Accepted, nothing delivered after DELIVERY_GRACE_DAYS (21): the client may cancel with
  a full refund.
* Not in "delivered" UNDELIVERED_LIMIT_DAYS (45) after acceptance (never delivered, or a
  revision still waiting): the platform opens a dispute and the resolution centre decides
  (disputes.deadlines.escalate_undelivered: disputes build on cases).
  From that day on no new revision can be requested either.
* A delivered case completes automatically AUTO_COMPLETE_DAYS (30) after the last delivery,
  but never later than ESCROW_RELEASE_DAYS (75) after acceptance: the designer is paid.
* A disputed case shows `escrow_limit_at` (acceptance + 90 days): the date by which the
  resolution centre must have ruled (refund, pay, or split).

The promised delivery (`due_at`) is the listing's turnaround in business days (Monday to
Friday) counted from acceptance, at the time of day of the acceptance; both sides see it with a
countdown, a case past it without a delivery is late, and the designer is reminded
DUE_REMINDER_HOURS (24) before it (or half-way through a shorter turnaround).

Every captured payment therefore leaves escrow by day 75, or by the ruling of a dispute
opened at the latest on day 45. Each sweep re-checks the state under the case's row lock,
so running it twice, or while a user acts on the same case, changes nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from models.cases import Case

DEFAULTS = {
    "ACCEPT_WITHIN_DAYS": 5,
    "AUTO_COMPLETE_DAYS": 30,
    "DELIVERY_GRACE_DAYS": 21,
    "UNDELIVERED_LIMIT_DAYS": 45,
    "ESCROW_RELEASE_DAYS": 75,
    "ESCROW_LIMIT_DAYS": 90,
    "DUE_REMINDER_HOURS": 24,
}


def _days(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def undelivered_limit_days() -> int:
    return _days("UNDELIVERED_LIMIT_DAYS")


def delivery_grace_days() -> int:
    return _days("DELIVERY_GRACE_DAYS")


def accept_by(sent_at: datetime) -> datetime:
    return sent_at + timedelta(days=_days("ACCEPT_WITHIN_DAYS"))


def late_cancel_from(accepted_at: datetime) -> datetime:
    return accepted_at + timedelta(days=_days("DELIVERY_GRACE_DAYS"))


def undelivered_limit_at(accepted_at: datetime) -> datetime:
    return accepted_at + timedelta(days=_days("UNDELIVERED_LIMIT_DAYS"))


def escrow_limit_at(accepted_at: datetime) -> datetime:
    return accepted_at + timedelta(days=_days("ESCROW_LIMIT_DAYS"))


def auto_complete_at(case: Case, delivered_at: datetime) -> datetime:
    """30 days after this delivery, capped so the money leaves escrow by ESCROW_RELEASE_DAYS."""
    due = delivered_at + timedelta(days=_days("AUTO_COMPLETE_DAYS"))
    if case.accepted_at is not None:
        due = min(due, case.accepted_at + timedelta(days=_days("ESCROW_RELEASE_DAYS")))
    return due


def due_at(accepted_at: datetime, turnaround_days: int) -> datetime:
    """`turnaround_days` business days after `accepted_at`: Saturdays and Sundays are not counted
    (an acceptance on a Friday with one day's turnaround is due on Monday, same time)."""
    due, left = accepted_at, max(0, turnaround_days)
    while left:
        due += timedelta(days=1)
        if due.weekday() < 5:
            left -= 1
    return due


def due_reminder_at(accepted_at: datetime, due: datetime) -> datetime:
    """DUE_REMINDER_HOURS before the due date, but never in the first half of the turnaround (a
    one-day case is not reminded the minute it is accepted)."""
    reminder = due - timedelta(hours=int(current_app.config.get("DUE_REMINDER_HOURS", DEFAULTS["DUE_REMINDER_HOURS"])))
    return max(reminder, accepted_at + (due - accepted_at) / 2)
