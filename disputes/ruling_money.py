"""What a ruling gives each side: one derivation for the form's preview, the draft a second
agent approves, and the money the ruling moves (payments.fees.settlement_split under it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from errors import DomainError
from models.cases import Case
from models.disputes import RulingOutcome
from payments.case_money import format_money
from payments.fees import SettlementSplit, settlement_split

HUNDRED = Decimal(100)
PERCENT_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class RulingMoney:
    outcome: RulingOutcome
    currency: str
    split: SettlementSplit
    percent: Decimal | None  # the split as a percentage of the amount, when typed so

    @property
    def refund_cents(self) -> int:
        return self.split.refund_cents

    @property
    def designer_cents(self) -> int:
        """The designer's part before the fee."""
        return self.split.designer_gross_cents

    @property
    def fee_cents(self) -> int:
        return self.split.fee_cents

    @property
    def designer_net_cents(self) -> int:
        return self.split.designer_net_cents

    @property
    def percent_hundredths(self) -> int | None:
        return None if self.percent is None else int(self.percent * 100)

    def figures(self) -> dict[str, dict]:
        """The four figures the agent previews, each in cents and as the pages write it."""
        cents = {
            "refund": self.refund_cents,
            "gross": self.designer_cents,
            "fee": self.fee_cents,
            "net": self.designer_net_cents,
        }
        return {name: {"cents": value, "text": format_money(value, self.currency)} for name, value in cents.items()}


def read_percent(value) -> Decimal:
    """A percentage from 0 to 100 with at most two decimals, as a Decimal. Raises DomainError."""
    try:
        percent = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        percent = None
    if (
        percent is None
        or not percent.is_finite()
        or not 0 <= percent <= HUNDRED
        or percent != percent.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)
    ):
        raise DomainError(
            _l("Enter a percentage from 0 to 100 with at most two decimals, like 40 or 33.33."),
            field="designer_percent",
        )
    return percent


def percent_of(amount_cents: int, percent: Decimal) -> int:
    """The designer's part for a split typed as a percentage: amount × percent / 100, rounded
    half up to the cent (33 % of $100.01 is $33.0033 → $33.00; 50 % of 1 cent is 1 cent).
    The refund is the rest, so refund + net + fee is always the captured amount."""
    return int((Decimal(amount_cents) * percent / HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ruling_money(
    case: Case, outcome: RulingOutcome | str, designer_cents: int | None = None, percent: Decimal | str | None = None
) -> RulingMoney:
    """The refund, the designer's part, the fee on it and the designer's net for a ruling on
    `case`: a full refund, full payment, or a split given as cents to the designer (before the
    fee) or as a percentage of the amount (`percent` wins when both are given).
    Raises DomainError: no outcome, a bad percentage, a split that is not a real split."""
    try:
        outcome = RulingOutcome(outcome)
    except ValueError:
        raise DomainError(_l("Choose an outcome."), field="outcome") from None
    amount = case.amount_cents
    typed_percent = None
    if outcome == RulingOutcome.refund:
        part = 0
    elif outcome == RulingOutcome.pay_designer:
        part = amount
    else:
        if percent is not None and percent != "":
            typed_percent = read_percent(percent)
            part = percent_of(amount, typed_percent)
        else:
            part = designer_cents
        if isinstance(part, bool) or not isinstance(part, int) or not 0 < part < amount:
            raise DomainError(
                _l("A split gives the designer more than nothing and less than the whole amount."),
                field="designer_amount",
            )
    return RulingMoney(
        outcome=outcome, currency=case.currency, split=settlement_split(amount, part), percent=typed_percent
    )
