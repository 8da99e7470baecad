"""Catalogue factories: designers in any state of the five visibility conditions, listings
taken through the real operations (create → image → submit → approve)."""

from __future__ import annotations

import io
import itertools

from PIL import Image

from extensions import commit
from listings import operations as listing_ops
from listings.pricing import Tier
from models.accounts import StaffRole
from models.listings import PricingUnit
from models.profiles import ImagePurpose
from profiles import operations as profile_ops
from tests.factories import make_user

_seq = itertools.count(1)


def picture(width: int = 320, height: int = 240, fmt: str = "PNG", colour=(40, 120, 140), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, fmt, **save)
    return out.getvalue()


def moderator():
    return make_user(roles=(StaffRole.moderator,), client=False)


def make_designer(
    *,
    approved: bool = True,
    verified: bool = True,
    payouts: bool = True,
    name: str | None = None,
    skills=("zirconia",),
    software=("exocad",),
    **user_fields,
):
    """A designer account with a complete profile, approved/verified/payouts-ready as asked."""
    user = make_user(designer=True, client=False, name=name, **user_fields)
    profile = profile_ops.profile_for(user, create=True)
    profile_ops.update_profile(
        profile,
        actor=user,
        real_name=f"Real Name {next(_seq)}",
        country="FR",
        tax_id="FR12345678901",
        headline="Crown and bridge designer",
        bio="I design crowns, bridges and implant work every day.",
        skills=list(skills),
        software=list(software),
        experience="Eight years in a lab.",
        education="CDT",
    )
    profile_ops.add_profile_image(profile, actor=user, purpose=ImagePurpose.photo, raw=picture())
    if approved:
        profile_ops.submit_profile(profile, actor=user)
        profile_ops.approve_profile(profile, actor=moderator())
    if verified:
        profile_ops.set_identity_verified(user, True, actor=None)
    if payouts:
        profile_ops.set_payouts_ready(user, True)
    commit()
    return user


def draft(**fields) -> listing_ops.ListingDraft:
    values = dict(
        title="Zirconia crowns designed in exocad",
        category="crowns",
        subcategory="anatomic_crown",
        description="Full-contour anatomic zirconia crowns with tight contacts and a functional "
        "occlusion, delivered as STL with the exocad project.",
        software=["exocad"],
        revisions_included=2,
        turnaround_days=2,
        unit=PricingUnit.unit,
        min_quantity=1,
        tiers=[Tier(1, 900)],
    )
    values.update(fields)
    return listing_ops.ListingDraft(**values)


def make_listing(designer, *, approve: bool = True, private_client=None, **fields):
    """A listing through the real operations; approved by a moderator unless approve=False."""
    listing = listing_ops.create_listing(designer, actor=designer, draft=draft(**fields), private_client=private_client)
    listing_ops.add_listing_image(listing, actor=designer, raw=picture())
    if approve:
        listing_ops.submit_listing(listing, actor=designer)
        listing_ops.approve_listing(listing, actor=moderator())
    commit()
    return listing
