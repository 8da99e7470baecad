"""The RQ worker class: `rq worker -w jobs.worker.AppWorker --with-scheduler`.

The app is built once in the parent, before RQ forks a work horse for each job, and the
minute sweep is put on the schedule when the worker starts.
"""
from __future__ import annotations

from rq import Worker

from jobs.runtime import worker_app


class AppWorker(Worker):
    def work(self, *args, **kwargs):
        app = worker_app()
        with app.app_context():
            from jobs.sweep import schedule_next_sweep

            schedule_next_sweep()
        return super().work(*args, **kwargs)
