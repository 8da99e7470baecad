"""The order page, the case page and its buttons, My cases, reviews: through the real pages."""

from __future__ import annotations

import io
from datetime import timedelta

import sqlalchemy as sa

from extensions import db
from jobs.sweep import run_sweeps
from models.cases import Case, CaseFile, CaseState, Review
from models.ledger import Payment, PaymentStatus
from models.moderation import Violation
from models.types import utcnow
from payments.ledger import invariant_violations
from tests.cases.factories import drive, order_page
from tests.catalogue.factories import make_designer, make_listing
from tests.factories import make_user
from tests.files_web.factories import upload_through_api

CARD = "4242 4242 4242 4242"


def _order(client, listing_id, **extra):
    data = {
        "teeth": ["11", "21"],
        "restoration_11": "crown",
        "restoration_21": "veneer",
        "material": "zirconia",
        "shade": "A2",
        "instructions": "Please keep the contacts light.",
        "client_case_id": "LAB-77",
        "card_number": CARD,
        "attachments": (io.BytesIO(b"solid scan\nendsolid scan\n"), "upper.stl"),
    }
    data.update(extra)
    return client.post(order_page(client, listing_id), data=data, content_type="multipart/form-data")


def _setup():
    designer = make_designer()
    listing = make_listing(designer)  # $9.00 a unit
    return make_user(), designer, listing


def _sent_case(client, login):
    """A case the buyer has just sent through the order page; the buyer stays signed in."""
    buyer, designer, listing = _setup()
    login(buyer)
    _order(client, listing.id)
    return buyer, designer, db.session.scalar(sa.select(Case))


def test_a_client_sends_a_case_from_the_order_page_and_the_amount_is_held(client, login):
    buyer, designer, listing = _setup()
    login(buyer)
    page = client.get(f"/cases/new?listing_id={listing.id}", follow_redirects=True).get_data(as_text=True)
    assert 'data-tooth="11"' in page and "Confirm payment" in page
    response = _order(client, listing.id)
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert (case.quantity, case.unit_price_cents, case.amount_cents) == (2, 900, 1800)
    assert case.prescription["teeth"] == {"11": "crown", "21": "veneer"}
    assert case.state == CaseState.requested and case.client_case_id == "LAB-77"
    payment = db.session.scalar(sa.select(Payment))
    assert payment.status == PaymentStatus.held and payment.card_last4 == "4242"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseFile)) == 1
    shown = client.get(response.location).get_data(as_text=True)
    assert "Cancel request" in shown and "Accept case" not in shown


def test_a_declined_card_sends_nothing_and_says_why(client, login):
    buyer, designer, listing = _setup()
    login(buyer)
    response = _order(client, listing.id, card_number="4000 0000 0000 9995")
    assert response.status_code == 200
    assert "insufficient funds" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_scans_uploaded_beforehand_go_with_the_order_and_their_check_shows_on_the_case(client, login):
    buyer, designer, listing = _setup()
    login(buyer)
    scan = upload_through_api(client, b"solid scan\nendsolid scan\n", "upper.stl")
    response = _order(client, listing.id, attachments=None, file_id=[str(scan)])
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert [f.file.public_id for f in db.session.scalars(sa.select(CaseFile).where(CaseFile.case_id == case.id))] == [
        scan
    ]
    shown = client.get(response.location).get_data(as_text=True)
    assert "upper.stl" in shown and "The file contains no triangles." in shown


def test_an_order_naming_someone_elses_upload_is_refused_and_charges_nothing(client, login):
    buyer, designer, listing = _setup()
    other = make_user(email="other@example.com")
    login(other)
    theirs = upload_through_api(client, b"solid theirs\nendsolid theirs\n", "theirs.stl")
    client.post("/account/logout")
    login(buyer)
    mine = upload_through_api(client, b"solid mine\nendsolid mine\n", "mine.stl")
    response = _order(client, listing.id, attachments=None, file_id=[str(mine), str(theirs)])
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "not yours or no longer exist" in page
    assert "mine.stl" in page and "theirs.stl" not in page  # my upload is carried over, not sent again
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Payment)) == 0


def test_a_delivery_takes_designs_uploaded_beforehand(client, login):
    buyer, designer, case = _sent_case(client, login)
    url = f"/cases/{case.reference}"
    client.post("/account/logout")
    login(designer)
    client.post(f"{url}/accept")
    design = upload_through_api(client, b"solid crown\nendsolid crown\n", "crown-21.stl", kind="design")
    client.post(f"{url}/deliver", data={"deliver-note": "v1", "file_id": [str(design)]})
    db.session.refresh(case)
    assert case.state == CaseState.delivered
    files = db.session.scalars(sa.select(CaseFile).where(CaseFile.case_id == case.id))
    assert design in [f.file.public_id for f in files]


def test_no_teeth_selected_is_explained_on_the_form(client, login):
    buyer, designer, listing = _setup()
    login(buyer)
    response = _order(client, listing.id, teeth=[])
    assert "Select at least one tooth" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_contact_details_in_the_instructions_are_refused_and_recorded(client, login):
    buyer, designer, listing = _setup()
    login(buyer)
    response = _order(client, listing.id, instructions="Mail me at lab.owner@gmail.com for the scans")
    assert response.status_code == 200
    assert "contact-finding" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Violation)) == 1


def test_an_unavailable_designer_asks_the_faq_question_first(client, login):
    from profiles.operations import profile_for, set_availability

    buyer, designer, listing = _setup()
    set_availability(profile_for(designer), actor=designer, unavailable=True)
    db.session.commit()
    login(buyer)
    page = client.get(f"/cases/new?listing_id={listing.id}").get_data(as_text=True)
    assert "currently full" in page and "Do you still want to send it?" in page
    confirmed = client.get(f"/cases/new?listing_id={listing.id}&confirm_full=1", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Confirm payment" in confirmed


def test_the_whole_case_through_the_buttons(client, login):
    buyer, designer, case = _sent_case(client, login)
    url = f"/cases/{case.reference}"
    client.post("/account/logout")
    login(designer)
    assert "Accept case" in client.get(url).get_data(as_text=True)
    client.post(f"{url}/accept")
    client.post(
        f"{url}/deliver",
        data={"deliver-note": "v1", "deliver-files": (io.BytesIO(b"solid a\n"), "a.stl")},
        content_type="multipart/form-data",
    )
    client.post("/account/logout")
    login(buyer)
    client.post(f"{url}/revision", data={"revision-note": "Close the margin on 21"})
    client.post("/account/logout")
    login(designer)
    client.post(
        f"{url}/deliver",
        data={"deliver-note": "v2", "deliver-files": (io.BytesIO(b"solid b\n"), "b.stl")},
        content_type="multipart/form-data",
    )
    client.post("/account/logout")
    login(buyer)
    shown = client.get(url).get_data(as_text=True)
    assert "Transaction complete" in shown and "No revisions left" not in shown
    client.post(f"{url}/complete", data={"confirm": "release"})
    client.post(f"{url}/review", data={"review-stars": "5", "review-text": "Perfect margins."})
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.state == CaseState.completed and len(case.deliveries) == 2
    assert db.session.scalar(sa.select(Review.stars)) == 5
    assert invariant_violations() == []
    listing_page = client.get("/cases/?side=client&state=completed").get_data(as_text=True)
    assert case.reference in listing_page


def test_someone_elses_case_is_a_404(client, login):
    buyer, designer, case = _sent_case(client, login)
    client.post("/account/logout")
    login(make_user())
    assert client.get(f"/cases/{case.reference}").status_code == 404
    assert client.post(f"/cases/{case.reference}/cancel").status_code == 404


def test_a_second_click_on_accept_is_refused_cleanly(client, login):
    buyer, designer, case = _sent_case(client, login)
    client.post("/account/logout")
    login(designer)
    client.post(f"/cases/{case.reference}/accept")
    again = client.post(f"/cases/{case.reference}/accept", follow_redirects=True).get_data(as_text=True)
    assert "no longer possible" in again
    assert invariant_violations() == []


def test_case_files_reach_only_the_two_parties_and_a_scan_goes_once_the_designer_has_it(client, login):
    buyer, designer, case = _sent_case(client, login)
    link = db.session.scalar(sa.select(CaseFile))
    url = f"/cases/{case.reference}/files/{link.file.public_id}"
    client.post("/account/logout")
    login(make_user())
    assert client.get(url).status_code == 404
    client.post("/account/logout")
    login(designer)
    assert client.get(url).status_code == 403  # a request not accepted yet: previewed, not downloaded
    drive(db.session.get(Case, case.id), CaseState.in_progress)
    response = client.get(url)
    assert response.status_code == 200 and response.data == b"solid scan\nendsolid scan\n"
    run_sweeps(now=utcnow() + timedelta(hours=25))  # the grace window for retries is over
    db.session.expire_all()
    assert db.session.get(CaseFile, link.id).file.is_deleted  # patient data, deleted once downloaded
    assert client.get(url).status_code == 404


def test_every_state_of_the_case_page_renders_for_both_parties(client, login):
    from models.cases import CaseState
    from tests.cases.factories import drive, make_case

    cases = {state: drive(make_case(), state) for state in CaseState}
    for state, case in cases.items():
        for user in (case.client, case.designer):
            client.post("/account/logout")
            login(user)
            page = client.get(f"/cases/{case.reference}")
            assert page.status_code == 200, state
            assert case.reference in page.get_data(as_text=True)
        assert client.get("/cases/?side=designer").status_code == 200


def test_the_case_pages_speak_french(client, login):
    from tests.cases.factories import make_case

    case = make_case()
    login(case.client)
    with client.session_transaction() as session:
        session["lang"] = "fr"
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Annuler la demande" in page and "Prochaine étape" in page


def _form_fields(page: str, action: str) -> dict:
    """The names and values a browser sends from the page's form posting to `action` (hidden
    inputs and number inputs as shown; text areas empty)."""
    import re

    form = re.search(rf'<form method="post" action="{re.escape(action)}"[^>]*>(.*?)</form>', page, re.S).group(1)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    fields.update((name, "") for name in re.findall(r'<textarea[^>]*name="([^"]+)"', form))
    return fields


def test_the_reject_revision_and_grant_forms_post_what_they_show_and_need_their_csrf_token(make_app):
    import re

    from tests.cases.factories import make_case
    from tests.factories import PASSWORD

    app = make_app(WTF_CSRF_ENABLED=True)

    def signed_in(user):
        browser = app.test_client()
        page = browser.get("/account/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        browser.post("/account/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        return browser

    def post_shown(browser, url, action, **typed):
        fields = _form_fields(browser.get(url).get_data(as_text=True), f"{url}/{action}")
        assert (
            browser.post(
                f"{url}/{action}", data={k: "" for k in typed} | {k: v for k, v in fields.items() if v} | typed
            ).status_code
            == 302
        )

    rejected = make_case()
    url = f"/cases/{rejected.reference}"
    designer = signed_in(rejected.designer)
    assert designer.post(f"{url}/reject", data={"reject-reason": "Out of my range"}).status_code == 400
    post_shown(designer, url, "reject", **{"reject-reason": "Out of my range"})
    db.session.expire_all()
    assert db.session.get(Case, rejected.id).state == CaseState.rejected

    case = drive(make_case(revisions=1), CaseState.delivered)
    url = f"/cases/{case.reference}"
    post_shown(signed_in(case.designer), url, "grant")  # the count as shown: one more
    db.session.expire_all()
    assert db.session.get(Case, case.id).revisions_allowed == 2
    buyer = signed_in(case.client)
    assert buyer.post(f"{url}/revision", data={"revision-note": "Close the margin"}).status_code == 400
    post_shown(buyer, url, "revision", **{"revision-note": "Close the margin on 21"})
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.in_progress
    assert "Close the margin on 21" in buyer.get(url).get_data(as_text=True)
