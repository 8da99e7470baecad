"""The staff second factor: TOTP (RFC 6238) with single-use recovery codes.

The TOTP secret is kept encrypted (AES-GCM under its own key, TOTP_SECRETS_KEY, never the
files' master key; the account id bound as associated data) so a database dump alone opens
nothing, and whoever holds the files' key cannot read the second factors;
recovery codes are kept as SHA-256 digests and struck off when used. A code is accepted
once: the time step of the last accepted code is remembered, so a code seen over a
shoulder cannot be replayed in the same 30 seconds.

A session that passed the factor carries a mark naming the account and its session version
(a reset or a password change ends it); the login loader stamps what the mark says on the
account each request runs as (User.second_factor_passed), which every staff rule checks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
import secrets

import pyotp
import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app, session
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from audit.trail import record_action
from errors import DomainError, InvalidTransition
from extensions import db
from files.crypto import totp_secrets_key
from models.accounts import User
from models.moderation import StaffSecondFactor
from models.types import utcnow
from moderation import permissions

ISSUER = "Occlusa back office"
SESSION_KEY = "staff_second_factor"
RECOVERY_CODE_COUNT = 10


class WrongCode(DomainError):
    """The code is not the current TOTP code nor an unused recovery code."""


def _cipher() -> AESGCM:
    return AESGCM(totp_secrets_key(current_app.config))


def _encrypt_secret(user: User, secret: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + _cipher().encrypt(nonce, secret.encode(), f"user:{user.id}".encode())


def _decrypt_secret(factor: StaffSecondFactor) -> str:
    blob = factor.secret_encrypted
    return _cipher().decrypt(blob[:12], blob[12:], f"user:{factor.user_id}".encode()).decode()


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def _session_mark(user: User) -> str:
    return f"{user.id}:{user.session_version}"


def mark_session_passed(user: User) -> None:
    """This browser session passed the second factor as `user` (after a valid code)."""
    session[SESSION_KEY] = _session_mark(user)
    user.second_factor_passed = True


def forget_session_passed() -> None:
    """A login or a logout starts over: the next staff power asks for a code again."""
    session.pop(SESSION_KEY, None)


def session_has_passed(user: User) -> bool:
    """Whether the current request's session passed the second factor as `user`."""
    return user.is_staff and session.get(SESSION_KEY) == _session_mark(user)


def factor_of(user: User) -> StaffSecondFactor | None:
    return db.session.scalar(sa.select(StaffSecondFactor).where(StaffSecondFactor.user_id == user.id))


def is_enrolled(user: User) -> bool:
    factor = factor_of(user)
    return factor is not None and factor.enrolled_at is not None


def begin_enrolment(user: User, *, secret: str | None = None) -> str:
    """Give a staff account a new secret to enrol (replacing an unconfirmed one); return it.

    Raises InvalidTransition if the account already has an enrolled factor (an admin resets it).
    """
    factor = db.session.scalar(
        sa.select(StaffSecondFactor).where(StaffSecondFactor.user_id == user.id).with_for_update()
    )
    if factor is not None and factor.enrolled_at is not None:
        raise InvalidTransition(_l("A second factor is already set up for this account."))
    secret = secret or pyotp.random_base32()
    if factor is None:
        factor = StaffSecondFactor(user_id=user.id, secret_encrypted=b"")
        db.session.add(factor)
    factor.secret_encrypted = _encrypt_secret(user, secret)
    factor.recovery_code_hashes = []
    db.session.flush()
    return secret


def pending_secret(user: User) -> str | None:
    """The secret being enrolled (shown with its QR code until the first code confirms it)."""
    factor = factor_of(user)
    if factor is None or factor.enrolled_at is not None:
        return None
    return _decrypt_secret(factor)


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Finish enrolment with a first valid code; return the recovery codes (shown once).

    Raises InvalidTransition without a pending enrolment, WrongCode for a wrong code.
    """
    factor = db.session.scalar(
        sa.select(StaffSecondFactor).where(StaffSecondFactor.user_id == user.id).with_for_update()
    )
    if factor is None or factor.enrolled_at is not None:
        raise InvalidTransition(_l("There is no second factor waiting to be confirmed."))
    if not _accept_totp(factor, code):
        raise WrongCode(_l("This code is not valid. Check your authenticator app's clock and try again."), field="code")
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    factor.recovery_code_hashes = [_hash_code(c) for c in codes]
    factor.enrolled_at = utcnow()
    db.session.flush()
    record_action("staff.second_factor_enrolled", user, actor=user)
    return codes


def enrol_known_secret(user: User, secret: str, *, actor: User | None) -> list[str]:
    """Enrol a staff account with a given secret, without a first code (demo accounts, whose
    secret is published in the README). Returns fresh recovery codes. Never used on real staff."""
    factor = factor_of(user)
    if factor is None:
        factor = StaffSecondFactor(user_id=user.id, secret_encrypted=b"")
        db.session.add(factor)
    factor.secret_encrypted = _encrypt_secret(user, secret)
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    factor.recovery_code_hashes = [_hash_code(c) for c in codes]
    factor.enrolled_at = utcnow()
    factor.last_used_step = None
    db.session.flush()
    record_action("staff.second_factor_enrolled", user, actor=actor, reason="known secret")
    return codes


def verify_code(user: User, code: str) -> str:
    """Check a TOTP code or an unused recovery code; return "totp" or "recovery".

    A recovery code is struck off once used. Raises WrongCode (nothing else changes) or
    InvalidTransition when the account has no enrolled factor.
    """
    factor = db.session.scalar(
        sa.select(StaffSecondFactor).where(StaffSecondFactor.user_id == user.id).with_for_update()
    )
    if factor is None or factor.enrolled_at is None:
        raise InvalidTransition(_l("Set up your second factor first."))
    if _accept_totp(factor, code):
        db.session.flush()
        return "totp"
    digest = _hash_code(code)
    remaining = list(factor.recovery_code_hashes or [])
    match = next((h for h in remaining if hmac.compare_digest(h, digest)), None)
    if match is None:
        raise WrongCode(_l("This code is not valid."), field="code")
    remaining.remove(match)
    factor.recovery_code_hashes = remaining
    db.session.flush()
    record_action("staff.recovery_code_used", user, actor=user, after={"remaining": len(remaining)})
    return "recovery"


def reset_second_factor(user: User, *, actor: User, reason: str) -> None:
    """Remove an account's second factor (lost phone): it enrols again at its next login.

    Raises PermissionDenied (not an admin, or one's own factor) and InvalidTransition (none set).
    """
    permissions.require(permissions.can_manage_staff(actor) and actor.id != user.id)
    factor = factor_of(user)
    if factor is None:
        raise InvalidTransition(_l("This account has no second factor."))
    db.session.delete(factor)
    user.session_version += 1  # a session that passed the old factor ends now
    db.session.flush()
    record_action("staff.second_factor_reset", user, actor=actor, reason=reason)


def _accept_totp(factor: StaffSecondFactor, code: str) -> bool:
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(_decrypt_secret(factor))
    now = utcnow()
    for drift in (0, -1, 1):  # one step either side for clock skew
        step = totp.timecode(now) + drift
        if hmac.compare_digest(totp.generate_otp(step), code):
            if factor.last_used_step is not None and step <= factor.last_used_step:
                return False  # replay of an accepted code
            factor.last_used_step = step
            return True
    return False


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code_svg(uri: str) -> Markup:
    """The provisioning URI as an inline SVG QR code (no request leaves the page)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration: the SVG is inlined in HTML
    return Markup(svg)


def qr_code_data_uri(uri: str) -> str:
    """Same QR code as a data: URI (for an <img>; CSP allows data: images)."""
    svg = str(qr_code_svg(uri))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
