"""The access log: one line per request, written by the app, with the secrets in URLs left out.

Share links, password resets, e-mail confirmations and uploads carry their secret in the path
(/t/<token>, /account/password/reset/<token>): a log line holding that path would open the
link to anyone who reads the logs. So the app writes the access line itself, on the logger
"occlusa.access", and names a route that carries a secret by its rule
(`/t/<token>/files/<int:file_id>`) instead of its path. The servers' own access logs stay off:
the werkzeug development server's lines are dropped here; gunicorn runs without
`--access-logfile` (README, Production). Such pages are never cached either (app.py).
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

# URL variables that are secrets: whoever holds one may open what it names.
SECRET_ARGUMENTS = frozenset({"token"})

log = logging.getLogger("occlusa.access")


def carries_secret() -> bool:
    """Whether the current request's route has a secret in its path."""
    rule = request.url_rule
    return rule is not None and bool(rule.arguments & SECRET_ARGUMENTS)


def logged_path() -> str:
    """The request's path as logs may show it."""
    rule = request.url_rule
    if rule is None:
        # No route matched, so nothing says which part is a secret (a mistyped share link):
        # keep the first segment only.
        first, _sep, rest = request.path.lstrip("/").partition("/")
        return f"/{first}/…" if rest else request.path
    return rule.rule if carries_secret() else request.path


class _WithoutServerAccessLines(logging.Filter):
    """Drops werkzeug's development-server access lines (they hold the raw path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.rstrip().endswith('] "%s" %s %s'))


_SERVER_LINES = _WithoutServerAccessLines()


def init_access_log(app: Flask) -> None:
    logging.getLogger("werkzeug").addFilter(_SERVER_LINES)  # the same filter object: added once

    @app.before_request
    def start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def write_access_line(response: Response) -> Response:
        started = g.get("request_started")
        elapsed = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        log.info(
            '%s "%s %s" %s %.0fms',
            request.remote_addr or "-",
            request.method,
            logged_path(),
            response.status_code,
            elapsed,
        )
        return response
