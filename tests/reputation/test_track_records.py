"""Track records: figures computed from messages, cases and reviews, shown with their explanation;
the client profile only for designers the client contacted; pages at a fixed number of queries."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from cases import process, reviews
from extensions import commit, db
from messaging.threads import open_general_conversation
from models.cases import CaseState, ClinicalOutcome
from models.messaging import Message, MessageKind
from profiles.operations import profile_for, set_availability, set_languages
from reputation.figures import designer_record
from errors import DomainError, InvalidTransition, NotFound
from tests.cases.factories import design_file, drive, make_case
from tests.catalogue.factories import make_designer, make_listing
from tests.factories import make_user
from tests.statements import statements as _statements

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def _say(conversation, sender, at, kind=MessageKind.text):
    db.session.add(Message(conversation_id=conversation.id, sender_id=sender.id, body="…", kind=kind, created_at=at))
    conversation.last_message_at = at
    db.session.flush()


def test_response_time_is_the_median_first_reply_and_ignores_automatic_replies():
    designer = make_designer()
    for minutes in (10, 30, 600):
        lab = make_user()
        conversation = open_general_conversation(lab, designer)
        _say(conversation, lab, MONDAY)
        _say(conversation, designer, MONDAY + timedelta(seconds=5), MessageKind.auto_reply)  # "Full": no answer
        _say(conversation, designer, MONDAY + timedelta(minutes=minutes))
    unanswered = open_general_conversation(make_user(), designer)
    _say(unanswered, unanswered.other_participants(designer.id)[0].user, MONDAY)
    commit()
    record = designer_record(designer)
    assert record.response_minutes == 30 and record.response_sample == 3


def test_figures_wait_for_enough_data():
    record = designer_record(make_designer())
    assert record.response_minutes is None and record.on_time_rate is None and record.seated_rate is None


def test_on_time_delivery_counts_working_days_from_acceptance():
    designer = make_designer()
    lab = make_user()
    for late_by in (timedelta(0), timedelta(hours=-3), timedelta(hours=2)):
        case = make_case(lab, designer, now=MONDAY)
        process.accept_case(case, actor=designer, now=MONDAY)  # 2 working days: due Wednesday 09:00
        process.deliver_case(
            case, actor=designer, note="done", files=[design_file(designer)], now=MONDAY + timedelta(days=2) + late_by
        )
        commit()
    overdue = make_case(lab, designer, now=MONDAY)
    process.accept_case(overdue, actor=designer, now=MONDAY)  # never delivered, past due: late
    commit()
    record = designer_record(designer, now=MONDAY + timedelta(days=10))
    assert (record.on_time_rate, record.on_time_sample) == (50, 4)


def test_completed_cases_and_repeat_clients():
    designer = make_designer()
    loyal, once, never = make_user(), make_user(), make_user()
    drive(make_case(loyal, designer), CaseState.completed)
    drive(make_case(loyal, designer), CaseState.completed)
    drive(make_case(once, designer), CaseState.in_progress)
    drive(make_case(never, designer), CaseState.rejected)  # never accepted: not a client of the designer
    record = designer_record(designer)
    assert (record.completed, record.clients, record.repeat_clients) == (2, 2, 1)


def _completed_case(designer=None, client=None):
    designer = designer or make_designer()
    client = client or make_user()
    return drive(make_case(client, designer), CaseState.completed)


def test_sub_ratings_and_clinical_outcomes_feed_the_designer_figures(client, login):
    designer = make_designer(name="Elena CAD")
    for fit, outcome in ((5, ClinicalOutcome.seated), (4, ClinicalOutcome.seated), (3, ClinicalOutcome.remade)):
        case = _completed_case(designer)
        review = reviews.post_review(
            case,
            actor=case.client,
            stars=5,
            text="",
            sub_ratings={"fit": fit, "margins": 4, "aesthetics": None, "communication": 5},
        )
        reviews.record_outcome(review, actor=case.client, outcome=outcome)
        commit()
    record = designer_record(designer)
    assert record.sub_ratings == {"fit": 4.0, "margins": 4.0, "communication": 5.0}
    assert record.outcomes == {"seated": 2, "remade": 1} and record.seated_rate == 67
    page = client.get(f"/designers/{designer.id}").get_data(as_text=True)
    assert 'data-figure="fit"' in page and "★ 4.0" in page and "67 %" in page
    assert "2 seated as designed, 0 after adjustments, 1 remade" in page  # the hover explanation


def test_dental_ratings_are_the_clients_and_an_outcome_is_recorded_once():
    case = _completed_case()
    with pytest.raises(DomainError):
        reviews.post_review(case, actor=case.designer, stars=5, sub_ratings={"fit": 5})
    with pytest.raises(DomainError):
        reviews.post_review(case, actor=case.client, stars=5, sub_ratings={"fit": 7})
    review = reviews.post_review(case, actor=case.client, stars=4, sub_ratings={"fit": 5})
    reviews.record_outcome(review, actor=case.client, outcome=ClinicalOutcome.adjusted)
    with pytest.raises(InvalidTransition):
        reviews.record_outcome(review, actor=case.client, outcome=ClinicalOutcome.seated)
    with pytest.raises(NotFound):
        reviews.record_outcome(review, actor=case.designer, outcome=ClinicalOutcome.seated)


def test_the_review_form_and_outcome_form_on_the_case_page(client, login):
    case = _completed_case()
    login(case.client)
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Margins and contacts" in page
    client.post(
        f"/cases/{case.reference}/review",
        data={"review-stars": "5", "review-fit": "4", "review-margins": "5", "review-text": "Great fit"},
    )
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Once the design is in the mouth" in page
    client.post(f"/cases/{case.reference}/outcome", data={"outcome-outcome": "seated"})
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Clinical outcome: Seated as designed" in page and "Once the design is in the mouth" not in page


def test_listing_page_shows_the_track_record_reviews_of_the_service_and_a_message_button(client, login):
    designer = make_designer(name="Elena CAD")
    listing = make_listing(designer)
    set_languages(profile_for(designer), actor=designer, languages=["fr", "en"])
    case = make_case(make_user(), designer)
    case.listing_id = listing.id
    commit()
    case = drive(case, CaseState.completed)
    reviews.post_review(case, actor=case.client, stars=5, text="Tight contacts, quick.")
    commit()
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "Tight contacts, quick." in page and 'data-figure="response"' in page
    assert "English, French" in page or "English" in page
    assert "Log in to message the designer" in page
    login(make_user())
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert f"/messages/start?user_id={designer.id}&amp;listing_id={listing.id}" in page
    profile_page = client.get(f"/designers/{designer.id}").get_data(as_text=True)
    assert f"/messages/start?user_id={designer.id}" in profile_page


def test_the_order_page_has_ask_a_question(client, login):
    listing = make_listing(make_designer())
    login(make_user())
    order_url = client.get(f"/cases/new?listing_id={listing.id}").location
    page = client.get(order_url).get_data(as_text=True)
    assert "Ask a question" in page and f"listing_id={listing.id}" in page


def test_a_message_from_a_listing_takes_it_as_subject(client, login):
    designer = make_designer()
    crowns, bridges = make_listing(designer), make_listing(designer, title="Bridges in exocad", subcategory="coping")
    lab = make_user()
    login(lab)
    client.post(f"/messages/start?user_id={designer.id}&listing_id={crowns.id}", data={"body": "Hello"})
    # from another listing: the start page again, and the conversation is about that listing now
    page = client.get(f"/messages/start?user_id={designer.id}&listing_id={bridges.id}")
    assert page.status_code == 200
    response = client.post(
        f"/messages/start?user_id={designer.id}&listing_id={bridges.id}", data={"body": "And bridges?"}
    )
    assert "About: Bridges in exocad" in client.get(response.location).get_data(as_text=True)


def test_the_conversation_shows_the_designers_public_and_private_services_for_this_client(client, login):
    designer = make_designer(name="Elena CAD")
    make_listing(designer, title="Public zirconia crowns")
    lab, other_lab = make_user(), make_user()
    make_listing(designer, title="Crowns for this lab only", private_client=lab, subcategory="anatomic_crown")
    make_listing(designer, title="Crowns for another lab", private_client=other_lab, subcategory="anatomic_crown")
    conversation = open_general_conversation(lab, designer)
    commit()
    login(lab)
    page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "Public zirconia crowns" in page and "Crowns for this lab only" in page
    assert "Crowns for another lab" not in page


def test_the_client_profile_is_for_designers_the_client_contacted(client, login):
    lab = make_user(name="Northside Lab")
    requested, messaged, stranger = make_designer(), make_designer(), make_designer()
    case = make_case(lab, requested)
    conversation = open_general_conversation(lab, messaged)
    _say(conversation, lab, MONDAY)
    past = drive(make_case(lab, make_designer()), CaseState.completed)
    reviews.post_review(past, actor=past.designer, stars=4, text="Clear prescriptions")
    drive(make_case(lab, make_designer()), CaseState.disputed)
    commit()
    for designer in (requested, messaged):
        login(designer)
        page = client.get(f"/clients/{lab.id}").get_data(as_text=True)
        assert "Clear prescriptions" in page and "★ 4.0" in page
        assert 'data-figure="disputes"' in page
        client.post("/account/logout")
    login(requested)
    assert f"/clients/{lab.id}" in client.get(f"/cases/{case.reference}").get_data(as_text=True)
    client.post("/account/logout")
    for outsider in (stranger, make_user()):
        login(outsider)
        assert client.get(f"/clients/{lab.id}").status_code == 404
        client.post("/account/logout")


def test_new_pages_run_a_fixed_number_of_queries(client, login):
    designer = make_designer()
    listing = make_listing(designer)
    lab = make_user()
    conversation = open_general_conversation(lab, designer)
    _say(conversation, lab, MONDAY)
    commit()

    def add_history():
        case = make_case(lab, designer)
        case.listing_id = listing.id
        commit()
        case = drive(case, CaseState.completed)
        reviews.post_review(case, actor=lab, stars=5, sub_ratings={"fit": 5})
        reviews.post_review(case, actor=designer, stars=5)
        commit()

    add_history()
    login(lab)
    client.get(f"/messages/{conversation.id}")  # the first visit also marks the messages read
    small = {
        url: _statements(client, url)
        for url in (f"/listings/{listing.id}", f"/designers/{designer.id}", f"/messages/{conversation.id}")
    }
    client.post("/account/logout")
    login(designer)
    small_client = _statements(client, f"/clients/{lab.id}")
    for _ in range(3):
        add_history()
    assert _statements(client, f"/clients/{lab.id}") == small_client
    client.post("/account/logout")
    login(lab)
    assert {url: _statements(client, url) for url in small} == small


def test_a_full_designer_answers_a_message_from_a_listing_automatically(client, login):
    designer = make_designer()
    listing = make_listing(designer)
    set_availability(profile_for(designer), actor=designer, unavailable=True)
    commit()
    login(make_user())
    response = client.post(
        f"/messages/start?user_id={designer.id}&listing_id={listing.id}", data={"body": "Crowns for next week?"}
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "Automatic reply" in page and "currently unavailable" in page
