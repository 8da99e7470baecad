"""Reading custom offers: where each one stands, a conversation's offers, offers waiting for a client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from extensions import db
from models.accounts import User
from models.offers import CustomOffer, OfferState
from models.profiles import ReviewState
from models.types import utcnow
from offers.operations import is_approved

# What an offer card says, beyond its stored state: an open offer is "in_review" until the
# moderators approve its listing, "ready" to accept after, "refused" when they rejected it.
IN_REVIEW, READY, REFUSED = "in_review", "ready", "refused"


def offer_status(offer: CustomOffer, now: datetime | None = None) -> str:
    """One of OfferState's values, or in_review / ready / refused for an open offer."""
    if offer.state != OfferState.open:
        return offer.state.value
    if offer.expires_at <= (now or utcnow()):
        return OfferState.expired.value  # the sweep has not passed yet: it is over all the same
    if offer.listing.state == ReviewState.rejected:
        return REFUSED
    return READY if is_approved(offer) else IN_REVIEW


def conversation_offers(conversation_id: int) -> list[CustomOffer]:
    """Every offer of a conversation, oldest first, with its listing (one statement)."""
    return list(
        db.session.scalars(
            sa.select(CustomOffer)
            .where(CustomOffer.conversation_id == conversation_id)
            .options(joinedload(CustomOffer.listing))
            .order_by(CustomOffer.created_at, CustomOffer.id)
        )
    )


@dataclass(frozen=True)
class WaitingOffer:
    offer: CustomOffer
    status: str  # READY or IN_REVIEW


def offers_waiting_for(client: User, *, limit: int = 20) -> list[WaitingOffer]:
    """Open, unexpired offers made to the client, those ready to accept first, then newest
    first: what the client home lists under "offers to answer" (one statement)."""
    now = utcnow()
    rows = db.session.scalars(
        sa.select(CustomOffer)
        .where(CustomOffer.client_id == client.id, CustomOffer.state == OfferState.open, CustomOffer.expires_at > now)
        .options(joinedload(CustomOffer.listing), joinedload(CustomOffer.designer))
        .order_by(CustomOffer.created_at.desc(), CustomOffer.id.desc())
        .limit(limit)
    )
    waiting = [WaitingOffer(o, offer_status(o, now)) for o in rows]
    waiting = [w for w in waiting if w.status in (READY, IN_REVIEW)]
    return sorted(waiting, key=lambda w: w.status != READY)
