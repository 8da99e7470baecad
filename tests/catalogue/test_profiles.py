"""The designer profile: editor, review cycle, public page, badges and availability."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from errors import InvalidTransition, PermissionDenied
from extensions import commit, db
from models.moderation import AuditEntry, Violation
from models.profiles import DesignerProfile, ReviewState
from profiles import is_available, is_pro, operations, reputation
from tests.catalogue.factories import make_designer, make_listing, moderator, picture
from tests.factories import make_user
from tests.statements import statements

FORM = {
    "real_name": "Elena Marquez",
    "country": "ES",
    "tax_id": "ES12345678Z",
    "headline": "exocad crown & bridge specialist",
    "bio": "Eight years designing crowns for labs.",
    "skills": "zirconia, implant bars , ",
    "software": ["exocad", "3shape"],
    "experience": "Lab in Madrid",
    "education": "CDT",
}


def _profile() -> DesignerProfile:
    return db.session.scalar(sa.select(DesignerProfile))


def test_save_then_submit_sends_the_profile_for_review(client, login):
    login(make_user(designer=True))
    response = client.post(
        "/settings/profile",
        data={
            **FORM,
            "photo": (io.BytesIO(picture()), "me.png"),
            "portfolio": [(io.BytesIO(picture()), "a.png"), (io.BytesIO(picture()), "b.png")],
            "action": "submit",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    profile = _profile()
    assert profile.state == ReviewState.pending
    assert profile.skills == ["zirconia", "implant bars"] and profile.software == ["exocad", "3shape"]
    assert "Waiting for review" in client.get("/settings/profile").get_data(as_text=True)


def test_submitting_an_incomplete_profile_says_what_is_missing(client, login):
    login(make_user(designer=True))
    response = client.post("/settings/profile", data={**FORM, "tax_id": "", "action": "submit"}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "your tax ID" in text and "a professional photo" in text
    assert _profile().state == ReviewState.draft and _profile().real_name == "Elena Marquez"


def test_contact_details_in_the_bio_are_refused_and_recorded(client, login):
    login(make_user(designer=True))
    response = client.post("/settings/profile", data={**FORM, "bio": "Call me on +34 612 345 678 anytime."})
    assert response.status_code == 200
    assert '<mark class="contact-finding"' in response.get_data(as_text=True)
    assert _profile().bio == ""
    assert db.session.scalar(sa.select(Violation)).source.value == "profile"


def test_rejection_reasons_and_note_reach_the_designer_and_an_approved_version_stays_public(client, login, outbox):
    designer = make_designer(name="Elena CAD")
    profile = operations.profile_for(designer)
    operations.update_profile(profile, actor=designer, bio="A new bio that a moderator will refuse.")
    operations.submit_profile(profile, actor=designer)
    operations.reject_profile(profile, actor=moderator(), reasons=["images"], note="The photo is a logo.")
    commit()
    assert "The photo is a logo." in outbox.read()[-1].get_payload(decode=True).decode()
    public = client.get(f"/designers/{designer.id}").get_data(as_text=True)
    assert "I design crowns, bridges" in public and "moderator will refuse" not in public
    login(designer)
    page = client.get("/settings/profile").get_data(as_text=True)
    assert "Low-quality, inappropriate or not-owned images" in page and "The photo is a logo." in page


def test_moderation_is_for_moderators_on_pending_profiles_and_audited():
    designer = make_designer(approved=False)
    profile = operations.profile_for(designer)
    with pytest.raises(InvalidTransition):
        operations.approve_profile(profile, actor=moderator())
    operations.submit_profile(profile, actor=designer)
    with pytest.raises(PermissionDenied):
        operations.approve_profile(profile, actor=designer)
    staff = moderator()
    operations.approve_profile(profile, actor=staff)
    commit()
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "profile.approved"))
    assert entry.actor_id == staff.id and entry.object_id == str(profile.id)


def test_the_public_profile_shows_badges_portfolio_and_listings(client):
    designer = make_designer(name="Karim Design")
    make_listing(designer, title="Implant bars, screw-retained", category="implants", subcategory="implant_bar")
    page = client.get(f"/designers/{designer.id}").get_data(as_text=True)
    assert "Karim Design" in page and "Verified" in page and "Implant bars, screw-retained" in page
    assert "badge-pro" not in page
    assert client.get(f"/designers/{make_designer(approved=False).id}").status_code == 404


def test_pro_needs_a_perfect_average_over_the_minimum_number_of_reviews(app):
    designer = make_designer()
    for _ in range(app.config["PRO_MIN_REVIEWS"] - 1):
        operations.record_review_score(designer.id, 5)
    assert not is_pro(operations.profile_for(designer))
    operations.record_review_score(designer.id, 5)
    assert is_pro(operations.profile_for(designer)) and reputation(designer.id) == (5.0, 3)
    operations.record_review_score(designer.id, 4)
    assert not is_pro(operations.profile_for(designer)) and reputation(designer.id) == (4.75, 4)


def test_unavailable_shows_full_on_cards_and_the_listing_page_and_carries_the_flag(client, login, app):
    designer = make_designer()
    listing = make_listing(designer)
    login(designer)
    client.post("/settings/profile/availability", data={"unavailable": "y"})
    client.post("/account/logout")
    assert not is_available(designer.id)
    assert ">Full<" in client.get("/find").get_data(as_text=True)
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "data-full-warning" in page and 'data-designer-full="true"' in page


@pytest.fixture(scope="module")
def ordering_app(make_app):
    """The app with an order page: the real one once the cases area has it, else a stand-in."""
    application = make_app()
    if "cases.new_case" not in application.view_functions:
        application.add_url_rule("/cases/new", endpoint="cases.new_case", view_func=lambda: "order page")
    return application


def test_send_a_case_carries_the_listing_and_the_full_flag_to_the_order_page(ordering_app):
    from tests.factories import login as log_in

    designer = make_designer()
    listing = make_listing(designer)
    profile = operations.profile_for(designer)
    operations.set_availability(profile, actor=designer, unavailable=True)
    commit()
    browser = ordering_app.test_client()
    log_in(browser, make_user())
    page = browser.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert 'data-send-case data-full="true"' in page and 'name="full" value="1"' in page
    assert f'name="listing_id" value="{listing.id}"' in page and "currently full" in page


def test_the_public_profile_costs_the_same_whatever_the_number_of_listings_and_reviews(client, login):
    designer = make_designer()
    make_listing(designer, title="Crowns in a day")
    login(make_user())
    few = statements(client, f"/designers/{designer.id}")
    for n, sub in enumerate(("coping", "cutback", "provisional")):
        make_listing(designer, title=f"Bridges batch {n}", subcategory=sub)
        operations.record_review_score(designer.id, 5)
    commit()
    assert statements(client, f"/designers/{designer.id}") == few
    assert client.get(f"/designers/{designer.id}").get_data(as_text=True).count("Bridges batch") == 3
