"""Demo back office: staff second factors with a published secret, and a few items in each queue."""

from __future__ import annotations

import io

import sqlalchemy as sa

from demo.accounts import demo_user
from extensions import db
from listings import operations as listings
from listings.pricing import Tier
from models.accounts import User
from models.listings import Listing, PricingUnit
from models.moderation import Violation, ViolationSource
from models.profiles import ImagePurpose, ReviewState
from models.verification import DocumentType, VerificationSubmission
from moderation import second_factor
from moderation.kyc import Upload, submit_verification
from moderation.violations import report_user
from profiles import operations as profiles
from screening.contact_filter import ContactDetailsRefused, record_refused_attempt, screen_text

# Published in the README: add it to an authenticator app (or run `python -c "import pyotp;
# print(pyotp.TOTP('<secret>').now())"`) to pass the back office's second factor.
DEMO_TOTP_SECRET = "OCCLUSADEMOSTAFFOCCLUSADEMOSTAFF"
STAFF = ("moderator@demo.occlusa.com", "verifier@demo.occlusa.com", "agent@demo.occlusa.com", "admin@demo.occlusa.com")


def seed_moderation() -> list[str]:
    lines = []
    for email in STAFF:
        user = demo_user(email)
        if not second_factor.is_enrolled(user):
            second_factor.enrol_known_secret(user, DEMO_TOTP_SECRET, actor=None)
            lines.append(f"back-office second factor for {email}: TOTP secret {DEMO_TOTP_SECRET}")
    lines += _violations(demo_user("designer2@demo.occlusa.com"), demo_user("client@demo.occlusa.com"))
    lines += _verification(demo_user("designer3@demo.occlusa.com"))
    lines += _review_items(demo_user("designer2@demo.occlusa.com"))
    return lines


def _violations(designer: User, client: User) -> list[str]:
    if db.session.scalar(sa.select(Violation.id).where(Violation.user_id == designer.id).limit(1)):
        return []
    for text in (
        "For urgent cases write me on WhatsApp +44 7700 900123, it is quicker.",
        "You can also pay me directly by bank transfer, it saves you the fee.",
    ):
        try:
            screen_text({"body": text}, author=designer, source=ViolationSource.message, source_ref="demo")
        except ContactDetailsRefused as refused:
            record_refused_attempt(refused)
    report_user(
        designer,
        reporter=client,
        reason="contact_details",
        note="Asked me to continue the conversation on Telegram.",
        text="let's move to telegram",
    )
    return ["violations: 2 contact-filter hits and 1 report on designer2"]


def _picture(*lines: str) -> bytes:
    """A plain PNG card with a few lines of text (demo pictures and the demo passport)."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (640, 420), (232, 238, 244))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((30, 30, 610, 390), outline=(15, 92, 110), width=4)
    for n, line in enumerate(lines):
        draw.text((60, 60 + 50 * n), line, fill=(15, 92, 110) if n == 0 else (20, 20, 20))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def _verification(designer: User) -> list[str]:
    if db.session.scalar(
        sa.select(VerificationSubmission.id).where(VerificationSubmission.designer_id == designer.id).limit(1)
    ):
        return []
    submit_verification(
        designer,
        nationality="IT",
        as_company=False,
        uploads=[
            Upload(
                DocumentType.passport,
                "passport.png",
                [_picture("DEMO PASSPORT - NOT A REAL DOCUMENT", "Sofia Rossi - IT - 1990-04-12")],
            )
        ],
    )
    return ["verification: designer3 waits for a verifier (demo passport)"]


def _review_items(designer: User) -> list[str]:
    """A pending profile and a pending listing for the moderators' queues (when not seeded elsewhere)."""
    lines = []
    profile = profiles.profile_for(designer, create=True)
    if profile.state == ReviewState.draft and not profile.approved_snapshot:
        profiles.update_profile(
            profile,
            actor=designer,
            real_name="Karim Haddad",
            country="MA",
            tax_id="MA-IF-2231",
            headline="Implant bars and surgical guides",
            bio="Ten years of implant-borne restorations: bars, abutments and guides.",
            software=["exocad", "exoplan"],
        )
        if not profiles.live_images(profile):
            profiles.add_profile_image(
                profile, actor=designer, purpose=ImagePurpose.photo, raw=_picture("Karim Haddad", "demo profile photo")
            )
        profiles.submit_profile(profile, actor=designer)
        lines.append("review queue: designer2's profile is pending")
    exists = db.session.scalar(
        sa.select(Listing.id).where(Listing.designer_id == designer.id, Listing.subcategory == "implant_guide")
    )
    if exists is None:
        draft = listings.ListingDraft(
            title="Implant surgical guides (exoplan)",
            category="surgical_guides",
            subcategory="implant_guide",
            description="Tooth- or mucosa-supported surgical guides planned in exoplan from your CBCT and scan, "
            "with sleeve report and printable STL.",
            software=["exoplan"],
            revisions_included=2,
            turnaround_days=3,
            unit=PricingUnit.arch,
            min_quantity=1,
            tiers=[Tier(1, 4500)],
        )
        listing = listings.create_listing(designer, actor=designer, draft=draft)
        listings.add_listing_image(listing, actor=designer, raw=_picture("Surgical guide", "demo design picture"))
        listings.submit_listing(listing, actor=designer)
        lines.append("review queue: designer2's surgical-guide listing is pending")
    return lines
