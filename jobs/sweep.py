"""The minute sweep: applies every deadline that is due, from the database.

Deadlines live in rows (accept_by, auto_complete_at, link expiry), so a sweep that was
missed (Redis lost, worker down) catches up on the next run. Each domain's sweep runs in
its own unit of work so one failure does not hold back the others. Each run beats a
heartbeat row that /healthz reads: sweeps that stopped are seen, not discovered weeks later.
"""

from __future__ import annotations

import importlib
import logging
from datetime import datetime, timedelta, timezone

from flask import current_app

from extensions import commit, db
from jobs.runtime import job
from models.sweeps import SweepHeartbeat

log = logging.getLogger(__name__)

HEARTBEAT = "deadlines"

# Each entry is "module:function"; the function applies what is due and returns a count.
SWEEPS: list[str] = [
    "files.operations:sweep_expired_files",
    "files.handover:delete_received_files",
    "files.links:sweep_expired_links",  # after the files: a link whose files are all gone ends
    "files.uploads:sweep_stale_uploads",
    "moderation.kyc:abandon_stale_submissions",
    "cases.deadlines:expire_requests",
    "cases.deadlines:auto_complete_delivered",
    "cases.deadlines:escalate_undelivered",
    "offers.operations:expire_offers",
    "cases.deadlines:remind_due_soon",
    "messaging.digest:send_due_digests",
    "messaging.mail:resend_unsent_mails",
    "disputes.deadlines:open_missing_disputes",
    "disputes.deadlines:mark_unanswered",
    "disputes.deadlines:escalate_near_limit",
    "disputes.evidence_requests:flag_overdue_requests",
    "payments.reconciliation:reconcile_payments",
    "legal.exports:sweep_expired_exports",
    "support.operations:drop_unconfirmed_tickets",
    "moderation.figures:record_decision_days",  # the figures page's closed days, once each
]


def run_sweeps(now: datetime | None = None) -> dict[str, int]:
    """Apply every due deadline now; return how many items each sweep handled (-1: failed)."""
    now = now or datetime.now(timezone.utc)
    _beat(started=True)
    done: dict[str, int] = {}
    for target in SWEEPS:
        module_name, _, func_name = target.partition(":")
        func = getattr(importlib.import_module(module_name), func_name)
        try:
            done[target] = int(func(now) or 0)
            commit()
        except Exception:  # logged; the next sweep retries
            db.session.rollback()
            log.exception("sweep %s failed", target)
            done[target] = -1
    _beat(started=False, failures=[t for t, n in done.items() if n < 0])
    return done


@job
def sweep() -> dict[str, int]:
    """Job entry point. It schedules nothing: the worker's ticker enqueues every run."""
    return run_sweeps()


def _beat(*, started: bool, failures: list[str] = ()) -> None:
    # Real time, not the sweep's `now` (tests pass a future `now` to apply deadlines).
    at = datetime.now(timezone.utc)
    row = db.session.get(SweepHeartbeat, HEARTBEAT, with_for_update=True)
    if row is None:
        row = SweepHeartbeat(name=HEARTBEAT)
        db.session.add(row)
    if started:
        row.last_started_at = at
    else:
        row.last_finished_at = at
        row.last_failures = ",".join(failures)
    commit()


def sweep_health(now: datetime | None = None, *, running_since: datetime | None = None) -> str:
    """ "ok", or what is wrong with the sweeps, for /healthz.

    Stale means no run finished within SWEEP_STALE_SECONDS; a process that started less than
    that long ago does not yet count a missing heartbeat against the sweeps.
    """
    now = now or datetime.now(timezone.utc)
    limit = timedelta(seconds=current_app.config["SWEEP_STALE_SECONDS"])
    row = db.session.get(SweepHeartbeat, HEARTBEAT)
    if row is None or row.last_finished_at is None:
        if running_since is not None and now - running_since < limit:
            return "ok"
        return "error: no sweep has finished yet"
    if now - row.last_finished_at > limit:
        return f"error: last sweep finished at {row.last_finished_at:%Y-%m-%d %H:%M:%S} UTC"
    return "ok"


def enqueue_sweep(connection, now: datetime | None = None) -> str | None:
    """Put one sweep on the `sweeps` queue for the current tick, once across every worker.

    The tick's slot is claimed with SET NX (it expires by itself), so any number of workers
    ticking at once enqueue one sweep; nothing depends on the previous run having finished.
    Returns the job id, or None when another worker already took this tick.
    """
    from rq import Queue

    every = current_app.config["SWEEP_TICK_SECONDS"]
    now = now or datetime.now(timezone.utc)
    slot = int(now.timestamp()) // every
    if not connection.set(f"occlusa:sweep-tick:{slot}", 1, nx=True, ex=max(every * 5, 60)):
        return None
    job_id = f"sweep-{slot}"
    Queue(SWEEP_QUEUE, connection=connection).enqueue(
        sweep,
        job_id=job_id,
        job_timeout=current_app.config["SWEEP_JOB_TIMEOUT"],
        ttl=every * 5,  # a sweep that waited that long is overtaken by newer ones: drop it
        result_ttl=3600,
        failure_ttl=7 * 86400,
    )
    return job_id


SWEEP_QUEUE = "sweeps"


def start_local_sweeper(app, every_seconds: int) -> None:
    """Embedded default only (no Redis): run the sweep every `every_seconds` in this process.

    `make run` turns it on so a local run applies deadlines and sends grouped mail like a
    deployment with workers would; with REDIS_URL the worker's ticker does this instead.
    """
    import threading
    import time

    def loop() -> None:
        while True:
            time.sleep(every_seconds)
            with app.app_context():
                try:
                    run_sweeps()
                except Exception:  # the loop must outlive one bad run
                    log.exception("local sweep failed")
                finally:
                    db.session.remove()

    threading.Thread(target=loop, name="local-sweeper", daemon=True).start()
