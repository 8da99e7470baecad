"""Jobs: inline without Redis, through a real RQ worker with it; side effects only after commit."""

from __future__ import annotations

import email
import os
import subprocess
import sys
from pathlib import Path

import pytest

import sqlalchemy as sa
from rq import Queue

from accounts.operations import request_password_reset
from extensions import after_commit, after_commit_together, commit, db
from jobs import RETRY_INTERVALS, enqueue
from messaging.mail import deliver_mail, send_mail
from models.messaging import OutgoingMail
from tests.factories import make_user

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


def test_side_effects_registered_together_run_once_with_every_item_after_the_commit():
    batches, ran = [], []
    after_commit_together(batches.append, "first")
    db.session.rollback()
    after_commit_together(batches.append, "second")
    after_commit(ran.append, "between")
    after_commit_together(batches.append, "third")
    assert batches == []
    commit()
    assert batches == [["second", "third"]] and ran == ["between"]


def test_with_redis_the_jobs_of_a_unit_of_work_reach_the_queue_together_in_order(make_app):
    connection = _redis_or_skip()
    app = make_app(REDIS_URL=REDIS_URL)
    with app.app_context():
        enqueue(deliver_mail, 1)
        db.session.rollback()  # a rolled-back unit of work sends nothing
        enqueue(deliver_mail, 2)
        enqueue(deliver_mail, 3)
        assert Queue("default", connection=connection).get_jobs() == []
        commit()
    jobs = Queue("default", connection=connection).get_jobs()
    assert [(job.func_name, job.args) for job in jobs] == [("messaging.mail.deliver_mail", (n,)) for n in (2, 3)]
    assert all(job.retries_left == len(RETRY_INTERVALS) for job in jobs)  # retried as one enqueued alone
    connection.flushdb()


def test_inline_mail_job_runs_after_commit(outbox):
    user = make_user(name="Lab")
    send_mail(user.email, "confirm_email", user=user)
    assert outbox.read() == []
    commit()
    [message] = outbox.read()
    assert message["Subject"] == "Confirm your e-mail address"


def test_a_mail_job_carries_only_the_mails_id_and_a_retry_sends_nothing_more(make_app, tmp_path):
    connection = _redis_or_skip()
    app = make_app(REDIS_URL=REDIS_URL)
    with app.app_context():
        user = make_user(name="Lab")
        request_password_reset(user.email)
        commit()
        [mail_id] = db.session.scalars(sa.select(OutgoingMail.id)).all()
    from rq import Queue

    [job] = Queue("default", connection=connection).get_jobs()
    assert job.args == (mail_id,) and job.kwargs == {}
    # Nothing in Redis holds the mail's text or its reset link.
    for key in connection.keys("*"):
        dump = connection.dump(key) or b""
        assert b"/password/reset" not in dump and b"Choose a new password" not in dump
    worker_instance = tmp_path / "worker-instance"
    _run_burst_worker(app, worker_instance, "default")
    mails = list((worker_instance / "outbox").glob("*.eml"))
    assert len(mails) == 1
    sent = email.message_from_bytes(mails[0].read_bytes())
    assert sent["Subject"] == "Choose a new password"
    link = next(
        line for line in sent.get_payload(decode=True).decode().splitlines() if "/account/password/reset/" in line
    )
    # The job runs again (RQ's retry after a crash past the send): the mail is not sent again.
    Queue("default", connection=connection).enqueue(deliver_mail, mail_id)
    _run_burst_worker(app, worker_instance, "default")
    assert len(list((worker_instance / "outbox").glob("*.eml"))) == 1
    with app.app_context():
        client = app.test_client()
        assert client.get(link.strip().replace("http://localhost", "")).status_code == 200
    connection.flushdb()


def _run_burst_worker(app, instance: Path, *queues: str) -> None:
    env = {
        **os.environ,
        "INSTANCE_PATH": str(instance),
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "PUBLIC_URL": "http://localhost",
    }
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "rq"),
            "worker",
            "--burst",
            "-w",
            "worker.AppWorker",
            "--url",
            REDIS_URL,
            *queues,
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_a_worker_waits_for_jobs_longer_than_redis_default_socket_timeout():
    """The command line pings Redis before the worker exists; that connection (5 s timeout under
    redis-py 8) must not be the one the worker then blocks on for minutes waiting for jobs."""
    from worker import AppWorker

    connection = _redis_or_skip()
    connection.ping()
    worker = AppWorker(["default"], connection=connection)
    assert worker.connection.blpop(["occlusa:test:nothing"], timeout=7) is None  # a quiet queue, not an error
