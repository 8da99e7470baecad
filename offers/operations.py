"""State changes of custom offers: send, accept, withdraw, expire. Each one flushes; the caller commits.

    (state, action)      → next state   who
    (none, send)         → open         the designer, in a general conversation with a client
    (open, accept)       → accepted     the client, once the offer's private listing is approved
    (open, withdraw)     → withdrawn    the designer
    (open, expire)       → expired      the minute sweep, at `expires_at`
    (open, send another) → replaced     a newer offer for the same service and client

Sending makes (or updates) the private listing for that client through listings.operations,
which sends it to the moderators like any listing change; the listing stays paused until
the client accepts, so no one orders terms that were not accepted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from audit.trail import record_action
from errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import db
from listings import operations as listing_ops
from listings.pricing import Tier, normalise_tiers
from listings.visibility import missing_conditions
from messaging.notify import notify
from messaging.operations import conversation_url
from models.accounts import User
from models.listings import Listing, PricingUnit
from models.messaging import Conversation, ConversationKind
from models.moderation import ViolationSource
from models.offers import CustomOffer, OfferPricing, OfferState
from models.profiles import ReviewState
from models.types import utcnow
from payments.case_money import format_money
from payments.fees import MINIMUM_ORDER_CENTS
from profiles.permissions import can_design
from screening.contact_filter import screen_text

log = logging.getLogger(__name__)

MAX_UNITS = 500
MAX_TURNAROUND_DAYS = 60
MAX_REVISIONS = 10
MAX_EXPIRY_DAYS = 30
MAX_NOTE = 2000


@dataclass
class OfferTerms:
    """What the designer's offer form sends: shape checked by the form, rules checked here."""

    source_listing_id: int
    units: int
    pricing: OfferPricing
    tiers: list[tuple[int, int]]  # [(from quantity, unit price cents)] for OfferPricing.tiers
    total_cents: int | None  # for OfferPricing.total
    turnaround_days: int
    revisions_included: int
    expires_in_days: int
    note: str = ""


def _client_of(conversation: Conversation, actor: User) -> User:
    """The other party of a general conversation the designer takes part in."""
    if conversation.kind != ConversationKind.general or conversation.participant(actor.id) is None:
        raise NotFound(_l("This conversation does not exist."))
    others = [p.user for p in conversation.other_participants(actor.id)]
    if len(others) != 1 or not others[0].is_client or not others[0].is_active:
        raise DomainError(_l("Custom offers are sent to a client account."))
    return others[0]


def _range(value: int, low: int, high: int, message, field: str) -> int:
    if not isinstance(value, int) or not low <= value <= high:
        raise DomainError(message, field=field)
    return value


def _tiers_of(terms: OfferTerms) -> list[Tier]:
    if terms.pricing == OfferPricing.total:
        total = terms.total_cents or 0
        if total < MINIMUM_ORDER_CENTS:
            raise DomainError(_l("An offer is at least %(min)s.", min=format_money(MINIMUM_ORDER_CENTS)), field="total")
        if total % terms.units:
            # Cases are charged units × a unit price in cents: a total that does not split
            # exactly would be charged as another amount than the one the client read.
            low = total - total % terms.units
            raise DomainError(
                _l(
                    "%(total)s does not split into %(units)d equal prices in cents: offer %(low)s or %(high)s.",
                    total=format_money(total),
                    units=terms.units,
                    low=format_money(low),
                    high=format_money(low + terms.units),
                ),
                field="total",
            )
        return [Tier(terms.units, total // terms.units)]
    return normalise_tiers(terms.tiers, min_quantity=terms.units)


def send_offer(conversation: Conversation, *, actor: User, terms: OfferTerms) -> CustomOffer:
    """Send a custom offer to the client of a general conversation.

    Makes the private listing for that client from the designer's listing of the service and
    sends it for review; an open offer of the same service to the same client is replaced.
    Raises NotFound (not a participant, not the designer's approved listing), PermissionDenied
    (not a designer), DomainError (a term out of range, a price under the minimum, a total that
    does not split in cents), ContactDetailsRefused (contact details in the note).
    """
    if not can_design(actor) or not actor.is_active:
        raise PermissionDenied(_l("Only designers send custom offers."))
    client = _client_of(conversation, actor)
    source = db.session.get(Listing, terms.source_listing_id)
    if source is None or source.designer_id != actor.id or source.approved_snapshot is None or source.is_private:
        raise DomainError(_l("Choose one of your approved services."), field="source_listing_id")
    units = _range(terms.units, 1, MAX_UNITS, _l("From 1 to %(n)d units.", n=MAX_UNITS), "units")
    turnaround = _range(
        terms.turnaround_days,
        1,
        MAX_TURNAROUND_DAYS,
        _l("A turnaround from 1 to %(n)d days.", n=MAX_TURNAROUND_DAYS),
        "turnaround_days",
    )
    revisions = _range(
        terms.revisions_included,
        0,
        MAX_REVISIONS,
        _l("From 0 to %(n)d revisions.", n=MAX_REVISIONS),
        "revisions_included",
    )
    days = _range(
        terms.expires_in_days,
        1,
        MAX_EXPIRY_DAYS,
        _l("The offer stays open from 1 to %(n)d days.", n=MAX_EXPIRY_DAYS),
        "expires_in_days",
    )
    note = (terms.note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(_l("The note holds at most %(n)d characters.", n=MAX_NOTE), field="note")
    tiers = _tiers_of(terms)
    screen_text(
        {"note": note},
        author=actor,
        source=ViolationSource.message,
        source_ref=f"conversation:{conversation.id}",
        lang=actor.locale,
    )

    public = source.approved_snapshot
    draft = listing_ops.ListingDraft(
        title=public["title"],
        category=public["category"],
        subcategory=public["subcategory"],
        description=public["description"],
        software=list(public["software"]),
        revisions_included=revisions,
        turnaround_days=turnaround,
        unit=PricingUnit(public["unit"]),
        min_quantity=units,
        tiers=tiers,
    )
    listing = listing_ops.offer_listing(source, actor=actor, client=client, draft=draft)
    now = utcnow()
    for older in db.session.scalars(
        sa.select(CustomOffer)
        .where(CustomOffer.listing_id == listing.id, CustomOffer.state == OfferState.open)
        .with_for_update()
    ):
        older.state, older.decided_at = OfferState.replaced, now
    offer = CustomOffer(
        conversation_id=conversation.id,
        designer_id=actor.id,
        client_id=client.id,
        listing_id=listing.id,
        source_listing_id=source.id,
        title=public["title"],
        units=units,
        unit=PricingUnit(public["unit"]),
        pricing=terms.pricing,
        tiers=[[t.min_quantity, t.unit_price_cents] for t in tiers],
        total_cents=terms.total_cents if terms.pricing == OfferPricing.total else None,
        currency=listing.currency,
        turnaround_days=turnaround,
        revisions_included=revisions,
        note=note,
        expires_at=now + timedelta(days=days),
        created_at=now,
    )
    db.session.add(offer)
    conversation.last_message_at = now
    db.session.flush()
    record_action("offer.sent", offer, actor=actor, after={"listing": listing.id, "client": client.id})
    log.info("offer %s sent by %s to %s (listing %s)", offer.id, actor.id, client.id, listing.id)
    notify(
        client,
        "offer_new",
        title=_l("Custom offer from %(name)s", name=actor.display_name),
        body=public["title"],
        url=conversation_url(conversation),
    )
    return offer


def _locked(offer: CustomOffer) -> CustomOffer:
    locked = db.session.get(CustomOffer, offer.id, with_for_update=True, populate_existing=True)
    if locked is None:
        raise NotFound(_l("This offer does not exist."))
    return locked


_CLOSED = {
    OfferState.accepted: _l("This offer was already accepted."),
    OfferState.withdrawn: _l("The designer withdrew this offer."),
    OfferState.expired: _l("This offer has expired."),
    OfferState.replaced: _l("A newer offer replaced this one."),
}


def _open(offer: CustomOffer, now: datetime) -> None:
    if offer.state != OfferState.open:
        raise InvalidTransition(_CLOSED[offer.state])
    if offer.expires_at <= now:
        raise InvalidTransition(_CLOSED[OfferState.expired])


def is_approved(offer: CustomOffer) -> bool:
    """The moderators approved the listing version that carries this offer's terms."""
    listing = offer.listing
    return (
        listing.state == ReviewState.approved
        and listing.approved_at is not None
        and listing.approved_at >= offer.created_at
    )


def accept_offer(offer: CustomOffer, *, actor: User, now: datetime | None = None) -> CustomOffer:
    """The client accepts: the offer's private listing opens for them to order (the view
    then opens the order page prefilled with the offer's units).

    Raises NotFound (not the offer's client), InvalidTransition (not open, expired, still in
    review or refused by the moderators), DomainError (the designer cannot take orders now).
    """
    now = now or utcnow()
    offer = _locked(offer)
    if offer.client_id != actor.id:
        raise NotFound(_l("This offer does not exist."))
    _open(offer, now)
    if not is_approved(offer):
        raise InvalidTransition(
            _l("The moderators are still reviewing this offer; you can accept it once they approve it.")
        )
    if [c for c in missing_conditions(offer.listing) if c != "listing_paused"]:
        raise DomainError(_l("This designer cannot take orders at the moment."))
    listing_ops.open_offer_listing(offer.listing)
    offer.state, offer.decided_at = OfferState.accepted, now
    db.session.flush()
    record_action("offer.accepted", offer, actor=actor, before={"state": "open"}, after={"state": "accepted"})
    notify(
        offer.designer,
        "offer_accepted",
        title=_l("%(name)s accepted your offer", name=actor.display_name),
        body=offer.title,
        url=conversation_url(db.session.get(Conversation, offer.conversation_id)),
    )
    return offer


def withdraw_offer(offer: CustomOffer, *, actor: User, now: datetime | None = None) -> CustomOffer:
    """The designer takes back an open offer. Raises NotFound (not theirs), InvalidTransition (not open)."""
    now = now or utcnow()
    offer = _locked(offer)
    if offer.designer_id != actor.id:
        raise NotFound(_l("This offer does not exist."))
    _open(offer, now)
    offer.state, offer.decided_at = OfferState.withdrawn, now
    db.session.flush()
    record_action("offer.withdrawn", offer, actor=actor, before={"state": "open"}, after={"state": "withdrawn"})
    return offer


def expire_offers(now: datetime) -> int:
    """Sweep: open offers whose time is up become expired. Returns how many."""
    ids = list(
        db.session.scalars(
            sa.select(CustomOffer.id).where(CustomOffer.state == OfferState.open, CustomOffer.expires_at <= now)
        )
    )
    done = 0
    for offer_id in ids:
        offer = db.session.get(CustomOffer, offer_id, with_for_update=True, populate_existing=True)
        if offer is not None and offer.state == OfferState.open:  # decided meanwhile: left alone
            offer.state, offer.decided_at = OfferState.expired, now
            done += 1
    db.session.flush()
    return done
