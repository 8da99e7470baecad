"""A share link's files as one ZIP, written while it is sent: never whole in memory or on disk.

zipfile writes to a non-seekable sink (it then puts each entry's CRC and sizes in a data
descriptor after the entry); the sink hands over what was written after each piece.
Entries are stored, not compressed: scans compress little and the CPU is better spent on
decryption. Each file's download is recorded as it ends, complete or not; a file the archive
never reached (the client went away before) is recorded as not sent, which ends its claim.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath
from typing import Callable, Iterable, Iterator

from models.types import utcnow

# (file, a callable that opens its bytes, record(first_byte, bytes_sent, finished))
ZipMember = tuple[object, Callable[[], Iterable[bytes]], Callable[[int, int, bool], None]]
RecordInOwnUnit = Callable[[Callable, int, int, bool], None]


class _Sink:
    """A write-only, non-seekable file object that collects what zipfile writes."""

    def __init__(self):
        self._pieces: list[bytes] = []
        self._written = 0

    def write(self, data) -> int:
        self._pieces.append(bytes(data))
        self._written += len(data)
        return len(data)

    def tell(self) -> int:
        return self._written

    def seekable(self) -> bool:
        return False

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._pieces = b"".join(self._pieces), []
        return data


def unique_names(names: Iterable[str]) -> list[str]:
    """Names for the archive's entries: the same name twice becomes "name (2).ext"."""
    seen: set[str] = set()
    result = []
    for name in names:
        candidate, n = name, 1
        while candidate.lower() in seen:
            n += 1
            path = PurePosixPath(name)
            candidate = f"{path.stem} ({n}){path.suffix}"
        seen.add(candidate.lower())
        result.append(candidate)
    return result


def zip_stream(members: list[ZipMember], record_in_own_unit: RecordInOwnUnit) -> Iterator[bytes]:
    """Yield a ZIP of `members`; after each member, or when the client hangs up within one,
    call record_in_own_unit(record, first_byte, bytes_sent, finished) for it."""
    sink = _Sink()
    archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True)
    stamp = utcnow().timetuple()[:6]
    names = unique_names(stored.original_name for stored, _, _ in members)
    for (stored, open_bytes, record), name in zip(members, names):
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_STORED
        info.file_size = stored.size
        sent, finished = 0, False
        try:
            with archive.open(info, "w", force_zip64=stored.size > 0xFFFF0000) as entry:
                for piece in open_bytes():
                    entry.write(piece)
                    yield sink.take()
                    sent += len(piece)
            yield sink.take()  # the entry's data descriptor
            finished = True
        finally:
            record_in_own_unit(record, 0, sent, finished)
    archive.close()
    yield sink.take()  # the central directory


class ZipBody:
    """A ZIP response's body: zip_stream run through `wrap` (flask.stream_with_context, which
    keeps the request's context for opening each member). When the server closes it, the
    members the archive never reached are recorded as not sent.

    The stream must not refer back to this body: a body dropped without close() is then freed
    at once, which closes the stream (popping the request's context it holds) and records its
    member, rather than whenever the garbage collector next finds the cycle."""

    def __init__(
        self,
        wrap: Callable[[Iterator[bytes]], Iterator[bytes]],
        members: list[ZipMember],
        record_in_own_unit: RecordInOwnUnit,
    ):
        self._record_in_own_unit = record_in_own_unit
        unrecorded = [record for _, _, record in members]
        self._unrecorded = unrecorded

        def recorded(record, first_byte: int, bytes_sent: int, finished: bool) -> None:
            unrecorded[:] = [r for r in unrecorded if r is not record]
            record_in_own_unit(record, first_byte, bytes_sent, finished)

        self._stream = wrap(zip_stream(members, recorded))

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._stream)

    def close(self) -> None:
        self._stream.close()
        for record in self._unrecorded:
            self._record_in_own_unit(record, 0, 0, False)
        self._unrecorded.clear()
