"""The dispute reasons a client chooses from, the deadlines' settings, and how states read."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from models.cases import Case
from models.disputes import Dispute, DisputeReason, DisputeState, RulingOutcome

# What the client may choose; "party suspended" is the platform's own reason.
REASON_LABELS = {
    DisputeReason.not_delivered: _l("The design was not delivered"),
    DisputeReason.not_per_prescription: _l("The design does not follow the prescription"),
    DisputeReason.poor_quality: _l("The design is of poor quality"),
    DisputeReason.revisions_refused: _l("The designer refused the revisions included"),
    DisputeReason.other: _l("Another reason (explained in the statement)"),
    DisputeReason.party_suspended: _l("A party's account was suspended (opened by the platform)"),
    DisputeReason.card_dispute: _l("Card dispute: the cardholder disputed the payment with their bank"),
}
PLATFORM_REASONS = (DisputeReason.party_suspended, DisputeReason.card_dispute)
CLIENT_REASONS = [r for r in DisputeReason if r not in PLATFORM_REASONS]

STATE_LABELS = {
    DisputeState.open: _l("Waiting for the designer's answer"),
    DisputeState.awaiting_ruling: _l("With the resolution centre"),
    DisputeState.settled: _l("Settled by agreement"),
    DisputeState.withdrawn: _l("Withdrawn by the client"),
    DisputeState.ruled: _l("Ruled by the resolution centre"),
}

OUTCOME_LABELS = {
    RulingOutcome.refund: _l("Full refund to the client"),
    RulingOutcome.pay_designer: _l("Full payment to the designer"),
    RulingOutcome.split: _l("Split between the client and the designer"),
}

DEFAULTS = {
    "DISPUTE_ANSWER_DAYS": 5,  # the designer answers within this many days
    "DISPUTE_ESCALATE_DAYS": 10,  # escalate when fewer days than this remain before Stripe's limit
    "DISPUTE_RULING_DAYS": 14,  # the agent rules this many days after the answer time ends
    "ESCROW_LIMIT_DAYS": 90,  # how long a captured payment may stay with the platform
}


def setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def answer_due_at(opened_at: datetime) -> datetime:
    return opened_at + timedelta(days=setting("DISPUTE_ANSWER_DAYS"))


def queue_due_at(dispute: Dispute, case: Case) -> datetime:
    """When an active dispute is due in the resolution centre's queue order: the answer date while
    open, then the ruling date (the answer date plus DISPUTE_RULING_DAYS), never past the escrow
    limit. Evidence requests are left out of the order (the page shows each exact due time)."""
    if dispute.state == DisputeState.open:
        return dispute.answer_due_at
    ruling = dispute.answer_due_at + timedelta(days=setting("DISPUTE_RULING_DAYS"))
    limit = escrow_limit(case)
    return min(ruling, limit) if limit is not None else ruling


def escrow_limit(case: Case) -> datetime | None:
    """By when the money must leave escrow: the case's own limit, else 90 days after capture."""
    if case.escrow_limit_at is not None:
        return case.escrow_limit_at
    if case.accepted_at is not None:
        return case.accepted_at + timedelta(days=setting("ESCROW_LIMIT_DAYS"))
    return None


def reason_label(reason: DisputeReason) -> str:
    return str(REASON_LABELS[reason])


def reason_note(reason: DisputeReason) -> str:
    """The reason as the case event keeps it: in English, whoever opened it and from where."""
    with force_locale("en"):
        return str(REASON_LABELS[reason])


# Words by which a dispute reason written as free text (a case event's note) is recognised.
_REASON_WORDS = [
    (DisputeReason.party_suspended, ("suspend",)),
    (DisputeReason.card_dispute, ("card dispute", "chargeback")),
    (DisputeReason.not_delivered, ("not delivered", "not_delivered", "never delivered", "undelivered")),
    (DisputeReason.not_per_prescription, ("prescription",)),
    (DisputeReason.poor_quality, ("quality",)),
    (DisputeReason.revisions_refused, ("revision",)),
]


def reason_from_text(text: str | None) -> DisputeReason:
    """The reason of a dispute opened by another path, from the case event's note."""
    text = (text or "").lower()
    for reason, words in _REASON_WORDS:
        if any(word in text for word in words):
            return reason
    return DisputeReason.other
