"""The events a user can be notified of, grouped as Settings > Notifications shows them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# name → label; the order is the settings grid's order.
EVENTS: dict[str, object] = {
    "message_new": _l("New message"),
    "offer_new": _l("Custom offer received"),
    "offer_accepted": _l("Custom offer accepted"),
    "case_new": _l("New case request"),
    "case_accepted": _l("Case accepted"),
    "case_rejected": _l("Case rejected"),
    "case_delivered": _l("Case delivered"),
    "case_revision": _l("Revision requested"),
    "case_due_soon": _l("Case due soon"),
    "case_completed": _l("Case completed"),
    "case_disputed": _l("Case disputed"),
    "dispute_message": _l("Message in a dispute"),
    "case_cancelled": _l("Case cancelled"),
    "case_expired": _l("Case request expired"),
    "case_resolved": _l("Dispute resolved"),
    "evidence_requested": _l("Evidence requested by the resolution centre"),
    "evidence_answered": _l("Evidence request answered"),
    "review_received": _l("New review"),
    "listing_approved": _l("Listing approved"),
    "listing_rejected": _l("Listing rejected"),
    "profile_approved": _l("Profile approved"),
    "profile_rejected": _l("Profile rejected"),
    "verification_result": _l("Identity verification result"),
    "payout_sent": _l("Payout sent"),
    "community_post": _l("New post by a designer you follow"),
    "community_post_reviewed": _l("Your post reviewed by a moderator"),
    "contract_offer": _l("Monthly contract offer received"),
    "contract_update": _l("Monthly contract changed"),
    "contract_payment": _l("Monthly contract payment needs you"),
    "warning": _l("Warning from moderation"),
}

GROUPS: list[tuple[object, list[str]]] = [
    (_l("Messages"), ["message_new", "offer_new", "offer_accepted"]),
    (
        _l("Cases"),
        [
            "case_new",
            "case_accepted",
            "case_rejected",
            "case_delivered",
            "case_revision",
            "case_due_soon",
            "case_completed",
            "case_disputed",
            "dispute_message",
            "case_cancelled",
            "case_expired",
            "case_resolved",
            "evidence_requested",
            "evidence_answered",
        ],
    ),
    (_l("Reviews and payouts"), ["review_received", "payout_sent"]),
    (_l("Monthly contracts"), ["contract_offer", "contract_update", "contract_payment"]),
    (
        _l("Profile and listings"),
        ["listing_approved", "listing_rejected", "profile_approved", "profile_rejected", "verification_result"],
    ),
    (_l("Community"), ["community_post", "community_post_reviewed"]),
    (_l("Moderation"), ["warning"]),
]

# Mails for these events wait a few minutes so a burst arrives as one mail.
GROUPED_BY_MAIL = frozenset({"message_new"})

# Switches a user may not turn off: a moderation warning always reaches the inbox and the mailbox.
# A contract's month that cannot be charged (or waits for the client's confirmation) reaches both.
MANDATORY = frozenset(
    {("warning", "in_app"), ("warning", "email"), ("contract_payment", "in_app"), ("contract_payment", "email")}
)


def label(event: str) -> str:
    return str(EVENTS.get(event, event))


# How a case event (models.cases.CaseEvent.action) reads in the case thread.
CASE_ACTIONS: dict[str, object] = {
    "send": _l("sent the case"),
    "accept": _l("accepted the case"),
    "reject": _l("rejected the case"),
    "cancel": _l("cancelled the request"),
    "deliver": _l("delivered the design"),
    "request_revision": _l("asked for a revision"),
    "complete": _l("marked the transaction complete"),
    "auto_complete": _l("The case completed automatically 30 days after delivery"),
    "expire": _l("The request expired without an answer"),
    "dispute": _l("opened a dispute"),
    "resolve": _l("The resolution centre ruled on the dispute"),
    "grant_revisions": _l("granted extra revisions"),
    "cancel_undelivered": _l("cancelled the case with a full refund: nothing was delivered in time"),
    "settle": _l("accepted the settlement: the dispute is closed"),
    "withdraw_dispute": _l("withdrew the dispute"),
}


def case_action_label(action) -> str:
    name = getattr(action, "value", action)
    return str(CASE_ACTIONS.get(name, str(name).replace("_", " ")))
