"""Jobs: inline without Redis, through a real RQ worker with it; side effects only after commit."""
from __future__ import annotations

import email
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extensions import after_commit, commit, db
from messaging.mail import send_mail

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisDown:
        pytest.skip("Redis is not running")
    connection.flushdb()
    return connection


def test_side_effects_wait_for_the_commit_and_vanish_on_rollback(outbox):
    ran = []
    after_commit(ran.append, "first")
    db.session.rollback()
    after_commit(ran.append, "second")
    assert ran == []
    commit()
    assert ran == ["second"]


def test_inline_mail_job_runs_after_commit(outbox):
    send_mail("lab@example.com", "confirm_email", user=type("U", (), {"display_name": "Lab"})(), link="http://x/y")
    assert outbox.read() == []
    commit()
    [message] = outbox.read()
    assert message["Subject"] == "Confirm your e-mail address"


def test_a_job_enqueued_on_redis_is_run_by_a_real_worker(make_app, tmp_path):
    connection = _redis_or_skip()
    app = make_app(REDIS_URL=REDIS_URL)
    with app.app_context():
        send_mail("lab@example.com", "reset_password", user=type("U", (), {"display_name": "Lab"})(),
                  link="http://x/reset")
        commit()
    from rq import Queue

    assert Queue("default", connection=connection).count == 1
    worker_instance = tmp_path / "worker-instance"
    env = {**os.environ, "INSTANCE_PATH": str(worker_instance), "REDIS_URL": REDIS_URL,
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rq"), "worker", "--burst", "-w", "jobs.worker.AppWorker",
         "--url", REDIS_URL, "default"],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    mails = list((worker_instance / "outbox").glob("*.eml"))
    assert len(mails) == 1
    assert email.message_from_bytes(mails[0].read_bytes())["Subject"] == "Choose a new password"
    # the worker also put the next minute's sweep on the schedule
    from rq.registry import ScheduledJobRegistry

    assert any(job_id.startswith("sweep-") for job_id in ScheduledJobRegistry("default", connection=connection).get_job_ids())
    connection.flushdb()
