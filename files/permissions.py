"""Who may read, delete or share a stored file. Deny by default.

Patient data is readable by its owner and by whoever a rule of another area grants it to
(the two parties of a case or of a conversation), never by staff because of their role.
Identity documents (KYC) are read by no route of this module: only the back office's
document page opens them (moderation.kyc.open_document: the verifier holding the submission,
second factor passed, each opening audited). Staff read other files of a case only through
its dispute (disputes.record, audited).

Other areas grant reading with a rule on hooks.file_read_rules (registered in
registrations.py), where rule(user, stored) -> bool answers for the files they hold (cases:
the other party of the case a file is attached to). The rule owns its own checks, including
the file's kind. hooks.file_receive_rules work the same way for receiving patient data (see
files/handover.py): rule(user, stored) -> why this reader may not receive (download, and so
consume) patient data yet, though they may read (preview) it, or None.

Every view that sends a stored file's bytes is marked with @serves_stored_files: a test
walks each marked route with every role, and fails on a route that sends bytes unmarked.
"""

from __future__ import annotations

from typing import Callable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

import hooks
from errors import PermissionDenied
from extensions import db
from models.accounts import StaffRole, User
from models.files import FileKind, StoredFile


def _signed_in(user: User | None) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def _is_owner(user: User, stored: StoredFile) -> bool:
    return user.id == stored.owner_id


def serves_stored_files(view: Callable) -> Callable:
    """Mark a view that sends the bytes of stored files (see the module's docstring)."""
    view.serves_stored_files = True
    return view


def find_file(public_id: str) -> StoredFile | None:
    """The file a URL names by its public id."""
    return db.session.scalar(sa.select(StoredFile).where(StoredFile.public_id == public_id))


def staff_may_read(stored: StoredFile) -> bool:
    """Whether a staff power may ever open this file: never a patient's scan, and identity
    documents only in the back office's verification queue."""
    return stored.kind not in (FileKind.patient_scan, FileKind.identity_document)


def can_read(user: User | None, stored: StoredFile) -> bool:
    """May this signed-in account download the file (outside share links)?"""
    if not _signed_in(user) or stored.is_deleted or stored.kind == FileKind.identity_document:
        return False
    if _is_owner(user, stored):
        return True
    return any(rule(user, stored) for rule in hooks.file_read_rules.functions())


def readable_file(user: User | None, public_id: str) -> StoredFile | None:
    """The file named by `public_id` when `user` may read it, else None (a 404 for the view)."""
    stored = find_file(public_id)
    return stored if stored is not None and can_read(user, stored) else None


def can_delete(user: User | None, stored: StoredFile) -> bool:
    """The owner at any time; a verifier for identity documents (deleted on decision)."""
    if not _signed_in(user):
        return False
    if _is_owner(user, stored):
        return True
    return stored.kind == FileKind.identity_document and user.has_staff_power(StaffRole.verifier)


def can_share(user: User | None, stored: StoredFile) -> bool:
    """Only the owner shares, and identity documents never leave the verification process."""
    return (
        _signed_in(user)
        and not stored.is_deleted
        and _is_owner(user, stored)
        and stored.kind != FileKind.identity_document
    )


def receiving_obstacle(user: User, stored: StoredFile) -> str | None:
    """Why `user` may not download (receive) this patient file yet, or None."""
    for rule in hooks.file_receive_rules.functions():
        if (reason := rule(user, stored)) is not None:
            return reason
    return None


def ensure(rule: Callable[[User | None, StoredFile], bool], user: User | None, stored: StoredFile) -> None:
    """Raise PermissionDenied unless rule(user, stored) allows it."""
    if not rule(user, stored):
        raise PermissionDenied(_l("You do not have access to this file."))
