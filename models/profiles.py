"""Designer profiles and the public images of the catalogue (profile pictures, portfolio, listings).

A profile has a working copy (the columns the designer edits) and, once a moderator has
approved it, an approved snapshot: what clients see. Editing an approved profile never
hides it; the edit waits for review while the approved version stays public.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.types import UTCDateTime, enum_column, utcnow


class ReviewState(enum.Enum):
    """Where the working copy of a profile or listing stands with the moderators."""

    draft = "draft"  # being written, or edited since the last decision; not sent for review
    pending = "pending"  # sent for review; a moderator approves or rejects it
    approved = "approved"  # this exact version was approved and is the public one
    rejected = "rejected"  # refused with reasons and a note; the owner fixes it and resubmits


class ImagePurpose(enum.Enum):
    photo = "photo"  # the designer's professional photo
    banner = "banner"  # the wide picture at the top of the public profile
    portfolio = "portfolio"  # a picture of the designer's work on the profile
    listing = "listing"  # a CAD design picture of one listing


class DesignerProfile(db.Model):
    __tablename__ = "designer_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    # Working copy, edited by the designer. Real name and tax ID go on invoices, never on the page.
    real_name: Mapped[str] = mapped_column(sa.String(120), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="")
    tax_id: Mapped[str] = mapped_column(sa.String(40), default="")
    headline: Mapped[str] = mapped_column(sa.String(120), default="")
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    skills: Mapped[list] = mapped_column(sa.JSON, default=list)
    software: Mapped[list] = mapped_column(sa.JSON, default=list)  # taxonomy software codes
    experience: Mapped[str] = mapped_column(sa.Text, default="")
    education: Mapped[str] = mapped_column(sa.Text, default="")
    # Languages spoken (profiles.LANGUAGES codes): picked from a list, so shown without review.
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Review of the working copy.
    state: Mapped[ReviewState] = mapped_column(enum_column(ReviewState, "profile_state"), default=ReviewState.draft)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rejection_reasons: Mapped[list] = mapped_column(sa.JSON, default=list)
    rejection_note: Mapped[str | None] = mapped_column(sa.Text)
    # The public version: set by approve_profile only.
    approved_snapshot: Mapped[dict | None] = mapped_column(sa.JSON)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Conditions set by other processes (KYC verifier, Stripe payouts) and by the designer.
    identity_verified: Mapped[bool] = mapped_column(default=False)
    identity_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    payouts_ready: Mapped[bool] = mapped_column(default=False)
    unavailable: Mapped[bool] = mapped_column(default=False)  # "Unavailable for work": cards say Full
    # When "Unavailable for work" was last switched on (None while available): each conversation
    # gets the automatic "Full" reply once in that spell.
    unavailable_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Reputation, kept by record_review_score: exact integers, the average is stars_total / review_count.
    stars_total: Mapped[int] = mapped_column(default=0)
    review_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()

    __table_args__ = (
        sa.CheckConstraint("stars_total >= 0 AND review_count >= 0", name="reputation_not_negative"),
        sa.CheckConstraint("stars_total <= 5 * review_count", name="stars_within_five"),
        # The review queue: one state, due first (a page of 10,000 waiting read from the index).
        sa.Index("ix_designer_profiles_queue", "state", "submitted_at", "id"),
    )

    @property
    def rating_average(self) -> float | None:
        return round(self.stars_total / self.review_count, 2) if self.review_count else None

    @property
    def has_approved_version(self) -> bool:
        return self.approved_at is not None


class CatalogueImage(db.Model):
    """A public picture, re-encoded by profiles.images (no EXIF/GPS), served by its random token.

    The bytes live in the row: pictures are small once re-encoded (≤ 2000 px JPEG/WebP) and
    public, so they need neither encryption nor the file store. A removed picture keeps its
    row while an approved snapshot still shows it; the next approval drops it.
    """

    __tablename__ = "catalogue_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(32), unique=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int | None] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[ImagePurpose] = mapped_column(enum_column(ImagePurpose, "image_purpose"))
    content_type: Mapped[str] = mapped_column(sa.String(40))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    thumb: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
