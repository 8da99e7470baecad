"""Whole catalogue pages for visitors, rendered once per catalogue generation.

A visitor (not signed in, nothing flashed) sees a search page, a listing page or a designer's
profile as a function of the database rows it reads, the language and the address alone. The
database says when those rows may have changed: the generation of the page's scope
(models.catalogue_generations), bumped in the same transaction as any write to a table such a
page reads. Each request reads it in one statement, first, and the cache key is
(app, scope, its token and value, language, host, script root, path with its query string), whole:
an entry is never stale, it can only stop being asked for; the least recently used are dropped
past CAPACITY pages or MAX_CHARS characters. The key is read from the database on every
request, so each gunicorn worker's own cache is exact too.

The page's CSRF token (the language switcher's form) is personal: it is stored as a slot and
the reader's own token put back on every answer. A page whose figures change with time alone
(a designer's on-time rate once a due date passes) says until when it holds (hold_until).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime
from functools import wraps

from flask import current_app, g, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from models.catalogue_generations import current
from models.types import utcnow

CAPACITY = 1024  # pages kept per process …
MAX_CHARS = 24_000_000  # … and their characters (a search page is some 30 000)
CSRF_SLOT = "\x00csrf\x00"  # no escaped text can hold a NUL
CACHED_STATUSES = (200, 400)  # 400: a search with a refused filter, shown with its message

_pages: OrderedDict[tuple, tuple[str, int, datetime | None]] = OrderedDict()
_lock = threading.Lock()
_chars = 0


def hold_until(moment: datetime | None) -> None:
    """This page's content changes at `moment` by time alone (None: not by time)."""
    if moment is not None:
        earliest = g.get("page_cache_until")
        g.page_cache_until = moment if earliest is None else min(earliest, moment)


def _key(scope: str) -> tuple | None:
    if request.method != "GET" or current_user.is_authenticated or session.get("_flashes"):
        return None
    generation = current(scope)
    if generation is None:
        return None
    # The app too: its settings (PRO_MIN_REVIEWS …) shape pages, and tests run several in one process.
    app = id(current_app._get_current_object())
    return (app, scope, *generation, str(get_locale()), request.host, request.script_root, request.full_path)


def _csrf_field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def _lookup(key: tuple) -> tuple[str, int] | None:
    with _lock:
        entry = _pages.get(key)
        if entry is None:
            return None
        body, status, until = entry
        if until is not None and utcnow() >= until:
            _forget(key)
            return None
        _pages.move_to_end(key)
    return body, status


def _store(key: tuple, response) -> None:
    if response.status_code not in CACHED_STATUSES or response.mimetype != "text/html" or response.is_streamed:
        return
    body = response.get_data(as_text=True)
    token = g.get(_csrf_field())
    if token:
        body = body.replace(token, CSRF_SLOT)
    global _chars
    with _lock:
        if key in _pages:
            _forget(key)
        _pages[key] = (body, response.status_code, g.get("page_cache_until"))
        _chars += len(body)
        while len(_pages) > CAPACITY or _chars > MAX_CHARS:
            _forget(next(iter(_pages)))


def _forget(key: tuple) -> None:
    """Drop one page (the caller holds the lock)."""
    global _chars
    _chars -= len(_pages.pop(key)[0])


def for_visitors(scope: str):
    """Decorate a GET view whose page, for a visitor, reads only tables of `scope`."""

    def decorate(view):
        @wraps(view)
        def cached(*args, **kwargs):
            key = _key(scope)
            hit = _lookup(key) if key is not None else None
            if hit is not None:
                body, status = hit
                if CSRF_SLOT in body:
                    body = body.replace(CSRF_SLOT, generate_csrf())
                return make_response(body, status)
            response = make_response(view(*args, **kwargs))
            if key is not None:
                _store(key, response)
            return response

        return cached

    return decorate


def clear() -> None:
    """Forget every page (tests that compare a cold render with a warm one)."""
    global _chars
    with _lock:
        _pages.clear()
        _chars = 0
