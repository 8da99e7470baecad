"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106's recommendations),
and the list of the most common passwords, which are guessed first and never accepted."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

MIN_LENGTH = 10

# Lower case, one a line (origin and licence: common_passwords.LICENSE beside it).
_COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt.gz")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _common_passwords() -> frozenset[str]:
    with gzip.open(_COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def is_common(password: str) -> bool:
    """True for a password on the list, whatever its case and surrounding spaces."""
    return password.strip().lower() in _common_passwords()


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# Checked on every login so a login costs the same whether or not the account exists.
DUMMY_HASH = _hasher.hash("not-a-real-password-but-same-cost")
