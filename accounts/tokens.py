"""Signed, expiring tokens sent by mail: confirm an address, reset a password.

A reset token embeds a fingerprint of the current password hash, so it stops working the
moment it has been used (the hash changes): single-use without a table of used tokens.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from messaging.mail import public_link
from models.accounts import User

CONFIRM = "confirm-email"
RESET = "reset-password"


class TokenInvalid(Exception):
    """The token was tampered with, has expired, or was already used."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_confirm_token(user: User, email: str) -> str:
    return _serializer(CONFIRM).dumps({"uid": user.id, "email": email})


def read_confirm_token(token: str) -> tuple[int, str]:
    data = _load(CONFIRM, token, current_app.config["CONFIRM_EMAIL_MAX_AGE"])
    return int(data["uid"]), str(data["email"])


def make_reset_token(user: User) -> str:
    return _serializer(RESET).dumps({"uid": user.id, "fp": _password_fingerprint(user)})


def read_reset_token(token: str, load_user) -> User:
    """Return the user the token is for, or raise TokenInvalid (also when already used)."""
    data = _load(RESET, token, current_app.config["RESET_PASSWORD_MAX_AGE"])
    user = load_user(int(data["uid"]))
    if user is None or not hmac.compare_digest(str(data.get("fp", "")), _password_fingerprint(user)):
        raise TokenInvalid()
    return user


def dump_signed(purpose: str, data) -> str:
    """A signed, timestamped token of `data` for one purpose (a token of one purpose opens no other)."""
    return _serializer(purpose).dumps(data)


def load_signed(purpose: str, token: str, max_age: int):
    """The data of a token made by dump_signed; raises TokenInvalid when tampered with or older than max_age."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenInvalid(expired=True) from exc
    except BadSignature as exc:
        raise TokenInvalid() from exc


def _load(purpose: str, token: str, max_age: int) -> dict:
    data = load_signed(purpose, token, max_age)
    if not isinstance(data, dict) or "uid" not in data:
        raise TokenInvalid()
    return data


def confirm_link(user: User, address: str) -> str:
    """The mailed link confirming `address`; made when the mail is rendered, by its job."""
    return public_link("accounts.confirm_email", token=make_confirm_token(user, address))


def reset_link(user: User) -> str:
    """The mailed reset link, made by the mail's job; it dies with the current password."""
    return public_link("accounts.reset_password", token=make_reset_token(user))
