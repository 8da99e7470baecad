"""Storing, reading and deleting files through storage and encryption, on both backends."""

from __future__ import annotations

import hashlib
import os
import tracemalloc

import pytest

from errors import DomainError, InvalidTransition, PermissionDenied
from extensions import commit, db
from files.crypto import CHUNK_BYTES, TAG_BYTES, FileIntegrityError
from files.operations import FileUnavailable, delete_file, open_file, store_file
from files.permissions import can_delete, can_read, can_share
from hooks import file_read_rules
from models.accounts import StaffRole
from models.files import FileKind, StoredFile
from models.moderation import AuditEntry
from tests.factories import make_user
from tests.files import mesh_samples as m


def _pieces(data: bytes, size: int = 256 * 1024):
    return (data[i : i + size] for i in range(0, len(data), size))


def _store(owner, data: bytes, name: str = "scan.bin", kind: FileKind = FileKind.design) -> StoredFile:
    stored = store_file(_pieces(data), owner=owner, filename=name, kind=kind)
    commit()
    return stored


def _tamper(storage, key: str, position: int) -> None:
    blob = bytearray(b"".join(storage.read(key)))
    blob[position] ^= 0x40
    storage.write(key, [bytes(blob)])


@pytest.mark.parametrize(
    "size",
    [0, 1, 1000, CHUNK_BYTES, CHUNK_BYTES + 1, 2 * CHUNK_BYTES, int(2.5 * CHUNK_BYTES)],
    ids=["empty", "one-byte", "small", "one-chunk", "chunk-plus-one", "two-chunks", "multi"],
)
def test_round_trip(storage, owner, size):
    data = os.urandom(size)

    stored = _store(owner, data)

    assert stored.size == size
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.chunk_size == CHUNK_BYTES
    raw = b"".join(storage.read(stored.storage_key))
    assert len(raw) == size + TAG_BYTES * max(1, -(-size // CHUNK_BYTES))
    assert size < 16 or data[:16] not in raw  # encrypted at rest
    assert b"".join(open_file(stored)) == data


def test_range_reads(storage, owner):
    data = os.urandom(3 * CHUNK_BYTES + 123)
    stored = _store(owner, data)

    for start, end in [
        (0, 10),
        (CHUNK_BYTES - 5, CHUNK_BYTES + 5),
        (2 * CHUNK_BYTES, 3 * CHUNK_BYTES),
        (len(data) - 1, len(data)),
        (17, 17),
        (0, len(data)),
    ]:
        assert b"".join(open_file(stored, start=start, end=end)) == data[start:end]
    assert b"".join(open_file(stored, start=CHUNK_BYTES + 7)) == data[CHUNK_BYTES + 7 :]
    with pytest.raises(DomainError):
        open_file(stored, start=10, end=len(data) + 1)


def test_a_tampered_chunk_is_refused(storage, owner):
    data = os.urandom(2 * CHUNK_BYTES + 10)
    stored = _store(owner, data)
    _tamper(storage, stored.storage_key, CHUNK_BYTES + TAG_BYTES + 100)  # inside chunk 1

    received = []
    with pytest.raises(FileIntegrityError, match="integrity"):
        for piece in open_file(stored):
            received.append(piece)

    assert b"".join(received) == data[:CHUNK_BYTES]  # chunk 0 only; nothing of chunk 1
    assert b"".join(open_file(stored, start=0, end=100)) == data[:100]  # untouched chunk still reads
    with pytest.raises(FileIntegrityError):
        b"".join(open_file(stored, start=CHUNK_BYTES + 5, end=CHUNK_BYTES + 6))


def test_a_truncated_file_is_refused(storage, owner):
    data = os.urandom(2 * CHUNK_BYTES + 10)
    stored = _store(owner, data)
    sealed = b"".join(storage.read(stored.storage_key))

    for cut in (len(sealed) - 1, 2 * (CHUNK_BYTES + TAG_BYTES), CHUNK_BYTES + TAG_BYTES, 0):
        storage.write(stored.storage_key, [sealed[:cut]])
        with pytest.raises(FileIntegrityError):
            b"".join(open_file(stored))


def test_a_broken_stream_stores_nothing(storage, owner):
    def dropped():
        yield os.urandom(9 * CHUNK_BYTES)  # past one S3 part: a multipart upload is under way
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        store_file(dropped(), owner=owner, filename="scan.stl", kind=FileKind.patient_scan)

    assert db.session.query(StoredFile).count() == 0
    if hasattr(storage, "client"):
        in_progress = storage.client.list_multipart_uploads(Bucket=storage.bucket, Prefix=storage.prefix)
        assert not in_progress.get("Uploads")
        assert not storage.client.list_objects_v2(Bucket=storage.bucket, Prefix=storage.prefix).get("Contents")
    else:
        assert not [p for p in storage.root.rglob("*") if p.is_file()]


def test_missing_bytes_are_refused(storage, owner):
    stored = _store(owner, b"some bytes")
    storage.delete(stored.storage_key)

    with pytest.raises(FileIntegrityError, match="missing"):
        b"".join(open_file(stored))


def test_a_wrapped_key_that_does_not_open_with_its_master_key_is_refused(app, local_storage, owner):
    stored = _store(owner, b"patient data")
    stored.wrapped_key = stored.wrapped_key[:-1] + bytes([stored.wrapped_key[-1] ^ 1])

    with pytest.raises(FileIntegrityError, match="platform's key"):
        open_file(stored)


def test_delete_removes_the_bytes_and_the_key(storage, owner):
    stored = _store(owner, os.urandom(5000), kind=FileKind.patient_scan)
    key = stored.storage_key

    delete_file(stored, actor=owner)
    commit()

    db.session.refresh(stored)
    assert stored.is_deleted and stored.wrapped_key is None and stored.purged_at is not None
    assert not storage.exists(key)
    assert db.session.query(AuditEntry).filter_by(action="file.deleted", object_id=str(stored.id)).count() == 1
    with pytest.raises(FileUnavailable):
        open_file(stored)
    with pytest.raises(InvalidTransition):
        delete_file(stored, actor=owner)


def test_a_rolled_back_deletion_keeps_the_file(local_storage, owner):
    data = os.urandom(100)
    stored = _store(owner, data)

    delete_file(stored, actor=owner)
    db.session.rollback()

    db.session.refresh(stored)
    assert not stored.is_deleted
    assert b"".join(open_file(stored)) == data


def test_a_rolled_back_store_leaves_no_bytes(local_storage, owner):
    stored = store_file([b"never committed"], owner=owner, filename="a.txt", kind=FileKind.document)
    key = stored.storage_key
    assert local_storage.exists(key)

    db.session.rollback()

    assert not local_storage.exists(key)


def test_the_upload_limit(app, local_storage, owner, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_LIMIT_BYTES", 1000)

    with pytest.raises(DomainError, match="larger"):
        store_file(_pieces(os.urandom(1500), 100), owner=owner, filename="big.bin", kind=FileKind.document)
    assert not any(local_storage.root.rglob("*")) or all(p.is_dir() for p in local_storage.root.rglob("*"))


def test_memory_stays_flat_while_storing_and_reading(local_storage, owner):
    size = 24 * CHUNK_BYTES

    def stream():
        block = os.urandom(256 * 1024)
        for _ in range(size // len(block)):
            yield block

    tracemalloc.start()
    try:
        stored = store_file(stream(), owner=owner, filename="big.ply.bin", kind=FileKind.design)
        read = sum(len(piece) for piece in open_file(stored))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert read == size
    assert peak < 8 * CHUNK_BYTES


def test_names_and_types_are_cleaned(local_storage, owner):
    stored = store_file([b"x"], owner=owner, filename="C:\\scans\\..\\lower\x00 jaw.STL", kind=FileKind.patient_scan)

    assert stored.original_name == "lower jaw.STL"
    assert stored.content_type == "model/stl"
    assert stored.expires_at is not None  # patient data never stays indefinitely


def test_permissions(local_storage, owner, designer):
    verifier = make_user(roles=(StaffRole.verifier,))
    admin = make_user(roles=(StaffRole.admin,))
    scan = _store(owner, b"solid scan\nendsolid scan\n", name="scan.stl", kind=FileKind.patient_scan)
    passport = _store(designer, b"%PDF-1.7 passport", name="passport.pdf", kind=FileKind.identity_document)

    assert can_read(owner, scan) and can_delete(owner, scan) and can_share(owner, scan)
    assert not can_read(designer, scan) and not can_delete(designer, scan) and not can_share(designer, scan)
    assert not can_read(admin, scan)  # patient data: not even staff
    assert not can_read(None, scan)
    # identity documents open only through the back office (moderation.kyc.open_document)
    assert not can_read(verifier, passport) and not can_read(designer, passport)
    assert can_delete(verifier, passport)
    assert not can_share(designer, passport)
    assert not can_read(owner, passport)
    with pytest.raises(PermissionDenied):
        delete_file(scan, actor=designer)


def test_other_areas_grant_reading_through_rules(app, local_storage, owner, designer, monkeypatch):
    scan = _store(owner, b"solid scan\nendsolid scan\n", name="scan.stl", kind=FileKind.patient_scan)
    assert not can_read(designer, scan)
    monkeypatch.setitem(
        app.extensions["occlusa.hooks"], "file_read_rules", [*file_read_rules.functions(), _designer_of_the_case]
    )

    assert can_read(designer, scan)
    assert not can_delete(designer, scan)


def _designer_of_the_case(user, stored) -> bool:
    return user.is_designer


def test_meshes_are_checked_as_they_are_stored(local_storage, owner):
    stl = store_file(
        [m.binary_stl(m.CUBE_VERTICES * 0.04, m.CUBE_FACES[1:])],
        owner=owner,
        filename="crown.stl",
        kind=FileKind.design,
    )
    other = store_file([b"%PDF-1.7"], owner=owner, filename="rx.pdf", kind=FileKind.document)
    commit()

    assert stl.mesh["triangles"] == 11 and stl.mesh["warnings"] == ["scale_inches", "holes"]
    assert other.mesh is None
