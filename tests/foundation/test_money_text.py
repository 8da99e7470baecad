"""Amounts read in the reader's language: "$9.00" in English, "9,00 $US" in French, on the
storefront, in the back office and in the messages a form or rule gives back."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from errors import DomainError
from listings.pricing import normalise_tiers
from models.accounts import StaffRole
from tests.backoffice.factories import make_pending_listing, make_staff, staff_login
from tests.catalogue.factories import make_designer, make_listing

FRENCH = {"Accept-Language": "fr"}


def _spaces(html: str) -> str:
    # Babel puts a no-break space (narrow or not) between the number and the currency in French.
    return re.sub("[\u00a0\u202f]", " ", html)


def test_a_listing_shows_its_prices_in_the_readers_language(client):
    listing = make_listing(make_designer())  # the default tier: $9.00 per unit
    english = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    french = _spaces(client.get(f"/listings/{listing.id}", headers=FRENCH).get_data(as_text=True))
    assert "$9.00" in english
    assert "9,00 $US" in french and "$9.00" not in french


def test_the_fee_rule_is_quoted_in_the_readers_money(client):
    assert "$3.49" in client.get("/").get_data(as_text=True)
    french = _spaces(client.get("/", headers=FRENCH).get_data(as_text=True))
    assert "minimum 3,49 $US" in french and "3,49 $)" not in french


def test_the_review_page_shows_tier_prices_like_the_storefront(client):
    listing = make_pending_listing()  # one tier: $9.00 from 1
    staff_login(client, make_staff(StaffRole.moderator))
    english = client.get(f"/backoffice/reviews/listings/{listing.id}").get_data(as_text=True)
    assert "from 1: $9.00 per unit" in english
    french = _spaces(client.get(f"/backoffice/reviews/listings/{listing.id}", headers=FRENCH).get_data(as_text=True))
    assert "à partir de 1 : 9,00 $US par unité" in french


def test_a_refused_price_names_the_minimum_in_the_readers_money(app):
    for locale, expected in (("en", "at least $7.00"), ("fr", "au moins 7,00 $US")):
        with app.test_request_context(), force_locale(locale):
            with pytest.raises(DomainError) as refused:
                normalise_tiers([(1, 300)], min_quantity=1)
            assert expected in _spaces(str(refused.value.message))
