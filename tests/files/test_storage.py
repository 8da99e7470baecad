"""The storage backends behave alike: same tests on the local folder and on S3 (moto_server)."""

from __future__ import annotations

import os

import pytest

from files.storage import LocalStorage, ObjectMissing, S3Storage, new_storage_key, storage_from_url

pytestmark = pytest.mark.no_app_context


def _pieces(data: bytes, size: int = 100_000):
    return (data[i : i + size] for i in range(0, len(data), size))


def test_write_read_and_delete(backend):
    key = new_storage_key()
    data = os.urandom(300_000)

    assert backend.write(key, _pieces(data)) == len(data)
    assert backend.exists(key)
    assert b"".join(backend.read(key)) == data
    assert b"".join(backend.read(key, 1000, 2000)) == data[1000:2000]
    assert b"".join(backend.read(key, 299_990)) == data[299_990:]
    assert b"".join(backend.read(key, 5, 5)) == b""

    backend.delete(key)
    backend.delete(key)  # deleting twice is fine: deletion is retried by the sweep
    assert not backend.exists(key)
    with pytest.raises(ObjectMissing):
        b"".join(backend.read(key))


def test_a_range_past_the_end_reads_what_is_there(backend):
    key = new_storage_key()
    backend.write(key, [b"0123456789"])

    assert b"".join(backend.read(key, 5, 50)) == b"56789"
    assert b"".join(backend.read(key, 20, 30)) == b""


def test_an_empty_object(backend):
    key = new_storage_key()
    backend.write(key, [])

    assert backend.exists(key)
    assert b"".join(backend.read(key)) == b""


def test_a_failed_write_leaves_nothing(backend):
    key = new_storage_key()

    def broken():
        yield os.urandom(9 * 1024 * 1024)  # past one S3 part: a multipart upload is under way
        raise ConnectionError("client went away")

    with pytest.raises(ConnectionError):
        backend.write(key, broken())
    assert not backend.exists(key)


def test_a_large_write_goes_in_parts(backend):
    key = new_storage_key()
    data = os.urandom(17 * 1024 * 1024)

    backend.write(key, _pieces(data, 1024 * 1024))

    assert (
        b"".join(backend.read(key, 8 * 1024 * 1024 - 10, 8 * 1024 * 1024 + 10))
        == data[8 * 1024 * 1024 - 10 : 8 * 1024 * 1024 + 10]
    )
    assert b"".join(backend.read(key)) == data


def test_resumable_parts_assemble_in_order(backend):
    key = new_storage_key()
    first = os.urandom(backend.upload_part_bytes)
    last = b"the end"
    handle = backend.begin_parts(key)

    ids = [backend.put_part(key, handle, number=1, offset=0, data=b"x" * 10)]  # a crashed attempt
    ids = [backend.put_part(key, handle, number=1, offset=0, data=first)]  # rewritten on retry
    ids.append(backend.put_part(key, handle, number=2, offset=len(first), data=last))
    assert not backend.exists(key)
    backend.complete_parts(key, handle, ids)

    assert b"".join(backend.read(key)) == first + last


def test_a_rewritten_last_part_replaces_a_longer_one(backend):
    key = new_storage_key()
    handle = backend.begin_parts(key)
    backend.put_part(key, handle, number=1, offset=0, data=b"y" * 10_000)  # written before a crash

    part = backend.put_part(key, handle, number=1, offset=0, data=b"short")
    backend.complete_parts(key, handle, [part])

    assert b"".join(backend.read(key)) == b"short"


def test_aborted_parts_leave_nothing(backend):
    key = new_storage_key()
    handle = backend.begin_parts(key)
    backend.put_part(key, handle, number=1, offset=0, data=b"partial")

    backend.abort_parts(key, handle)

    assert not backend.exists(key)


def test_storage_urls_choose_the_backend(tmp_path):
    local = storage_from_url(f"file://{tmp_path}/store")
    s3 = storage_from_url("s3://bucket/some/prefix", endpoint_url="http://127.0.0.1:1")

    assert isinstance(local, LocalStorage) and local.root == tmp_path / "store"
    assert isinstance(s3, S3Storage) and (s3.bucket, s3.prefix) == ("bucket", "some/prefix")
    assert s3.object_key("files/ab/cd") == "some/prefix/files/ab/cd"
    with pytest.raises(ValueError):
        storage_from_url("ftp://elsewhere/x")


def test_local_keys_cannot_leave_the_root(tmp_path):
    storage = LocalStorage(tmp_path)
    for key in ("../etc/passwd", "/etc/passwd", "files/../../x"):
        with pytest.raises(ValueError):
            storage.path(key)
