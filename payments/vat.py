"""Which VAT an invoice carries: one rule per situation, decided from the two parties' billing details.

Prices on Occlusa are what the client's card pays, so VAT is *included* in them: the invoice
splits the amount the ledger moved into a net amount and the VAT on it, and the total always
equals the money that moved. The rules, in the order they are tried (the seller is the
designer on a service invoice, the platform on a commission invoice):

| rule            | when                                                              | VAT                  |
| --------------- | ----------------------------------------------------------------- | -------------------- |
| not_registered  | the seller has no VAT number                                      | none                 |
| domestic        | seller and customer in the same country                           | that country's rate  |
| reverse_charge  | both in the EU, different countries, the customer has a VAT number | none: customer pays  |
| eu_consumer     | both in the EU, different countries, no VAT number for the customer | the seller's rate    |
| export          | otherwise: customer in another country outside the seller's market | none                 |

A seller whose country has no rate in VAT_RATES (config) charges none (`no_rate`): the table,
not the code, says where VAT is charged. Rates are in basis points (2000 = 20 %).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

# Member states of the European Union (ISO 3166 codes; Greece's VAT numbers start with EL).
EU_COUNTRIES = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())

# The sentence each rule prints under the totals; "none" is an invoice issued before VAT rules existed.
RULE_NOTES = {
    "none": None,
    "not_registered": _l("VAT not applicable: the seller is not registered for VAT."),
    "domestic": None,
    "no_rate": _l("No VAT charged: no VAT rate applies in the seller's country."),
    "reverse_charge": _l(
        "Reverse charge: VAT to be accounted for by the customer (Article 196 of Council Directive 2006/112/EC)."
    ),
    "eu_consumer": _l("VAT charged at the rate of the seller's country: the customer has no VAT number."),
    "export": _l("VAT not charged: services supplied to a customer outside the seller's VAT territory."),
}


@dataclass(frozen=True)
class VatDecision:
    rule: str  # a key of RULE_NOTES
    rate_bp: int  # basis points: 2000 = 20 %

    def split(self, gross_cents: int) -> tuple[int, int]:
        """(net, VAT) of an amount that includes VAT at this rate; net + VAT is the amount exactly."""
        return split_gross(gross_cents, self.rate_bp)


def decide(seller: dict, customer: dict, rates: dict[str, int] | None = None) -> VatDecision:
    """The VAT rule between two parties, each a dict with `country` (ISO code) and `vat_number`
    (empty or None when the party has none). `rates` defaults to the VAT_RATES config."""
    rates = current_app.config["VAT_RATES"] if rates is None else rates
    seller_country, customer_country = (seller.get("country") or "").upper(), (customer.get("country") or "").upper()
    if not seller.get("vat_number"):
        return VatDecision("not_registered", 0)
    if seller_country not in rates:
        return VatDecision("no_rate", 0)
    if seller_country == customer_country:
        return VatDecision("domestic", rates[seller_country])
    if seller_country in EU_COUNTRIES and customer_country in EU_COUNTRIES:
        if customer.get("vat_number"):
            return VatDecision("reverse_charge", 0)
        return VatDecision("eu_consumer", rates[seller_country])
    return VatDecision("export", 0)


def split_gross(gross_cents: int, rate_bp: int) -> tuple[int, int]:
    """(net, VAT) of a VAT-inclusive amount, the net rounded half up to the cent."""
    if rate_bp == 0:
        return gross_cents, 0
    divisor = 10_000 + rate_bp
    net = (gross_cents * 10_000 * 2 + divisor) // (2 * divisor)
    return net, gross_cents - net


def rate_label(rate_bp: int) -> str:
    """20 %, 25.5 %: the rate as printed (the caller formats it for the reader's locale)."""
    whole, rest = divmod(rate_bp, 100)
    return f"{whole}" if rest == 0 else f"{whole}.{rest:02d}".rstrip("0")


def rule_note(rule: str):
    return RULE_NOTES.get(rule)
