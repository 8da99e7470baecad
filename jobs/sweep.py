"""The minute sweep: applies every deadline that is due, from the database.

Deadlines live in rows (accept_by, auto_complete_at, link expiry), so a sweep that was
missed (Redis lost, worker down) catches up on the next run. Each domain's sweep runs in
its own unit of work so one failure does not hold back the others.
"""
from __future__ import annotations

import importlib
import logging
from datetime import datetime, timedelta, timezone

from flask import current_app

from extensions import commit, db
from jobs.runtime import job

log = logging.getLogger(__name__)

# Each entry is "module:function"; the function applies what is due and returns a count.
SWEEPS: list[str] = [
    "files.links:sweep_expired_links",
    "files.operations:sweep_expired_files",
    "files.uploads:sweep_stale_uploads",
    "moderation.kyc:abandon_stale_submissions",
    "cases.deadlines:expire_requests",
    "cases.deadlines:auto_complete_delivered",
    "cases.deadlines:escalate_undelivered",
    "messaging.digest:send_due_digests",
    "disputes.deadlines:open_missing_disputes",
    "disputes.deadlines:mark_unanswered",
    "disputes.deadlines:escalate_near_limit",
    "payments.reconciliation:reconcile_payments",
]


def run_sweeps(now: datetime | None = None) -> dict[str, int]:
    """Apply every due deadline now; return how many items each sweep handled."""
    now = now or datetime.now(timezone.utc)
    done: dict[str, int] = {}
    for target in SWEEPS:
        module_name, _, func_name = target.partition(":")
        func = getattr(importlib.import_module(module_name), func_name)
        try:
            done[target] = int(func(now) or 0)
            commit()
        except Exception:  # noqa: BLE001 - logged; the next sweep retries
            db.session.rollback()
            log.exception("sweep %s failed", target)
            done[target] = -1
    return done


@job
def sweep() -> dict[str, int]:
    """Job entry point: run the sweeps, then schedule the next one a minute later."""
    done = run_sweeps()
    schedule_next_sweep()
    return done


def schedule_next_sweep() -> None:
    """Put the next sweep on RQ's schedule (one job id per minute, so never twice)."""
    if not current_app.config.get("REDIS_URL"):
        return
    from jobs import queue

    at = (datetime.now(timezone.utc) + timedelta(minutes=1)).replace(second=0, microsecond=0)
    queue().enqueue_at(at, sweep, job_id=f"sweep-{at:%Y%m%d%H%M}")


def start_local_sweeper(app, every_seconds: int) -> None:
    """Embedded default only (no Redis): run the sweep every `every_seconds` in this process.

    `make run` turns it on so a local run applies deadlines and sends grouped mail like a
    deployment with workers would; with REDIS_URL the RQ scheduler does this instead.
    """
    import threading
    import time

    def loop() -> None:
        while True:
            time.sleep(every_seconds)
            with app.app_context():
                try:
                    run_sweeps()
                finally:
                    db.session.remove()

    threading.Thread(target=loop, name="local-sweeper", daemon=True).start()
