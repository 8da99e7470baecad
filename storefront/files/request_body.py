"""An upload request's body, read straight from the client's socket when the server allows it.

Under gunicorn, `wsgi.input` hands out each received piece as a new bytes object, copied
several times on the way (recv, the read-ahead buffers, werkzeug's readinto); for a scan
of a gigabyte that copying costs more than the encryption. When the body has a declared
length, `upload_body` instead returns a stream whose `readinto` receives into the caller's
buffer with one `recv_into`, after first handing out what gunicorn already read ahead.
Gunicorn still sees every byte as read (its length counter goes down), so keep-alive and
the next request on the connection work as before. Any other server, TLS ended by gunicorn
itself, or a chunked body gets the ordinary request stream.
"""

from __future__ import annotations

import io
import socket
import ssl

from flask import Request

try:
    from gunicorn.http.body import Body as GunicornBody, LengthReader
    from gunicorn.http.unreader import SocketUnreader
except ImportError:  # served by something else: the ordinary stream
    GunicornBody = LengthReader = SocketUnreader = None


def upload_body(request: Request):
    """A binary stream with `readinto` for the request's body (never more than Content-Length)."""
    stream = request.stream  # refuses a body over MAX_CONTENT_LENGTH (413) on either path
    direct = _GunicornSocketBody.wrap(request.environ)
    return direct if direct is not None else stream


class _GunicornSocketBody(io.RawIOBase):
    """The remaining bytes of a gunicorn request body of known length, received in place."""

    @classmethod
    def wrap(cls, environ: dict) -> "_GunicornSocketBody | None":
        body, sock = environ.get("wsgi.input"), environ.get("gunicorn.socket")
        if GunicornBody is None or not isinstance(body, GunicornBody):
            return None
        reader = body.reader
        # Plain TCP only: TLS sockets take no recv flags, and a chunked body has no known length.
        if (
            not isinstance(reader, LengthReader)
            or not isinstance(reader.unreader, SocketUnreader)
            or not isinstance(sock, socket.socket)
            or isinstance(sock, ssl.SSLSocket)
            or reader.unreader.sock is not sock
            or not isinstance(body.buf, io.BytesIO)
        ):
            return None
        return cls(body, reader, reader.unreader, sock)

    def __init__(self, body, reader, unreader, sock: socket.socket):
        super().__init__()
        self._body, self._reader, self._sock = body, reader, sock
        # What gunicorn already took from the socket: first the body's own buffer (all of it
        # belongs to this body), then the unreader's (which may run into a pipelined request).
        early = body.buf.getvalue()
        body.buf = io.BytesIO()
        ahead = unreader.take_buffered()
        mine = min(len(ahead), reader.length)
        if mine < len(ahead):
            unreader.unread(ahead[mine:])
        reader.length -= mine
        self._early = memoryview(early + ahead[:mine]) if early or mine else memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        with memoryview(buffer) as room:
            if self._early:
                taken = min(len(room), len(self._early))
                room[:taken] = self._early[:taken]
                self._early = self._early[taken:]
                return taken
            wanted = min(len(room), self._reader.length)
            if wanted == 0:
                return 0
            try:
                # MSG_WAITALL: one call per megabyte instead of one per 64 KiB that happened
                # to be there; each return costs a trip through the interpreter and the GIL.
                received = self._sock.recv_into(room[:wanted], wanted, socket.MSG_WAITALL)
            except BaseException:
                self._body.failed = True  # where the next request starts is unknown: close
                raise
            if received == 0:
                self._body.failed = True
                raise ConnectionResetError("the client closed the connection in the middle of the body")
            self._reader.length -= received
            return received
