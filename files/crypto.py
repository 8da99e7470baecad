"""Encryption at rest: AES-256-GCM in fixed-size chunks, one random data key per file.

Why chunks: a file is never held whole in memory, and a byte range is served by decrypting
only the chunks it touches. Each chunk is sealed on its own with
    nonce = nonce_prefix (8 random bytes per file) || chunk index (4 bytes, big endian)
    associated data = "occlusa/chunk/v1" || chunk index (8 bytes) || final flag (1 byte)
so a chunk moved to another place, a chunk dropped from the end (the new last chunk was not
sealed as final), or a flipped bit all fail authentication. A chunk's plaintext is only
returned after its tag has been checked: nothing unauthenticated leaves this module.

Ciphertext layout: the sealed chunks back to back, each `len(plaintext) + 16` bytes; an
empty file is one empty final chunk (16 bytes), so even "nothing" is authenticated.

The data key is wrapped with AES-GCM under the current master key (FILES_MASTER_KEY), the
file's storage key bound as associated data so a wrapped key only opens the object it was
made for. The row keeps the master key's id beside the wrapped key: older master keys stay
in the ring (FILES_MASTER_KEYS_OLD) until `flask rotate-files-key` has re-wrapped every data
key under the current one, which never touches the files' bytes.
"""

from __future__ import annotations

import base64
import hashlib
import os
from typing import Callable, Iterable, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask_babel import lazy_gettext as _l

from errors import DomainError

CHUNK_BYTES = 1024 * 1024
TAG_BYTES = 16
NONCE_PREFIX_BYTES = 8
_MAX_CHUNKS = 2**32  # the index has 4 bytes in the nonce
_CHUNK_AD = b"occlusa/chunk/v1"
_WRAP_VERSION = b"\x01"
_WRAP_AD = b"occlusa/key/v1:"
_SEAL_AD = b"occlusa/sealed/v1:"


class FileIntegrityError(DomainError):
    """Stored bytes failed authentication (tampered, truncated, wrong key): nothing is served."""


class UnknownMasterKey(FileIntegrityError):
    """A wrapped key names a master key that is not in the configured ring."""


def load_master_key(value: str, name: str = "FILES_MASTER_KEY") -> bytes:
    """Decode a 32-byte key given in urlsafe base64; a wrong value is a setup error."""
    try:
        key = base64.urlsafe_b64decode(value.strip().encode() + b"=" * (-len(value.strip()) % 4))
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ValueError(f"{name} must be 32 bytes in urlsafe base64")
    return key


def key_id(master_key: bytes) -> str:
    """A master key's public name: a hash of the key, so the operator never has to invent one."""
    return hashlib.sha256(b"occlusa/master-key-id/v1:" + master_key).hexdigest()[:16]


class KeyRing:
    """The master keys: the current one wraps; any of them unwraps, chosen by the stored key id."""

    def __init__(self, current: bytes, old: Iterable[bytes] = ()):
        self.current_id = key_id(current)
        self._keys = {key_id(key): key for key in old}
        self._keys[self.current_id] = current

    @property
    def ids(self) -> set[str]:
        return set(self._keys)

    def wrap(self, data_key: bytes, *, context: str) -> tuple[str, bytes]:
        """(key id, wrapped key) of a data key wrapped under the current master key."""
        return self.current_id, wrap_key(self._keys[self.current_id], data_key, context=context)

    def unwrap(self, master_key_id: str | None, wrapped: bytes | None, *, context: str) -> bytes:
        if wrapped and master_key_id not in self._keys:
            raise UnknownMasterKey(
                _l(
                    "This file's key was wrapped under master key %(id)s, which is not configured "
                    "(add it to FILES_MASTER_KEYS_OLD).",
                    id=master_key_id or "?",
                )
            )
        return unwrap_key(self._keys.get(master_key_id, b""), wrapped, context=context)


def key_ring(config) -> KeyRing:
    """The ring from the configuration: FILES_MASTER_KEY, and FILES_MASTER_KEYS_OLD (comma separated).

    Every master key is parsed here and only here.
    """
    old = [part for part in (config.get("FILES_MASTER_KEYS_OLD") or "").split(",") if part.strip()]
    return KeyRing(
        load_master_key(config["FILES_MASTER_KEY"]), [load_master_key(part, "FILES_MASTER_KEYS_OLD") for part in old]
    )


def totp_secrets_key(config) -> bytes:
    """The key of the staff TOTP secrets (TOTP_SECRETS_KEY): never the files' master key."""
    key = load_master_key(config["TOTP_SECRETS_KEY"], "TOTP_SECRETS_KEY")
    if key == load_master_key(config["FILES_MASTER_KEY"]):
        raise ValueError("TOTP_SECRETS_KEY must differ from FILES_MASTER_KEY")
    return key


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def new_nonce_prefix() -> bytes:
    return os.urandom(NONCE_PREFIX_BYTES)


def wrap_key(master_key: bytes, data_key: bytes, *, context: str) -> bytes:
    """Wrap a data key under the master key; `context` (the storage key) must match on unwrap."""
    nonce = os.urandom(12)
    return _WRAP_VERSION + nonce + AESGCM(master_key).encrypt(nonce, data_key, _WRAP_AD + context.encode())


def unwrap_key(master_key: bytes, wrapped: bytes | None, *, context: str) -> bytes:
    """Recover a data key. Raises FileIntegrityError for a destroyed key or a wrong master key."""
    if not wrapped:
        raise FileIntegrityError(_l("This file has been deleted."))
    if wrapped[:1] != _WRAP_VERSION:
        raise FileIntegrityError(_l("This file's key is in an unknown format."))
    try:
        return AESGCM(master_key).decrypt(wrapped[1:13], wrapped[13:], _WRAP_AD + context.encode())
    except InvalidTag:
        raise FileIntegrityError(_l("This file cannot be decrypted with the platform's key.")) from None


def seal(data_key: bytes, plaintext: bytes, *, context: str) -> bytes:
    """Seal a small blob (an upload's pending tail) with a fresh random nonce."""
    nonce = os.urandom(12)
    return nonce + AESGCM(data_key).encrypt(nonce, plaintext, _SEAL_AD + context.encode())


def unseal(data_key: bytes, sealed: bytes, *, context: str) -> bytes:
    try:
        return AESGCM(data_key).decrypt(sealed[:12], sealed[12:], _SEAL_AD + context.encode())
    except InvalidTag:
        raise FileIntegrityError(_l("The upload's saved state failed its integrity check.")) from None


def rechunk(pieces: Iterable[bytes], size: int) -> Iterator[bytes]:
    """Regroup pieces of any length into `size`-byte blocks (the last one may be shorter)."""
    buffer = bytearray()
    for piece in pieces:
        if not buffer and len(piece) == size and isinstance(piece, bytes):
            yield piece  # already the right size: no copy
            continue
        view = memoryview(piece)
        if buffer:
            take = min(size - len(buffer), len(view))
            buffer += view[:take]
            view = view[take:]
            if len(buffer) < size:
                continue
            yield bytes(buffer)
            buffer.clear()
        while len(view) >= size:
            yield bytes(view[:size])
            view = view[size:]
        buffer += view
    if buffer:
        yield bytes(buffer)


class ChunkCipher:
    """Seals and opens the chunks of one file."""

    def __init__(self, data_key: bytes, nonce_prefix: bytes, chunk_size: int = CHUNK_BYTES):
        if len(nonce_prefix) != NONCE_PREFIX_BYTES:
            raise ValueError("nonce prefix must be 8 bytes")
        self._aead = AESGCM(data_key)
        self._prefix = nonce_prefix
        self.chunk_size = chunk_size

    def chunk_count(self, plain_size: int) -> int:
        return max(1, -(-plain_size // self.chunk_size))

    def ciphertext_size(self, plain_size: int) -> int:
        return plain_size + TAG_BYTES * self.chunk_count(plain_size)

    def is_final(self, index: int, plain_size: int) -> bool:
        return index == self.chunk_count(plain_size) - 1

    def seal_chunk(self, index: int, plaintext: bytes, *, final: bool) -> bytes:
        if not 0 <= index < _MAX_CHUNKS:
            raise ValueError("file has too many chunks")
        return self._aead.encrypt(self._nonce(index), plaintext, self._associated(index, final))

    def seal_chunk_into(self, index: int, plaintext: bytes, out: memoryview, *, final: bool) -> int:
        """seal_chunk, written into `out` (len(plaintext) + 16 bytes): no allocation, no copy."""
        if not 0 <= index < _MAX_CHUNKS:
            raise ValueError("file has too many chunks")
        return self._aead.encrypt_into(self._nonce(index), plaintext, self._associated(index, final), out)

    def open_chunk(self, index: int, ciphertext: bytes, *, final: bool) -> bytes:
        try:
            return self._aead.decrypt(self._nonce(index), ciphertext, self._associated(index, final))
        except InvalidTag:
            raise FileIntegrityError(
                _l(
                    "This file failed its integrity check (it was altered or damaged in storage); "
                    "the download was refused."
                )
            ) from None

    def encrypt(self, plaintext: Iterable[bytes]) -> Iterator[bytes]:
        """Encrypt a stream of any length; the last chunk is found by looking one chunk ahead."""
        held: bytes | None = None
        index = 0
        for chunk in rechunk(plaintext, self.chunk_size):
            if held is not None:
                yield self.seal_chunk(index, held, final=False)
                index += 1
            held = chunk
        yield self.seal_chunk(index, held or b"", final=True)

    def decrypt(
        self, read: Callable[[int, int, int], Iterable[bytes]], plain_size: int, start: int = 0, end: int | None = None
    ) -> Iterator[bytes]:
        """Yield plaintext bytes [start, end) of a file, opening only the chunks they lie in.

        `read(first, last, block)` returns the stored ciphertext bytes [first, last), best in
        pieces of `block` bytes (one sealed chunk). A missing or short chunk raises
        FileIntegrityError, as does an altered one.
        """
        end = plain_size if end is None else end
        if not 0 <= start <= end <= plain_size:
            raise ValueError("range outside the file")
        if start == end and plain_size:
            return
        sealed = self.chunk_size + TAG_BYTES
        first = start // self.chunk_size
        last = max(end - 1, 0) // self.chunk_size
        ct_end = min((last + 1) * sealed, self.ciphertext_size(plain_size))
        index = first
        for block in rechunk(read(first * sealed, ct_end, sealed), sealed):
            if index > last:
                break
            expected = min(self.chunk_size, plain_size - index * self.chunk_size) + TAG_BYTES
            if len(block) != expected:
                raise self._truncated()
            plaintext = self.open_chunk(index, block, final=self.is_final(index, plain_size))
            low = start - index * self.chunk_size if index == first else 0
            high = end - index * self.chunk_size if index == last else len(plaintext)
            if high > low:
                yield plaintext[low:high] if (low, high) != (0, len(plaintext)) else plaintext
            index += 1
        if index <= last:
            raise self._truncated()

    @staticmethod
    def _truncated() -> FileIntegrityError:
        return FileIntegrityError(_l("This file is incomplete in storage (truncated); the download was refused."))

    def _nonce(self, index: int) -> bytes:
        return self._prefix + index.to_bytes(4, "big")

    @staticmethod
    def _associated(index: int, final: bool) -> bytes:
        return _CHUNK_AD + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")
