"""`flask check` and /healthz?deep=1: every part of a deployment named, with what is wrong."""

from __future__ import annotations

import os

import pytest
from flask_migrate import upgrade
from redis import Redis
from redis.exceptions import ConnectionError as RedisDown

from extensions import db
from models.accounts import StaffRole
from tests.backoffice.factories import make_staff, staff_login
from tests.factories import login, make_user

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def _lines(output: str) -> dict[str, str]:
    return {line[:13].strip(): line[13:].strip() for line in output.splitlines() if line[:1].isalpha()}


def test_check_names_every_part(app):
    parts = _lines(app.test_cli_runner().invoke(args=["check"]).output)
    assert list(parts) == [
        "database",
        "migrations",
        "storage",
        "redis",
        "worker",
        "scheduler",
        "failed jobs",
        "sweeps",
        "ledger",
    ]
    assert parts["database"] == parts["storage"] == parts["ledger"] == "ok"
    assert parts["redis"].startswith("off: no REDIS_URL")


def test_check_fails_while_a_migration_waits(make_app, tmp_path):
    empty = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.db'}")
    with empty.app_context():
        result = empty.test_cli_runner().invoke(args=["check"])
        db.engine.dispose()
    parts = _lines(result.output)
    assert result.exit_code == 1
    assert (
        parts["migrations"].startswith("error: the database is at no revision") and "db upgrade" in parts["migrations"]
    )


def test_check_passes_on_a_migrated_database_without_redis(make_app, tmp_path):
    migrated = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'migrated.db'}")
    with migrated.app_context():
        upgrade()
        result = migrated.test_cli_runner().invoke(args=["check"])
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    assert _lines(result.output)["migrations"] == "ok"


def test_production_without_redis_is_an_error(make_app):
    production = make_app(PRODUCTION=True, SECRET_KEY="k3J9vQ0x7LmT2pR8sWzA4bN6cD1eF5gH9jK0mN3qS")
    with production.app_context():
        parts = _lines(production.test_cli_runner().invoke(args=["check"]).output)
    assert parts["redis"] == "error: REDIS_URL is not set in production"


def test_a_redis_without_workers_says_no_worker_and_no_scheduler(make_app):
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisDown:
        pytest.skip("Redis is not running")
    connection.flushdb()
    with_redis = make_app(REDIS_URL=REDIS_URL)
    with with_redis.app_context():
        parts = _lines(with_redis.test_cli_runner().invoke(args=["check"]).output)
    assert parts["redis"] == "ok"
    assert parts["worker"] == "error: no live worker listens to default, sweeps"
    assert parts["scheduler"].startswith("error: no scheduler for default, sweeps")
    assert parts["failed jobs"] == "ok"


def test_the_deep_health_check_is_for_staff_only(client, app):
    shallow = client.get("/healthz?deep=1").json
    assert set(shallow["checks"]) == {"database"}  # a stranger learns nothing more

    login(client, make_user())
    assert set(client.get("/healthz?deep=1").json["checks"]) == {"database"}
    client.post("/account/logout")

    staff_login(client, make_staff(StaffRole.moderator))
    checks = client.get("/healthz?deep=1").json["checks"]
    assert {"migrations", "storage", "worker", "ledger"} <= set(checks)
    assert checks["storage"] == "ok" and checks["ledger"] == "ok"
