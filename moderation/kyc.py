"""Identity verification (KYC): submission, the verifier's decision, and the documents' deletion.

    submitted → approved | rejected   (a verifier decides; documents deleted at once)
    submitted → abandoned             (the sweep, after KYC_ABANDON_DAYS; documents deleted)

(the table TRANSITIONS below, applied by one Process: transitions.py).

Documents are stored encrypted through files.operations (kind identity_document, never
shared, readable by verifiers only). At the decision their wrapped keys are destroyed in
the same transaction and their bytes removed right after the commit; what stays is the
decision, the verifier, the time, and each document's type and SHA-256.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Iterable, Iterator

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from audit.trail import record_action
from errors import DomainError, InvalidTransition, NotFound
from extensions import db
from files import content_kinds
from files import operations as files
from messaging.notify import notify
from models.accounts import User
from models.files import FileKind, StoredFile
from models.types import utcnow
from models.verification import DocumentType, VerificationDocument, VerificationStatus, VerificationSubmission
from moderation import claims, permissions
from transitions import Move, Process, Table, step
from profiles.operations import profile_for, set_identity_verified

log = logging.getLogger(__name__)

S = VerificationStatus
VERIFIER, PLATFORM = "verifier", "platform"

# (state, action)              → next state    who may
TRANSITIONS = Table(
    {
        (S.submitted, "approve"): step(S.approved, VERIFIER),
        (S.submitted, "reject"): step(S.rejected, VERIFIER),
        (S.submitted, "abandon"): step(S.abandoned, PLATFORM),
    }
)

# Nationals of these countries may use a national identity card (front and back) instead of
# a passport: the EU/EEA and Switzerland, whose ID cards are travel documents.
ID_CARD_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH".split()
)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

DOCUMENT_LABELS = {
    DocumentType.id_front: _l("Identity card, front"),
    DocumentType.id_back: _l("Identity card, back"),
    DocumentType.passport: _l("Passport (photo page)"),
    DocumentType.company_proof: _l("Proof of company ownership"),
}


def abandon_after_days() -> int:
    return int(current_app.config.get("KYC_ABANDON_DAYS", 30))


def accepted_document_sets(nationality: str, as_company: bool) -> list[set[DocumentType]]:
    """The sets of documents that complete a submission (any one of them)."""
    sets = [{DocumentType.passport}]
    if nationality.upper() in ID_CARD_COUNTRIES:
        sets.append({DocumentType.id_front, DocumentType.id_back})
    if as_company:
        sets = [s | {DocumentType.company_proof} for s in sets]
    return sets


def latest_submission(designer: User) -> VerificationSubmission | None:
    return db.session.scalar(
        sa.select(VerificationSubmission)
        .where(VerificationSubmission.designer_id == designer.id)
        .order_by(VerificationSubmission.submitted_at.desc(), VerificationSubmission.id.desc())
        .limit(1)
    )


class Upload:
    """One uploaded document as the view hands it over: its type, file name and bytes (in pieces)."""

    def __init__(self, type: DocumentType, filename: str, chunks: Iterable[bytes]):
        self.type, self.filename, self.chunks = type, filename, chunks


def _checked(upload: Upload) -> Iterator[bytes]:
    """The document's bytes once its first ones show a JPEG, PNG or PDF (a name or a browser's
    word is not proof); store_file checks the same, this says which document failed."""
    try:
        _content, chunks = content_kinds.accept_stream(upload.chunks, upload.filename, FileKind.identity_document)
    except content_kinds.ContentRefused:
        raise DomainError(
            _l("%(doc)s: send a JPEG, PNG or PDF file.", doc=DOCUMENT_LABELS[upload.type]), field=upload.type.value
        ) from None
    return chunks


def submit_verification(
    designer: User, *, nationality: str, as_company: bool, uploads: list[Upload]
) -> VerificationSubmission:
    """Store a designer's identity documents, encrypted, and put them in the verifiers' queue.

    Raises PermissionDenied (not a designer), InvalidTransition (a submission is waiting or the
    identity is already verified), DomainError (documents missing for the nationality, wrong
    file type, too large).
    """
    designer = db.session.get(User, designer.id, with_for_update=True)
    if not designer.is_designer or not designer.is_active:
        permissions.require(False)
    latest = latest_submission(designer)
    if latest is not None and latest.status == VerificationStatus.submitted:
        raise InvalidTransition(_l("Your documents are already waiting for a verifier."))
    if latest is not None and latest.status == VerificationStatus.approved:
        raise InvalidTransition(_l("Your identity is already verified."))
    nationality = (nationality or "").strip().upper()
    if len(nationality) != 2 or not nationality.isalpha():
        raise DomainError(_l("Choose your nationality."), field="nationality")
    given = {u.type for u in uploads}
    if len(given) != len(uploads):
        raise DomainError(_l("Send each document once."))
    if not any(s <= given for s in accepted_document_sets(nationality, as_company)):
        raise DomainError(
            _l(
                "Some documents are missing: %(needed)s.",
                needed=" / ".join(
                    ", ".join(str(DOCUMENT_LABELS[t]) for t in sorted(s, key=lambda t: t.value))
                    for s in accepted_document_sets(nationality, as_company)
                ),
            )
        )
    submission = VerificationSubmission(designer_id=designer.id, nationality=nationality, as_company=as_company)
    db.session.add(submission)
    limit = int(current_app.config.get("KYC_MAX_BYTES", DEFAULT_MAX_BYTES))
    for upload in uploads:
        stored = files.store_file(
            _capped(upload, _checked(upload), limit),
            owner=designer,
            filename=upload.filename,
            kind=FileKind.identity_document,
        )
        submission.documents.append(
            VerificationDocument(type=upload.type, sha256=stored.sha256, stored_file_id=stored.id)
        )
    submission.document_summary = [{"type": d.type.value, "sha256": d.sha256} for d in submission.documents]
    db.session.flush()
    record_action(
        "verification.submitted",
        submission,
        actor=designer,
        after={"status": "submitted", "documents": submission.document_types},
    )
    return submission


def _capped(upload: Upload, chunks: Iterable[bytes], limit: int) -> Iterator[bytes]:
    size = 0
    for piece in chunks:
        size += len(piece)
        if size > limit:
            raise DomainError(
                _l("%(doc)s is larger than %(mb)d MB.", doc=DOCUMENT_LABELS[upload.type], mb=limit // 1024**2),
                field=upload.type.value,
            )
        yield piece


def document_by_file(public_id: str) -> VerificationDocument | None:
    """The document whose stored file has this public id (the back office's document URL)."""
    return db.session.scalar(
        sa.select(VerificationDocument)
        .join(StoredFile, StoredFile.id == VerificationDocument.stored_file_id)
        .where(StoredFile.public_id == public_id)
    )


def open_document(document: VerificationDocument, *, actor: User) -> Iterator[bytes]:
    """The decrypted bytes of a document of a waiting submission, for the verifier who holds
    the submission (claimed in the queue). Each opening is written to the audit log, in the
    caller's unit of work: commit it before the bytes leave.

    Raises PermissionDenied (not a verifier, or second factor not passed), NotFound (decided
    submission, deleted bytes, or a submission this verifier does not hold).
    """
    permissions.require(permissions.can_verify(actor))
    submission = document.submission
    if (
        submission.status != VerificationStatus.submitted
        or document.stored_file is None
        or document.stored_file.is_deleted
    ):
        raise NotFound(_l("This document has been deleted."))
    claim = claims.active_claim("verification", submission.id)
    if claim is None or claim.moderator_id != actor.id:
        raise NotFound(_l("Open the verification first: its documents are for the verifier who holds it."))
    chunks = files.open_file(document.stored_file)
    record_action(
        "verification.document_opened",
        submission,
        actor=actor,
        after={"document": document.type.value, "sha256": document.sha256},
    )
    return chunks


def _locked(submission: VerificationSubmission) -> VerificationSubmission:
    submission = db.session.get(VerificationSubmission, submission.id, with_for_update=True, populate_existing=True)
    if submission is None:
        raise NotFound(_l("This verification does not exist."))
    return submission


def _destroy_documents(submission: VerificationSubmission, actor: User | None, reason: str) -> None:
    """Destroy every document's key now; files.operations removes the bytes after the commit."""
    for document in submission.documents:
        if document.stored_file is not None and not document.stored_file.is_deleted:
            files.delete_file(document.stored_file, actor=actor, reason=reason)
        document.deleted_at = document.deleted_at or utcnow()


def _decided(submission: VerificationSubmission, *, actor: User, reason: str | None = None, **_params) -> None:
    # Checked after the state: a decided submission says so before "claimed by someone else".
    claims.require_claim("verification", submission.id, actor=actor)
    submission.verifier_id = actor.id
    submission.decided_at = utcnow()
    submission.reason = reason


def _abandoned(submission: VerificationSubmission, *, now: datetime, **_params) -> None:
    submission.decided_at = now


def _announce(move: Move) -> None:
    """Delete the documents, write the audit row, and for a decision release the claim, set
    the badge and tell the designer."""
    submission, actor = move.obj, move.actor
    _destroy_documents(submission, actor, f"verification {move.after.value}")
    db.session.flush()
    if move.action != "abandon":
        claims.release_item("verification", submission.id)
    reason = move.params.get("reason")
    if move.action == "abandon":
        reason = f"waiting more than {abandon_after_days()} days"
    record_action(
        f"verification.{move.after.value}",
        submission,
        actor=actor,
        before={"status": move.before.value},
        after={"status": move.after.value, "documents": submission.document_summary},
        reason=reason,
    )
    if move.action == "approve":
        _badge_given(submission, actor)
    elif move.action == "reject":
        _badge_refused(submission, actor, reason)


def _tell_designer(submission: VerificationSubmission, title, body) -> None:
    target = url_for("payments.settings") if "payments.settings" in current_app.view_functions else "/"
    notify(submission.designer, "verification_result", title=title, body=body, url=target)


def approve_verification(submission: VerificationSubmission, *, actor: User) -> VerificationSubmission:
    """The identity is confirmed: Verified badge, documents deleted, designer told.

    Raises PermissionDenied, NotFound, InvalidTransition (decided, or claimed by another verifier).
    """
    return KYC_PROCESS.apply(submission, "approve", role=_verifier(actor), actor=actor).obj


def _badge_given(submission: VerificationSubmission, actor: User) -> None:
    set_identity_verified(submission.designer, True, actor=actor)
    _tell_designer(
        submission,
        _l("Your identity is verified"),
        _l("Your account now shows the Verified badge. Your documents have been deleted."),
    )


def reject_verification(submission: VerificationSubmission, *, actor: User, reason: str) -> VerificationSubmission:
    """The documents do not establish the identity: refused with a reason, documents deleted.

    Raises PermissionDenied, NotFound, InvalidTransition, DomainError (no reason).
    """
    permissions.require(permissions.can_verify(actor))
    if not (reason or "").strip():
        raise DomainError(_l("Give the reason the designer will read."), field="reason")
    return KYC_PROCESS.apply(submission, "reject", role=VERIFIER, actor=actor, reason=reason.strip()).obj


def _badge_refused(submission: VerificationSubmission, actor: User, reason: str) -> None:
    # The latest decision is the one that holds: a designer verified before and refused now
    # loses the badge, and with it their listings (a listing condition), until a new approval.
    was_verified = bool((profile := profile_for(submission.designer)) and profile.identity_verified)
    set_identity_verified(submission.designer, False, actor=actor)
    if was_verified:
        _tell_designer(
            submission,
            _l("Your identity verification was not accepted"),
            _l(
                "Reason: %(reason)s. Your Verified badge is removed and your listings are offline until "
                "new documents are approved. Your documents have been deleted; you can send new ones.",
                reason=reason,
            ),
        )
    else:
        _tell_designer(
            submission,
            _l("Your identity verification was not accepted"),
            _l("Reason: %(reason)s. Your documents have been deleted; you can send new ones.", reason=reason),
        )


def _verifier(actor: User) -> str | None:
    return VERIFIER if permissions.can_verify(actor) else None


KYC_PROCESS = Process(
    "verification",
    TRANSITIONS,
    lock=_locked,
    event=_announce,
    refused=lambda submission, _action: _l(
        "This verification was already decided (%(status)s).", status=submission.status.value
    ),
    denied=_l("Your staff role does not allow this action."),
    fields={"approve": _decided, "reject": _decided, "abandon": _abandoned},
    attribute="status",
)


def abandon_stale_submissions(now: datetime) -> int:
    """Sweep: submissions waiting longer than KYC_ABANDON_DAYS are abandoned, documents deleted."""
    cutoff = now - timedelta(days=abandon_after_days())
    stale = db.session.scalars(
        sa.select(VerificationSubmission)
        .where(
            VerificationSubmission.status == VerificationStatus.submitted, VerificationSubmission.submitted_at <= cutoff
        )
        .with_for_update(skip_locked=True)
    ).all()
    for submission in stale:
        KYC_PROCESS.apply(submission, "abandon", role=PLATFORM, locked=True, now=now)
    return len(stale)
