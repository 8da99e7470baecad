"""Review queues for designer profiles and listings: what waits, what changed, what the filter sees,
and decisions taken under a claim.

The decisions themselves are profiles.operations / listings.operations (they notify the
owner); this module makes sure the reviewer holds the item (moderation.claims), releases the
claim afterwards, and offers the bulk approval of re-reviews of small edits (bulk_refusal).
A rejected item that its owner resubmits is `pending` again and re-enters the queue.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from extensions import db
from listings import operations as listing_operations
from listings.operations import listing_images
from models.accounts import User
from models.listings import Listing
from models.moderation import AuditEntry, RejectedVersion, Violation
from models.profiles import CatalogueImage, DesignerProfile, ReviewState
from moderation import claims, permissions
from nlp import find_contacts
from profiles import operations as profile_operations
from profiles.operations import live_images

PROFILE, LISTING = "profile", "listing"

PROFILE_TEXTS = ("headline", "bio", "experience", "education")
LISTING_TEXTS = ("title", "description")
LISTING_FIELDS = (
    "title",
    "category",
    "subcategory",
    "description",
    "software",
    "revisions_included",
    "turnaround_days",
    "unit",
    "min_quantity",
    "currency",
    "tiers",
    "images",
)
PROFILE_FIELDS = (
    "country",
    "headline",
    "bio",
    "skills",
    "software",
    "experience",
    "education",
    "photo",
    "banner",
    "portfolio",
)


def queue_size(model) -> tuple[int, object]:
    """(items waiting, submission time of the oldest)."""
    return db.session.execute(
        sa.select(sa.func.count(), sa.func.min(model.submitted_at)).where(model.state == ReviewState.pending)
    ).one()


@dataclass
class Change:
    field: str
    before: object
    after: object


def listing_working_copy(listing: Listing, images: list[CatalogueImage] | None = None) -> dict:
    """The pending version in the approved snapshot's shape, so the two can be compared
    (`images`: its live pictures, when the caller loaded them with others)."""
    return {
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
        "images": [i.token for i in (listing_images(listing) if images is None else images)],
    }


def profile_working_copy(profile: DesignerProfile, images: list[CatalogueImage] | None = None) -> dict:
    copy = {name: getattr(profile, name) for name in PROFILE_FIELDS[:7]}
    pictures = live_images(profile) if images is None else images
    for purpose in ("photo", "banner"):
        copy[purpose] = next((i.token for i in pictures if i.purpose.value == purpose), None)
    copy["portfolio"] = [i.token for i in pictures if i.purpose.value == "portfolio"]
    return copy


def working_copy(kind: str, item) -> tuple[dict, tuple[str, ...]]:
    """The pending version of a profile or listing and the fields compared."""
    if kind == PROFILE:
        return profile_working_copy(item), PROFILE_FIELDS
    return listing_working_copy(item), LISTING_FIELDS


def changes_since_approval(snapshot: dict | None, working: dict, fields: tuple[str, ...]) -> list[Change] | None:
    """What differs between the approved version and the pending one; None for a first review."""
    if snapshot is None:
        return None
    return [Change(f, snapshot.get(f), working.get(f)) for f in fields if snapshot.get(f) != working.get(f)]


def text_findings(texts: dict[str, str], lang: str | None = None) -> dict[str, list]:
    """The contact filter run again on each text (field → findings), for highlighting."""
    allowed = current_app.config.get("PLATFORM_DOMAINS", ())
    found = {}
    for name, text in texts.items():
        if text:
            findings = find_contacts(text, lang, allowed_domains=allowed)
            if findings:
                found[name] = findings
    return found


def listing_texts(listing: Listing) -> dict[str, str]:
    return {name: getattr(listing, name) for name in LISTING_TEXTS}


def profile_texts(profile: DesignerProfile) -> dict[str, str]:
    texts = {name: getattr(profile, name) for name in PROFILE_TEXTS}
    texts["skills"] = ", ".join(profile.skills or [])
    return texts


def owner_history(user_id: int, limit: int = 20) -> dict:
    """Past review decisions on the owner's profile and listings, and their violations."""
    listing_ids = [str(i) for i in db.session.scalars(sa.select(Listing.id).where(Listing.designer_id == user_id))]
    profile_ids = [
        str(i) for i in db.session.scalars(sa.select(DesignerProfile.id).where(DesignerProfile.user_id == user_id))
    ]
    decisions = db.session.scalars(
        sa.select(AuditEntry)
        .where(
            AuditEntry.action.in_(["profile.approved", "profile.rejected", "listing.approved", "listing.rejected"]),
            sa.or_(
                sa.and_(AuditEntry.object_type == "Listing", AuditEntry.object_id.in_(listing_ids or ["-"])),
                sa.and_(AuditEntry.object_type == "DesignerProfile", AuditEntry.object_id.in_(profile_ids or ["-"])),
            ),
        )
        .order_by(AuditEntry.at.desc())
        .limit(limit)
    ).all()
    violations = db.session.scalars(
        sa.select(Violation).where(Violation.user_id == user_id).order_by(Violation.created_at.desc()).limit(limit)
    ).all()
    return {"decisions": decisions, "violations": violations}


def _keep_rejected(kind: str, item, working: dict, actor: User) -> None:
    db.session.add(
        RejectedVersion(
            object_type=kind,
            object_id=item.id,
            snapshot=working,
            reasons=list(item.rejection_reasons),
            note=item.rejection_note,
            decided_by_id=actor.id,
        )
    )
    db.session.flush()


def last_rejection(kind: str, item_id: int) -> RejectedVersion | None:
    """The latest rejected version of an item (its decision: reasons, note, who, when)."""
    return db.session.scalars(
        sa.select(RejectedVersion)
        .where(RejectedVersion.object_type == kind, RejectedVersion.object_id == item_id)
        .order_by(RejectedVersion.decided_at.desc(), RejectedVersion.id.desc())
        .limit(1)
    ).first()


def _decide(kind: str, item, action: str, *, actor: User, **params):
    """A review decision on an item the actor holds (claimed now if free), the claim released
    after it; a rejected version is kept for the history. Raises what the verb raises, and
    PermissionDenied / InvalidTransition when the item is not the actor's to decide (claimed by
    someone else)."""
    verb = {
        (PROFILE, "approve"): profile_operations.approve_profile,
        (PROFILE, "reject"): profile_operations.reject_profile,
        (LISTING, "approve"): listing_operations.approve_listing,
        (LISTING, "reject"): listing_operations.reject_listing,
    }[(kind, action)]
    permissions.require(permissions.can_moderate(actor))
    claims.require_claim(kind, item.id, actor=actor)
    item = verb(item, actor=actor, **params)
    if action == "reject":
        working = profile_working_copy(item) if kind == PROFILE else listing_working_copy(item)
        _keep_rejected(kind, item, working, actor)
    claims.release_item(kind, item.id)
    return item


def approve_profile(profile: DesignerProfile, *, actor: User, bulk: bool = False) -> DesignerProfile:
    """Approve a pending profile the actor holds; raises like profiles.operations.approve_profile."""
    return _decide(PROFILE, profile, "approve", actor=actor, bulk=bulk)


def reject_profile(profile: DesignerProfile, *, actor: User, reasons: list[str], note: str) -> DesignerProfile:
    """Reject a pending profile the actor holds; raises like profiles.operations.reject_profile."""
    return _decide(PROFILE, profile, "reject", actor=actor, reasons=reasons, note=note)


def approve_listing(listing: Listing, *, actor: User, bulk: bool = False) -> Listing:
    """Approve a pending listing the actor holds; raises like listings.operations.approve_listing."""
    return _decide(LISTING, listing, "approve", actor=actor, bulk=bulk)


def reject_listing(listing: Listing, *, actor: User, reasons: list[str], note: str) -> Listing:
    """Reject a pending listing the actor holds; raises like listings.operations.reject_listing."""
    return _decide(LISTING, listing, "reject", actor=actor, reasons=reasons, note=note)


# A small edit: at most this many fields changed since the approved version, none of them
# pictures (a picture needs eyes: photos that are not the owner, contact details in images).
SMALL_EDIT_MAX_FIELDS = 3
PICTURE_FIELDS = {"images", "photo", "banner", "portfolio"}
BULK_REFUSALS = {
    "not_pending": _l("Not waiting for review"),
    "first_review": _l("First review: open it"),
    "pictures": _l("Pictures changed: open it"),
    "large_edit": _l("More than %(n)d fields changed: open it", n=SMALL_EDIT_MAX_FIELDS),
    "findings": _l("Contact-filter findings: open it"),
}


def bulk_refusal(kind: str, item, images: list[CatalogueImage] | None = None) -> str | None:
    """Why `item` cannot be approved in bulk, as a BULK_REFUSALS code (None: it can).

    Only re-reviews of small edits qualify, whose changes the queue shows as a diff; a first
    review, a changed picture, a larger edit or a contact-filter finding needs the item opened.
    `images`: the item's live pictures, when loaded with a page of items (bulk_refusals).
    """
    if item.state != ReviewState.pending:
        return "not_pending"
    if item.approved_snapshot is None:
        return "first_review"
    if kind == PROFILE:
        changes = changes_since_approval(item.approved_snapshot, profile_working_copy(item, images), PROFILE_FIELDS)
        found = text_findings(profile_texts(item))
    else:
        changes = changes_since_approval(item.approved_snapshot, listing_working_copy(item, images), LISTING_FIELDS)
        found = text_findings(listing_texts(item))
    if any(c.field in PICTURE_FIELDS for c in changes):
        return "pictures"
    if len(changes) > SMALL_EDIT_MAX_FIELDS:
        return "large_edit"
    if found:
        return "findings"
    return None


def bulk_refusals(kind: str, items: list) -> dict[int, str | None]:
    """bulk_refusal of a page of items, the pictures of its re-reviews read in one query."""
    updates = [i for i in items if i.state == ReviewState.pending and i.approved_snapshot is not None]
    images: dict[int, list[CatalogueImage]] = {i.id: [] for i in updates}
    if updates:
        if kind == PROFILE:
            by_owner = {i.user_id: i.id for i in updates}
            query = sa.select(CatalogueImage).where(
                CatalogueImage.owner_id.in_(by_owner), CatalogueImage.listing_id.is_(None)
            )
        else:
            query = sa.select(CatalogueImage).where(CatalogueImage.listing_id.in_(images))
        for image in db.session.scalars(
            query.where(CatalogueImage.removed_at.is_(None)).order_by(CatalogueImage.position, CatalogueImage.id)
        ):
            images[by_owner[image.owner_id] if kind == PROFILE else image.listing_id].append(image)
    return {i.id: bulk_refusal(kind, i, images.get(i.id)) for i in items}


def bulk_approve(kind: str, ids: list[int], *, actor: User) -> tuple[int, int]:
    """Approve the items among `ids` that bulk_refusal lets through and nobody else holds.

    Returns (approved, skipped); skipped items stay in the queue for a full review, and each
    approval's audit row is marked as a bulk decision. Raises PermissionDenied."""
    permissions.require(permissions.can_moderate(actor))
    model, approve = (DesignerProfile, approve_profile) if kind == PROFILE else (Listing, approve_listing)
    held = claims.active_claims(kind, ids)
    approved = 0
    for item in db.session.scalars(sa.select(model).where(model.id.in_(ids), model.state == ReviewState.pending)):
        claim = held.get(item.id)
        if (claim is not None and claim.moderator_id != actor.id) or bulk_refusal(kind, item):
            continue
        approve(item, actor=actor, bulk=True)
        approved += 1
    return approved, len(ids) - approved
