"""State changes of listings. Each one flushes; the caller's unit of work commits.

Lifecycle of the working copy: draft → pending (submit_listing) → approved (approve_listing)
or rejected (reject_listing, reasons + note) → edited (draft) → pending … The designer may
pause and resume an approved listing at any time (no review). Approval copies the working
copy into `approved_snapshot` and the catalogue: clients always see the last approved
version, so a live listing whose edit waits for review keeps showing what was approved.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts.operations import find_by_email
from audit.trail import record_action
from errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import db
from listings import search, taxonomy
from listings.permissions import can_design, can_edit_listing, can_favourite, can_moderate
from listings.pricing import Tier
from listings.rules import LISTING_REJECTION_REASONS, MAX_LISTING_IMAGES, missing_for_review
from listings.visibility import can_view
from messaging.mail import public_link, send_mail
from models.accounts import User
from models.listings import CatalogueEntry, Favourite, Listing, PriceTier, PricingUnit
from models.moderation import ViolationSource
from models.profiles import CatalogueImage, DesignerProfile, ImagePurpose
from models.types import utcnow
from profiles import images as image_rules
from profiles.review_process import MODERATOR, OWNER, Words, clear_rejection, rejected, review_process
from profiles.review_process import ReviewAction as A
from transitions import Move
from screening.contact_filter import screen_text


@dataclass
class ListingDraft:
    """What the editor sends: shape already checked by the form, rules checked here."""

    title: str
    category: str
    subcategory: str
    description: str
    software: list[str]
    revisions_included: int
    turnaround_days: int
    unit: PricingUnit
    min_quantity: int
    tiers: list[Tier]


def _locked(listing: Listing) -> Listing:
    locked = db.session.get(Listing, listing.id, with_for_update=True, populate_existing=True)
    if locked is None:
        raise NotFound(_l("This listing does not exist."))
    return locked


def _owned(listing: Listing, actor: User) -> Listing:
    listing = _locked(listing)
    if not can_edit_listing(listing, actor):
        # Someone else's listing is not theirs to know about.
        raise NotFound(_l("This listing does not exist."))
    return listing


def _check(draft: ListingDraft) -> None:
    if not taxonomy.is_subcategory(draft.category, draft.subcategory):
        raise DomainError(_l("Choose a category and subcategory from the list."), field="subcategory")
    unknown = [c for c in draft.software if c not in taxonomy.SOFTWARE]
    if unknown:
        raise DomainError(_l("Choose software from the list."), field="software")


def _taken(designer_id: int, draft: ListingDraft, private_client_id: int | None, other_than: int | None) -> bool:
    query = sa.select(Listing.id).where(
        Listing.designer_id == designer_id, Listing.category == draft.category, Listing.subcategory == draft.subcategory
    )
    query = query.where(
        Listing.private_client_id.is_(None)
        if private_client_id is None
        else Listing.private_client_id == private_client_id
    )
    if other_than is not None:
        query = query.where(Listing.id != other_than)
    return db.session.scalar(query) is not None


_ONE_PER_SUBCATEGORY = _l(
    "You already have a listing in this category and subcategory: edit that one instead. "
    "A designer offers one listing per category/subcategory."
)


def _apply(listing: Listing, draft: ListingDraft) -> None:
    for name in (
        "title",
        "category",
        "subcategory",
        "description",
        "software",
        "revisions_included",
        "turnaround_days",
        "unit",
        "min_quantity",
    ):
        setattr(listing, name, getattr(draft, name))
    if listing.tiers:
        # Old tiers go first: a new tier may reuse a quantity (unique per listing).
        listing.tiers.clear()
        db.session.flush()
    listing.tiers.extend(
        PriceTier(min_quantity=t.min_quantity, unit_price_cents=t.unit_price_cents) for t in draft.tiers
    )


def _flush_unique(listing: Listing) -> None:
    """Flush; a racing twin in the same subcategory hits the unique index and becomes a form error."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as exc:
        text = str(exc.orig)
        if "uq_listings_designer_subcategory" in text or "listings.designer_id, listings.category" in text:
            raise DomainError(_ONE_PER_SUBCATEGORY, field="subcategory") from None
        raise


def create_listing(designer: User, *, actor: User, draft: ListingDraft, private_client: User | None = None) -> Listing:
    """Create a draft listing (private when made for one client; that choice is final).

    Raises PermissionDenied (not a designer acting for themselves), DomainError (unknown
    category or software, a listing already in this subcategory, a private client who is not
    a client), ContactDetailsRefused (contact details in the text).
    """
    if not can_design(actor) or actor.id != designer.id:
        raise PermissionDenied(_l("Only designers create listings."))
    _check(draft)
    if private_client is not None and (not private_client.is_client or private_client.id == designer.id):
        raise DomainError(
            _l("A private listing is made for a client account other than yours."), field="private_client"
        )
    private_id = private_client.id if private_client is not None else None
    if _taken(designer.id, draft, private_id, None):
        raise DomainError(_ONE_PER_SUBCATEGORY, field="subcategory")
    screen_text(
        {"title": draft.title, "description": draft.description},
        author=actor,
        source=ViolationSource.listing,
        source_ref="listing:new",
    )
    listing = Listing(designer_id=designer.id, private_client_id=private_id, rejection_reasons=[])
    _apply(listing, draft)
    db.session.add(listing)
    _flush_unique(listing)
    record_action("listing.created", listing, actor=actor, after={"state": "draft"})
    return listing


def update_listing(listing: Listing, *, actor: User, draft: ListingDraft) -> Listing:
    """Save edits to the working copy; a new review is needed, the approved version stays public.

    Raises NotFound (not the owner), DomainError, ContactDetailsRefused as create_listing.
    """
    listing = _owned(listing, actor)
    _check(draft)
    if _taken(listing.designer_id, draft, listing.private_client_id, listing.id):
        raise DomainError(_ONE_PER_SUBCATEGORY, field="subcategory")
    screen_text(
        {"title": draft.title, "description": draft.description},
        author=actor,
        source=ViolationSource.listing,
        source_ref=f"listing:{listing.id}",
    )
    _apply(listing, draft)
    LISTING_REVIEW.apply(listing, A.edit, role=OWNER, actor=actor, locked=True)
    _flush_unique(listing)
    return listing


def listing_images(listing: Listing) -> list[CatalogueImage]:
    return list(
        db.session.scalars(
            sa.select(CatalogueImage)
            .where(CatalogueImage.listing_id == listing.id, CatalogueImage.removed_at.is_(None))
            .order_by(CatalogueImage.position, CatalogueImage.id)
        )
    )


def add_listing_image(listing: Listing, *, actor: User, raw: bytes) -> CatalogueImage:
    """Check, re-encode and attach a CAD design picture. Raises DomainError; nothing is kept then."""
    listing = _owned(listing, actor)
    current = listing_images(listing)
    if len(current) >= MAX_LISTING_IMAGES:
        raise DomainError(
            _l("A listing has at most %(n)d pictures; remove one first.", n=MAX_LISTING_IMAGES), field="images"
        )
    clean = image_rules.clean_image(raw)
    image = CatalogueImage(
        token=secrets.token_urlsafe(16),
        owner_id=listing.designer_id,
        listing_id=listing.id,
        purpose=ImagePurpose.listing,
        content_type=clean.content_type,
        width=clean.width,
        height=clean.height,
        data=clean.data,
        thumb=clean.thumb,
        position=len(current),
    )
    db.session.add(image)
    LISTING_REVIEW.apply(listing, A.edit, role=OWNER, actor=actor, locked=True)
    db.session.flush()
    return image


def remove_listing_image(listing: Listing, *, actor: User, token: str) -> None:
    """Take a picture off the working copy (the approved version keeps it until the next approval)."""
    listing = _owned(listing, actor)
    image = next((i for i in listing_images(listing) if i.token == token), None)
    if image is None:
        raise NotFound(_l("This picture does not exist."))
    image.removed_at = utcnow()
    LISTING_REVIEW.apply(listing, A.edit, role=OWNER, actor=actor, locked=True)
    db.session.flush()


def submit_listing(listing: Listing, *, actor: User) -> Listing:
    """Send the working copy for review. Raises NotFound, InvalidTransition, DomainError (what is missing)."""
    listing = _owned(listing, actor)
    return LISTING_REVIEW.apply(listing, A.submit, role=OWNER, actor=actor, locked=True).obj


def _submitted(listing: Listing, **_params) -> None:
    missing = missing_for_review(listing, listing_images(listing))
    if missing:
        raise DomainError(_l("Before sending this listing for review, add: %(missing)s.", missing=", ".join(missing)))
    listing.submitted_at = utcnow()


def approve_listing(listing: Listing, *, actor: User, bulk: bool = False) -> Listing:
    """Make the pending working copy the version clients see, and tell the designer.

    The listing goes live once the other conditions hold too (listings.visibility).
    Raises PermissionDenied (not a moderator), InvalidTransition (not pending).
    """
    role = MODERATOR if can_moderate(actor) else None
    return LISTING_REVIEW.apply(listing, A.approve, role=role, actor=actor, bulk=bulk).obj


def _approved(listing: Listing, **_params) -> None:
    pictures = listing_images(listing)
    listing.approved_snapshot = {
        "title": listing.title,
        "category": listing.category,
        "subcategory": listing.subcategory,
        "description": listing.description,
        "software": list(listing.software),
        "revisions_included": listing.revisions_included,
        "turnaround_days": listing.turnaround_days,
        "unit": listing.unit.value,
        "min_quantity": listing.min_quantity,
        "currency": listing.currency,
        "tiers": [[t.min_quantity, t.unit_price_cents] for t in listing.tiers],
        "images": [i.token for i in pictures],
    }
    listing.approved_at = utcnow()
    clear_rejection(listing)
    db.session.execute(
        sa.delete(CatalogueImage).where(CatalogueImage.listing_id == listing.id, CatalogueImage.removed_at.is_not(None))
    )


def _publish(move: Move) -> None:
    listing = move.obj
    profile = db.session.scalar(sa.select(DesignerProfile).where(DesignerProfile.user_id == listing.designer_id))
    search.publish_entry(listing, profile)


def reject_listing(listing: Listing, *, actor: User, reasons: list[str], note: str) -> Listing:
    """Refuse the pending working copy with reasons (LISTING_REJECTION_REASONS codes) and a note.

    A previously approved version stays public. Raises PermissionDenied, InvalidTransition,
    DomainError (no reason or an unknown one).
    """
    if not reasons or any(r not in LISTING_REJECTION_REASONS for r in reasons):
        raise DomainError(_l("Choose at least one reason from the list."), field="reasons")
    role = MODERATOR if can_moderate(actor) else None
    return LISTING_REVIEW.apply(listing, A.reject, role=role, actor=actor, reasons=reasons, note=note).obj


def _tell_designer(listing: Listing, *, approved: bool) -> None:
    user = listing.designer
    send_mail(
        user.email,
        "listing_decision",
        locale=user.locale,
        user=user,
        listing=listing,
        approved=approved,
        reasons=[LISTING_REJECTION_REASONS[r] for r in listing.rejection_reasons],
        note=listing.rejection_note,
        link=public_link("listings.show", listing_id=listing.id),
    )


LISTING_REVIEW = review_process(
    "listing",
    lock=_locked,
    words=Words(
        already_pending=_l("This listing is already waiting for review."),
        approved_as_is=_l("This listing is approved as it is; edit it to send changes."),
        not_pending=lambda state: _l("This listing is not waiting for review (it is %(state)s).", state=state),
        denied=_l("Only moderators decide on listings."),
    ),
    fields={A.submit: _submitted, A.approve: _approved, A.reject: rejected},
    publish=_publish,
    tell_owner=_tell_designer,
)


def set_listing_paused(listing: Listing, *, actor: User, paused: bool) -> Listing:
    """Unpublish (pause) or republish the listing; no review is needed. Raises NotFound, InvalidTransition."""
    listing = _owned(listing, actor)
    if listing.paused == paused:
        raise InvalidTransition(_l("This listing is already paused.") if paused else _l("This listing is not paused."))
    listing.paused = paused
    entry = db.session.get(CatalogueEntry, listing.id)
    if entry is not None:
        entry.paused = paused
    db.session.flush()
    record_action(
        "listing.paused" if paused else "listing.resumed",
        listing,
        actor=actor,
        before={"paused": not paused},
        after={"paused": paused},
    )
    return listing


def toggle_favourite(listing: Listing, *, actor: User) -> bool:
    """Heart or un-heart a listing the client can see; returns whether it is now a favourite.

    Raises PermissionDenied (not a client account), NotFound (a listing they may not see).
    """
    if not can_favourite(actor):
        raise PermissionDenied(_l("Favourites are for client accounts."))
    if not can_view(listing, actor) or listing.designer_id == actor.id:
        raise NotFound(_l("This listing does not exist."))
    existing = db.session.get(Favourite, (actor.id, listing.id))
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Favourite(user_id=actor.id, listing_id=listing.id))
    except sa.exc.IntegrityError:
        pass  # a double click already added it: it is a favourite either way
    return True


def private_client_named(name_or_email: str) -> User:
    """The client account a private listing is for: by e-mail, or by its exact display name.

    Raises DomainError when no client has this name or several do.
    """
    text = name_or_email.strip()
    user = find_by_email(text) if "@" in text else None
    if user is None:
        matches = db.session.scalars(
            sa.select(User).where(sa.func.lower(User.display_name) == text.lower(), User.is_client.is_(True)).limit(2)
        ).all()
        if len(matches) > 1:
            raise DomainError(
                _l("Several clients have this name: type their e-mail address instead."), field="private_client"
            )
        user = matches[0] if matches else None
    if user is None or not user.is_client:
        raise DomainError(_l("No client account has this name or e-mail address."), field="private_client")
    return user


def offer_listing(source: Listing, *, actor: User, client: User, draft: ListingDraft) -> Listing:
    """The private listing that carries a custom offer's terms, sent for review, kept paused.

    Made from `source`, the designer's approved listing of the same service: a new private
    listing copies its approved text and pictures; an existing private listing for this client
    in that subcategory takes the new terms (a re-review of an edit). It stays paused, so the
    client cannot order it, until the client accepts the offer (open_offer_listing).
    Raises NotFound (not the designer's approved listing), DomainError, ContactDetailsRefused.
    """
    if source.designer_id != actor.id or source.approved_snapshot is None or source.is_private:
        raise NotFound(_l("This listing does not exist."))
    existing = db.session.scalar(
        sa.select(Listing).where(
            Listing.designer_id == actor.id,
            Listing.private_client_id == client.id,
            Listing.category == draft.category,
            Listing.subcategory == draft.subcategory,
        )
    )
    if existing is None:
        listing = create_listing(actor, actor=actor, draft=draft, private_client=client)
        _copy_approved_pictures(source, listing)
    else:
        listing = update_listing(existing, actor=actor, draft=draft)
    listing.paused = True
    entry = db.session.get(CatalogueEntry, listing.id)
    if entry is not None:
        entry.paused = True
    return submit_listing(listing, actor=actor)


def _copy_approved_pictures(source: Listing, target: Listing) -> None:
    tokens = (source.approved_snapshot or {}).get("images", [])
    originals = {
        i.token: i
        for i in db.session.scalars(
            sa.select(CatalogueImage)
            .where(CatalogueImage.token.in_(tokens or ["-"]))
            .options(sa.orm.undefer(CatalogueImage.data), sa.orm.undefer(CatalogueImage.thumb))
        )
    }
    for position, token in enumerate(t for t in tokens if t in originals):
        image = originals[token]
        db.session.add(
            CatalogueImage(
                token=secrets.token_urlsafe(16),
                owner_id=target.designer_id,
                listing_id=target.id,
                purpose=ImagePurpose.listing,
                content_type=image.content_type,
                width=image.width,
                height=image.height,
                data=image.data,
                thumb=image.thumb,
                position=position,
            )
        )
    db.session.flush()


def open_offer_listing(listing: Listing) -> Listing:
    """Unpause the private listing of an offer its client accepted (they order from it now)."""
    listing = _locked(listing)
    listing.paused = False
    entry = db.session.get(CatalogueEntry, listing.id)
    if entry is not None:
        entry.paused = False
    db.session.flush()
    return listing
