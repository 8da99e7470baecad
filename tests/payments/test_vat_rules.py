"""The VAT rules table, written from the rules as the issue states them (not read back from the code):
EU reverse charge between businesses in two member states, no VAT where the seller is not
registered, the rate of the table in config otherwise; and VAT included in the price, to the cent."""

from __future__ import annotations

import pytest

from config import EU_VAT_RATES, vat_rates
from payments.vat import EU_COUNTRIES, decide, split_gross

RATES = {"FR": 2000, "DE": 1900, "BE": 2100, "FI": 2550, "GB": 2000}
FR_VAT, DE_VAT, BE_VAT, GB_VAT = "FR65912345675", "DE136695976", "BE0567812363", "GB980780684"

# seller (country, VAT number), customer (country, VAT number) → rule, rate in basis points
TABLE = [
    # a seller without a VAT number never charges VAT, whoever buys
    (("FR", ""), ("FR", FR_VAT), "not_registered", 0),
    (("ES", ""), ("BE", BE_VAT), "not_registered", 0),
    (("MA", ""), ("FR", ""), "not_registered", 0),
    # same country: that country's rate, business or consumer alike
    (("FR", FR_VAT), ("FR", FR_VAT), "domestic", 2000),
    (("FR", FR_VAT), ("FR", ""), "domestic", 2000),
    (("DE", DE_VAT), ("DE", ""), "domestic", 1900),
    (("GB", GB_VAT), ("GB", ""), "domestic", 2000),
    # two member states, the customer with a VAT number: reverse charge, no VAT on the invoice
    (("FR", FR_VAT), ("BE", BE_VAT), "reverse_charge", 0),
    (("BE", BE_VAT), ("DE", DE_VAT), "reverse_charge", 0),
    # two member states, a customer without one: the seller's rate
    (("FR", FR_VAT), ("DE", ""), "eu_consumer", 2000),
    (("BE", BE_VAT), ("FI", ""), "eu_consumer", 2100),
    # a customer outside the seller's VAT territory: none
    (("FR", FR_VAT), ("US", ""), "export", 0),
    (("FR", FR_VAT), ("GB", GB_VAT), "export", 0),
    (("GB", GB_VAT), ("FR", FR_VAT), "export", 0),
    # a registered seller in a country the table has no rate for: none
    (("CH", "CHE116281710"), ("CH", ""), "no_rate", 0),
]


@pytest.mark.parametrize("seller, customer, rule, rate", TABLE)
def test_vat_rules_table(seller, customer, rule, rate):
    decision = decide(
        {"country": seller[0], "vat_number": seller[1]}, {"country": customer[0], "vat_number": customer[1]}, RATES
    )
    assert (decision.rule, decision.rate_bp) == (rule, rate)


def test_the_rate_comes_from_the_configured_table(app):
    with app.app_context():
        assert decide({"country": "FI", "vat_number": "FI20774740"}, {"country": "FI"}).rate_bp == 2550
        app.config["VAT_RATES"] = {**app.config["VAT_RATES"], "FR": 550}
        try:
            assert decide({"country": "FR", "vat_number": FR_VAT}, {"country": "FR"}).rate_bp == 550
        finally:
            app.config["VAT_RATES"] = vat_rates(EU_VAT_RATES)


@pytest.mark.parametrize(
    "gross, rate, net, vat",
    [
        (12_000, 2000, 10_000, 2_000),  # 120.00 incl. 20 %
        (1_080, 2000, 900, 180),
        (349, 2000, 291, 58),  # 2.908… rounds to 2.91
        (100, 2550, 80, 20),  # 79.68… rounds to 80
        (1, 2100, 1, 0),
        (12_000, 0, 12_000, 0),
    ],
)
def test_vat_is_included_in_the_price_and_adds_up_to_it(gross, rate, net, vat):
    assert split_gross(gross, rate) == (net, vat)


def test_every_member_state_has_a_rate_by_default():
    assert set(vat_rates(EU_VAT_RATES)) == EU_COUNTRIES
    assert vat_rates("FR:20, FI:25.5") == {"FR": 2000, "FI": 2550}
    with pytest.raises(RuntimeError):
        vat_rates("France:20")
