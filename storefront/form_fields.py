"""Form fields and checks shared by every form of the web layer (storefront and back office).

`MoneyField` is the one way a person types an amount: prices, search bounds, settlement
proposals, rulings (`PercentField` the one way to type a percentage, for a ruling's split). It reads dollars and cents written plainly ("12", "12.50") and
hands the form integer cents, so nothing downstream ever sees a float, a NaN, an infinity or
a third decimal that would be silently cut off ($1.005 is refused, not turned into $1.00).
"""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import gettext as _
from wtforms import Field
from wtforms.validators import StopValidation
from wtforms.widgets import NumberInput

from payments.case_money import format_money

# Digits, then at most a decimal point and digits: no sign, exponent, NaN or Infinity. A comma
# is refused rather than guessed at: "1,000" is a thousand to some and one to others.
_AMOUNT = re.compile(r"(\d+)(?:\.(\d+))?")
_CENT = Decimal("0.01")
# Far above any price on the platform, far below what the database's amount columns hold.
MAX_CENTS = 100_000_000


class MoneyField(Field):
    """An amount in dollars as typed; `.data` is integer cents, or None when left empty.

    Refused with a message: anything but a plain non-negative number, more than two decimals,
    and amounts outside `min_cents`..`max_cents`. Messages are translated when the form is
    read (inside the request), so they are plain strings like WTForms' own.
    """

    widget = NumberInput(step="0.01", min="0")

    def __init__(self, label=None, validators=None, *, min_cents: int = 0, max_cents: int = MAX_CENTS, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.min_cents, self.max_cents = min_cents, max_cents

    def process_formdata(self, valuelist):
        self.data = None
        raw = valuelist[0].strip() if valuelist and valuelist[0] else ""
        if not raw:
            return
        shape = _AMOUNT.fullmatch(raw)
        if shape is None:
            raise ValueError(_("Enter an amount in dollars, like 12.50."))
        whole, fraction = shape.group(1), (shape.group(2) or "").rstrip("0")
        if len(fraction) > 2:
            raise ValueError(_("An amount has at most two decimals (cents)."))
        if len(whole) > len(str(self.max_cents)):
            raise ValueError(self._too_large())
        self.data = int(Decimal(f"{whole}.{fraction or '0'}").quantize(_CENT) * 100)

    def pre_validate(self, form):
        if self.data is None:
            return
        if self.data > self.max_cents:
            raise StopValidation(self._too_large())
        if self.data < self.min_cents:
            raise StopValidation(_("The amount is at least %(amount)s.", amount=format_money(self.min_cents)))

    def _too_large(self) -> str:
        return _("The amount is at most %(amount)s.", amount=format_money(self.max_cents))

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data // 100}.{self.data % 100:02d}"


class Sent:
    """The field was part of the posted form, even if empty: a request that leaves it out was
    not made by our page, and is refused instead of being read as a blank."""

    field_flags: dict = {}

    def __call__(self, form, field) -> None:
        if not field.raw_data:
            raise StopValidation(_("This field is missing from the form. Reload the page and try again."))


class PercentField(Field):
    """A percentage from 0 to 100 with at most two decimals, typed plainly ("40", "33.33");
    `.data` is a Decimal, or None when left empty. Anything else is refused with a message."""

    widget = NumberInput(step="0.01", min="0", max="100")

    def process_formdata(self, valuelist):
        self.data = None
        raw = valuelist[0].strip() if valuelist and valuelist[0] else ""
        if not raw:
            return
        shape = _AMOUNT.fullmatch(raw)
        fraction = (shape.group(2) or "").rstrip("0") if shape else ""
        if shape is None or len(fraction) > 2 or len(shape.group(1)) > 3 or Decimal(raw) > 100:
            raise ValueError(_("Enter a percentage from 0 to 100 with at most two decimals, like 40 or 33.33."))
        self.data = Decimal(raw).quantize(_CENT)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data.normalize():f}"
