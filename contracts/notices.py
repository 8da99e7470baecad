"""The notifications of a contract's steps and of its months' money.

Written in the step's unit of work; mail and push leave after the commit (messaging.notify).
Payment notices cannot be switched off (messaging.events.MANDATORY): a card that needs the
client's confirmation, or a month that could not be charged, must reach both sides.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from messaging.notify import notify
from models.contracts import Contract, ContractMonth
from payments.case_money import format_money

CONTRACT_PATH = "/contracts/{reference}"

# The event of each step, and its title (built per recipient, in their language).
_STEPS = {
    "offer": ("contract_offer", _l("New monthly contract offer %(ref)s: %(title)s")),
    "accept": ("contract_update", _l("Contract %(ref)s was accepted")),
    "decline": ("contract_update", _l("Contract offer %(ref)s was declined")),
    "withdraw": ("contract_update", _l("Contract offer %(ref)s was withdrawn")),
    "expire": ("contract_update", _l("Contract offer %(ref)s expired")),
    "pause": ("contract_update", _l("Contract %(ref)s is paused")),
    "resume": ("contract_update", _l("Contract %(ref)s is running again")),
    "give_notice": ("contract_update", _l("Notice was given on contract %(ref)s")),
    "renew": ("contract_update", _l("Contract %(ref)s renewed for another term")),
    "cancel": ("contract_update", _l("Contract %(ref)s was cancelled")),
    "end": ("contract_update", _l("Contract %(ref)s has ended")),
}


def _url(contract: Contract) -> str:
    return CONTRACT_PATH.format(reference=contract.reference)


def announce(contract: Contract, action: str, role: str) -> None:
    """Tell the other side of a step, or both when the platform took it."""
    event, title = _STEPS[action]
    if role == "client":
        recipients = [contract.designer]
    elif role == "designer":
        recipients = [contract.client]
    else:
        recipients = [contract.client, contract.designer]
    for user in recipients:
        notify(
            user,
            event,
            title=LazyString(lambda t=title: str(t) % {"ref": contract.reference, "title": contract.title}),
            body=_l("Open the contract to see its months, cases and payments."),
            url=_url(contract),
        )


def confirm_payment(month: ContractMonth, link: str) -> None:
    """The client's bank asked them to confirm the month's charge: e-mail the link."""
    contract = month.contract
    notify(
        contract.client,
        "contract_payment",
        title=LazyString(
            lambda: _("Confirm the payment of month %(n)s of contract %(ref)s", n=month.number, ref=contract.reference)
        ),
        body=LazyString(
            lambda: _(
                "Your bank asks you to confirm the charge of %(amount)s. New cases wait until it is confirmed: %(link)s",
                amount=format_money(month.amount_cents, month.currency),
                link=link,
            )
        ),
        url=_url(contract),
    )


def payment_failed(month: ContractMonth) -> None:
    """A month could not be charged: both sides, since new cases stop until it is paid."""
    contract = month.contract
    for user in (contract.client, contract.designer):
        notify(
            user,
            "contract_payment",
            title=LazyString(
                lambda: _(
                    "Month %(n)s of contract %(ref)s could not be charged", n=month.number, ref=contract.reference
                )
            ),
            body=_l(
                "No new cases can be sent under the contract until the month is paid. The client can update "
                "the card and pay on the contract page; without payment the contract is cancelled."
            ),
            url=_url(contract),
        )


def month_paid_out(month: ContractMonth, net_cents: int) -> None:
    contract = month.contract
    notify(
        contract.designer,
        "payout_sent",
        title=LazyString(
            lambda: _(
                "Payout sent: %(amount)s for month %(n)s of contract %(ref)s",
                amount=format_money(net_cents, month.currency),
                n=month.number,
                ref=contract.reference,
            )
        ),
        body=_l("It reaches your bank account within 7 days. Your payouts are listed on your home page."),
        url=_url(contract),
    )


def month_held(month: ContractMonth) -> None:
    contract = month.contract
    for user in (contract.client, contract.designer):
        notify(
            user,
            "contract_update",
            title=LazyString(
                lambda: _(
                    "The payout of month %(n)s of contract %(ref)s waits for a dispute",
                    n=month.number,
                    ref=contract.reference,
                )
            ),
            body=_l("It is paid once the resolution centre has ruled on the disputed case of that month."),
            url=_url(contract),
        )
