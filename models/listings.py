"""Listings (a designer's services), their price tiers, favourites and the catalogue projection.

A listing's columns are the designer's working copy. `approved_snapshot` is the version a
moderator approved, which clients see and order from; a live listing whose edit waits for
review keeps showing its approved version. `CatalogueEntry` is that approved version laid
flat for search (one row per approved listing), written only by listings.operations and kept
in step with its designer by listings.catalogue_sync.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.profiles import ReviewState
from models.types import UTCDateTime, enum_column, utcnow


class PricingUnit(enum.Enum):
    unit = "unit"  # per tooth / unit
    arch = "arch"  # per arch


class Listing(db.Model):
    __tablename__ = "listings"

    id: Mapped[int] = mapped_column(primary_key=True)
    designer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    category: Mapped[str] = mapped_column(sa.String(40))  # listings.taxonomy code
    subcategory: Mapped[str] = mapped_column(sa.String(60))  # listings.taxonomy code, within the category
    description: Mapped[str] = mapped_column(sa.Text, default="")
    software: Mapped[list] = mapped_column(sa.JSON, default=list)  # listings.taxonomy software codes
    revisions_included: Mapped[int] = mapped_column(default=2)
    turnaround_days: Mapped[int] = mapped_column(default=2)
    unit: Mapped[PricingUnit] = mapped_column(enum_column(PricingUnit, "pricing_unit"), default=PricingUnit.unit)
    min_quantity: Mapped[int] = mapped_column(default=1)
    currency: Mapped[str] = mapped_column(sa.String(3), default="usd")
    # A private listing is made for one client (negotiated price): only they and the designer see it.
    private_client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[ReviewState] = mapped_column(enum_column(ReviewState, "listing_state"), default=ReviewState.draft)
    paused: Mapped[bool] = mapped_column(default=False)  # unpublished by the designer; resumes without review
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rejection_reasons: Mapped[list] = mapped_column(sa.JSON, default=list)
    rejection_note: Mapped[str | None] = mapped_column(sa.Text)
    approved_snapshot: Mapped[dict | None] = mapped_column(sa.JSON)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    designer: Mapped[User] = relationship(foreign_keys=[designer_id])
    private_client: Mapped[User | None] = relationship(foreign_keys=[private_client_id])
    tiers: Mapped[list["PriceTier"]] = relationship(
        back_populates="listing", cascade="all, delete-orphan", order_by="PriceTier.min_quantity"
    )

    __table_args__ = (
        # One public listing per category/subcategory per designer …
        sa.Index(
            "uq_listings_designer_subcategory_public",
            "designer_id",
            "category",
            "subcategory",
            unique=True,
            sqlite_where=sa.text("private_client_id IS NULL"),
            postgresql_where=sa.text("private_client_id IS NULL"),
        ),
        # … and one private listing per category/subcategory per designer and client.
        sa.UniqueConstraint(
            "designer_id",
            "category",
            "subcategory",
            "private_client_id",
            name="uq_listings_designer_subcategory_client",
        ),
        sa.CheckConstraint("revisions_included >= 0", name="revisions_not_negative"),
        sa.CheckConstraint("turnaround_days >= 1", name="turnaround_positive"),
        sa.CheckConstraint("min_quantity >= 1", name="min_quantity_positive"),
        # The review queue: one state, due first.
        sa.Index("ix_listings_queue", "state", "submitted_at", "id"),
    )

    @property
    def public(self) -> dict | None:
        """The approved version clients see and order from (None until a first approval)."""
        return self.approved_snapshot

    @property
    def is_private(self) -> bool:
        return self.private_client_id is not None


class PriceTier(db.Model):
    """From `min_quantity` units (or arches) on, each costs the client `unit_price_cents`."""

    __tablename__ = "price_tiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    min_quantity: Mapped[int] = mapped_column()
    unit_price_cents: Mapped[int] = mapped_column()

    listing: Mapped[Listing] = relationship(back_populates="tiers")

    __table_args__ = (
        sa.UniqueConstraint("listing_id", "min_quantity"),
        sa.CheckConstraint("unit_price_cents >= 0", name="price_not_negative"),
        sa.CheckConstraint("min_quantity >= 1", name="tier_quantity_positive"),
    )


class Favourite(db.Model):
    """A client's heart on a listing: the favourites page is the client's remote team."""

    __tablename__ = "favourites"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CatalogueEntry(db.Model):
    """The approved version of one listing, flat, for search and cards (kept by listings.search)."""

    __tablename__ = "catalogue_entries"

    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True)
    designer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text)
    skills: Mapped[str] = mapped_column(sa.Text, default="")  # the designer's approved skills
    software_names: Mapped[str] = mapped_column(sa.Text, default="")  # for full-text search
    software_codes: Mapped[str] = mapped_column(sa.String(400), default="")  # "|exocad|3shape|" for filters
    designer_names: Mapped[str] = mapped_column(sa.Text, default="")  # for full-text search: who offers it
    category_words: Mapped[str] = mapped_column(sa.Text, default="")  # category labels in every language
    category: Mapped[str] = mapped_column(sa.String(40), index=True)
    subcategory: Mapped[str] = mapped_column(sa.String(60))
    unit: Mapped[PricingUnit] = mapped_column(enum_column(PricingUnit, "entry_pricing_unit"))
    from_price_cents: Mapped[int] = mapped_column()  # the lowest unit price: "from $4"
    turnaround_days: Mapped[int] = mapped_column()
    revisions_included: Mapped[int] = mapped_column()
    private_client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    paused: Mapped[bool] = mapped_column(default=False)
    cover_token: Mapped[str | None] = mapped_column(sa.String(32))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The designer's side, copied from their profile and account whenever those change
    # (listings.catalogue_sync), so a search page reads this one table: whether the designer
    # meets the live rule (profile approved, identity verified, payouts ready, account active),
    # their availability, and the ranking inputs (Pro and the rating are computed from these).
    listed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    unavailable: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    review_count: Mapped[int] = mapped_column(default=0, server_default="0")
    stars_total: Mapped[int] = mapped_column(default=0, server_default="0")

    __table_args__ = (
        sa.CheckConstraint("from_price_cents >= 0", name="from_price_not_negative"),
        # What every search reads first, in the default order's inputs: counting and ranking
        # the public listings never leave this index.
        sa.Index(
            "ix_catalogue_entries_ranking",
            "listed",
            "paused",
            "private_client_id",
            "review_count",
            "stars_total",
            "approved_at",
            "listing_id",
        ),
    )


# PostgreSQL full-text search: each row's words as a stored tsvector ('simple' configuration),
# computed by the database whenever the row is written, under a GIN index. Matching and ranking
# read the stored value instead of recomputing to_tsvector per row. PostgreSQL only, so the
# column is not mapped (SQLite has FTS5 below); migration 20261210_catalogue_document adds it.
CATALOGUE_DOCUMENT_SQL = (
    "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(description, '') || ' ' "
    "|| coalesce(skills, '') || ' ' || coalesce(software_names, '') || ' ' || "
    "coalesce(designer_names, '') || ' ' || coalesce(category_words, ''))"
)
_POSTGRESQL_DOCUMENT = [
    f"ALTER TABLE catalogue_entries ADD COLUMN document tsvector GENERATED ALWAYS AS ({CATALOGUE_DOCUMENT_SQL}) STORED",
    "CREATE INDEX ix_catalogue_entries_document ON catalogue_entries USING gin (document)",
]
for _statement in _POSTGRESQL_DOCUMENT:
    sa.event.listen(CatalogueEntry.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="postgresql"))

# SQLite full-text search: an FTS5 index over catalogue_entries, kept in step by triggers, so
# the embedded database answers the same queries as PostgreSQL's GIN index above.
_FTS_COLUMNS = ("title", "description", "skills", "software_names", "designer_names", "category_words")
_NEW = ", ".join(f"new.{c}" for c in _FTS_COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in _FTS_COLUMNS)
_COLS = ", ".join(_FTS_COLUMNS)
_SQLITE_FTS = [
    f"CREATE VIRTUAL TABLE catalogue_fts USING fts5({_COLS}, "
    "content='catalogue_entries', content_rowid='listing_id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER catalogue_fts_insert AFTER INSERT ON catalogue_entries BEGIN "
    f"INSERT INTO catalogue_fts(rowid, {_COLS}) VALUES (new.listing_id, {_NEW}); END",
    "CREATE TRIGGER catalogue_fts_delete AFTER DELETE ON catalogue_entries BEGIN "
    f"INSERT INTO catalogue_fts(catalogue_fts, rowid, {_COLS}) VALUES ('delete', old.listing_id, {_OLD}); END",
    "CREATE TRIGGER catalogue_fts_update AFTER UPDATE ON catalogue_entries BEGIN "
    f"INSERT INTO catalogue_fts(catalogue_fts, rowid, {_COLS}) VALUES ('delete', old.listing_id, {_OLD}); "
    f"INSERT INTO catalogue_fts(rowid, {_COLS}) VALUES (new.listing_id, {_NEW}); END",
]
for _statement in _SQLITE_FTS:
    sa.event.listen(CatalogueEntry.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="sqlite"))
sa.event.listen(
    CatalogueEntry.__table__, "before_drop", sa.DDL("DROP TABLE IF EXISTS catalogue_fts").execute_if(dialect="sqlite")
)
