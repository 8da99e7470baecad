"""The RQ worker class: `rq worker -w worker.AppWorker --with-scheduler sweeps default`.

A top-floor module like wsgi.py: it builds the app (create_app) and hands it to jobs.runtime,
so the jobs package below never imports the app. The app is built once in the parent, before
RQ forks a work horse for each job. The parent also runs the sweep ticker, a thread that
enqueues a sweep every SWEEP_TICK_SECONDS on the `sweeps` queue, which this worker always
listens to first. The ticker does not depend on any earlier sweep: a killed work horse, a job
timeout or a flushed Redis costs one tick at most.
"""

from __future__ import annotations

import logging
import threading
import time

from rq import Queue, Worker

from app import create_app
from jobs.runtime import use_app
from jobs.sweep import SWEEP_QUEUE, enqueue_sweep

log = logging.getLogger(__name__)


class AppWorker(Worker):
    def __init__(self, queues, *args, **kwargs):
        queues = [queues] if isinstance(queues, (str, Queue)) else list(queues)
        names = [q.name if isinstance(q, Queue) else q for q in queues]
        if SWEEP_QUEUE not in names:
            connection = kwargs.get("connection") or (queues[0].connection if isinstance(queues[0], Queue) else None)
            queues.insert(0, Queue(SWEEP_QUEUE, connection=connection) if connection else SWEEP_QUEUE)
        super().__init__(queues, *args, **kwargs)
        # RQ raises the pool's socket timeout above its blocking wait for jobs, but connections
        # the command line opened before (redis-py 8 gives them 5 s) keep theirs: the first idle
        # wait longer than that ends in "Redis connection timeout, quitting". Drop them.
        self.connection.connection_pool.reset()

    def work(self, *args, **kwargs):
        app = create_app()
        use_app(app)  # each work horse forks from here, with the app its jobs run in
        SweepTicker(self.connection, app).start()
        return super().work(*args, **kwargs)


class SweepTicker(threading.Thread):
    """Enqueues the sweep on every tick, in the worker's parent process, until it exits."""

    def __init__(self, connection, app):
        super().__init__(name="sweep-ticker", daemon=True)
        self.connection = connection
        self.app = app

    def run(self) -> None:
        every = self.app.config["SWEEP_TICK_SECONDS"]
        while True:
            with self.app.app_context():
                try:
                    enqueue_sweep(self.connection)
                except Exception:  # Redis away for a moment: try on the next tick
                    log.exception("could not enqueue the sweep")
            time.sleep(every - time.time() % every + 0.2)  # just past the next tick's start
