"""Back-office factories: staff with an enrolled second factor, and passing it like a person would."""

from __future__ import annotations

import pyotp

from extensions import commit
from models.accounts import StaffRole, User
from moderation.second_factor import enrol_known_secret
from tests.factories import login, make_user

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def make_staff(*roles: StaffRole, enrolled: bool = True, **fields) -> User:
    user = make_user(roles=roles or (StaffRole.moderator,), client=False, **fields)
    if enrolled:
        user.recovery_codes = enrol_known_secret(user, SECRET, actor=None)
        commit()
    return user


def current_code() -> str:
    return pyotp.TOTP(SECRET).now()


def staff_login(client, user: User):
    """Password, then the TOTP code: the back office is open for this client afterwards."""
    login(client, user)
    response = client.post("/backoffice/second-factor/?next=/backoffice/", data={"code": current_code()})
    assert response.status_code == 302 and response.headers["Location"].endswith("/backoffice/"), response.get_data(
        as_text=True
    )[:800]
    return response


def png_bytes(colour=(30, 120, 160)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "PNG")
    return buffer.getvalue()


DESCRIPTION = (
    "Full-contour zirconia crowns designed in exocad with anatomical occlusion, "
    "checked contacts and margins, delivered as STL within two days."
)


def make_ready_designer(**fields) -> User:
    """A designer whose profile is approved, identity verified and payouts ready: listings may go live."""
    from profiles import operations as profiles

    designer = make_user(client=False, designer=True, **fields)
    profile = profiles.profile_for(designer, create=True)
    profiles.update_profile(
        profile,
        actor=designer,
        real_name="Elena Marquez",
        country="ES",
        tax_id="ES-X1",
        bio="Crown and bridge designer for twelve years.",
        software=["exocad"],
    )
    from models.profiles import ImagePurpose

    profiles.add_profile_image(profile, actor=designer, purpose=ImagePurpose.photo, raw=png_bytes())
    profiles.submit_profile(profile, actor=designer)
    profiles.approve_profile(profile, actor=make_user(client=False, roles=(StaffRole.moderator,)))
    profiles.set_identity_verified(designer, True, actor=None)
    profiles.set_payouts_ready(designer, True)
    commit()
    return designer


def make_pending_listing(
    designer: User | None = None,
    *,
    title: str = "Zirconia crowns in exocad",
    description: str = DESCRIPTION,
    subcategory: str = "anatomic_crown",
):
    """A listing sent for review by a designer who meets every other condition; committed."""
    from listings import operations as listings
    from listings.pricing import Tier
    from models.listings import PricingUnit

    designer = designer or make_ready_designer()
    draft = listings.ListingDraft(
        title=title,
        category="crowns",
        subcategory=subcategory,
        description=description,
        software=["exocad"],
        revisions_included=2,
        turnaround_days=2,
        unit=PricingUnit.unit,
        min_quantity=1,
        tiers=[Tier(1, 900)],
    )
    listing = listings.create_listing(designer, actor=designer, draft=draft)
    listings.add_listing_image(listing, actor=designer, raw=png_bytes())
    listings.submit_listing(listing, actor=designer)
    commit()
    return listing
