"""Crafted input gets a 400, a 404 or the form with a message: never a 500, and nothing changes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from extensions import db
from models.accounts import StaffRole
from models.disputes import Dispute, DisputeState, SettlementProposal
from models.listings import Listing
from profiles import operations as profiles
from tests.backoffice.factories import make_staff, staff_login
from tests.catalogue.factories import make_designer
from tests.catalogue.test_listings import FORM as LISTING_FORM
from tests.disputes.factories import ANSWER, disputed, people, reload
from tests.factories import make_user

PAST_64_BITS = "99999999999999999999"
AMOUNTS_REFUSED = [
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "1e309",
    "1e3",
    "-1",
    "12,50",
    "0x10",
    "1_000",
    "1.005",
    "25.999",
]


@pytest.mark.parametrize(
    "query",
    [f"min_price={a}" for a in AMOUNTS_REFUSED]
    + [f"max_price={a}" for a in ("NaN", "Infinity", "1e309", "1.005")]
    + ["turnaround=x", "turnaround=1e9", "rating=x", "rating=nan", "rating=inf"],
)
def test_a_refused_search_filter_is_explained_on_the_page(client, query):
    response = client.get(f"/find?{query}")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Find a designer" in page and 'class="error-text"' in page


def test_more_than_two_decimals_in_a_search_says_so(client):
    page = client.get("/find?min_price=1.005").get_data(as_text=True)

    assert "at most two decimals" in page


def test_a_valid_price_filter_still_searches(client):
    assert client.get("/find?min_price=12.50&max_price=100").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/listings/{n}",
        "/designers/{n}",
        "/messages/{n}",
        "/messages/report/user/{n}",
        "/disputes/{n}",
        "/listings/mine/{n}/edit",
    ],
)
@pytest.mark.parametrize("number", [PAST_64_BITS, str(2**63)])
def test_an_id_past_64_bits_is_a_404(client, login, path, number):
    login(make_designer())

    assert client.get(path.format(n=number)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"/cases/new?listing_id={PAST_64_BITS}",
        f"/messages/new?user_id={PAST_64_BITS}",
        f"/files?page={PAST_64_BITS}",
        f"/notifications?page={PAST_64_BITS}",
        f"/favourites?page={PAST_64_BITS}",
        f"/cases/?page={PAST_64_BITS}",
        f"/settings/transactions?page={PAST_64_BITS}",
    ],
)
def test_numbers_past_64_bits_in_a_query_string_are_not_an_error(client, login, url):
    login(make_user(client=True))

    assert client.get(url).status_code in (200, 302, 404)


def _listing_with_price(price: str) -> dict:
    return {**LISTING_FORM, "tiers-0-price": price, "tiers-1-min_quantity": "", "tiers-1-price": ""}


@pytest.mark.parametrize("price", AMOUNTS_REFUSED)
def test_a_listing_price_that_is_not_an_amount_in_cents_is_refused(client, login, price):
    login(make_designer())

    response = client.post("/listings/mine/new", data=_listing_with_price(price))

    assert response.status_code == 200 and 'class="error-text"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Listing)) == 0


def test_a_listing_price_with_cents_is_kept_to_the_cent(client, login):
    login(make_designer())

    assert client.post("/listings/mine/new", data=_listing_with_price("25.99")).status_code == 302
    listing = db.session.scalar(sa.select(Listing))
    assert [t.unit_price_cents for t in listing.tiers] == [2599]


@pytest.mark.parametrize("amount", AMOUNTS_REFUSED)
def test_a_settlement_amount_that_is_not_an_amount_in_cents_is_refused(client, login, amount):
    customer, designer, _agent = people()
    _case, dispute = disputed(customer, designer, amount_cents=10_000)
    login(designer)
    client.post(f"/disputes/{dispute.id}/answer", data={"statement": ANSWER})

    response = client.post(f"/disputes/{dispute.id}/proposals", data={"designer_amount": amount, "note": ""})

    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SettlementProposal)) == 0


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1e309", "1.005"])
def test_a_ruling_amount_that_is_not_an_amount_in_cents_is_refused(client, amount):
    customer, designer, _agent = people()
    _case, dispute = disputed(customer, designer, amount_cents=10_000)
    db.session.execute(
        sa.update(Dispute)
        .where(Dispute.id == dispute.id)
        .values(state=DisputeState.awaiting_ruling, answer_due_at=dispute.opened_at)
    )
    db.session.commit()
    staff_login(client, make_staff(StaffRole.resolution_agent))
    client.post(f"/backoffice/resolution/{dispute.id}/take")

    response = client.post(
        f"/backoffice/resolution/{dispute.id}/rule",
        data={
            "outcome": "split",
            "designer_amount": amount,
            "split_by": "amount",
            "reasoning": "The crown on 36 ignores the margin line in the prescription; the occlusion is right.",
        },
    )

    # The ruling form comes back with the amount's error; nothing is ruled, nothing moves.
    assert response.status_code in (200, 400) and 'id="ruling-form"' in response.get_data(as_text=True)
    assert reload(dispute).state == DisputeState.awaiting_ruling


def test_a_profile_post_missing_its_fields_shows_the_form_and_changes_nothing(client, login):
    designer = make_designer()
    before = profiles.profile_for(designer).headline
    login(designer)

    response = client.post("/settings/profile", data={"headline": "Crowns and bridges in exocad"})

    assert response.status_code == 200 and "missing from the form" in response.get_data(as_text=True)
    db.session.expire_all()
    assert profiles.profile_for(designer).headline == before


@pytest.mark.parametrize("target", ["/\nX", "/\r\nSet-Cookie: a=b", "/find\x00"])
def test_a_line_break_in_the_language_switch_target_stays_out_of_the_answer(client, target):
    response = client.post("/language", data={"lang": "fr", "next": target})

    location = response.headers["Location"]
    assert response.status_code == 302 and location.startswith("/") and not location.startswith("//")
    assert not any(ch in location for ch in "\r\n\x00") and all(
        "a=b" not in c for c in response.headers.getlist("Set-Cookie")
    )
