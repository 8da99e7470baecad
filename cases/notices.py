"""Where the case process meets messaging: the case thread and the notifications of each step.

The in-app notification rows are written in the transition's unit of work; mail and push
leave only after the commit (messaging.notify schedules them), so a refused or rolled-back
action tells no one anything.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from messaging.notify import notify
from messaging.threads import open_case_thread
from models.cases import Case, CaseEvent
from payments.case_money import CaseMoney, case_money, format_money

CASE_PATH = "/cases/{reference}"
# Notices after which money left escrow: their mail says how much, to whom (from the ledger).
_MONEY_NOTICES = ("case_completed", "case_resolved", "case_cancelled")

# Built per recipient so each reads it in their own language.
_TITLES = {
    "case_new": lambda ref, title: _l("New case request %(ref)s: %(title)s", ref=ref, title=title),
    "case_accepted": lambda ref, title: _l("Your case %(ref)s was accepted", ref=ref, title=title),
    "case_rejected": lambda ref, title: _l("Your case %(ref)s was rejected", ref=ref, title=title),
    "case_delivered": lambda ref, title: _l("Case %(ref)s was delivered", ref=ref, title=title),
    "case_revision": lambda ref, title: _l("A revision was requested on case %(ref)s", ref=ref, title=title),
    "case_completed": lambda ref, title: _l("Case %(ref)s is complete", ref=ref, title=title),
    "case_disputed": lambda ref, title: _l("Case %(ref)s is disputed", ref=ref, title=title),
    "case_cancelled": lambda ref, title: _l("Case %(ref)s was cancelled", ref=ref, title=title),
    "case_expired": lambda ref, title: _l("Case request %(ref)s expired", ref=ref, title=title),
    "case_resolved": lambda ref, title: _l("The dispute on case %(ref)s was resolved", ref=ref, title=title),
    "review_received": lambda ref, title: _l("You received a review on case %(ref)s", ref=ref, title=title),
    "case_due_soon": lambda ref, title: _l("Case %(ref)s is due soon", ref=ref, title=title),
}

_BODIES = {
    "case_new": _l("Accept or reject it within the acceptance time; the amount is held on the client's card."),
    "case_accepted": _l("The designer is working on it. The payment is now in escrow."),
    "case_rejected": _l("The hold on your card was released: nothing was charged."),
    "case_delivered": _l("Check the design, then mark the transaction complete or ask for a revision."),
    "case_revision": _l("Read the client's request in the case and deliver again."),
    "case_completed": _l("The payment is released to the designer, minus the platform fee."),
    "case_disputed": _l("The transaction is stopped: nothing is paid out until the resolution centre rules."),
    "case_cancelled": _l("Any hold was released, or the payment refunded to the client."),
    "case_expired": _l("The request was not accepted in time; the hold on the card was released."),
    "case_resolved": _l("The resolution centre ruled; the money moved as decided."),
    "review_received": _l("Read it on the case page."),
}


def case_url(case: Case) -> str:
    return CASE_PATH.format(reference=case.reference)


def announce(case: Case, action: str, event: CaseEvent, notice: str | None, *, actor_role: str) -> None:
    """Tell the parties about a transition: the other side, or both when the platform acted."""
    if action == "send":
        open_case_thread(case)
    if notice is None:
        return
    if actor_role == "client":
        recipients = [case.designer]
    elif actor_role == "designer":
        recipients = [case.client]
    else:
        recipients = [case.client, case.designer]
    for user in recipients:
        _notify(user, notice, case)


def review_received(case: Case, subject) -> None:
    _notify(subject, "review_received", case)


def due_soon(case: Case) -> None:
    """Remind the designer of the promised delivery (the client sees the countdown on the case)."""
    when = case.due_at
    body = LazyString(
        lambda: _(
            "Deliver by %(date)s UTC, as the listing's turnaround promised.", date=when.strftime("%Y-%m-%d %H:%M")
        )
    )
    notify(
        case.designer,
        "case_due_soon",
        title=_TITLES["case_due_soon"](case.reference, case.listing_title),
        body=body,
        url=case_url(case),
        case_id=case.id,
    )


def _notify(user, notice: str, case: Case) -> None:
    body = _BODIES[notice]
    if notice in _MONEY_NOTICES:
        money, as_designer = case_money(case), user.id == case.designer_id
        # Lazy: the amounts are written in the recipient's language, as notify renders the body.
        body = LazyString(lambda: " ".join(filter(None, (str(_BODIES[notice]), _money_line(money, as_designer)))))
    notify(
        user,
        notice,
        title=_TITLES[notice](case.reference, case.listing_title),
        body=body,
        url=case_url(case),
        case_id=case.id,
    )


def _money_line(money: CaseMoney, as_designer: bool) -> str | None:
    """What the money that left escrow means for this reader, or None when none moved."""
    if not money.settled:
        return None
    if as_designer:
        return _(
            "You receive %(net)s: %(gross)s minus the platform fee of %(fee)s.",
            net=format_money(money.designer_net_cents, money.currency),
            gross=format_money(money.designer_gross_cents, money.currency),
            fee=format_money(money.fee_cents, money.currency),
        )
    if money.refunded_cents:
        return _("%(amount)s was refunded to your card.", amount=format_money(money.refunded_cents, money.currency))
    return _("%(amount)s was paid to the designer.", amount=format_money(money.charged_cents, money.currency))
