"""Streamed file responses: the one way a user's bytes leave the app, HTTP Range (resumable
downloads), claims and the download log.

Every response that carries a stored file's bytes is built by `user_file_response`: the type
is one the upload check derived from the bytes (files.content_kinds) or
application/octet-stream, never sniffed (nosniff), and the response is sandboxed with no
source allowed, so even a file a browser did open would be an inert document of no origin.

Every download route (a share link's file, a case's, a message's, one of mine) goes through
send_download: link-preview bots get a page without bytes, HEAD gets the headers, and a GET
claims the download (files/handover.py) before the first byte. The bytes come from
files.operations.open_file (decrypting only the chunks a range touches); what was handed to
the server is recorded when the response is closed — after the last byte, or when the client
hung up — because a complete download of patient data hands it over, and a partial one must
not. The record is its own unit of work, in a fresh app context: by then the request's
context and session are gone. Previews (the 3D viewer) use preview_response: never claimed,
never recorded.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator
from urllib.parse import quote

from flask import Flask, Response, current_app, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user

from errors import DomainError, NotFound, PermissionDenied
from extensions import commit, db
from files.content_kinds import served_type
from files.handover import CLAIM_RENEW_EVERY, Claim, DownloadInProgress, recipient_name, renew_claim
from files.operations import FileUnavailable, open_file

log = logging.getLogger(__name__)

# A user's file is never a page of ours: no script, plugin, form or same-origin access.
SANDBOX_POLICY = "sandbox; default-src 'none'"

# Apps that fetch a pasted URL to draw its preview card: they get no file bytes and never
# count as a download (facebookexternalhit, Slack's unfurler, WhatsApp, Telegram …).
LINK_PREVIEW_AGENTS = re.compile(
    r"facebookexternalhit|facebookcatalog|meta-externalagent|Slackbot|Twitterbot|WhatsApp|TelegramBot"
    r"|LinkedInBot|Discordbot|SkypeUriPreview|Applebot|Googlebot|bingbot|redditbot|Pinterestbot"
    r"|Embedly|Iframely|vkShare|Mastodon|kakaotalk-scrap",
    re.IGNORECASE,
)
VISITOR_KEY = "visitor"  # the session key naming this browser as a share link's recipient

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
    return Response(
        status=416, headers={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes", "Cache-Control": "no-store"}
    )


def user_file_response(
    body: Iterable[bytes],
    *,
    name: str,
    content_type: str | None,
    length: int | None = None,
    status: int = 200,
    inline: bool = False,
    headers: dict | None = None,
) -> Response:
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
    return Response(body, status=status, content_type=served_type(content_type), headers=sent, direct_passthrough=True)


def is_link_preview_agent() -> bool:
    return bool(LINK_PREVIEW_AGENTS.search(request.headers.get("User-Agent", "")))


def link_preview_page() -> Response:
    """What a link-preview bot gets instead of a file: a card's title, no bytes."""
    response = Response(render_template("files/link_preview.html"), mimetype="text/html")
    response.headers.update({"Cache-Control": "no-store", "X-Robots-Tag": "noindex"})
    return response


def current_recipient() -> str:
    """Who this download is for: the signed-in reader, or this browser (a link's visitor)."""
    if current_user.is_authenticated:
        return recipient_name(user=current_user)
    if not session.get(VISITOR_KEY):
        session[VISITOR_KEY] = secrets.token_urlsafe(18)
    return recipient_name(visitor=session[VISITOR_KEY])


def refusal(exc: DomainError, *, token: str | None = None):
    """The page for a download that cannot start: under way elsewhere (409), no longer
    available (410), not allowed yet (403), or not there (404)."""
    db.session.rollback()
    if isinstance(exc, NotFound):
        return _error_page(404, _("Page not found"), exc.message)
    if isinstance(exc, DownloadInProgress):
        return _error_page(409, _("Download under way"), exc.message)
    if isinstance(exc, PermissionDenied):
        return _error_page(403, _("Not yet"), exc.message)
    if token is not None:
        return render_template("files/link_dead.html", state="file", message=exc.message, token=token), 410
    return _error_page(410, _("This file is no longer available"), exc.message)


def _error_page(status: int, title: str, message: str):
    return render_template("errors/error.html", status=status, title=title, message=message), status


def send_download(
    stored, *, claim: Callable[[], Claim], record: Callable[[Claim, int, int, bool], None], token: str | None = None
):
    """The response to a download request for `stored`, whose access the caller checked.

    claim() claims the download (files.handover.claim_download, or a link's own); record(claim,
    first_byte, bytes_sent, finished) logs it and releases the claim, in its own unit of work.
    """
    if is_link_preview_agent():
        return link_preview_page()
    try:
        wanted = requested_range(request.headers.get("Range"), stored.size, if_range_ok=if_range_matches(stored))
    except RangeNotSatisfiable:
        return range_not_satisfiable(stored.size)
    if request.method == "HEAD":  # the headers a GET would get; nothing claimed, nothing counted
        return _file_response(stored, wanted, ())
    try:
        granted = claim()
        commit()
        body = open_file(stored, start=wanted.start, end=wanted.end)
    except DomainError as exc:
        return refusal(exc, token=token)
    app = current_app._get_current_object()
    handed = HandedOver(
        app,
        body,
        wanted.start,
        lambda first, sent, finished: record(granted, first, sent, finished),
        renew=(lambda: renew_claim(granted)) if granted.holds else None,
    )
    return _file_response(stored, wanted, handed)


def preview_response(stored):
    """A file's bytes for the 3D viewer: shown, not downloaded. Never claimed nor counted;
    link-preview bots get nothing."""
    if is_link_preview_agent():
        return link_preview_page()
    try:
        body = open_file(stored)
    except FileUnavailable as exc:
        return refusal(exc)
    return _file_response(stored, ByteRange(0, stored.size, False), body, inline=True)


def _file_response(stored, byte_range: ByteRange, body: Iterable[bytes], *, inline: bool = False) -> Response:
    """The response that streams `body` (the file's bytes in `byte_range`).

    Private bytes: never kept by any cache (Cache-Control: no-store), never held back by a
    buffering proxy (X-Accel-Buffering: no, which nginx honours): what the server hands over
    is what goes to the recipient.
    """
    headers = {"Accept-Ranges": "bytes", "X-Accel-Buffering": "no", "ETag": entity_tag(stored)}
    if byte_range.partial:
        headers["Content-Range"] = f"bytes {byte_range.start}-{byte_range.end - 1}/{stored.size}"
    return user_file_response(
        body,
        name=stored.original_name,
        content_type=stored.content_type,
        length=byte_range.length,
        status=206 if byte_range.partial else 200,
        inline=inline,
        headers=headers,
    )


class HandedOver:
    """A download's body: yields the bytes, renews the download's claim while it goes on, and
    records what was handed over, in a unit of work of its own, once: after the last byte, or
    when the server closes it early (the client went away, or no byte was asked for).

    Only a body that reached its end is `finished`, so an aborted one never completes a
    download. A piece counts once the server took it: a hang-up stops before that.
    """

    def __init__(
        self,
        app: Flask,
        body: Iterable[bytes],
        first_byte: int,
        record: Callable[[int, int, bool], None],
        *,
        renew: Callable[[], None] | None = None,
    ):
        self._app, self._body, self._first, self._record, self._renew = app, body, first_byte, record, renew
        self._sent, self._finished, self._ended = 0, False, False

    def __iter__(self) -> Iterator[bytes]:
        renewed = time.monotonic()
        for piece in self._body:
            yield piece
            self._sent += len(piece)
            if self._renew is not None and time.monotonic() - renewed > CLAIM_RENEW_EVERY.total_seconds():
                in_own_unit_of_work(self._app, self._renew)
                renewed = time.monotonic()
        self._finished = True
        self._end()  # at once: the last byte is out, whenever the server gets to close()

    def close(self) -> None:
        if hasattr(self._body, "close"):
            self._body.close()
        self._end()

    def _end(self) -> None:
        if not self._ended:
            self._ended = True
            in_own_unit_of_work(self._app, self._record, self._first, self._sent, self._finished)


def in_own_unit_of_work(app: Flask, fn: Callable, *args) -> None:
    """Run fn(*args) and commit, in a fresh app context (and database session)."""
    with app.app_context():
        try:
            fn(*args)
            commit()
        except Exception:  # the bytes are out: log, never break the server
            db.session.rollback()
            log.exception("recording a download failed")
        finally:
            db.session.remove()
