"""Custom offers: sent in a conversation, reviewed as a private listing, accepted into the order page,
withdrawn, replaced or expired; nobody else sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from extensions import commit, db
from jobs.sweep import run_sweeps
from listings import operations as listing_ops
from messaging.threads import open_general_conversation
from models.listings import Listing
from models.messaging import Notification
from models.offers import CustomOffer, OfferPricing, OfferState
from models.profiles import ReviewState
from models.types import utcnow
from screening.contact_filter import ContactDetailsRefused
from offers import operations
from offers.queries import IN_REVIEW, READY, offer_status, offers_waiting_for
from errors import DomainError, InvalidTransition, NotFound
from tests.catalogue.factories import make_designer, make_listing, moderator
from tests.factories import make_user


@pytest.fixture
def talk():
    designer = make_designer(name="Elena CAD")
    service = make_listing(designer)  # zirconia crowns at $9.00 a unit
    lab = make_user(name="Northside Lab")
    conversation = open_general_conversation(lab, designer, listing_id=service.id, subject="Zirconia crowns")
    commit()
    return designer, service, lab, conversation


def _terms(service, **fields):
    values = dict(
        source_listing_id=service.id,
        units=4,
        pricing=OfferPricing.total,
        tiers=[],
        total_cents=3000,
        turnaround_days=3,
        revisions_included=1,
        expires_in_days=7,
        note="Four crowns as discussed.",
    )
    values.update(fields)
    return operations.OfferTerms(**values)


def _fresh(offer):
    return db.session.get(CustomOffer, offer.id, populate_existing=True)


def _approve(offer):
    listing_ops.approve_listing(db.session.get(Listing, offer.listing_id), actor=moderator())
    commit()


def _form(service, **fields):
    data = {
        "source_listing_id": service.id,
        "units": 4,
        "pricing": "total",
        "total": "30.00",
        "turnaround_days": 3,
        "revisions_included": 1,
        "expires_in_days": 7,
        "note": "Four crowns.",
    }
    data.update(fields)
    return data


def test_an_offer_goes_through_review_then_opens_the_order_page(client, login, talk):
    designer, service, lab, conversation = talk
    login(designer)
    response = client.post(f"/messages/{conversation.id}/offer", data=_form(service))
    assert response.status_code == 302
    offer = db.session.scalar(db.select(CustomOffer))
    listing = db.session.get(Listing, offer.listing_id)
    # a private listing for this client, copied from the service, waiting for review, not orderable
    assert listing.private_client_id == lab.id and listing.state == ReviewState.pending and listing.paused
    assert listing.description == service.description and listing.min_quantity == 4
    assert [[t.min_quantity, t.unit_price_cents] for t in listing.tiers] == [[4, 750]]
    assert (
        db.session.scalar(
            db.select(Notification).where(Notification.user_id == lab.id, Notification.event == "offer_new")
        )
        is not None
    )
    client.post("/account/logout")

    login(lab)
    page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "Custom offer" in page and "$30.00" in page and "A moderator reviews this offer" in page
    assert "Accept offer" not in page
    refused = client.post(f"/offers/{offer.id}/accept", follow_redirects=True).get_data(as_text=True)
    assert "still reviewing" in refused
    assert client.get(f"/listings/{listing.id}").status_code == 404  # not theirs to order yet

    _approve(offer)
    page = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "Accept offer" in page
    accepted = client.post(f"/offers/{offer.id}/accept")
    assert accepted.status_code == 302 and f"/cases/new?listing_id={listing.id}" in accepted.location
    assert _fresh(offer).state == OfferState.accepted
    assert client.get(accepted.location).status_code == 303  # the order page issues its one-time token
    assert client.get(f"/listings/{listing.id}").status_code == 200
    # accepting twice is refused with a message, nothing changes
    again = client.post(f"/offers/{offer.id}/accept", follow_redirects=True).get_data(as_text=True)
    assert "already accepted" in again


def test_a_total_that_does_not_split_into_cents_is_refused_with_the_nearest_totals(talk):
    designer, service, _lab, conversation = talk
    with pytest.raises(DomainError) as refused:
        operations.send_offer(conversation, actor=designer, terms=_terms(service, units=3, total_cents=1000))
    assert "$9.99 or $10.02" in refused.value.message
    with pytest.raises(DomainError):
        operations.send_offer(conversation, actor=designer, terms=_terms(service, units=1, total_cents=600))
    assert db.session.scalar(db.select(db.func.count()).select_from(CustomOffer)) == 0


def test_tier_prices_follow_the_listing_rules(talk):
    designer, service, _lab, conversation = talk
    offer = operations.send_offer(
        conversation,
        actor=designer,
        terms=_terms(service, pricing=OfferPricing.tiers, total_cents=None, units=2, tiers=[(2, 800), (10, 650)]),
    )
    assert offer.tiers == [[2, 800], [10, 650]] and offer.total_cents is None
    with pytest.raises(DomainError):
        operations.send_offer(
            conversation,
            actor=designer,
            terms=_terms(service, pricing=OfferPricing.tiers, total_cents=None, units=2, tiers=[(2, 800), (10, 900)]),
        )


def test_a_bad_form_shows_the_message_and_sends_nothing(client, login, talk):
    designer, service, _lab, conversation = talk
    login(designer)
    page = client.post(f"/messages/{conversation.id}/offer", data=_form(service, units=3, total="10.00"))
    assert page.status_code == 200 and "does not split" in page.get_data(as_text=True)
    page = client.post(f"/messages/{conversation.id}/offer", data=_form(service, note="call me at +33 6 12 34 56 78"))
    assert page.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(CustomOffer)) == 0


def test_contact_details_in_the_note_are_refused(talk):
    designer, service, _lab, conversation = talk
    with pytest.raises(ContactDetailsRefused):
        operations.send_offer(conversation, actor=designer, terms=_terms(service, note="mail me: elena@gmail.com"))


def test_nobody_else_sees_or_answers_an_offer(client, login, talk):
    designer, service, lab, conversation = talk
    offer = operations.send_offer(conversation, actor=designer, terms=_terms(service))
    commit()
    _approve(offer)
    other_lab, other_designer = make_user(), make_designer()
    login(other_lab)
    assert client.post(f"/offers/{offer.id}/accept").status_code == 404
    assert client.post(f"/offers/{offer.id}/withdraw").status_code == 404
    assert client.get(f"/listings/{offer.listing_id}").status_code == 404
    client.post("/account/logout")
    login(other_designer)
    assert client.get(f"/messages/{conversation.id}/offer").status_code == 404
    client.post("/account/logout")
    login(lab)  # the client cannot send offers in their own conversation
    assert client.get(f"/messages/{conversation.id}/offer").status_code == 404
    with pytest.raises(NotFound):
        operations.withdraw_offer(offer, actor=lab)


def test_withdrawn_replaced_and_expired_offers_cannot_be_accepted(talk):
    designer, service, lab, conversation = talk
    first = operations.send_offer(conversation, actor=designer, terms=_terms(service))
    commit()
    second = operations.send_offer(conversation, actor=designer, terms=_terms(service, total_cents=2800))
    commit()
    assert db.session.get(CustomOffer, first.id).state == OfferState.replaced
    assert first.listing_id == second.listing_id  # one private listing per service and client
    _approve(second)
    with pytest.raises(InvalidTransition):
        operations.accept_offer(db.session.get(CustomOffer, first.id), actor=lab)
    operations.withdraw_offer(second, actor=designer)
    commit()
    with pytest.raises(InvalidTransition, match="withdrew"):
        operations.accept_offer(second, actor=lab)

    third = operations.send_offer(conversation, actor=designer, terms=_terms(service, expires_in_days=2))
    commit()
    assert offer_status(third) == IN_REVIEW
    done = run_sweeps(utcnow() + timedelta(days=2, minutes=1))
    assert done["offers.operations:expire_offers"] == 1
    assert db.session.get(CustomOffer, third.id).state == OfferState.expired
    with pytest.raises(InvalidTransition, match="expired"):
        operations.accept_offer(db.session.get(CustomOffer, third.id), actor=lab)


def test_offers_waiting_for_a_client_put_the_ready_ones_first(talk):
    designer, service, lab, conversation = talk
    ready = operations.send_offer(conversation, actor=designer, terms=_terms(service))
    commit()
    _approve(ready)
    other = make_designer()
    other_service = make_listing(other)
    in_review = operations.send_offer(open_general_conversation(lab, other), actor=other, terms=_terms(other_service))
    commit()
    waiting = offers_waiting_for(lab)
    assert [(w.offer.id, w.status) for w in waiting] == [(ready.id, READY), (in_review.id, IN_REVIEW)]
    assert offers_waiting_for(make_user()) == []


def test_the_client_home_lists_the_offers_to_answer(client, login, talk):
    designer, service, lab, conversation = talk
    login(lab)
    assert "Offers to answer" not in client.get("/home").get_data(as_text=True)
    offer = operations.send_offer(conversation, actor=designer, terms=_terms(service))
    commit()
    page = client.get("/home").get_data(as_text=True)
    assert "Offers to answer" in page and "in review by a moderator" in page
    assert f'href="/messages/{conversation.id}#offer{offer.id}"' in page and "$30.00" in page
    _approve(offer)
    assert "ready to accept" in client.get("/home").get_data(as_text=True)


def test_only_a_client_account_receives_offers(talk):
    designer, service, _lab, _conversation = talk
    colleague = make_designer()
    conversation = open_general_conversation(colleague, designer)
    with pytest.raises(DomainError):
        operations.send_offer(conversation, actor=designer, terms=_terms(service))


def test_an_offer_the_moderators_refuse_says_so_and_cannot_be_accepted(talk):
    designer, service, lab, conversation = talk
    offer = operations.send_offer(conversation, actor=designer, terms=_terms(service))
    commit()
    listing_ops.reject_listing(
        db.session.get(Listing, offer.listing_id),
        actor=moderator(),
        reasons=["missing_prices"],
        note="Price not credible",
    )
    commit()
    assert offer_status(_fresh(offer)) == "refused"
    with pytest.raises(InvalidTransition):
        operations.accept_offer(_fresh(offer), actor=lab)
