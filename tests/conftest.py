"""Shared fixtures: one app per test session on SQLite (default) or TEST_DATABASE_URL,
rows wiped after each test, mail read from the outbox, and no traffic leaving the machine."""
from __future__ import annotations

import email
import ipaddress
import os
import socket
from email.message import Message
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.factories import login as _login

_TEST_DB = os.environ.get("TEST_DATABASE_URL")


def _overrides(tmp: Path, **extra) -> dict:
    db_url = _TEST_DB or f"sqlite:///{tmp / 'test.db'}"
    from config import database_url

    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url(db_url),
        "WTF_CSRF_ENABLED": False,
        # Limits stay on (they are part of the product) but high; tests of limits lower them.
        "RATELIMIT_LOGIN": "1000 per minute",
        "RATELIMIT_SIGNUP": "1000 per minute",
        "RATELIMIT_RESET": "1000 per minute",
        "RATELIMIT_APPEAL": "1000 per minute",
        "RATELIMIT_SUPPORT": "1000 per minute",
        "MAIL_URL": None,
        "MAIL_OUTBOX": str(tmp / "outbox"),
        "REDIS_URL": None,
        "STORAGE_URL": f"file://{tmp / 'storage'}",
        "PUBLIC_URL": "http://localhost",
        "SERVER_NAME": None,
        **extra,
    }


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("instance")
    os.environ["INSTANCE_PATH"] = str(path)
    return path


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production:
    its own `g`, its own database session. The test's session sees the request's work after
    a refresh, never through a shared identity map."""

    def open(self, *args, **kwargs):
        from extensions import db

        with self.application.app_context():
            try:
                return super().open(*args, **kwargs)
            finally:
                db.session.remove()


@pytest.fixture(scope="session")
def make_app(instance_dir):
    """Build another app on the same database with different settings (CSRF on, limits on …)."""
    from app import create_app

    def build(**extra):
        application = create_app(_overrides(instance_dir, **extra))
        application.test_client_class = IsolatedClient
        return application

    return build


@pytest.fixture(scope="session")
def app(make_app):
    from extensions import db

    application = make_app()
    with application.app_context():
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _app_context(request, app):
    """Every test runs inside an app context and leaves no rows behind."""
    if request.node.get_closest_marker("no_app_context"):
        yield
        return
    from extensions import db, limiter

    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        _wipe(db)
        limiter.reset()
    outbox = Path(app.config["MAIL_OUTBOX"])
    if outbox.exists():
        for path in outbox.iterdir():
            path.unlink()


def _wipe(db) -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            # SQLite has no TRUNCATE: the append-only guards step aside for the wipe only.
            guards = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                          "AND name LIKE '%append_only%'")).all()
            for name, _sql in guards:
                conn.execute(sa.text(f'DROP TRIGGER "{name}"'))
            for table in tables:
                conn.execute(table.delete())
            for _name, sql in guards:
                conn.execute(sa.text(sql))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(client):
    """login(user, password=...) logs the test client in through the real form."""
    return lambda user, password=None: _login(client, user, password)


@pytest.fixture
def outbox(app):
    """read() → the mails delivered so far, oldest first, as email.message objects."""

    class Outbox:
        def read(self) -> list[Message]:
            folder = Path(app.config["MAIL_OUTBOX"])
            if not folder.exists():
                return []
            return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.iterdir())]

    return Outbox()


_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host in {"localhost"}
        if not allowed:
            raise AssertionError(f"a test tried to reach {address}: tests never leave this machine")
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _no_outside_network():
    socket.socket.connect = _guarded_connect
    yield
    socket.socket.connect = _real_connect
