"""Find a designer: full-text search and filters over the approved versions of listings.

CatalogueEntry holds each approved listing flat; this module keeps it in step (publish_entry,
refresh_designer_entries) and queries it. Full text runs on PostgreSQL's tsvector (a stored
column under a GIN index, 'simple' configuration) or SQLite's FTS5 (unicode61). Both get the same
query built from the same terms — every word must appear, as a word or the start of one
("crown" finds "crowns"), or one of its equivalents from the bilingual dental vocabulary
(listings/vocabulary.py: "couronne" finds crowns, "e.max" finds emax, "zirconnia" finds
zirconia) — so the two databases answer the same ids for the same data. Besides the listing's
text, the designer's name and the category's labels in both languages are searched.
A page costs a fixed number of SQL statements whatever its size: count, page, favourites.
Counting and ranking read catalogue_entries alone: each row carries its designer's side of the
live rule and the ranking inputs (listings.catalogue_sync keeps them), under one index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from extensions import db
from listings import catalogue_sync  # noqa: F401 - registers the session event keeping the copy search reads
from listings import pricing, taxonomy, vocabulary
from listings.visibility import listed_condition, public_condition
from models.accounts import User
from models.listings import CatalogueEntry, Favourite, Listing, PricingUnit
from models.profiles import DesignerProfile
from pagination import PageNumbers
from profiles import is_pro, pro_condition

PAGE_SIZE = 12
MAX_TERMS = 8
SORTS = ("relevance", "rating", "price", "turnaround")
# PostgreSQL: the stored tsvector of each row (models.listings, GIN-indexed), read as it is.
DOCUMENT_SQL = "catalogue_entries.document"


# --- keeping the catalogue in step with approvals ------------------------------------------


def publish_entry(listing: Listing, profile: DesignerProfile | None) -> CatalogueEntry:
    """Write (or rewrite) the catalogue row of a listing from its approved snapshot."""
    snap = listing.approved_snapshot
    tiers = pricing.public_tiers(listing)
    entry = db.session.get(CatalogueEntry, listing.id) or CatalogueEntry(listing_id=listing.id)
    entry.designer_id = listing.designer_id
    entry.title = snap["title"]
    entry.description = snap["description"]
    entry.skills = _profile_skills(profile)
    entry.software_names = " ".join(taxonomy.software_names(snap["software"]))
    entry.software_codes = "|" + "|".join(snap["software"]) + "|"
    entry.designer_names = _designer_names(listing.designer_id)
    entry.category_words = taxonomy.category_words(snap["category"], snap["subcategory"])
    entry.category, entry.subcategory = snap["category"], snap["subcategory"]
    entry.unit = PricingUnit(snap["unit"])
    entry.from_price_cents = pricing.from_price_cents(tiers)
    entry.turnaround_days = snap["turnaround_days"]
    entry.revisions_included = snap["revisions_included"]
    entry.private_client_id = listing.private_client_id
    entry.paused = listing.paused
    entry.cover_token = (snap["images"] or [None])[0]
    entry.approved_at = listing.approved_at
    db.session.add(entry)
    db.session.flush()
    return entry


def _profile_skills(profile: DesignerProfile | None) -> str:
    if profile is None or not profile.approved_snapshot:
        return ""
    return " ".join(profile.approved_snapshot.get("skills", []))


def _designer_names(designer_id: int) -> str:
    """The names a client may search a designer by: their public display name."""
    return db.session.scalar(sa.select(User.display_name).where(User.id == designer_id)) or ""


def refresh_designer_entries(designer_id: int) -> int:
    """Copy the designer's newly approved skills and current name into each of their catalogue rows."""
    profile = db.session.scalar(sa.select(DesignerProfile).where(DesignerProfile.user_id == designer_id))
    entries = db.session.scalars(sa.select(CatalogueEntry).where(CatalogueEntry.designer_id == designer_id)).all()
    names = _designer_names(designer_id)
    for entry in entries:
        entry.skills = _profile_skills(profile)
        entry.designer_names = names
    db.session.flush()
    return len(entries)


# --- searching ------------------------------------------------------------------------------


@dataclass
class SearchQuery:
    text: str = ""
    category: str | None = None
    subcategory: str | None = None
    software: str | None = None
    min_price_cents: int | None = None
    max_price_cents: int | None = None
    max_turnaround_days: int | None = None
    min_rating: float | None = None
    pro: bool = False
    verified: bool = False
    available: bool = False
    private: bool = False
    favourites: bool = False
    sort: str = "relevance"
    page: int = 1


@dataclass
class Card:
    """What a result card shows: the approved listing and its designer's public facts."""

    listing_id: int
    designer_id: int
    designer_name: str
    title: str
    category: str
    subcategory: str
    unit: str
    from_price_cents: int
    turnaround_days: int
    revisions_included: int
    cover_token: str | None
    photo_token: str | None
    rating: float | None
    review_count: int
    pro: bool
    verified: bool
    full: bool
    private: bool
    favourite: bool = False


@dataclass
class ResultPage(PageNumbers):
    cards: list[Card]
    total: int
    page: int
    per_page: int = PAGE_SIZE
    terms: list[vocabulary.Term] = field(default_factory=list)


def terms_of(text: str) -> list[vocabulary.Term]:
    """The terms of a query with their equivalents; words are cut as both databases tokenise
    them (letters and digits), so only those characters ever reach a query string."""
    return vocabulary.expand(text, max_terms=MAX_TERMS, name_words=public_name_words)


def public_name_words() -> list[str]:
    """The words of the names of designers with a public listing: what a mistyped name may be
    close to (one statement, run only for a query word that is no vocabulary word)."""
    rows = db.session.scalars(
        _card_rows()
        .where(public_condition(), CatalogueEntry.private_client_id.is_(None))
        .with_only_columns(CatalogueEntry.designer_names)
        .distinct()
    )
    return sorted({word for names in rows for word in vocabulary.words_of(names or "")})


def tsquery_text(terms: list[vocabulary.Term]) -> str:
    """PostgreSQL: every term, each as any of its alternatives, the last word as a prefix.
    Its parser keeps "e.max" as one lexeme where SQLite sees two words, so a phrase is also
    asked for joined by a dot: both databases then find the same listings."""

    def alternative(phrase: tuple[str, ...]) -> str:
        words = " <-> ".join(f"'{w}'" for w in phrase[:-1]) + (" <-> " if len(phrase) > 1 else "")
        spelled = f"({words}'{phrase[-1]}':*)"
        return spelled + (f" | '{'.'.join(phrase)}':*" if len(phrase) > 1 else "")

    return " & ".join("(" + " | ".join(alternative(p) for p in t.alternatives) + ")" for t in terms)


def fts5_query_text(terms: list[vocabulary.Term]) -> str:
    """SQLite FTS5: the same query, a phrase in quotes with a prefix star."""
    return " AND ".join("(" + " OR ".join(f'"{" ".join(p)}"*' for p in t.alternatives) + ")" for t in terms)


def _with_text_match(statement, terms: list[vocabulary.Term]):
    """The statement narrowed to entries holding every term, and a relevance (smaller ranks first)."""
    if db.engine.dialect.name == "postgresql":
        tsquery = sa.func.to_tsquery("simple", tsquery_text(terms))
        document = sa.literal_column(DOCUMENT_SQL)
        return statement.where(document.op("@@")(tsquery)), -sa.func.ts_rank(document, tsquery)
    fts = sa.table("catalogue_fts", sa.column("rowid"), sa.column("rank"))
    # MATERIALIZED: the index runs once and its matches drive the join. Inlined, SQLite walks
    # the catalogue's ranking index and asks FTS5 about each row, one MATCH per listing.
    matched = (
        sa.select(fts.c.rowid.label("listing_id"), fts.c.rank.label("rank"))
        .where(sa.text("catalogue_fts MATCH :fts_query").bindparams(fts_query=fts5_query_text(terms)))
        .cte("fts")
        .prefix_with("MATERIALIZED")
    )
    return statement.join(matched, matched.c.listing_id == CatalogueEntry.listing_id), matched.c.rank


def _filtered(query: SearchQuery, viewer: User | None):
    """The SELECT listing_id FROM catalogue WHERE <visible and filters>, and its relevance."""
    viewer_id = viewer.id if viewer is not None and viewer.is_authenticated else None
    statement = sa.select(CatalogueEntry.listing_id).where(listed_condition())
    if query.private:
        # A client's own private listings; nobody else's ever.
        statement = (
            statement.where(CatalogueEntry.private_client_id == viewer_id) if viewer_id else statement.where(sa.false())
        )
    else:
        statement = statement.where(CatalogueEntry.private_client_id.is_(None))
    if query.favourites:
        statement = (
            statement.where(
                CatalogueEntry.listing_id.in_(sa.select(Favourite.listing_id).where(Favourite.user_id == viewer_id))
            )
            if viewer_id
            else statement.where(sa.false())
        )
    if query.category:
        statement = statement.where(CatalogueEntry.category == query.category)
    if query.subcategory:
        statement = statement.where(CatalogueEntry.subcategory == query.subcategory)
    if query.software:
        statement = statement.where(CatalogueEntry.software_codes.contains(f"|{query.software}|", autoescape=True))
    if query.min_price_cents is not None:
        statement = statement.where(CatalogueEntry.from_price_cents >= query.min_price_cents)
    if query.max_price_cents is not None:
        statement = statement.where(CatalogueEntry.from_price_cents <= query.max_price_cents)
    if query.max_turnaround_days:
        statement = statement.where(CatalogueEntry.turnaround_days <= query.max_turnaround_days)
    if query.min_rating:
        # average ≥ x  ⇔  stars_total ≥ x × review_count, in exact integers (tenths of a star).
        statement = statement.where(
            CatalogueEntry.review_count > 0,
            CatalogueEntry.stars_total * 10 >= int(round(query.min_rating * 10)) * CatalogueEntry.review_count,
        )
    if query.pro:
        statement = statement.where(_pro())
    # query.verified narrows nothing: a listed designer's identity is verified (the live rule).
    if query.available:
        statement = statement.where(CatalogueEntry.unavailable.is_(False))
    relevance = None
    terms = terms_of(query.text)
    if terms:
        statement, relevance = _with_text_match(statement, terms)
    return statement, relevance, terms


def search(query: SearchQuery, viewer: User | None) -> ResultPage:
    """One page of cards, Pro designers first, then the chosen order; always four statements
    (count, the page's ids, its cards, the viewer's hearts among them)."""
    statement, relevance, terms = _filtered(query, viewer)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))
    page = max(1, min(query.page, max(1, -(-total // PAGE_SIZE))))
    rating = sa.case(
        (
            CatalogueEntry.review_count > 0,
            sa.cast(CatalogueEntry.stars_total, sa.Float) / CatalogueEntry.review_count,
        ),
        else_=0.0,
    )
    order = [sa.case((_pro(), 0), else_=1)]
    if query.sort == "rating":
        order += [rating.desc(), CatalogueEntry.review_count.desc()]
    elif query.sort == "price":
        order += [CatalogueEntry.from_price_cents.asc()]
    elif query.sort == "turnaround":
        order += [CatalogueEntry.turnaround_days.asc()]
    elif relevance is not None:
        order += [relevance.asc()]
    else:
        order += [rating.desc()]
    order += [CatalogueEntry.approved_at.desc(), CatalogueEntry.listing_id.desc()]
    # Sort narrow rows (ids), then load the page's cards: the sorter never carries whole rows.
    ids = db.session.scalars(statement.order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    cards = _cards(ids)
    mark_favourites(cards, viewer)
    return ResultPage(cards, total, page, terms=terms)


def _pro():
    """The Pro rule over the ranking inputs a catalogue row carries."""
    return pro_condition(CatalogueEntry.review_count, CatalogueEntry.stars_total)


def _card_rows():
    return (
        sa.select(CatalogueEntry, DesignerProfile, User.display_name)
        .join(DesignerProfile, DesignerProfile.user_id == CatalogueEntry.designer_id)
        .join(User, User.id == CatalogueEntry.designer_id)
    )


def _cards(ids: list[int]) -> list[Card]:
    """The cards of these listings, in this order (one statement)."""
    if not ids:
        return []
    rows = {
        entry.listing_id: (entry, profile, name)
        for entry, profile, name in db.session.execute(_card_rows().where(CatalogueEntry.listing_id.in_(ids)))
    }
    return [to_card(*rows[i]) for i in ids if i in rows]


def matching_ids(query: SearchQuery, viewer: User | None) -> list[int]:
    """Every matching listing id, ascending (the cross-database test compares these)."""
    statement, _relevance, _terms = _filtered(query, viewer)
    return sorted(db.session.scalars(statement).all())


def to_card(entry: CatalogueEntry, profile: DesignerProfile, designer_name: str) -> Card:
    snapshot = profile.approved_snapshot or {}
    return Card(
        entry.listing_id,
        entry.designer_id,
        designer_name,
        entry.title,
        entry.category,
        entry.subcategory,
        entry.unit.value,
        entry.from_price_cents,
        entry.turnaround_days,
        entry.revisions_included,
        entry.cover_token,
        snapshot.get("photo"),
        profile.rating_average,
        profile.review_count,
        is_pro(profile),
        profile.identity_verified,
        profile.unavailable,
        entry.private_client_id is not None,
    )


def mark_favourites(cards: list[Card], viewer: User | None) -> None:
    """Set each card's heart in one statement."""
    if not cards or viewer is None or not viewer.is_authenticated:
        return
    hearts = set(
        db.session.scalars(
            sa.select(Favourite.listing_id).where(
                Favourite.user_id == viewer.id, Favourite.listing_id.in_([c.listing_id for c in cards])
            )
        )
    )
    for card in cards:
        card.favourite = card.listing_id in hearts


def favourite_cards(viewer: User, page: int = 1) -> ResultPage:
    """The client's team: their favourited listings that are visible to them, newest heart first."""
    statement = (
        sa.select(CatalogueEntry, DesignerProfile, User.display_name)
        .join(DesignerProfile, DesignerProfile.user_id == CatalogueEntry.designer_id)
        .join(User, User.id == CatalogueEntry.designer_id)
        .join(Favourite, sa.and_(Favourite.listing_id == CatalogueEntry.listing_id, Favourite.user_id == viewer.id))
        .where(
            public_condition(),
            sa.or_(CatalogueEntry.private_client_id.is_(None), CatalogueEntry.private_client_id == viewer.id),
        )
    )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))
    rows = db.session.execute(
        statement.order_by(Favourite.created_at.desc(), CatalogueEntry.listing_id.desc())
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    ).all()
    cards = [to_card(entry, profile, name) for entry, profile, name in rows]
    for card in cards:
        card.favourite = True
    return ResultPage(cards, total, max(page, 1))


def _designer_cards_statement(with_private: bool) -> sa.Select:
    """A designer's live listings (`designer_id`), and with `with_private` those made for `viewer_id`."""
    audience = CatalogueEntry.private_client_id.is_(None)
    if with_private:
        audience = sa.or_(audience, CatalogueEntry.private_client_id == sa.bindparam("viewer_id"))
    return (
        sa.select(CatalogueEntry, DesignerProfile, User.display_name)
        .join(DesignerProfile, DesignerProfile.user_id == CatalogueEntry.designer_id)
        .join(User, User.id == CatalogueEntry.designer_id)
        .where(public_condition(), CatalogueEntry.designer_id == sa.bindparam("designer_id"), audience)
        .order_by(
            CatalogueEntry.private_client_id.is_(None), CatalogueEntry.from_price_cents, CatalogueEntry.listing_id
        )
    )


# Built once each (building a statement costs more than running it): every conversation's side
# column and every profile page ask.
_DESIGNER_CARDS = {False: _designer_cards_statement(False), True: _designer_cards_statement(True)}


def designer_cards(designer_id: int, viewer: User | None, *, with_private: bool = False) -> list[Card]:
    """A designer's public listings for their profile page, cheapest first; `with_private`
    adds the live private listings made for the viewer (a conversation's side column)."""
    viewer_id = viewer.id if viewer is not None and viewer.is_authenticated else None
    private = with_private and viewer_id is not None
    rows = db.session.execute(_DESIGNER_CARDS[private], {"designer_id": designer_id, "viewer_id": viewer_id})
    cards = [to_card(entry, profile, name) for entry, profile, name in rows]
    mark_favourites(cards, viewer)
    return cards
