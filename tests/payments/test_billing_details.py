"""Billing details: asked before the first order and the first payout set-up, editable in Settings,
VAT numbers checked by their country's format and check digits."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from errors import DomainError
from extensions import db
from models.payments import BillingDetails, ConnectedAccount
from payments.billing import normalise_vat_number, save_billing_details
from tests.catalogue.factories import make_designer, make_listing
from tests.factories import make_user

DETAILS = {
    "legal_name": "Laboratoire Lumière SARL",
    "address": "4 rue de la République",
    "postal_code": "69002",
    "city": "Lyon",
    "country": "FR",
    "vat_number": "fr 19 812 345 676",
    "tax_id": "",
}


@pytest.mark.parametrize(
    "country, typed, kept",
    [
        ("FR", "FR19812345676", "FR19812345676"),
        ("FR", "fr 19 812 345 676", "FR19812345676"),  # spaces and case do not matter
        ("FR", "19812345676", "FR19812345676"),  # the country prefix is added
        ("BE", "BE 0567.812.363", "BE0567812363"),
        ("GR", "094259216", "EL094259216"),  # Greece's VAT numbers start with EL
        ("GB", "GB 980 7806 84", "GB980780684"),  # outside the EU, checked where the format is known
        ("NG", "IF-2231-77", "IF223177"),  # no known format: shape only
        ("FR", "", None),
    ],
)
def test_vat_numbers_are_kept_in_one_form(country, typed, kept):
    assert normalise_vat_number(country, typed) == kept


@pytest.mark.parametrize(
    "country, typed, words",
    [
        ("FR", "FR19812345677", "check digits"),  # one digit mistyped
        ("BE", "BE0567812364", "check digits"),
        ("FR", "FR1981234", "format"),
        ("FR", "BE0567812363", "another country"),  # a valid number of another country than the address
        ("NG", "12", "4 to 20"),
    ],
)
def test_a_wrong_vat_number_is_refused_with_the_reason(country, typed, words):
    with pytest.raises(DomainError) as refused:
        normalise_vat_number(country, typed)
    assert refused.value.field == "vat_number" and words in str(refused.value.message)


def test_only_the_user_changes_their_details_and_an_unknown_country_is_refused():
    user, other = make_user(billing=False), make_user()
    with pytest.raises(DomainError):
        save_billing_details(user, actor=other, **DETAILS)
    with pytest.raises(DomainError) as refused:
        save_billing_details(user, actor=user, **{**DETAILS, "country": "XX"})
    assert refused.value.field == "country"
    assert db.session.scalar(sa.select(BillingDetails).where(BillingDetails.user_id == user.id)) is None


def test_a_client_gives_billing_details_before_the_first_order_then_goes_on(client, login):
    buyer, listing = make_user(billing=False), make_listing(make_designer())
    login(buyer)

    asked = client.get(f"/cases/new?listing_id={listing.id}")
    assert asked.status_code == 302 and asked.location.startswith("/settings/billing?next=")
    page = client.get(asked.location).get_data(as_text=True)
    assert "Before your first order, tell us who to invoice" in page and 'name="legal_name"' in page

    refused = client.post(asked.location, data={**DETAILS, "vat_number": "FR19812345677"})
    assert refused.status_code == 200 and "check digits do not match" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(BillingDetails).where(BillingDetails.user_id == buyer.id)) is None

    saved = client.post(asked.location, data=DETAILS)
    assert saved.status_code == 302 and saved.location.startswith(f"/cases/new?listing_id={listing.id}")
    details = db.session.scalar(sa.select(BillingDetails).where(BillingDetails.user_id == buyer.id))
    assert (details.legal_name, details.country, details.vat_number) == (
        "Laboratoire Lumière SARL",
        "FR",
        "FR19812345676",
    )
    assert client.get(f"/cases/new?listing_id={listing.id}", follow_redirects=True).status_code == 200
    assert "Confirm payment" in client.get(f"/cases/new?listing_id={listing.id}", follow_redirects=True).get_data(
        as_text=True
    )


def test_billing_details_are_editable_in_settings(client, login):
    user = make_user()
    login(user)
    page = client.get("/settings/billing").get_data(as_text=True)
    assert "1 Test Street" in page and 'href="/settings/billing"' in page  # its own settings tab

    response = client.post("/settings/billing", data={**DETAILS, "city": "Villeurbanne"})
    assert response.status_code == 302 and response.location == "/settings/billing"
    assert db.session.scalar(sa.select(BillingDetails.city).where(BillingDetails.user_id == user.id)) == "Villeurbanne"
    assert "Your billing details are saved" in client.get("/settings/billing").get_data(as_text=True)


def test_the_form_only_comes_back_to_a_page_of_ours(client, login):
    login(make_user())
    response = client.post("/settings/billing?next=https://evil.example/", data=DETAILS)
    assert response.location == "/settings/billing"


def test_a_designer_gives_billing_details_before_setting_up_payouts(client, login):
    designer = make_user(client=False, designer=True, billing=False)
    login(designer)

    page = client.get("/settings/payments").get_data(as_text=True)
    assert "Add billing details" in page and 'name="business_type"' not in page
    refused = client.post("/settings/payments", data={"business_type": "individual", "country": "FR"})
    assert refused.status_code == 302 and refused.location.startswith("/settings/billing?next=")
    assert db.session.scalar(sa.select(ConnectedAccount).where(ConnectedAccount.user_id == designer.id)) is None

    client.post("/settings/billing", data=DETAILS)
    page = client.get("/settings/payments").get_data(as_text=True)
    assert 'name="business_type"' in page
    assert client.post("/settings/payments", data={"business_type": "individual", "country": "FR"}).status_code == 302
    assert db.session.scalar(sa.select(ConnectedAccount).where(ConnectedAccount.user_id == designer.id)) is not None


def test_the_billing_page_reads_in_french(client, login):
    login(make_user())
    page = client.get("/settings/billing", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Coordonnées de facturation" in page and "autoliquidation" in page
