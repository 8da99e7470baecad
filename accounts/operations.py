"""State changes of accounts. Each one flushes; the caller's unit of work commits."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

import hooks
from accounts import tokens
from passwords import DUMMY_HASH, hash_password, is_common, needs_rehash, verify_password
from accounts.status import lift_expired_suspension
from errors import DomainError
from extensions import db
from legal.operations import accept_current_terms
from messaging.mail import public_link, send_mail
from models.accounts import AccountStatus, StaffRole, StaffRoleGrant, User
from models.community import Follow, Post, PostComment, PostImage, PostLike
from models.legal import DataExport
from models.messaging import NotificationPreference, PushSubscription
from models.profiles import CatalogueImage, DesignerProfile
from models.trust import SignInDevice
from models.moderation import ViolationSource
from models.types import utcnow
from audit.trail import record_action
from screening.contact_filter import screen_text


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def sign_up(
    *, email: str, password: str, display_name: str, hires: bool, designs: bool, locale: str | None = None
) -> User | None:
    """Create an account and send the confirmation mail; raises DomainError for a bad choice,
    ContactDetailsRefused if the name carries contact details.

    For an address that already has an account nothing is created and its owner is told by
    mail instead (None): the visitor's answer is the same, so sign-up reveals no address.
    """
    email = normalise_email(email)
    display_name = _screened_name(display_name, author=None)
    if not (hires or designs):
        raise DomainError(_l("Choose at least one: hire designers, or design."), field="role")
    require_uncommon(password, field="password")
    password_hash = hash_password(password)  # also for a taken address: both answers take as long
    owner = find_by_email(email)
    if owner is not None:
        if owner.status not in (AccountStatus.deleted, AccountStatus.terminated):
            send_mail(
                owner.email,
                "signup_attempt",
                locale=owner.locale,
                user=owner,
                link=public_link("accounts.forgot_password"),
            )
        return None
    user = User(
        email=email,
        password_hash=password_hash,
        display_name=display_name,
        is_client=hires,
        is_designer=designs,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    accept_current_terms(user)  # the box ticked on the form is this acceptance, of the versions in force
    send_confirmation(user)
    return user


def require_uncommon(password: str, *, field: str) -> None:
    """Refuse a password from the list of the most common ones (guessed first by any attacker)."""
    if is_common(password):
        raise DomainError(
            _l("This is one of the most common passwords, tried first by anyone guessing. Choose another one."),
            field=field,
        )


def send_confirmation(user: User, email: str | None = None) -> None:
    """Mail a signed link confirming `email` (default: the account's address) for this account."""
    # The link itself is made by the mail's job (templates call confirm_link): no token waits in a queue.
    send_mail(email or user.email, "confirm_email", locale=user.locale, user=user)


def confirm_email(token: str) -> User:
    """Confirm the address in the token; for a change of address, switch to it. Raises TokenInvalid."""
    user_id, email = tokens.read_confirm_token(token)
    user = db.session.get(User, user_id, with_for_update=True)
    if user is None or user.status == AccountStatus.deleted:
        raise tokens.TokenInvalid()
    if email != user.email:
        if find_by_email(email) is not None:
            raise DomainError(_l("Another account now uses this e-mail address."))
        record_action("account.email_changed", user, actor=user, before={"email": user.email}, after={"email": email})
        user.email = email
    if user.email_confirmed_at is None or email == user.email:
        user.email_confirmed_at = user.email_confirmed_at or utcnow()
    return user


class AccountBarred(DomainError):
    """The credentials are right but the account is suspended or terminated: it may appeal."""


def authenticate(email: str, password: str) -> User:
    """Return the account for these credentials, or raise DomainError with a reason to show."""
    user = find_by_email(email)
    if user is None or user.status == AccountStatus.deleted:
        verify_password(DUMMY_HASH, password)  # same cost whether or not the account exists
        raise DomainError(_l("Wrong e-mail or password."))
    if not verify_password(user.password_hash, password):
        raise DomainError(_l("Wrong e-mail or password."))
    lift_expired_suspension(user)
    if user.status == AccountStatus.suspended:
        if user.suspended_until:
            raise AccountBarred(
                _l(
                    "Your account is suspended until %(date)s. Reason: %(reason)s",
                    date=format_datetime(user.suspended_until, "medium"),
                    reason=user.status_reason or "-",
                )
            )
        raise AccountBarred(_l("Your account is suspended. Reason: %(reason)s", reason=user.status_reason or "-"))
    if user.status == AccountStatus.terminated:
        raise AccountBarred(
            _l("This account has been closed by the platform. Reason: %(reason)s", reason=user.status_reason or "-")
        )
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link if the account exists; say nothing either way (no account probing)."""
    user = find_by_email(email)
    if user is None or user.status in (AccountStatus.deleted, AccountStatus.terminated):
        return
    send_mail(user.email, "reset_password", locale=user.locale, user=user)  # link made by the job


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link; the link dies with the old password. Raises TokenInvalid."""
    user = tokens.read_reset_token(token, lambda uid: db.session.get(User, uid, with_for_update=True))
    _set_password(user, new_password, field="password")
    # Whoever knew the old password is logged out; following the link proves the mailbox.
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    return user


def change_password(user: User, *, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one; other sessions are logged out."""
    if not verify_password(user.password_hash, current_password):
        raise DomainError(_l("The current password is not correct."), field="current_password")
    _set_password(user, new_password, field="new_password")


def end_sessions(user: User) -> None:
    """Log the account out everywhere: every session and "keep me logged in" cookie issued so
    far carries the old session version and opens nothing any more (a copied cookie included)."""
    user = db.session.get(User, user.id, with_for_update=True, populate_existing=True)
    user.session_version += 1


def _set_password(user: User, new_password: str, *, field: str) -> None:
    require_uncommon(new_password, field=field)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    record_action("account.password_changed", user, actor=user)


def request_email_change(user: User, *, new_email: str, password: str) -> None:
    """Send a confirmation link to the new address; the change happens when it is followed."""
    new_email = normalise_email(new_email)
    if not verify_password(user.password_hash, password):
        raise DomainError(_l("The password is not correct."), field="password")
    if new_email == user.email:
        raise DomainError(_l("This is already your e-mail address."), field="new_email")
    if find_by_email(new_email) is not None:
        raise DomainError(_l("An account already uses this e-mail address."), field="new_email")
    send_confirmation(user, new_email)


def closing_obstacles(user: User) -> list[str]:
    """Reasons the account cannot be closed now (open cases, money in escrow …)."""
    reasons = []
    for check in hooks.closing_checks.functions():
        if reason := check(user):
            reasons.append(str(reason))
    return reasons


def delete_account(user: User, *, password: str) -> None:
    """Close the account at its owner's request and erase its personal data.

    Raises DomainError when the password is wrong or while obligations remain.
    The row stays (reviews, invoices and ledger entries refer to it) but says nothing of the person.
    """
    user = db.session.get(User, user.id, with_for_update=True)
    if not verify_password(user.password_hash, password):
        raise DomainError(_l("The password is not correct."), field="password")
    obstacles = closing_obstacles(user)
    if obstacles:
        raise DomainError(_l("Your account cannot be closed yet: %(reasons)s", reasons="; ".join(obstacles)))
    record_action(
        "account.deleted", user, actor=user, before={"status": user.status.value}, after={"status": "deleted"}
    )
    user.status = AccountStatus.deleted
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.display_name = "Deleted account"
    user.password_hash = hash_password(secrets.token_urlsafe(32))  # no one can log in again
    user.session_version += 1
    user.roles.clear()
    _erase_personal_data(user)


def _erase_personal_data(user: User) -> None:
    """What closing an account erases at once (the privacy policy states the same list).

    Kept, because others or the law rely on them: cases and their threads (the other party's
    record), reviews (under "Deleted account"), issued invoices and ledger entries (with the
    name printed on them, for ACCOUNTING_RETENTION_YEARS), the audit log and moderation records.
    """
    profile = db.session.scalar(sa.select(DesignerProfile).where(DesignerProfile.user_id == user.id))
    if profile is not None:
        profile.real_name = profile.tax_id = profile.headline = profile.bio = ""
        profile.experience = profile.education = ""
        profile.skills, profile.software, profile.approved_snapshot = [], [], None
        profile.rejection_note = None
    now = utcnow()
    for image in db.session.scalars(sa.select(CatalogueImage).where(CatalogueImage.owner_id == user.id)):
        image.data, image.thumb = b"", b""
        image.removed_at = image.removed_at or now
    # Sign-in networks go too: they serve to link accounts run by one person, and a closed
    # account runs nothing (a terminated one, closed by staff, keeps them).
    for model in (PushSubscription, NotificationPreference, DataExport, SignInDevice):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    _erase_community(user)


def _erase_community(user: User) -> None:
    """The account's community traces: its posts (with their pictures, comments and likes), its
    comments and likes elsewhere, whom it follows and who follows it. Reports about them are
    moderation records and stay (the reported text is copied into the violation)."""
    posts = sa.select(Post.id).where(Post.author_id == user.id)
    for model in (PostImage, PostComment, PostLike):
        db.session.execute(sa.delete(model).where(model.post_id.in_(posts)))
    db.session.execute(sa.delete(PostComment).where(PostComment.author_id == user.id))
    db.session.execute(sa.delete(PostLike).where(PostLike.user_id == user.id))
    db.session.execute(sa.delete(Post).where(Post.author_id == user.id))
    db.session.execute(sa.delete(Follow).where(sa.or_(Follow.follower_id == user.id, Follow.designer_id == user.id)))


def change_display_name(user: User, *, name: str) -> None:
    """Change the name shown to others on threads, cases and reviews, screened like any text.

    Issued invoices keep the name they were made with. Raises ContactDetailsRefused, DomainError.
    """
    name = _screened_name(name, author=user)
    if name == user.display_name:
        raise DomainError(_l("This is already your name."), field="display_name")
    record_action(
        "account.name_changed",
        user,
        actor=user,
        before={"display_name": user.display_name},
        after={"display_name": name},
    )
    user.display_name = name


def _screened_name(name: str, *, author: User | None) -> str:
    # A name is shown beside every message and case: contact details there bypass the filter.
    name = " ".join(name.split())
    if not name:
        raise DomainError(_l("Give the name others will see."), field="display_name")
    screen_text({"display_name": name}, author=author, source=ViolationSource.profile, source_ref="display_name")
    return name


def set_locale(user: User, locale: str) -> None:
    user.locale = locale


def grant_staff_roles(user: User, roles: list[StaffRole], *, actor: User | None) -> None:
    """Give staff roles to an account (idempotent); written to the audit log."""
    held = user.staff_roles
    added = [r for r in roles if r not in held]
    for role in added:
        user.roles.append(StaffRoleGrant(role=role))
    if added:
        user.email_confirmed_at = user.email_confirmed_at or utcnow()
        record_action(
            "staff.roles_granted",
            user,
            actor=actor,
            before={"roles": sorted(r.value for r in held)},
            after={"roles": sorted(r.value for r in held | set(added))},
        )
