"""State changes of designer profiles. Each one flushes; the caller's unit of work commits.

Review cycle: draft → pending (submit_profile) → approved (approve_profile) or rejected
(reject_profile, with reasons and a note) → edited (draft) → pending … The approved
snapshot is what clients see; a later edit waits for review while it stays public.
"""

from __future__ import annotations

import logging
import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

import hooks
from audit.trail import record_action
from errors import DomainError, NotFound, PermissionDenied
from extensions import db
from messaging.mail import public_link, send_mail
from models.accounts import User
from models.moderation import ViolationSource
from models.profiles import CatalogueImage, DesignerProfile, ImagePurpose
from models.types import utcnow
from profiles import images as image_rules
from profiles.permissions import can_edit_profile, can_moderate
from profiles.review_process import MODERATOR, OWNER, Words, clear_rejection, rejected, review_process
from profiles.review_process import ReviewAction as A
from profiles.rules import LANGUAGES, MAX_PORTFOLIO_IMAGES, MAX_SKILLS, PROFILE_REJECTION_REASONS, missing_for_review
from screening.contact_filter import screen_text
from transitions import Move

log = logging.getLogger(__name__)

# The fields of the working copy a designer edits, and those clients see once approved.
EDITABLE = ("real_name", "country", "tax_id", "headline", "bio", "skills", "software", "experience", "education")
PUBLIC = ("country", "headline", "bio", "skills", "software", "experience", "education")
SCREENED = ("headline", "bio", "skills", "experience", "education")


def profile_for(user: User, *, create: bool = False, lock: bool = False) -> DesignerProfile | None:
    """The designer's profile; with create=True an empty draft is made on first use."""
    query = sa.select(DesignerProfile).where(DesignerProfile.user_id == user.id)
    profile = db.session.scalar(query.with_for_update() if lock else query)
    if profile is None and create:
        profile = DesignerProfile(user_id=user.id, skills=[], software=[], rejection_reasons=[])
        db.session.add(profile)
        db.session.flush()
    return profile


def _locked(profile: DesignerProfile) -> DesignerProfile:
    locked = db.session.get(DesignerProfile, profile.id, with_for_update=True, populate_existing=True)
    if locked is None:
        raise NotFound(_l("This profile does not exist."))
    return locked


def live_images(profile: DesignerProfile) -> list[CatalogueImage]:
    """The working copy's pictures (photo, banner, portfolio), in order."""
    return list(
        db.session.scalars(
            sa.select(CatalogueImage)
            .where(
                CatalogueImage.owner_id == profile.user_id,
                CatalogueImage.listing_id.is_(None),
                CatalogueImage.removed_at.is_(None),
            )
            .order_by(CatalogueImage.position, CatalogueImage.id)
        )
    )


def _edited(profile: DesignerProfile, actor: User) -> None:
    # Any change to the working copy needs a new review; the approved version stays public.
    PROFILE_REVIEW.apply(profile, A.edit, role=OWNER, actor=actor, locked=True)


def update_profile(profile: DesignerProfile, *, actor: User, **fields) -> DesignerProfile:
    """Save the designer's edits to the working copy (fields: see EDITABLE).

    Text clients would read goes through the contact filter first. Raises PermissionDenied
    for anyone but the owner, ContactDetailsRefused when text carries contact details.
    """
    profile = _locked(profile)
    if not can_edit_profile(profile, actor):
        raise PermissionDenied(_l("Only the designer may edit this profile."))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    skills = [s.strip() for s in fields.get("skills", profile.skills) if s.strip()]
    if len(skills) > MAX_SKILLS:
        raise DomainError(_l("At most %(n)d skills, please.", n=MAX_SKILLS), field="skills")
    fields["skills"] = skills
    screen_text(
        {name: (", ".join(fields[name]) if name == "skills" else fields[name]) for name in SCREENED if name in fields},
        author=actor,
        source=ViolationSource.profile,
        source_ref=f"profile:{profile.id}",
    )
    changed = {name: value for name, value in fields.items() if getattr(profile, name) != value}
    for name, value in changed.items():
        setattr(profile, name, value)
    if changed:
        _edited(profile, actor)
    db.session.flush()
    return profile


def add_profile_image(profile: DesignerProfile, *, actor: User, purpose: ImagePurpose, raw: bytes) -> CatalogueImage:
    """Check, re-encode and keep a picture; a new photo or banner replaces the previous one.

    Raises DomainError (bad, oversized or too large image; portfolio full) and nothing is kept.
    """
    profile = _locked(profile)
    if not can_edit_profile(profile, actor):
        raise PermissionDenied(_l("Only the designer may edit this profile."))
    if purpose == ImagePurpose.listing:
        raise ValueError("listing pictures belong to listings.operations")
    current = [i for i in live_images(profile) if i.purpose == purpose]
    if purpose == ImagePurpose.portfolio and len(current) >= MAX_PORTFOLIO_IMAGES:
        raise DomainError(
            _l("Your portfolio already has %(n)d pictures; remove one first.", n=MAX_PORTFOLIO_IMAGES),
            field="portfolio",
        )
    clean = image_rules.clean_image(raw)
    if purpose != ImagePurpose.portfolio:
        for old in current:
            old.removed_at = utcnow()
    image = CatalogueImage(
        token=secrets.token_urlsafe(16),
        owner_id=profile.user_id,
        purpose=purpose,
        content_type=clean.content_type,
        width=clean.width,
        height=clean.height,
        data=clean.data,
        thumb=clean.thumb,
        position=len(current),
    )
    db.session.add(image)
    _edited(profile, actor)
    db.session.flush()
    return image


def remove_profile_image(profile: DesignerProfile, *, actor: User, token: str) -> None:
    """Take a picture off the working copy (the approved version keeps it until the next approval)."""
    profile = _locked(profile)
    if not can_edit_profile(profile, actor):
        raise PermissionDenied(_l("Only the designer may edit this profile."))
    image = next((i for i in live_images(profile) if i.token == token), None)
    if image is None:
        raise NotFound(_l("This picture does not exist."))
    image.removed_at = utcnow()
    _edited(profile, actor)
    db.session.flush()


def submit_profile(profile: DesignerProfile, *, actor: User) -> DesignerProfile:
    """Send the working copy for review (draft or rejected → pending).

    Raises PermissionDenied (not the owner), InvalidTransition (already pending or approved
    as it is), DomainError listing what is missing.
    """
    profile = _locked(profile)
    if not can_edit_profile(profile, actor):
        raise PermissionDenied(_l("Only the designer may submit this profile."))
    return PROFILE_REVIEW.apply(profile, A.submit, role=OWNER, actor=actor, locked=True).obj


def _submitted(profile: DesignerProfile, **_params) -> None:
    missing = missing_for_review(profile, live_images(profile))
    if missing:
        raise DomainError(_l("Before sending your profile for review, add: %(missing)s.", missing=", ".join(missing)))
    profile.submitted_at = utcnow()


def _public_snapshot(profile: DesignerProfile) -> dict:
    snapshot = {name: getattr(profile, name) for name in PUBLIC}
    pictures = live_images(profile)
    for purpose in (ImagePurpose.photo, ImagePurpose.banner):
        snapshot[purpose.value] = next((i.token for i in pictures if i.purpose == purpose), None)
    snapshot["portfolio"] = [i.token for i in pictures if i.purpose == ImagePurpose.portfolio]
    return snapshot


def _moderator(actor: User) -> str | None:
    return MODERATOR if can_moderate(actor) else None


def approve_profile(profile: DesignerProfile, *, actor: User, bulk: bool = False) -> DesignerProfile:
    """Make the pending working copy the public version, and tell the designer.

    Raises PermissionDenied (not a moderator), InvalidTransition (not pending).
    """
    return PROFILE_REVIEW.apply(profile, A.approve, role=_moderator(actor), actor=actor, bulk=bulk).obj


def _approved(profile: DesignerProfile, **_params) -> None:
    profile.approved_snapshot = _public_snapshot(profile)
    profile.approved_at = utcnow()
    clear_rejection(profile)
    # Pictures taken off the working copy are no longer shown anywhere once it is public.
    db.session.execute(
        sa.delete(CatalogueImage).where(
            CatalogueImage.owner_id == profile.user_id,
            CatalogueImage.listing_id.is_(None),
            CatalogueImage.removed_at.is_not(None),
        )
    )


def _publish(move: Move) -> None:
    for react in hooks.profile_published.functions():  # the catalogue copies the new public version
        react(move.obj.user_id)


def reject_profile(profile: DesignerProfile, *, actor: User, reasons: list[str], note: str) -> DesignerProfile:
    """Refuse the pending working copy with reasons (PROFILE_REJECTION_REASONS codes) and a note.

    A previously approved version stays public. Raises PermissionDenied, InvalidTransition,
    DomainError (no reason, unknown reason).
    """
    if not reasons or any(r not in PROFILE_REJECTION_REASONS for r in reasons):
        raise DomainError(_l("Choose at least one reason from the list."), field="reasons")
    return PROFILE_REVIEW.apply(profile, A.reject, role=_moderator(actor), actor=actor, reasons=reasons, note=note).obj


def _tell_designer(profile: DesignerProfile, *, approved: bool) -> None:
    user = profile.user
    send_mail(
        user.email,
        "profile_decision",
        locale=user.locale,
        user=user,
        approved=approved,
        reasons=[PROFILE_REJECTION_REASONS[r] for r in profile.rejection_reasons],
        note=profile.rejection_note,
        link=public_link("profiles.edit"),
    )


PROFILE_REVIEW = review_process(
    "profile",
    lock=_locked,
    words=Words(
        already_pending=_l("Your profile is already waiting for review."),
        approved_as_is=_l("Your profile is approved as it is; edit it to send changes."),
        not_pending=lambda state: _l("This profile is not waiting for review (it is %(state)s).", state=state),
        denied=_l("Only moderators decide on profiles."),
    ),
    fields={A.submit: _submitted, A.approve: _approved, A.reject: rejected},
    publish=_publish,
    tell_owner=_tell_designer,
)


def set_identity_verified(user: User, verified: bool, *, actor: User | None) -> DesignerProfile:
    """Record the KYC decision on the designer's profile (the Verified badge; a listing condition)."""
    profile = profile_for(user, create=True, lock=True)
    if profile.identity_verified != verified:
        record_action(
            "profile.identity_verified" if verified else "profile.identity_unverified",
            profile,
            actor=actor,
            before={"identity_verified": profile.identity_verified},
            after={"identity_verified": verified},
        )
        profile.identity_verified = verified
        profile.identity_verified_at = utcnow() if verified else None
        db.session.flush()
    return profile


def set_payouts_ready(user: User, ready: bool) -> DesignerProfile:
    """Record whether the payment provider can pay this designer out (a listing condition)."""
    profile = profile_for(user, create=True, lock=True)
    if profile.payouts_ready != ready:
        record_action(
            "profile.payouts_ready" if ready else "profile.payouts_not_ready",
            profile,
            actor=None,
            before={"payouts_ready": profile.payouts_ready},
            after={"payouts_ready": ready},
        )
        profile.payouts_ready = ready
        db.session.flush()
    return profile


def set_languages(profile: DesignerProfile, *, actor: User, languages: list[str]) -> DesignerProfile:
    """The languages the designer speaks, from profiles.rules.LANGUAGES; shown at once (no review:
    a choice from a list carries nothing to check). Raises PermissionDenied, DomainError."""
    profile = _locked(profile)
    if not can_edit_profile(profile, actor):
        raise PermissionDenied(_l("Only the designer may edit this profile."))
    if any(code not in LANGUAGES for code in languages):
        raise DomainError(_l("Choose languages from the list."), field="languages")
    profile.languages = [code for code in LANGUAGES if code in languages]
    db.session.flush()
    return profile


def set_availability(profile: DesignerProfile, *, actor: User, unavailable: bool) -> DesignerProfile:
    """Switch "Unavailable for work": cards and listing pages say Full; ordering asks to confirm."""
    profile = _locked(profile)
    if not can_edit_profile(profile, actor):
        raise PermissionDenied(_l("Only the designer may change their availability."))
    if unavailable != profile.unavailable:
        profile.unavailable_since = utcnow() if unavailable else None
    profile.unavailable = unavailable
    db.session.flush()
    log.info("designer %s is now %s", profile.user_id, "unavailable" if unavailable else "available")
    return profile


def record_review_score(designer_id: int, stars: int) -> DesignerProfile:
    """Add one completed case's review (1–5 stars) to the designer's reputation (Pro badge).

    Called by the cases process once per review. Raises ValueError outside 1–5, NotFound
    for an account without a designer profile.
    """
    if not 1 <= stars <= 5:
        raise ValueError("stars must be between 1 and 5")
    profile = db.session.scalar(
        sa.select(DesignerProfile).where(DesignerProfile.user_id == designer_id).with_for_update()
    )
    if profile is None:
        raise NotFound(_l("This designer has no profile."))
    profile.stars_total += stars
    profile.review_count += 1
    db.session.flush()
    return profile
