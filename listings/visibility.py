"""Who sees a listing: the five conditions of a live listing, and private listings' one client.

A listing is live when its approved version exists and is not paused, the designer's profile
has an approved version, the account is verified and can be paid out, and it is active
(not suspended). A live listing is public unless it is private; a private one is seen only by
its client and its designer. Anyone else gets a 404, as if it did not exist.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from extensions import db
from models.accounts import AccountStatus, User
from models.listings import CatalogueEntry, Listing
from models.profiles import DesignerProfile

CONDITION_LABELS = {
    "listing_not_approved": _l("This listing has not been approved by a moderator yet."),
    "listing_paused": _l("You paused this listing."),
    "profile_not_approved": _l("Your designer profile has not been approved yet."),
    "identity_not_verified": _l("Your account is not verified yet (Settings > Payments)."),
    "payouts_not_ready": _l("Payouts are not set up yet (Settings > Payments)."),
    "account_not_active": _l("Your account is suspended."),
}


def missing_conditions(listing: Listing, profile: DesignerProfile | None = None) -> list[str]:
    """Codes (keys of CONDITION_LABELS) of what keeps the listing offline; [] when live."""
    if profile is None:
        profile = db.session.scalar(sa.select(DesignerProfile).where(DesignerProfile.user_id == listing.designer_id))
    missing = []
    if listing.approved_at is None:
        missing.append("listing_not_approved")
    if listing.paused:
        missing.append("listing_paused")
    if profile is None or not profile.has_approved_version:
        missing.append("profile_not_approved")
    if profile is None or not profile.identity_verified:
        missing.append("identity_not_verified")
    if profile is None or not profile.payouts_ready:
        missing.append("payouts_not_ready")
    if listing.designer.status != AccountStatus.active:
        missing.append("account_not_active")
    return missing


def is_live(listing: Listing, profile: DesignerProfile | None = None) -> bool:
    """All five conditions hold: clients allowed to see the listing see it."""
    return not missing_conditions(listing, profile)


def is_public(listing: Listing, profile: DesignerProfile | None = None) -> bool:
    """Live and not private: anyone may see it and search finds it."""
    return not listing.is_private and is_live(listing, profile)


def can_view(listing: Listing, viewer: User | None, profile: DesignerProfile | None = None) -> bool:
    """The designer always sees their listing; others only a live one meant for them."""
    viewer_id = viewer.id if viewer is not None and viewer.is_authenticated else None
    if viewer_id is not None and viewer_id == listing.designer_id:
        return True
    if listing.is_private and viewer_id != listing.private_client_id:
        return False
    return is_live(listing, profile)


def can_order(listing: Listing, client: User | None, profile: DesignerProfile | None = None) -> bool:
    """An active client account other than the designer may order a live listing it can see."""
    if client is None or not client.is_authenticated or not client.is_client:
        return False
    if client.status != AccountStatus.active or client.id == listing.designer_id:
        return False
    return can_view(listing, client, profile)


def designer_live_condition():
    """The designer's side of the live rule as SQL over designer_profiles ⋈ users: profile
    approved, identity verified, payouts ready, account active (catalogue rows copy it)."""
    return sa.and_(
        DesignerProfile.approved_at.is_not(None),
        DesignerProfile.identity_verified.is_(True),
        DesignerProfile.payouts_ready.is_(True),
        User.status == AccountStatus.active,
    )


def public_condition():
    """The live-and-visible rule as SQL over catalogue_entries ⋈ designer_profiles ⋈ users
    (favourites and profile pages use it; is_live is the same rule for one loaded listing)."""
    return sa.and_(CatalogueEntry.paused.is_(False), designer_live_condition())


def listed_condition():
    """The same rule over catalogue_entries alone, from the designer's side copied into each
    row (listings.catalogue_sync): what a search counts and ranks without a join."""
    return sa.and_(CatalogueEntry.paused.is_(False), CatalogueEntry.listed.is_(True))
