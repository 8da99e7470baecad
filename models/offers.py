"""Custom offers: terms a designer proposes to one client inside their conversation.

An offer becomes a private listing for that client (created or updated from the designer's
own listing of the same service), which goes through the moderators' review like any listing
change. The client accepts an open offer once that version is approved; accepting opens the
order page prefilled. An open offer may be withdrawn by its designer, replaced by a newer
offer for the same service, or expire (the minute sweep).
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.listings import Listing, PricingUnit
from models.types import UTCDateTime, enum_column, utcnow


class OfferState(enum.Enum):
    open = "open"  # sent; the client may accept it once its private listing is approved
    accepted = "accepted"  # the client accepted: the order page opened with these terms
    withdrawn = "withdrawn"  # the designer took it back; its private listing is paused
    expired = "expired"  # not accepted before `expires_at`; its private listing is paused
    replaced = "replaced"  # a newer offer for the same service and client took its place


class OfferPricing(enum.Enum):
    tiers = "tiers"  # a price per unit (or arch), possibly lower from a quantity on
    total = "total"  # one price for `units` units, charged as units × an exact unit price


class CustomOffer(db.Model):
    __tablename__ = "custom_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(sa.ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    designer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The private listing that carries the offer's terms (reviewed by the moderators).
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    # The designer's listing of the same service the offer was made from.
    source_listing_id: Mapped[int | None] = mapped_column(sa.ForeignKey("listings.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(sa.String(120))
    units: Mapped[int] = mapped_column()
    unit: Mapped[PricingUnit] = mapped_column(enum_column(PricingUnit, "offer_pricing_unit"))
    pricing: Mapped[OfferPricing] = mapped_column(enum_column(OfferPricing, "offer_pricing"))
    tiers: Mapped[list] = mapped_column(sa.JSON, default=list)  # [[from quantity, unit price cents], ...]
    total_cents: Mapped[int | None] = mapped_column()
    currency: Mapped[str] = mapped_column(sa.String(3), default="usd")
    turnaround_days: Mapped[int] = mapped_column()
    revisions_included: Mapped[int] = mapped_column()
    note: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[OfferState] = mapped_column(
        enum_column(OfferState, "offer_state"), default=OfferState.open, index=True
    )
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    designer: Mapped[User] = relationship(foreign_keys=[designer_id])
    client: Mapped[User] = relationship(foreign_keys=[client_id])
    listing: Mapped[Listing] = relationship(foreign_keys=[listing_id])

    __table_args__ = (
        sa.CheckConstraint("units >= 1", name="units_positive"),
        sa.CheckConstraint("turnaround_days >= 1", name="turnaround_positive"),
        sa.CheckConstraint("revisions_included >= 0", name="revisions_not_negative"),
        sa.CheckConstraint("total_cents IS NULL OR total_cents > 0", name="total_positive"),
        sa.CheckConstraint("(pricing = 'total') = (total_cents IS NOT NULL)", name="total_given_for_total"),
        sa.CheckConstraint("designer_id <> client_id", name="not_own_offer"),
    )
