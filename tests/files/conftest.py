"""Fixtures of the files tests: both storage backends, the S3 one against a real local server.

`storage` is parametrized: every test that uses it runs once on the local folder and once
on S3 through moto's standalone server (an S3-compatible HTTP server from PyPI), started
once per session on a free loopback port, only when an S3 test runs.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.factories import make_user

BUCKET = "occlusa-test"
_AWS_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("moto_server exited before it was ready")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("moto_server did not start listening")


@pytest.fixture(autouse=True)
def _request_context(request, app, _app_context):
    """Refusals carry lazily translated messages, rendered in a request's language."""
    if request.node.get_closest_marker("no_app_context"):
        yield
        return
    with app.test_request_context():
        yield


@pytest.fixture(scope="session")
def s3_endpoint():
    """A running moto_server: its endpoint URL, with the bucket made and credentials set."""
    saved = {name: os.environ.get(name) for name in _AWS_ENV}
    os.environ.update(_AWS_ENV)
    port = _free_port()
    executable = Path(sys.executable).with_name("moto_server")
    server = subprocess.Popen([str(executable), "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, server)
        endpoint = f"http://127.0.0.1:{port}"
        from files.storage import _s3_client

        _s3_client(endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(params=["local", "s3"])
def storage_url(request, tmp_path) -> tuple[str, str | None]:
    """(STORAGE_URL, S3 endpoint) of a fresh folder or a fresh prefix in the test bucket."""
    if request.param == "s3":
        return f"s3://{BUCKET}/{uuid.uuid4().hex}", request.getfixturevalue("s3_endpoint")
    return f"file://{tmp_path / 'storage'}", None


@pytest.fixture
def storage(app, storage_url, monkeypatch):
    """The app's storage backend (get_storage), on each backend in turn."""
    url, endpoint = storage_url
    monkeypatch.setitem(app.config, "STORAGE_URL", url)
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", endpoint)
    from files.storage import get_storage

    return get_storage()


@pytest.fixture
def backend(storage_url):
    """A backend built from its URL alone, for tests that need no app or database."""
    from files.storage import storage_from_url

    url, endpoint = storage_url
    return storage_from_url(url, endpoint_url=endpoint)


@pytest.fixture
def local_storage(app, tmp_path, monkeypatch):
    """The local backend only, for tests about the domain rather than the backend."""
    monkeypatch.setitem(app.config, "STORAGE_URL", f"file://{tmp_path / 'storage'}")
    from files.storage import get_storage

    return get_storage()


@pytest.fixture
def owner():
    return make_user(name="Lab owner")


@pytest.fixture
def designer():
    return make_user(name="Designer", designer=True)
