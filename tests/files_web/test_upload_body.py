"""Upload bodies read straight from gunicorn's socket: every byte once, in order, and the
connection still in step for the request that follows on it."""

from __future__ import annotations

import socket
import threading
from importlib.metadata import version

import pytest
from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge
from gunicorn.config import Config
from gunicorn.http import get_parser, wsgi
from gunicorn.http.body import Body, LengthReader
from gunicorn.http.unreader import SocketUnreader

from extensions import db
from models.files import StoredFile
from storefront.files import request_body
from storefront.files.request_body import upload_body
from tests.files_web.factories import payload

MiB = 1024 * 1024
USER_AGENT = f"Werkzeug/{version('werkzeug')}"
NEXT_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"


@pytest.fixture
def line():
    """Both ends of a client's connection: (server side, client side)."""
    server, client = socket.socketpair()
    yield server, client
    server.close()
    client.close()


def _gunicorn_body(server_side: socket.socket, length: int, read_ahead: bytes) -> dict:
    """The environ entries gunicorn gives a request whose body has `length` bytes, of which
    gunicorn's parser already read `read_ahead` (with whatever followed it) from the socket."""
    unreader = SocketUnreader(server_side)
    unreader.unread(read_ahead)
    return {"wsgi.input": Body(LengthReader(unreader, length)), "gunicorn.socket": server_side}


def _read_all(stream, size: int = MiB) -> bytes:
    received, buffer = bytearray(), bytearray(size)
    while count := stream.readinto(buffer):
        received += buffer[:count]
    return bytes(received)


def test_the_body_comes_whole_and_a_pipelined_request_stays_for_gunicorn(line):
    server_side, client_side = line
    data = payload(3 * MiB + 17)
    environ = _gunicorn_body(server_side, len(data), data[:1000])
    sender = threading.Thread(target=client_side.sendall, args=(data[1000:] + NEXT_REQUEST,))
    sender.start()

    body = upload_body(Request(environ))
    assert body is not environ["wsgi.input"]  # the socket path, not gunicorn's copies
    assert _read_all(body) == data
    sender.join()

    # gunicorn sees the body as read, and the next request's bytes are still on the line
    assert environ["wsgi.input"].read() == b""
    assert environ["wsgi.input"].reader.unreader.read(len(NEXT_REQUEST)) == NEXT_REQUEST


def test_bytes_read_ahead_past_the_body_are_given_back(line):
    server_side, _ = line
    data = payload(4000)
    environ = _gunicorn_body(server_side, len(data), data + NEXT_REQUEST)  # a small body arrives with its headers

    assert _read_all(upload_body(Request(environ)), size=1024) == data
    assert environ["wsgi.input"].reader.unreader.read(len(NEXT_REQUEST)) == NEXT_REQUEST


def test_a_client_gone_mid_body_is_an_error_and_the_connection_is_not_reused(line):
    server_side, client_side = line
    environ = _gunicorn_body(server_side, 2 * MiB, b"")

    def send_half_and_hang_up():
        client_side.sendall(payload(MiB // 2))
        client_side.close()

    sender = threading.Thread(target=send_half_and_hang_up)
    sender.start()
    body = upload_body(Request(environ))
    received = 0
    with pytest.raises(ConnectionResetError):
        while count := body.readinto(bytearray(MiB)):
            received += count
    sender.join()
    assert received == MiB // 2
    assert environ["wsgi.input"].failed  # gunicorn closes the connection instead of reading on


def test_other_servers_get_the_ordinary_request_stream(app):
    with app.test_request_context("/files/uploads/x", method="PUT", data=b"scan bytes") as context:
        assert upload_body(context.request) is context.request.stream


def test_an_upload_through_gunicorns_parser_completes_and_the_next_request_is_served(
    app, client, login, owner, line, monkeypatch
):
    """The whole path as gunicorn's gthread worker drives it: parse the request off the socket,
    build its environ, run the app, then parse the next request on the same connection."""
    socket_reads = []
    direct_read = request_body._GunicornSocketBody.readinto
    monkeypatch.setattr(
        request_body._GunicornSocketBody,
        "readinto",
        lambda self, buffer: socket_reads.append(len(buffer)) or direct_read(self, buffer),
    )
    login(owner)
    data = payload(2 * MiB + 5)
    started = client.post("/files/uploads", json={"filename": "upper.stl", "size": len(data), "kind": "patient_scan"})
    cookie = client.get_cookie("session")  # with the test client's User-Agent: "strong" session protection
    server_side, client_side = line
    head = (
        f"PUT {started.get_json()['url']}?offset=0 HTTP/1.1\r\nHost: localhost\r\n"
        f"Cookie: session={cookie.value}\r\nUser-Agent: {USER_AGENT}\r\nContent-Type: application/octet-stream\r\n"
        f"Content-Length: {len(data)}\r\n\r\n"
    ).encode()
    answers = bytearray()

    def client_talks():
        client_side.sendall(head + data + NEXT_REQUEST)
        while chunk := client_side.recv(65536):
            answers.extend(chunk)

    talker = threading.Thread(target=client_talks)
    talker.start()
    config = Config()
    parser = get_parser(config, server_side, ("127.0.0.1", 50000))
    for _ in range(2):
        request = next(parser)
        response, environ = wsgi.create(request, server_side, ("127.0.0.1", 50000), ("127.0.0.1", 8000), config)
        for piece in app(environ, response.start_response):
            response.write(piece)
        response.close()
    server_side.shutdown(socket.SHUT_WR)
    talker.join(timeout=10)

    replies = bytes(answers).split(b"HTTP/1.1 ")[1:]
    assert [reply[:3] for reply in replies] == [b"200", b"200"]  # the upload, then /healthz
    assert b'"complete":true' in replies[0].replace(b" ", b"")
    stored = db.session.scalars(db.select(StoredFile).filter_by(original_name="upper.stl")).one()
    assert client.get(f"/files/{stored.public_id}/download").data == data
    assert socket_reads  # the body came through the socket path


def test_the_advised_request_size_is_one_the_app_accepts(app):
    from files.uploads import request_bytes

    assert request_bytes() <= app.config["MAX_CONTENT_LENGTH"]


def test_a_body_over_the_request_limit_is_refused_on_the_socket_path_too(make_app, line):
    small = make_app(MAX_CONTENT_LENGTH=1024)
    server_side, _ = line
    environ = {**_gunicorn_body(server_side, 4096, b""), "CONTENT_LENGTH": "4096", "REQUEST_METHOD": "PUT"}
    with small.test_request_context("/", environ_base=environ) as context, pytest.raises(RequestEntityTooLarge):
        upload_body(context.request)
