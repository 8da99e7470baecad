"""Background work: `enqueue(func, *args)` runs func after the current commit.

With REDIS_URL the job goes to RQ (retried with backoff, failures kept in RQ's failed
registry); without it the job runs inline in this process right after the commit, which is
the embedded default. Jobs take ids and plain values and reload what they need.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from flask import current_app

from extensions import after_commit, after_commit_together, db

log = logging.getLogger(__name__)

RETRY_INTERVALS = [10, 60, 300, 1800]  # seconds between attempts: backoff, then give up


def enqueue(func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run func(*args, **kwargs) as a job once the current unit of work is committed."""
    if current_app.config.get("REDIS_URL"):
        # The unit of work's jobs leave together: one round trip to Redis, not two per job (a
        # completed case sends three).
        after_commit_together(_send_to_queue, (func, args, kwargs))
    else:
        after_commit(_dispatch, func, args, kwargs)


def redis_connection():
    """The app's Redis client, made once per process and URL: its pool keeps connections open, so an
    enqueue is a few commands, not a new TCP connection each time (about 20 ms of a transition's
    time per job). redis-py's pool is thread-safe and starts over in a forked worker."""
    from redis import Redis

    url = current_app.config["REDIS_URL"]
    clients = current_app.extensions.setdefault("occlusa_redis", {})
    if url not in clients:
        clients[url] = Redis.from_url(url)
    return clients[url]


def queue(name: str = "default"):
    from rq import Queue

    return Queue(name, connection=redis_connection())


def _send_to_queue(jobs: list[tuple[Callable[..., Any], tuple, dict]]) -> None:
    from rq import Queue, Retry

    queue().enqueue_many(
        [
            Queue.prepare_data(func, args, kwargs, retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS))
            for func, args, kwargs in jobs
        ]
    )


def _dispatch(func: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    try:
        func(*args, **kwargs)
    except Exception:  # an inline job failing must not undo the request's work
        db.session.rollback()
        log.exception("inline job %s failed", getattr(func, "__qualname__", func))
