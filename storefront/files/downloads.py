"""Streamed file responses: the one way a user's bytes leave the app, HTTP Range (resumable
downloads) and the download log.

Every route that sends a stored file's bytes (my files, share links and their ZIP, message
attachments, case and dispute files, back-office documents, the 3D viewer's fetch) answers
through `user_file_response`: the type is one the upload check derived from the bytes
(files.content_kinds) or application/octet-stream, never sniffed (nosniff), and the
response is sandboxed with no source allowed, so even a file a browser did open would be
an inert document of no origin: it cannot run script or reach this site's pages.

The bytes come from files.operations.open_file (decrypting only the chunks a range touches);
what was actually sent is recorded once the response ends — the last byte went out, or the
client hung up — because a complete download of patient data deletes it, and a partial one
must not. The record is its own unit of work, in a fresh app context: by then the request's
context and session are gone.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator
from urllib.parse import quote

from flask import Flask, Response, current_app, request

from extensions import commit, db
from files.content_kinds import served_type

log = logging.getLogger(__name__)

# A user's file is never a page of ours: no script, plugin, form or same-origin access.
SANDBOX_POLICY = "sandbox; default-src 'none'"
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class RangeNotSatisfiable(Exception):
    """The Range header asks for bytes the file does not have (answered with 416)."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # exclusive
    partial: bool  # answered with 206 (a Range was honoured) rather than 200

    @property
    def length(self) -> int:
        return self.end - self.start


def requested_range(header: str | None, size: int, *, if_range_ok: bool = True) -> ByteRange:
    """The single byte range a Range header asks for (RFC 9110 §14).

    A missing, malformed or multi-range header, or an If-Range that no longer matches, is
    answered with the whole file (the RFC allows ignoring Range). Raises
    RangeNotSatisfiable for a range that starts past the end of the file.
    """
    whole = ByteRange(0, size, False)
    if not header or not if_range_ok:
        return whole
    match = _RANGE.match(header)
    if match is None:
        return whole
    first, last = match.groups()
    if first == "" and last == "":
        return whole
    if first == "":  # a suffix: the last N bytes
        length = int(last)
        if length == 0:
            raise RangeNotSatisfiable()
        return ByteRange(max(size - length, 0), size, True)
    start = int(first)
    end = size if last == "" else min(int(last) + 1, size)
    if start >= size or end <= start:
        raise RangeNotSatisfiable()
    return ByteRange(start, end, True)


def entity_tag(stored) -> str:
    """A strong validator: changes if the file's row is ever replaced by other bytes."""
    return f'"f{stored.id}-{stored.size}-{(stored.sha256 or "")[:16]}"'


def if_range_matches(stored) -> bool:
    """If-Range with our ETag (or absent): the client's earlier bytes are still this file's."""
    wanted = request.headers.get("If-Range")
    return wanted is None or wanted.strip() == entity_tag(stored)


def attachment_disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def range_not_satisfiable(size: int) -> Response:
    return Response(status=416, headers={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes",
                                         "Cache-Control": "no-store"})


def user_file_response(body: Iterable[bytes], *, name: str, content_type: str | None, length: int | None = None,
                       status: int = 200, inline: bool = False, headers: dict | None = None) -> Response:
    """A response carrying a user's bytes (see the module's docstring), as an attachment
    named `name`; `inline` only for a script's fetch (the 3D viewer), never for a page.

    Private bytes: never kept by any cache (Cache-Control: no-store).
    """
    sent = {
        "Content-Disposition": "inline" if inline else attachment_disposition(name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": SANDBOX_POLICY,
        "Cache-Control": "no-store",
        **(headers or {}),
    }
    if length is not None:
        sent["Content-Length"] = str(length)
    return Response(body, status=status, content_type=served_type(content_type), headers=sent,
                    direct_passthrough=True)


def file_response(stored, byte_range: ByteRange, body: Iterable[bytes],
                  record: Callable[[int, int], None], *, inline: bool = False) -> Response:
    """The response that streams `body` (the file's bytes in `byte_range`) and then calls
    record(first_byte, bytes_sent) in a unit of work of its own."""
    headers = {"Accept-Ranges": "bytes", "ETag": entity_tag(stored)}
    if byte_range.partial:
        headers["Content-Range"] = f"bytes {byte_range.start}-{byte_range.end - 1}/{stored.size}"
    app = current_app._get_current_object()  # the body runs after the request's context is gone
    return user_file_response(recorded_stream(app, body, byte_range.start, record), name=stored.original_name,
                              content_type=stored.content_type, length=byte_range.length,
                              status=206 if byte_range.partial else 200, inline=inline, headers=headers)


def recorded_stream(app: Flask, body: Iterable[bytes], first_byte: int,
                    record: Callable[[int, int], None]) -> Iterator[bytes]:
    """Yield `body`; when it ends or the client goes away, record what was handed over."""
    sent, finished = 0, False
    try:
        for piece in body:
            yield piece
            sent += len(piece)  # counted once the server took it: a hang-up stops before this
        finished = True
    finally:
        if sent or finished:  # an empty file is downloaded by sending its nothing
            in_own_unit_of_work(app, record, first_byte, sent)


def in_own_unit_of_work(app: Flask, fn: Callable, *args) -> None:
    """Run fn(*args) and commit, in a fresh app context (and database session)."""
    with app.app_context():
        try:
            fn(*args)
            commit()
        except Exception:  # noqa: BLE001 - the bytes are out: log, never break the server
            db.session.rollback()
            log.exception("recording a download failed")
        finally:
            db.session.remove()
