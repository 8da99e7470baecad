"""Resumable uploads: chunks in order, a dropped connection resumes, memory stays per part."""

from __future__ import annotations

import hashlib
import io
import os
from datetime import timedelta

import pytest

from errors import DomainError, InvalidTransition, PermissionDenied
from extensions import commit, db
from files.crypto import CHUNK_BYTES
from files.operations import open_file
from files.operations import delete_file
from files.uploads import (
    UploadOffsetMismatch,
    abort_upload,
    append_upload,
    completed_uploads,
    find_upload,
    start_upload,
    sweep_stale_uploads,
)
from jobs.sweep import run_sweeps
from models.files import FileKind, UploadState
from models.types import utcnow
from tests.files.mesh_samples import CUBE_FACES, CUBE_VERTICES, binary_stl


def _pieces(data: bytes, size: int = 300_000):
    return (data[i : i + size] for i in range(0, len(data), size))


def _dropping(data: bytes, after: int):
    """A request body whose connection breaks after `after` bytes."""
    yield from _pieces(data[:after], 100_000)
    raise ConnectionResetError("client went away")


def _send(upload, data: bytes, owner, request_bytes: int):
    for offset in range(0, len(data), request_bytes):
        upload = append_upload(upload, _pieces(data[offset : offset + request_bytes]), offset=offset, actor=owner)
        commit()
    return upload


def test_an_upload_in_many_requests(storage, owner):
    data = os.urandom(11 * CHUNK_BYTES + 12345)  # three S3 parts: two full ones and the rest
    upload = start_upload(owner=owner, filename="upper.bin", size=len(data), kind=FileKind.design)
    commit()

    upload = _send(upload, data, owner, request_bytes=3 * CHUNK_BYTES + 7)

    assert upload.state == UploadState.completed
    assert len(upload.parts) == 3 and upload.pending is None and upload.wrapped_key is None
    stored = upload.stored_file
    db.session.refresh(stored)
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()  # filled in by the read-back job
    assert b"".join(open_file(stored)) == data
    assert (
        b"".join(open_file(stored, start=5 * CHUNK_BYTES - 3, end=5 * CHUNK_BYTES + 3))
        == data[5 * CHUNK_BYTES - 3 : 5 * CHUNK_BYTES + 3]
    )


def test_a_dropped_connection_resumes_where_it_stopped(storage, owner):
    data = os.urandom(7 * CHUNK_BYTES + 99)
    upload = start_upload(owner=owner, filename="lower.bin", size=len(data), kind=FileKind.patient_scan)
    commit()

    # given a first request that breaks off after 6.5 chunks
    upload = append_upload(upload, _dropping(data, 6 * CHUNK_BYTES + CHUNK_BYTES // 2), offset=0, actor=owner)
    commit()
    assert upload.state == UploadState.open
    assert upload.received_bytes == 6 * CHUNK_BYTES + CHUNK_BYTES // 2
    # five chunks went to storage as one part; the one and a half after them wait, sealed
    assert upload.stored_bytes > 5 * CHUNK_BYTES and len(upload.pending) > CHUNK_BYTES + CHUNK_BYTES // 2
    assert data[5 * CHUNK_BYTES : 5 * CHUNK_BYTES + 32] not in upload.pending

    # when the client asks where to go on, and sends the rest from there
    upload = find_upload(upload.token, owner=owner)
    with pytest.raises(UploadOffsetMismatch) as wrong:
        append_upload(upload, [data[:10]], offset=0, actor=owner)
    db.session.rollback()
    resume_at = wrong.value.expected
    upload = append_upload(upload, _pieces(data[resume_at:]), offset=resume_at, actor=owner)
    commit()

    # then the file is whole
    assert upload.state == UploadState.completed
    assert b"".join(open_file(upload.stored_file)) == data


def test_drops_at_every_kind_of_place(local_storage, owner):
    data = os.urandom(2 * CHUNK_BYTES + 10)
    upload = start_upload(owner=owner, filename="x.bin", size=len(data), kind=FileKind.design)
    commit()

    for stop in (1, CHUNK_BYTES, CHUNK_BYTES + 1, 2 * CHUNK_BYTES + 9):
        start = upload.received_bytes
        upload = append_upload(upload, _dropping(data[start:], stop - start), offset=start, actor=owner)
        commit()
        assert upload.received_bytes == stop
    upload = append_upload(upload, [data[upload.received_bytes :]], offset=upload.received_bytes, actor=owner)
    commit()

    assert b"".join(open_file(upload.stored_file)) == data


def test_an_empty_upload(storage, owner):
    upload = start_upload(owner=owner, filename="empty.txt", size=0, kind=FileKind.document)
    upload = append_upload(upload, [], offset=0, actor=owner)
    commit()

    assert upload.state == UploadState.completed
    assert b"".join(open_file(upload.stored_file)) == b""


def test_more_bytes_than_declared_are_refused(local_storage, owner):
    upload = start_upload(owner=owner, filename="x.bin", size=10, kind=FileKind.design)
    commit()

    with pytest.raises(DomainError, match="More bytes"):
        append_upload(upload, [b"0123456789abc"], offset=0, actor=owner)
    db.session.rollback()

    assert find_upload(upload.token, owner=owner).received_bytes == 0


def test_the_limit_and_the_owner_are_checked(app, local_storage, owner, designer, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_LIMIT_BYTES", 1000)
    with pytest.raises(DomainError, match="larger"):
        start_upload(owner=owner, filename="big.bin", size=1001, kind=FileKind.design)

    upload = start_upload(owner=owner, filename="ok.bin", size=1000, kind=FileKind.design)
    commit()
    with pytest.raises(PermissionDenied):
        append_upload(upload, [b"x"], offset=0, actor=designer)
    with pytest.raises(Exception, match="does not exist"):
        find_upload(upload.token, owner=designer)


def test_a_form_brings_only_its_owners_finished_uploads(local_storage, owner, designer):
    def finished(user, name):
        upload = start_upload(owner=user, filename=name, size=3, kind=FileKind.design)
        upload = append_upload(upload, [b"abc"], offset=0, actor=user)
        commit()
        return upload.stored_file

    first, second, theirs = finished(owner, "a.stl"), finished(owner, "b.stl"), finished(designer, "c.stl")
    unfinished = start_upload(owner=owner, filename="d.stl", size=10, kind=FileKind.design)
    unfinished = append_upload(unfinished, [b"abc"], offset=0, actor=owner)
    commit()

    assert completed_uploads([second.public_id, first.public_id, second.public_id], owner=owner) == [
        second,
        first,
    ]  # in order, once
    assert completed_uploads([], owner=owner) == []
    for refused in (theirs.public_id, "no-such-file"):
        with pytest.raises(DomainError, match="not yours or no longer exist"):
            completed_uploads([first.public_id, refused], owner=owner)
    assert unfinished.stored_file_id is None  # an upload still under way has no file to name yet
    delete_file(first, actor=owner)
    commit()
    with pytest.raises(DomainError):
        completed_uploads([first.public_id], owner=owner)


def test_abort_and_the_stale_upload_sweep(storage, owner):
    data = os.urandom(6 * CHUNK_BYTES)
    kept = start_upload(owner=owner, filename="a.bin", size=len(data) + 1, kind=FileKind.design)
    stale = start_upload(owner=owner, filename="b.bin", size=len(data) + 1, kind=FileKind.design)
    commit()
    for upload in (kept, stale):
        append_upload(upload, _pieces(data), offset=0, actor=owner)
    commit()

    abort_upload(kept, actor=owner)
    commit()
    with pytest.raises(InvalidTransition):
        append_upload(kept, [b"x"], offset=len(data), actor=owner)
    db.session.rollback()

    assert sweep_stale_uploads(utcnow()) == 0
    done = run_sweeps(now=utcnow() + timedelta(hours=25))
    assert done["files.uploads:sweep_stale_uploads"] == 1
    db.session.refresh(stale)
    assert stale.state == UploadState.aborted and stale.wrapped_key is None
    assert not storage.exists(stale.storage_key)


def test_an_uploaded_mesh_is_checked_after_its_last_byte(local_storage, owner):
    data = binary_stl(CUBE_VERTICES, CUBE_FACES)
    upload = start_upload(owner=owner, filename="crown.stl", size=len(data), kind=FileKind.design)
    upload = _send(upload, data, owner, request_bytes=100)

    stored = upload.stored_file
    db.session.refresh(stored)
    assert stored.mesh["triangles"] == 12 and stored.mesh["warnings"] == []


class _ReadOnlyBody:
    """A request body as gunicorn hands it over: read(n), no readinto."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._data.read(size)


def test_request_bodies_are_read_as_streams_with_or_without_readinto(local_storage, owner):
    data = os.urandom(7 * CHUNK_BYTES + 999)
    upload = start_upload(owner=owner, filename="arch.bin", size=len(data), kind=FileKind.design)
    commit()
    half = 3 * CHUNK_BYTES + 5  # ends inside a part: the tail waits sealed in the session row
    upload = append_upload(upload, io.BytesIO(data[:half]), offset=0, actor=owner)
    commit()
    assert upload.received_bytes == half
    upload = append_upload(upload, _ReadOnlyBody(data[half:]), offset=half, actor=owner)
    commit()

    assert upload.state == UploadState.completed
    assert b"".join(open_file(upload.stored_file)) == data


def test_a_body_longer_than_declared_is_refused(local_storage, owner):
    upload = start_upload(owner=owner, filename="x.bin", size=10, kind=FileKind.design)
    commit()

    with pytest.raises(DomainError, match="More bytes"):
        append_upload(upload, io.BytesIO(b"0123456789abc"), offset=0, actor=owner)
    db.session.rollback()

    assert find_upload(upload.token, owner=owner).received_bytes == 0
