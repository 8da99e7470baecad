"""The minute sweep keeps running whatever fails: a flushed Redis, a killed work horse."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from extensions import db
from jobs.sweep import HEARTBEAT, enqueue_sweep, run_sweeps, sweep_health
from models.sweeps import SweepHeartbeat
from models.types import utcnow
from tests.foundation.test_jobs import REDIS_URL, _redis_or_skip

ROOT = Path(__file__).resolve().parents[2]


def _finished_at():
    db.session.expire_all()
    row = db.session.get(SweepHeartbeat, HEARTBEAT)
    db.session.rollback()
    return row.last_finished_at if row else None


def _wait_for_a_sweep_after(moment, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        finished = _finished_at()
        if finished is not None and finished > moment:
            return
        time.sleep(0.3)
    pytest.fail(f"no sweep finished after {moment:%H:%M:%S} within {seconds} s")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.fixture
def worker(app, tmp_path):
    """A real `rq worker` (no --burst) ticking every second, on the test database."""
    connection = _redis_or_skip()
    env = {
        **os.environ,
        "INSTANCE_PATH": str(tmp_path / "worker"),
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SWEEP_TICK_SECONDS": "1",
        "SWEEP_JOB_TIMEOUT": "60",
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "rq"),
            "worker",
            "-w",
            "worker.AppWorker",
            "--url",
            REDIS_URL,
            "default",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield connection, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        connection.flushdb()


def test_a_worker_started_with_the_default_queue_only_still_sweeps_and_survives_flushdb(worker):
    connection, _process = worker
    started = utcnow()
    _wait_for_a_sweep_after(started)
    connection.flushdb()  # Redis lost: every queue, schedule and job gone
    flushed = utcnow()
    _wait_for_a_sweep_after(flushed)


def test_sweeps_go_on_after_the_work_horse_is_killed(worker):
    connection, process = worker
    _wait_for_a_sweep_after(utcnow())
    from rq import Queue

    Queue("sweeps", connection=connection).enqueue("tests.foundation.slow_job.sleep_long", job_timeout=300)
    # The horse running the slow job is the one alive for seconds (sweep horses last < 1 s).
    deadline = time.monotonic() + 30
    while not (busy := [pid for pid in _children(process.pid) if _runs_for(pid) > 2]):
        if time.monotonic() > deadline:
            pytest.fail("the slow job never started")
        time.sleep(0.2)
    for pid in busy:
        os.kill(pid, signal.SIGKILL)  # what the OOM killer or a job timeout does to a horse
    killed = utcnow()
    _wait_for_a_sweep_after(killed)
    assert process.poll() is None


def _runs_for(pid: int) -> float:
    ticks = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return uptime - ticks / os.sysconf("SC_CLK_TCK")


def test_one_sweep_per_tick_however_many_workers_tick(app):
    connection = _redis_or_skip()
    now = utcnow()
    ids = [enqueue_sweep(connection, now) for _ in range(3)]
    assert ids[0] is not None and ids[1:] == [None, None]
    from rq import Queue

    assert Queue("sweeps", connection=connection).count == 1
    connection.flushdb()


def test_health_reports_sweeps_that_stopped(app):
    assert sweep_health(running_since=utcnow()) == "ok"  # a process just started: not yet
    assert sweep_health(running_since=utcnow() - timedelta(hours=1)).startswith("error")
    run_sweeps()
    assert sweep_health() == "ok"
    later = utcnow() + timedelta(seconds=app.config["SWEEP_STALE_SECONDS"] + 60)
    assert sweep_health(later).startswith("error: last sweep finished")


def test_healthz_answers_503_when_sweeps_stopped(make_app):
    _redis_or_skip()
    app = make_app(REDIS_URL=REDIS_URL, SWEEP_STALE_SECONDS=0)
    with app.app_context():
        run_sweeps()
    time.sleep(1.1)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["sweeps"].startswith("error: last sweep finished")
