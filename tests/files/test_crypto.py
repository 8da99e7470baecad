"""The chunked AES-256-GCM format on its own: round trips, ranges, and every kind of tampering."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from files import crypto
from files.crypto import ChunkCipher, FileIntegrityError

pytestmark = pytest.mark.no_app_context


def _cipher(chunk_size: int = 16) -> ChunkCipher:
    return ChunkCipher(crypto.new_data_key(), crypto.new_nonce_prefix(), chunk_size)


def _reader(blob: bytes):
    return lambda first, last, block: iter([blob[first:last]])


def _sealed(cipher: ChunkCipher, data: bytes, piece: int = 7) -> bytes:
    return b"".join(cipher.encrypt(data[i : i + piece] for i in range(0, len(data), piece)))


@settings(max_examples=150, deadline=None)
@given(
    data=st.binary(max_size=200),
    chunk_size=st.integers(1, 40),
    cuts=st.tuples(st.integers(0, 200), st.integers(0, 200)),
)
def test_any_range_of_any_file_decrypts_to_the_same_bytes(data, chunk_size, cuts):
    cipher = _cipher(chunk_size)
    blob = _sealed(cipher, data)
    start, end = sorted(min(c, len(data)) for c in cuts)

    assert len(blob) == cipher.ciphertext_size(len(data))
    assert b"".join(cipher.decrypt(_reader(blob), len(data))) == data
    assert b"".join(cipher.decrypt(_reader(blob), len(data), start, end)) == data[start:end]


def test_a_range_reads_only_the_chunks_it_touches():
    cipher = _cipher(16)
    data = os.urandom(160)
    blob = _sealed(cipher, data)
    asked = []

    def reader(first, last, block):
        asked.append((first, last))
        return iter([blob[first:last]])

    assert b"".join(cipher.decrypt(reader, len(data), 40, 50)) == data[40:50]
    assert asked == [(2 * 32, 4 * 32)]  # chunks 2 and 3, tag included


@pytest.mark.parametrize("position", [0, 20, 47])
def test_a_flipped_byte_refuses_the_chunk_and_never_yields_it(position):
    cipher = _cipher(16)
    data = os.urandom(40)
    blob = bytearray(_sealed(cipher, data))
    blob[position] ^= 0x01
    yielded = []

    with pytest.raises(FileIntegrityError):
        for piece in cipher.decrypt(_reader(bytes(blob)), len(data)):
            yielded.append(piece)

    chunk = position // 32
    assert b"".join(yielded) == data[: chunk * 16]


def test_dropping_whole_chunks_from_the_end_is_detected():
    cipher = _cipher(16)
    data = os.urandom(64)
    blob = _sealed(cipher, data)

    with pytest.raises(FileIntegrityError, match="truncated"):
        b"".join(cipher.decrypt(_reader(blob[:64]), len(data)))


def test_a_shortened_file_cannot_pass_as_complete():
    # Claiming the file ends after chunk 1 fails: chunk 1 was not sealed as the final one.
    cipher = _cipher(16)
    data = os.urandom(64)
    blob = _sealed(cipher, data)

    with pytest.raises(FileIntegrityError):
        b"".join(cipher.decrypt(_reader(blob[:64]), 32))


def test_swapped_chunks_are_detected():
    cipher = _cipher(16)
    data = os.urandom(48)
    blob = _sealed(cipher, data)
    swapped = blob[32:64] + blob[:32] + blob[64:]

    with pytest.raises(FileIntegrityError):
        b"".join(cipher.decrypt(_reader(swapped), len(data)))


def test_an_empty_file_is_one_authenticated_chunk():
    cipher = _cipher(16)
    blob = _sealed(cipher, b"")

    assert len(blob) == crypto.TAG_BYTES
    assert b"".join(cipher.decrypt(_reader(blob), 0)) == b""
    with pytest.raises(FileIntegrityError):
        b"".join(cipher.decrypt(_reader(b""), 0))


def test_a_wrapped_key_opens_only_with_its_master_key_and_its_object():
    master, other = os.urandom(32), os.urandom(32)
    data_key = crypto.new_data_key()
    wrapped = crypto.wrap_key(master, data_key, context="files/aa/one")

    assert crypto.unwrap_key(master, wrapped, context="files/aa/one") == data_key
    with pytest.raises(FileIntegrityError, match="platform's key"):
        crypto.unwrap_key(other, wrapped, context="files/aa/one")
    with pytest.raises(FileIntegrityError):
        crypto.unwrap_key(master, wrapped, context="files/aa/another")
    with pytest.raises(FileIntegrityError, match="deleted"):
        crypto.unwrap_key(master, None, context="files/aa/one")


def test_the_master_key_must_be_32_bytes():
    assert len(crypto.load_master_key("A" * 43)) == 32
    with pytest.raises(ValueError):
        crypto.load_master_key("c2hvcnQ=")


@given(pieces=st.lists(st.binary(max_size=50), max_size=20), size=st.integers(1, 30))
def test_rechunk_regroups_without_losing_a_byte(pieces, size):
    blocks = list(crypto.rechunk(pieces, size))

    assert b"".join(blocks) == b"".join(pieces)
    assert all(len(b) == size for b in blocks[:-1])
