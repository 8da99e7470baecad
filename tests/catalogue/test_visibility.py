"""Who sees a listing: each of the five conditions hides it; private listings are one client's."""

from __future__ import annotations

import pytest

from extensions import commit, db
from listings import operations as listing_ops
from listings.visibility import can_order, is_public, missing_conditions
from models.accounts import AccountStatus
from profiles import operations as profile_ops
from tests.catalogue.factories import make_designer, make_listing
from tests.factories import make_user


def _hide(condition: str, designer, listing) -> None:
    if condition == "listing_not_approved":
        listing_ops.submit_listing(listing, actor=designer)  # waiting for review is not approved
    elif condition == "listing_paused":
        listing_ops.set_listing_paused(listing, actor=designer, paused=True)
    elif condition == "profile_not_approved":
        profile = profile_ops.profile_for(designer)
        profile.approved_at, profile.approved_snapshot = None, None
    elif condition == "identity_not_verified":
        profile_ops.set_identity_verified(designer, False, actor=None)
    elif condition == "payouts_not_ready":
        profile_ops.set_payouts_ready(designer, False)
    elif condition == "account_not_active":
        designer.status = AccountStatus.suspended
    commit()


CONDITIONS = [
    "listing_not_approved",
    "listing_paused",
    "profile_not_approved",
    "identity_not_verified",
    "payouts_not_ready",
    "account_not_active",
]


def test_a_listing_meeting_every_condition_is_public_and_found(client):
    designer = make_designer(name="Ana Design")
    listing = make_listing(designer)
    assert is_public(listing) and missing_conditions(listing) == []
    assert client.get(f"/listings/{listing.id}").status_code == 200
    assert listing.title in client.get("/find").get_data(as_text=True)


@pytest.mark.parametrize("condition", CONDITIONS)
def test_each_missing_condition_hides_the_listing_and_the_designer_is_told_which(client, login, condition):
    designer = make_designer()
    listing = make_listing(designer, approve=condition != "listing_not_approved")
    _hide(condition, designer, listing)
    listing = db.session.get(type(listing), listing.id)
    assert missing_conditions(listing) == [condition]
    assert not is_public(listing)
    assert client.get(f"/listings/{listing.id}").status_code == 404
    assert listing.title not in client.get("/find").get_data(as_text=True)
    if condition != "account_not_active":  # a suspended designer cannot log in to look
        login(designer)
        page = client.get(f"/listings/mine/{listing.id}").get_data(as_text=True)
        from listings.visibility import CONDITION_LABELS

        with client.application.test_request_context():
            assert str(CONDITION_LABELS[condition]) in page.replace("&#39;", "'")


def test_a_private_listing_is_seen_by_its_client_and_designer_only(client, login):
    designer = make_designer()
    buyer = make_user(name="Northside Lab")
    other = make_user(name="Someone Else")
    listing = make_listing(designer, private_client=buyer, title="Negotiated crowns for Northside")
    # anonymous and another client: as if it did not exist; search never shows it
    assert client.get(f"/listings/{listing.id}").status_code == 404
    assert "Negotiated crowns" not in client.get("/find").get_data(as_text=True)
    login(other)
    assert client.get(f"/listings/{listing.id}").status_code == 404
    assert "Negotiated crowns" not in client.get("/find?private=y").get_data(as_text=True)
    assert client.post(f"/listings/{listing.id}/favourite").status_code == 404
    assert not can_order(listing, other) and can_order(listing, buyer)
    # its client: the page, and the Private filter (not the plain search)
    client.post("/account/logout")
    login(buyer)
    assert client.get(f"/listings/{listing.id}").status_code == 200
    assert "Negotiated crowns" not in client.get("/find").get_data(as_text=True)
    assert "Negotiated crowns" in client.get("/find?private=y").get_data(as_text=True)
    # its designer
    client.post("/account/logout")
    login(designer)
    assert client.get(f"/listings/{listing.id}").status_code == 200


def test_a_client_cannot_order_from_themselves_or_while_suspended():
    designer = make_designer()
    listing = make_listing(designer)
    buyer = make_user()
    assert can_order(listing, buyer)
    assert not can_order(listing, designer)
    buyer.status = AccountStatus.suspended
    assert not can_order(listing, buyer)


@pytest.mark.parametrize("condition", ["identity_not_verified", "payouts_not_ready", "account_not_active"])
def test_a_listing_comes_back_to_search_when_its_designer_meets_the_rule_again(client, condition):
    designer = make_designer()
    listing = make_listing(designer, title="Night guards milled overnight")
    _hide(condition, designer, listing)
    assert listing.title not in client.get("/find").get_data(as_text=True)
    if condition == "identity_not_verified":
        profile_ops.set_identity_verified(designer, True, actor=None)
    elif condition == "payouts_not_ready":
        profile_ops.set_payouts_ready(designer, True)
    else:
        designer.status = AccountStatus.active
    commit()
    assert listing.title in client.get("/find").get_data(as_text=True)
    assert listing.title in client.get("/find?q=night+guards").get_data(as_text=True)
