"""The fee table of PRODUCT.md §3: 9 %, at least $3.49, exact to the cent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payments.fees import client_price_for_earnings, designer_earnings, platform_fee


@pytest.mark.parametrize(
    "amount, fee",
    [
        (700, 349),  # the cheapest order: flat fee
        (3877, 349),  # $38.77 → 9 % is 348.93, rounds to 349: still the minimum
        (3878, 349),  # 349.02 → 349
        (3884, 350),  # 349.56 → 350: the percentage takes over
        (5000, 450),
        (10050, 905),  # 904.5 → half up → 905
        (123456, 11111),  # 11111.04
        (200, 200),  # never more than the amount itself
        (0, 0),
    ],
)
def test_platform_fee_table(amount, fee):
    assert platform_fee(amount) == fee


def test_below_38_77_the_fee_is_always_3_49():
    assert {platform_fee(a) for a in range(349, 3878)} == {349}


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        platform_fee(-1)


@given(st.integers(min_value=0, max_value=10_000_000))
def test_fee_plus_earnings_is_the_amount(amount):
    assert platform_fee(amount) + designer_earnings(amount) == amount
    assert 0 <= platform_fee(amount) <= amount


@given(st.integers(min_value=1, max_value=5_000_000))
def test_price_for_wanted_earnings_is_the_smallest_that_pays_them(earnings):
    price = client_price_for_earnings(earnings)
    assert designer_earnings(price) >= earnings
    assert designer_earnings(price - 1) < earnings


def test_designer_wanting_4_dollars_charges_7_49():
    assert client_price_for_earnings(400) == 749
