"""An order page is sent once: submitting it again (back button, double click) shows the case
it already created and never holds the card twice; the same case ID twice asks first."""

from __future__ import annotations

import io

import sqlalchemy as sa

from extensions import db
from models.cases import Case
from models.ledger import Payment, SandboxObject, SandboxObjectKind
from tests.cases.factories import order_page
from tests.catalogue.factories import make_designer, make_listing
from tests.factories import make_user


def _form(**extra) -> dict:
    data = {
        "teeth": ["11"],
        "restoration_11": "crown",
        "material": "zirconia",
        "shade": "A2",
        "client_case_id": "LAB-77",
        "card_number": "4242 4242 4242 4242",
    }
    data.update(extra)
    return data


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _holds() -> int:
    return _count(SandboxObject, SandboxObject.kind == SandboxObjectKind.payment_intent)


def test_the_same_order_page_sent_twice_shows_the_first_case_and_holds_once(client, login):
    buyer, listing = make_user(), make_listing(make_designer())
    login(buyer)
    page = order_page(client, listing.id)
    first = client.post(
        page,
        data=_form(attachments=(io.BytesIO(b"solid a\nendsolid a\n"), "upper.stl")),
        content_type="multipart/form-data",
    )
    case = db.session.scalar(sa.select(Case))
    assert first.status_code == 302 and first.location.endswith(f"/cases/{case.reference}")

    # back to the page: the browser fetches the same address again, then the client submits again
    back = client.get(page).get_data(as_text=True)
    assert f"You already sent this order as case {case.reference}" in back
    again = client.post(page, data=_form(), content_type="multipart/form-data", follow_redirects=True)
    assert again.request.path == f"/cases/{case.reference}"
    assert f"This case was already sent as {case.reference}" in again.get_data(as_text=True)
    assert (_count(Case), _count(Payment), _holds()) == (1, 1, 1)


def test_each_visit_of_the_order_page_is_issued_its_own_token(client, login):
    buyer, listing = make_user(), make_listing(make_designer())
    login(buyer)
    assert order_page(client, listing.id) != order_page(client, listing.id)


def test_a_form_without_its_token_is_refused_and_holds_nothing(client, login):
    buyer, listing = make_user(), make_listing(make_designer())
    login(buyer)
    response = client.post(
        f"/cases/new?listing_id={listing.id}", data=_form(), content_type="multipart/form-data", follow_redirects=True
    )
    assert "This order form has expired" in response.get_data(as_text=True)
    assert (_count(Case), _holds()) == (0, 0)


def test_someone_elses_order_token_places_nothing_for_them(client, login):
    listing = make_listing(make_designer())
    login(make_user())
    page = order_page(client, listing.id)
    client.post(page, data=_form(), content_type="multipart/form-data")
    client.post("/account/logout")
    login(make_user())
    response = client.post(page, data=_form(), content_type="multipart/form-data", follow_redirects=True)
    assert "This order form has expired" in response.get_data(as_text=True)
    assert (_count(Case), _holds()) == (1, 1)


def test_a_second_open_case_with_the_same_case_id_asks_before_sending(client, login):
    buyer, listing = make_user(), make_listing(make_designer())
    login(buyer)
    client.post(order_page(client, listing.id), data=_form(), content_type="multipart/form-data")
    first = db.session.scalar(sa.select(Case))

    page = order_page(client, listing.id)
    warned = client.post(page, data=_form(client_case_id="lab-77 "), content_type="multipart/form-data")
    text = warned.get_data(as_text=True)
    assert warned.status_code == 200
    assert f"You already have an open case with the case ID lab-77 ({first.reference})" in text
    assert 'name="send_anyway"' in text
    assert (_count(Case), _holds()) == (1, 1)

    sent = client.post(page, data=_form(client_case_id="lab-77", send_anyway="y"), content_type="multipart/form-data")
    assert sent.status_code == 302
    assert (_count(Case), _holds()) == (2, 2)
