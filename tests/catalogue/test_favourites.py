"""Favourites: the heart on each card, the Favourites page (the client's team), the filter."""

from __future__ import annotations

import sqlalchemy as sa

from extensions import db
from models.listings import Favourite
from tests.catalogue.factories import make_designer, make_listing
from tests.factories import make_user


def test_the_heart_toggles_with_fetch_and_the_listing_joins_the_team(client, login):
    listing = make_listing(
        make_designer(), title="Night guards in exocad", category="night_guards", subcategory="night_guard"
    )
    login(make_user())
    on = client.post(f"/listings/{listing.id}/favourite", headers={"Accept": "application/json"})
    assert on.get_json() == {"favourite": True}
    page = client.get("/favourites").get_data(as_text=True)
    assert "Night guards in exocad" in page and "1 favourite" in page
    assert "Night guards in exocad" in client.get("/find?favourites=y").get_data(as_text=True)
    off = client.post(f"/listings/{listing.id}/favourite", headers={"Accept": "application/json"})
    assert off.get_json() == {"favourite": False}
    assert "No favourites yet" in client.get("/favourites").get_data(as_text=True)


def test_the_heart_works_as_a_plain_form_without_javascript(client, login):
    listing = make_listing(make_designer())
    login(make_user())
    response = client.post(f"/listings/{listing.id}/favourite", data={"next": "/find?q=crowns"})
    assert response.status_code == 302 and response.headers["Location"] == "/find?q=crowns"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Favourite)) == 1
    assert 'aria-pressed="true"' in client.get("/find").get_data(as_text=True)


def test_a_favourite_whose_listing_goes_offline_leaves_the_page(client, login):
    designer = make_designer()
    listing = make_listing(designer)
    buyer = make_user()
    login(buyer)
    client.post(f"/listings/{listing.id}/favourite")
    from profiles.operations import set_payouts_ready
    from extensions import commit

    set_payouts_ready(designer, False)
    commit()
    assert "No favourites yet" in client.get("/favourites").get_data(as_text=True)


def test_favourites_need_a_client_account(client, login):
    listing = make_listing(make_designer())
    login(make_designer())
    assert client.post(f"/listings/{listing.id}/favourite").status_code == 403
    assert client.get("/favourites").status_code == 404
    client.post("/account/logout")
    assert client.post(f"/listings/{listing.id}/favourite").status_code == 302  # to the login page


def test_a_card_shown_before_keeps_the_readers_heart_and_language(client, login):
    listing = make_listing(
        make_designer(), title="Veneers waxed up digitally", category="veneers", subcategory="veneer"
    )
    login(make_user())
    assert 'class="heart "' in client.get("/find").get_data(as_text=True)
    client.post(f"/listings/{listing.id}/favourite")
    assert 'class="heart is-on"' in client.get("/find").get_data(as_text=True)
    client.post(f"/listings/{listing.id}/favourite")
    page = client.get("/find").get_data(as_text=True)
    assert "Veneers waxed up digitally" in page and "is-on" not in page
    french = client.get("/find", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "par unité" in french and "per unit" not in french
