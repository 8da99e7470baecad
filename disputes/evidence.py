"""Evidence files a party gives the resolution centre, stored encrypted like every file."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Iterable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from errors import DomainError
from extensions import db
from files.meshes import mesh_format
from files.operations import store_file
from models.accounts import User
from models.disputes import Dispute, DisputeEvidence, DisputeParty
from models.files import FileKind
from models.types import utcnow

MAX_FILES_PER_PARTY = 10
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic"}
# Scanner exports (DICOM, 3Shape's .dcm): patient data, which staff never read.
_SCAN_SUFFIXES = {".dcm", ".dicom"}
DICOM_TYPE = "application/dicom"
PATIENT_SCAN_REFUSED = _l(
    "Patient scans cannot be given as evidence: only the two parties of the case may read "
    "them, never the resolution centre. Send screenshots of the scan instead."
)

# (file name, stream of bytes) as the view received it.
Upload = tuple[str, Iterable[bytes]]


def evidence_kind(filename: str) -> FileKind:
    """Evidence is never patient data: images, designs (meshes) or documents."""
    if PurePosixPath(filename.lower()).suffix in _IMAGE_SUFFIXES:
        return FileKind.image
    if mesh_format(filename):
        return FileKind.design
    return FileKind.document


def attach_evidence(
    dispute: Dispute, uploads: list[Upload], *, actor: User, party: DisputeParty, request_id: int | None = None
) -> list[DisputeEvidence]:
    """Store the uploads for `actor` and attach them to the dispute as `party`'s evidence
    (answering the evidence request `request_id`, if given).

    Raises DomainError when the party would have more than MAX_FILES_PER_PARTY files, a file
    is a patient scan (by its name or its bytes), or a file is larger than the platform
    accepts (nothing of this call is kept then).
    """
    uploads = [(name, stream) for name, stream in uploads if name]
    if not uploads:
        return []
    held = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(DisputeEvidence)
        .where(DisputeEvidence.dispute_id == dispute.id, DisputeEvidence.party == party)
    )
    if held + len(uploads) > MAX_FILES_PER_PARTY:
        raise DomainError(
            _l("Each party may give at most %(n)d evidence files.", n=MAX_FILES_PER_PARTY), field="evidence"
        )
    if any(PurePosixPath(name.lower()).suffix in _SCAN_SUFFIXES for name, _stream in uploads):
        raise DomainError(PATIENT_SCAN_REFUSED, field="evidence")
    rows = []
    for name, stream in uploads:
        stored = store_file(stream, owner=actor, filename=name, kind=evidence_kind(name))
        if stored.content_type == DICOM_TYPE:  # renamed, but its bytes say it is a scan
            raise DomainError(PATIENT_SCAN_REFUSED, field="evidence")
        row = DisputeEvidence(
            dispute_id=dispute.id, party=party, file_id=stored.id, added_at=utcnow(), request_id=request_id
        )
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    return rows
