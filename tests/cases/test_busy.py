"""An action on a case another transaction holds answers "busy, try again" within the lock
timeout instead of holding a web thread until the other one ends."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from extensions import db
from models.cases import Case, CaseState
from tests.cases.factories import drive, make_case
from tests.factories import login

RELEASE_AFTER = 8  # seconds: without a lock timeout, the request would wait this long


@pytest.fixture
def busy_app(make_app):
    return make_app(LOCK_TIMEOUT_SECONDS=1)


def _hold_case(app, case_id: int, released: threading.Event):
    """Another transaction holding the case (a row lock on PostgreSQL, the write lock on SQLite)."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(url.database, isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE cases SET revisions_used = revisions_used WHERE id = ?", (case_id,))
        close = conn.close
    else:
        engine = sa.create_engine(url)
        conn = engine.connect()
        conn.execute(sa.text("SELECT id FROM cases WHERE id = :id FOR UPDATE"), {"id": case_id})

        def close():
            conn.close()
            engine.dispose()

    def release():
        released.wait(RELEASE_AFTER)
        if url.get_backend_name() == "sqlite":
            conn.execute("ROLLBACK")
        else:
            conn.rollback()
        close()

    thread = threading.Thread(target=release)
    thread.start()
    return thread


def test_completing_a_case_held_elsewhere_answers_busy_and_changes_nothing(busy_app):
    case = drive(make_case(), CaseState.delivered)
    web = busy_app.test_client()
    login(web, case.client)
    released = threading.Event()
    holder = _hold_case(busy_app, case.id, released)
    try:
        started = time.monotonic()
        response = web.post(f"/cases/{case.reference}/complete", data={"confirm": "release"})
        waited = time.monotonic() - started
    finally:
        released.set()
        holder.join(RELEASE_AFTER + 5)
    assert response.status_code == 409
    assert "try again in a moment" in response.get_data(as_text=True)
    assert waited < RELEASE_AFTER - 2
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.delivered

    again = web.post(f"/cases/{case.reference}/complete", data={"confirm": "release"})
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.completed
