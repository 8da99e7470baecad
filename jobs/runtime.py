"""What a job needs around it when it runs in a worker: the app context of the app the worker built."""

from __future__ import annotations

import functools
from typing import Any, Callable

from flask import Flask, has_app_context

from extensions import db

_app: Flask | None = None


def use_app(app: Flask) -> None:
    """Give jobs the app they run in: the worker (worker.AppWorker) calls it once it built the app."""
    global _app
    _app = app


def worker_app() -> Flask:
    if _app is None:
        raise RuntimeError("no app to run jobs in: start the worker as `rq worker -w worker.AppWorker`")
    return _app


def job(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a job entry point: inside a request or test it runs as is, in a worker in the app."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            return fn(*args, **kwargs)
        with worker_app().app_context():
            try:
                return fn(*args, **kwargs)
            finally:
                db.session.remove()

    return run
