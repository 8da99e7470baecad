"""What a case's money is, for every page, export, invoice and mail that shows it.

One derivation: `case_money(case)`, or `case_money_of(cases)` for a list (one query).
Money that moved is read from the ledger lines of the case's journals (client → escrow on
capture; escrow → client, designer and platform on settlement); a hold on the card is the
gateway's side, since the ledger records no hold. Until the money is settled the designer's
figures are what the fee rule gives on the price, marked `expected` (and `paying_out` once the
case is completed and its payout waits for the gateway's confirmation: payments.escrow.pay_out);
while the case is disputed they wait for the ruling. Nothing here reads a fee stored beside the case: what
the ledger moved is what was paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Iterable

import sqlalchemy as sa
from babel.numbers import format_currency
from flask_babel import get_locale

from extensions import read_rows
from models.cases import Case, CaseState
from models.ledger import Entry, Journal, Payment, PaymentStatus
from payments.fees import platform_fee
from payments.ledger import ESCROW, PLATFORM_FEES, client_account, designer_account


@dataclass(frozen=True)
class CaseMoney:
    currency: str
    price_cents: int  # agreed at order time: what the client pays
    held_cents: int  # authorised on the client's card, not captured yet
    captured_cents: int  # taken from the card into escrow
    refunded_cents: int  # given back to the client
    designer_gross_cents: int  # the designer's part before the fee
    fee_cents: int  # the platform's fee, taken on the designer's part only
    designer_net_cents: int  # the designer's part after the fee
    paid_out_cents: int  # transferred to the designer
    in_escrow_cents: int  # captured and not settled yet
    expected: bool  # the designer's figures are what completion will give; nothing moved yet
    awaiting_ruling: bool  # disputed: the designer's figures depend on the ruling
    paying_out: bool  # completed, its payout asked of the gateway and not confirmed yet: on its way

    @property
    def charged_cents(self) -> int:
        """What the client paid in the end (a hold is not a charge)."""
        return self.captured_cents - self.refunded_cents

    @property
    def settled(self) -> bool:
        """The money left escrow: paid, refunded or split. Not while disputed: a card dispute may
        have taken it out of escrow, but nothing is settled until the ruling."""
        return self.captured_cents > 0 and self.in_escrow_cents == 0 and not self.awaiting_ruling


def case_money(case: Case) -> CaseMoney:
    """The money of one case, derived from its ledger lines and its hold."""
    return case_money_of([case])[case.id]


# The ledger lines and the holds of some cases in one round trip (a hold is a line without an
# account), built once: building a statement costs more than running it, and every case page asks.
_LINES_AND_HOLDS = sa.union_all(
    sa.select(Journal.case_id, Entry.account, Entry.amount_cents)
    .join(Entry, Entry.journal_id == Journal.id)
    .where(Journal.case_id.in_(sa.bindparam("case_ids", expanding=True))),
    sa.select(Payment.case_id, sa.null().cast(sa.String), sa.literal(0, sa.BigInteger)).where(
        Payment.case_id.in_(sa.bindparam("case_ids", expanding=True)), Payment.status == PaymentStatus.held
    ),
)


def case_money_of(cases: Iterable[Case]) -> dict[int, CaseMoney]:
    """{case id: CaseMoney} for many cases at once (lists, exports, totals)."""
    cases = list(cases)
    ids = [case.id for case in cases]
    lines: dict[int, list[tuple[str, int]]] = {case_id: [] for case_id in ids}
    held: set[int] = set()
    if ids:
        for case_id, account, cents in read_rows(_LINES_AND_HOLDS, {"case_ids": ids}):
            if account is None:
                held.add(case_id)
            else:
                lines[case_id].append((account, cents))
    return {case.id: _derive(case, lines[case.id], case.id in held) for case in cases}


def _derive(case: Case, lines: list[tuple[str, int]], held: bool) -> CaseMoney:
    def total(account: str, sign: int = 0) -> int:
        return sum(cents for acct, cents in lines if acct == account and (sign == 0 or cents * sign > 0))

    client = client_account(case.client_id)
    captured, refunded = -total(client, -1), total(client, +1)
    paid_out, fee, in_escrow = total(designer_account(case.designer_id)), total(PLATFORM_FEES), total(ESCROW)
    held_cents = case.amount_cents if held else 0
    awaiting_ruling = case.state == CaseState.disputed
    expected = bool(held_cents or in_escrow) and not awaiting_ruling
    paying_out = case.state == CaseState.completed and in_escrow > 0
    if expected:
        fee = platform_fee(case.amount_cents)
        gross = case.amount_cents
    elif awaiting_ruling:
        gross = fee = 0
    else:
        gross = paid_out + fee
    return CaseMoney(
        currency=case.currency,
        price_cents=case.amount_cents,
        held_cents=held_cents,
        captured_cents=captured,
        refunded_cents=refunded,
        designer_gross_cents=gross,
        fee_cents=fee,
        designer_net_cents=gross - fee,
        paid_out_cents=paid_out,
        in_escrow_cents=in_escrow,
        expected=expected,
        awaiting_ruling=awaiting_ruling,
        paying_out=paying_out,
    )


def format_money(cents: int, currency: str = "usd", locale: str | None = None) -> str:
    """An amount in the reader's language and conventions ($12.71, 12,71 $US): every amount a
    page, mail, message or document shows goes through here (templates: the `money` filter).
    `locale` fixes the language for a document that has one of its own (the invoice)."""
    return _written_amount(cents, currency, locale or get_locale() or "en")


@lru_cache(maxsize=4096)
def _written_amount(cents: int, currency: str, locale) -> str:
    """The text of an amount in a language (a babel Locale or its name), kept: formatting one is a
    hundred-odd Python calls, and pages show the same prices and totals again on every view."""
    return format_currency(Decimal(cents) / 100, currency.upper(), locale=locale)
