"""Master keys: each wrapped file key names its master key; rotation re-wraps keys, never bytes."""

from __future__ import annotations

import base64
import os

import pytest

from extensions import commit, db
from files import crypto
from files.key_rotation import rotate_files_key
from files.operations import open_file, store_file
from files.uploads import append_upload, start_upload
from models.files import FileKind, StoredFile, UploadSession


def _new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.fixture
def old_key(app, monkeypatch) -> str:
    """Files are stored under this key, then the tests move the ring on."""
    key = _new_key()
    monkeypatch.setitem(app.config, "FILES_MASTER_KEY", key)
    monkeypatch.setitem(app.config, "FILES_MASTER_KEYS_OLD", "")
    return key


def _rotate_to(app, monkeypatch, old: str) -> str:
    new = _new_key()
    monkeypatch.setitem(app.config, "FILES_MASTER_KEY", new)
    monkeypatch.setitem(app.config, "FILES_MASTER_KEYS_OLD", f"{_new_key()}, {old}")
    return new


def _store(owner, data: bytes, name: str = "crown.stl") -> StoredFile:
    stored = store_file(iter([data]), owner=owner, filename=name, kind=FileKind.design)
    commit()
    return stored


def _key_id(value: str) -> str:
    return crypto.key_id(crypto.load_master_key(value))


def test_a_file_wrapped_under_an_old_key_still_reads_while_that_key_is_in_the_ring(
    app, storage, owner, old_key, monkeypatch
):
    stored = _store(owner, b"a crown")
    assert stored.wrapped_key_id == _key_id(old_key)

    _rotate_to(app, monkeypatch, old_key)

    assert b"".join(open_file(stored)) == b"a crown"


def test_a_file_under_a_master_key_missing_from_the_ring_gives_a_clear_error(
    app, local_storage, owner, old_key, monkeypatch
):
    stored = _store(owner, b"a crown")
    monkeypatch.setitem(app.config, "FILES_MASTER_KEY", _new_key())

    with pytest.raises(crypto.UnknownMasterKey, match=f"master key {stored.wrapped_key_id}.*FILES_MASTER_KEYS_OLD"):
        open_file(stored)


def test_rotation_rewraps_every_key_and_leaves_the_stored_bytes_untouched(app, storage, owner, old_key, monkeypatch):
    datas = [os.urandom(n) for n in (0, 10, 3 * crypto.CHUNK_BYTES + 5)]
    files = [_store(owner, data, f"part{i}.stl") for i, data in enumerate(datas)]
    upload = start_upload(owner=owner, filename="scan.stl", size=20, kind=FileKind.patient_scan)
    upload = append_upload(upload, iter([b"first half"]), offset=0, actor=owner)
    commit()
    ciphertext = {f.storage_key: b"".join(storage.read(f.storage_key)) for f in files}
    wrapped_before = {f.id: f.wrapped_key for f in files}
    new_key = _rotate_to(app, monkeypatch, old_key)

    counts = rotate_files_key(batch_size=2)

    assert (counts["stored_files"].rewrapped, counts["stored_files"].already_current) == (3, 0)
    assert counts["upload_sessions"].rewrapped == 1
    db.session.expire_all()
    for stored, _data in zip(files, datas):
        stored = db.session.get(StoredFile, stored.id)
        assert stored.wrapped_key_id == _key_id(new_key) and stored.wrapped_key != wrapped_before[stored.id]
        assert b"".join(storage.read(stored.storage_key)) == ciphertext[stored.storage_key]
    # The old key can now leave the ring: every file and the open upload carry on without it.
    monkeypatch.setitem(app.config, "FILES_MASTER_KEYS_OLD", "")
    assert [b"".join(open_file(db.session.get(StoredFile, f.id))) for f in files] == datas
    upload = append_upload(db.session.get(UploadSession, upload.id), iter([b"other half"]), offset=10, actor=owner)
    commit()
    assert b"".join(open_file(upload.stored_file)) == b"first halfother half"
    # A second run finds nothing left to do.
    again = rotate_files_key(batch_size=2)
    assert (again["stored_files"].rewrapped, again["stored_files"].already_current) == (0, 4)  # the finished upload too


def test_the_rotate_command_prints_its_counts_and_fails_on_an_unknown_key(
    app, local_storage, owner, old_key, monkeypatch
):
    _store(owner, b"one")
    _store(owner, b"two")
    _rotate_to(app, monkeypatch, old_key)

    result = app.test_cli_runner().invoke(args=["rotate-files-key", "--batch", "1"])

    assert result.exit_code == 0, result.output
    assert "stored_files: 2 re-wrapped, 0 already under the current key" in result.output
    # Keys wrapped under a master key nobody configured are reported, not guessed at.
    lost = _store(owner, b"three")
    monkeypatch.setitem(app.config, "FILES_MASTER_KEY", _new_key())
    monkeypatch.setitem(app.config, "FILES_MASTER_KEYS_OLD", "")
    result = app.test_cli_runner().invoke(args=["rotate-files-key"])
    assert result.exit_code == 1
    assert f"stored_files: 3 under master key {lost.wrapped_key_id}, which is not configured" in result.output
