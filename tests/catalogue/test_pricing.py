"""Tier prices, the $7 minimum order, "from $X", the fee table and what an order costs."""

from __future__ import annotations

import pytest

from errors import DomainError
from listings import pricing
from listings.pricing import Tier
from payments.fees import designer_earnings
from tests.catalogue.factories import make_designer, make_listing


def test_tiers_are_ordered_and_the_first_starts_at_the_minimum_quantity():
    tiers = pricing.normalise_tiers([(10, 400), (1, 500)], min_quantity=2)
    assert tiers == [Tier(2, 500), Tier(10, 400)]
    assert pricing.from_price_cents(tiers) == 400


@pytest.mark.parametrize(
    "entered, min_quantity, message",
    [
        ([], 1, "at least one price"),
        ([(1, 500), (10, 500)], 1, "lower unit price"),
        ([(1, 500), (1, 400)], 1, "larger quantity"),
        ([(1, 699)], 1, "at least $7.00"),  # one unit at $6.99
        ([(1, 300)], 2, "at least $7.00"),  # two units at $3.00 = $6.00
    ],
)
def test_bad_tiers_are_refused_with_a_reason(entered, min_quantity, message, app):
    with app.test_request_context():
        with pytest.raises(DomainError) as refused:
            pricing.normalise_tiers(entered, min_quantity=min_quantity)
        assert message in str(refused.value.message)


def test_the_cheapest_order_counts_each_tier_at_its_smallest_quantity():
    # $7 base but $0.60 from 10 units: 10 × 0.60 = $6.00 is the cheapest order — refused.
    with pytest.raises(DomainError):
        pricing.normalise_tiers([(1, 700), (10, 60)], min_quantity=1)
    # $3.50 from a minimum of 2: 2 × 3.50 = $7.00 exactly — accepted.
    assert pricing.cheapest_order_cents(pricing.normalise_tiers([(1, 350)], min_quantity=2), 2) == 700


def test_a_designer_may_type_what_they_want_to_receive():
    tiers = pricing.normalise_tiers([(1, 1000), (10, 800)], min_quantity=1, basis="earnings")
    for tier in tiers:
        # an order of the tier's smallest quantity leaves at least what was asked, per unit
        wanted = 1000 if tier.min_quantity == 1 else 800
        order = tier.unit_price_cents * tier.min_quantity
        assert designer_earnings(order) >= wanted * tier.min_quantity
        # and one cent less per unit would not
        assert designer_earnings((tier.unit_price_cents - 1) * tier.min_quantity) < wanted * tier.min_quantity


def test_the_fee_table_shows_order_fee_and_earnings_per_tier():
    rows = pricing.fee_table([Tier(1, 500), Tier(10, 400)], 2)
    assert [(r.quantity, r.order_cents, r.fee_cents, r.earnings_cents) for r in rows] == [
        (2, 1000, 349, 651),  # below $38.77 the fee is $3.49
        (10, 4000, 360, 3640),  # 9 % of $40.00
    ]


def test_an_order_is_priced_from_the_approved_tiers():
    listing = make_listing(make_designer(), tiers=[Tier(1, 500), Tier(10, 400)], min_quantity=2)
    assert pricing.unit_price_for(listing, 2) == 500
    assert pricing.unit_price_for(listing, 9) == 500
    assert pricing.unit_price_for(listing, 10) == 400
    assert pricing.unit_price_for(listing, 50) == 400
    with pytest.raises(DomainError):
        pricing.unit_price_for(listing, 1)


def test_the_editor_shows_both_prices_live_from_the_server(client, login):
    designer = make_designer()
    login(designer)
    response = client.post(
        "/listings/mine/price-preview",
        data={
            "min_quantity": "1",
            "basis": "earnings",
            "unit": "unit",
            "tiers-0-price": "10.00",
            "tiers-1-min_quantity": "10",
            "tiers-1-price": "8.00",
        },
    )
    html = response.get_json()["html"]
    assert "$13.49" in html  # what the client pays so that $10.00 reaches the designer
    assert "$10.00" in html and "$3.49" in html
    refused = client.post(
        "/listings/mine/price-preview", data={"min_quantity": "1", "basis": "client", "tiers-0-price": "5.00"}
    ).get_json()["html"]
    assert "at least $7.00" in refused
