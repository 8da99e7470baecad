"""The deep health check behind `flask check` and `/healthz?deep=1` (staff): is every part of a
deployment there and working? Database, migrations, storage, Redis, a worker's heartbeat,
the scheduler, failed jobs, the sweeps and the ledger's invariants, each answered "ok", "error: …" or "off: …" (a part
this configuration does not use, such as Redis on a local run where jobs run inline).

/healthz without `deep` stays the cheap probe a load balancer calls every few seconds.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from rq import Queue, Worker
from rq.registry import FailedJobRegistry
from rq.scheduler import RQScheduler

import config
from extensions import db
from files.storage import get_storage
from jobs import redis_connection
from jobs.sweep import SWEEP_QUEUE, sweep_health
from payments.ledger import invariant_violations

# RQ refreshes a worker's heartbeat at least every worker_ttl (420 s by default) while it
# waits for jobs; a heartbeat older than this means the worker is gone.
WORKER_HEARTBEAT_SECONDS = 480
QUEUES = ("default", SWEEP_QUEUE)


def _error(exc: Exception) -> str:
    first = (str(exc).splitlines() or [""])[0]
    return f"error: {type(exc).__name__}: {first}"[:300]


def check_database() -> str:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        db.session.rollback()
        return _error(exc)


def check_migrations() -> str:
    """The database's schema revision is the code's head: no migration waits to be applied."""
    alembic = AlembicConfig()
    alembic.set_main_option("script_location", str(Path(config.ROOT) / "migrations"))
    heads = set(ScriptDirectory.from_config(alembic).get_heads())
    try:
        with db.engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return _error(exc)
    if current == heads:
        return "ok"
    return (
        f"error: the database is at {', '.join(sorted(current)) or 'no revision'}, the code at "
        f"{', '.join(sorted(heads))}: run `flask --app wsgi db upgrade`"
    )


def check_storage() -> str:
    """Write, read back and delete a small object where the files go."""
    key = f"healthcheck/{secrets.token_hex(8)}"
    payload = b"occlusa health check"
    try:
        storage = get_storage()
        storage.write(key, [payload])
        try:
            if b"".join(storage.read(key)) != payload:
                return "error: the object read back differs from what was written"
        finally:
            storage.delete(key)
        return "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return _error(exc)


def _redis_checks(now: datetime) -> dict[str, str]:
    try:
        connection = redis_connection()
        connection.ping()
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        failed = _error(exc)
        return {"redis": failed, "worker": failed, "scheduler": failed, "failed jobs": failed}
    checks = {"redis": "ok"}
    fresh = []
    for worker in Worker.all(connection=connection):
        beat = worker.last_heartbeat
        if beat is not None and beat.tzinfo is None:
            beat = beat.replace(tzinfo=timezone.utc)
        if beat is not None and now - beat <= timedelta(seconds=WORKER_HEARTBEAT_SECONDS):
            fresh.append(set(worker.queue_names()))
    missing = [q for q in QUEUES if not any(q in names for names in fresh)]
    checks["worker"] = "ok" if not missing else f"error: no live worker listens to {', '.join(missing)}"
    # A worker started with --with-scheduler holds this lock for each of its queues while it runs:
    # without one, jobs retried later or enqueued for a time never run.
    locked = [q for q in QUEUES if connection.exists(RQScheduler.get_locking_key(q))]
    checks["scheduler"] = (
        "ok"
        if len(locked) == len(QUEUES)
        else f"error: no scheduler for {', '.join(q for q in QUEUES if q not in locked)} (start a worker with --with-scheduler)"
    )
    # A job that used up its retries waits in RQ's failed registry for someone to look at it.
    failed = {q: FailedJobRegistry(queue=Queue(q, connection=connection)).count for q in QUEUES}
    checks["failed jobs"] = (
        "ok"
        if not any(failed.values())
        else "error: " + ", ".join(f"{n} failed on {q}" for q, n in failed.items() if n) + " (rq info, rq requeue)"
    )
    return checks


def check_ledger() -> str:
    """Every journal balanced, every case's escrow what its state says (payments.ledger)."""
    try:
        problems = invariant_violations()
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        db.session.rollback()
        return _error(exc)
    if not problems:
        return "ok"
    return f"error: {len(problems)} problem(s): " + "; ".join(problems[:3])


def deep_checks(*, running_since: datetime | None = None, now: datetime | None = None) -> dict[str, str]:
    """Every part of the deployment, by name, in the order an operator would look."""
    now = now or datetime.now(timezone.utc)
    checks = {"database": check_database(), "migrations": check_migrations(), "storage": check_storage()}
    if current_app.config.get("REDIS_URL"):
        checks.update(_redis_checks(now))
    else:
        off = "off: no REDIS_URL, jobs run inline in the web process"
        if current_app.config.get("PRODUCTION"):
            off = "error: REDIS_URL is not set in production"
        checks.update({"redis": off, "worker": off, "scheduler": off, "failed jobs": off})
    if current_app.config.get("REDIS_URL") or current_app.config.get("SWEEP_EVERY_SECONDS"):
        try:
            checks["sweeps"] = sweep_health(now, running_since=running_since)
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            db.session.rollback()
            checks["sweeps"] = _error(exc)
    else:
        checks["sweeps"] = "off: no REDIS_URL and SWEEP_EVERY_SECONDS is 0"
    checks["ledger"] = check_ledger()
    return checks


def healthy(checks: dict[str, str]) -> bool:
    return not any(value.startswith("error") for value in checks.values())
