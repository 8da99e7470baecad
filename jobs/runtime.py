"""What a job needs around it when it runs in a worker: an app context, built once per process."""

from __future__ import annotations

import functools
from typing import Any, Callable

from flask import Flask, has_app_context

_app: Flask | None = None


def worker_app() -> Flask:
    global _app
    if _app is None:
        from app import create_app

        _app = create_app()
    return _app


def job(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a job entry point: inside a request or test it runs as is, in a worker in the app."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            return fn(*args, **kwargs)
        from extensions import db

        with worker_app().app_context():
            try:
                return fn(*args, **kwargs)
            finally:
                db.session.remove()

    return run
