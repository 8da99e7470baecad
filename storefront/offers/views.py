"""Custom offers in a conversation: the designer's offer form, the client's accept, the
designer's withdraw. Rules live in offers/; views translate them to pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from errors import DomainError
from extensions import commit, db
from listings.pricing import public_tiers
from models.listings import Listing
from models.messaging import Conversation, ConversationKind
from models.offers import CustomOffer
from offers import operations
from offers.queries import offer_status
from profiles.permissions import can_design
from screening.contact_filter import ContactDetailsRefused
from storefront.contact_refusal import keep_refused_attempt
from storefront.form_errors import show_domain_error
from storefront.offers.forms import OfferForm

bp = Blueprint("offers", __name__)
bp.add_app_template_global(offer_status, "offer_status")


def _offer_conversation(conversation_id: int) -> Conversation:
    """A general conversation of the signed-in designer with one client; anything else is a 404."""
    conversation = db.session.get(Conversation, conversation_id)
    if (
        conversation is None
        or conversation.kind != ConversationKind.general
        or not can_design(current_user)
        or conversation.participant(current_user.id) is None
    ):
        abort(404)
    others = [p.user for p in conversation.other_participants(current_user.id)]
    if len(others) != 1 or not others[0].is_client:
        abort(404)
    return conversation


def services_of(designer_id: int) -> list[Listing]:
    """The designer's approved public listings: the services an offer is made from."""
    return list(
        db.session.scalars(
            sa.select(Listing)
            .where(
                Listing.designer_id == designer_id,
                Listing.private_client_id.is_(None),
                Listing.approved_at.is_not(None),
            )
            .order_by(Listing.title)
        )
    )


@bp.route("/messages/<int:conversation_id>/offer", methods=["GET", "POST"])
@login_required
def new_offer(conversation_id: int):
    conversation = _offer_conversation(conversation_id)
    client = conversation.other_participants(current_user.id)[0].user
    services = services_of(current_user.id)
    form = OfferForm()
    form.source_listing_id.choices = [(s.id, s.approved_snapshot["title"]) for s in services]
    refusal = None
    if services and form.validate_on_submit():
        try:
            operations.send_offer(conversation, actor=current_user, terms=form.terms())
        except ContactDetailsRefused as exc:
            keep_refused_attempt(exc)
            refusal = exc
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            flash(
                _(
                    "Your offer is sent. %(name)s can accept it once a moderator has approved it, usually "
                    "within a day.",
                    name=client.display_name,
                ),
                "success",
            )
            return redirect(url_for("messages.conversation", conversation_id=conversation.id))
    prices = {s.id: public_tiers(s)[0].unit_price_cents for s in services if public_tiers(s)}
    return render_template(
        "offers/new.html",
        form=form,
        conversation=conversation,
        client=client,
        services=services,
        prices=prices,
        refusal=refusal,
    ), 422 if refusal else 200


def _offer(offer_id: int) -> CustomOffer:
    offer = db.session.get(CustomOffer, offer_id)
    if offer is None or current_user.id not in (offer.client_id, offer.designer_id):
        abort(404)
    return offer


@bp.post("/offers/<int:offer_id>/accept")
@login_required
def accept(offer_id: int):
    offer = _offer(offer_id)
    try:
        offer = operations.accept_offer(offer, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("messages.conversation", conversation_id=offer.conversation_id))
    commit()
    flash(_("Offer accepted. Add your case instructions and files, then confirm the payment."), "success")
    return redirect(url_for("cases.new_case", listing_id=offer.listing_id))


@bp.post("/offers/<int:offer_id>/withdraw")
@login_required
def withdraw(offer_id: int):
    offer = _offer(offer_id)
    try:
        operations.withdraw_offer(offer, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        commit()
        flash(_("The offer is withdrawn."), "success")
    return redirect(url_for("messages.conversation", conversation_id=offer.conversation_id))
