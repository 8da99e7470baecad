"""Dates and times in the reader's language: the templates' `datetimeformat` filter.

Flask-Babel's own filter looks up and parses the locale's patterns on every call, which a thread
of fifty messages pays fifty times; here each (locale, length) is parsed once, and the text is
the same as Flask-Babel's (tests/messaging/test_dates.py compares them)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

import flask_babel
from flask import g
from babel import Locale, dates

LENGTHS = ("short", "medium", "long", "full")


@lru_cache(maxsize=32)
def _patterns(locale: str, length: str) -> tuple[str, dates.DateTimePattern, dates.DateTimePattern, Locale]:
    """How a locale joins its date and time at `length`, and the two parsed patterns."""
    parsed = Locale.parse(locale)
    return (
        dates.get_datetime_format(length, locale=parsed).replace("'", ""),
        dates.parse_pattern(dates.get_time_format(length, locale=parsed)),
        dates.parse_pattern(dates.get_date_format(length, locale=parsed)),
        parsed,
    )


def _reading() -> tuple | None:
    """The request's (locale, time zone, configured formats, locale name), kept next to what
    Flask-Babel keeps for the request: Flask-Babel looks each of them up again on every date (a
    handful of context lookups each). A forced or refreshed locale or zone is a new object, so
    it is never read with another's. None before the request's first date, or outside one."""
    try:
        state = g._get_current_object().get("_flask_babel")  # the proxy resolved once
    except RuntimeError:  # outside an app context
        return None
    locale = getattr(state, "babel_locale", None)
    tzinfo = getattr(state, "babel_tzinfo", None)
    if locale is None or tzinfo is None:
        return None
    cached = getattr(state, "date_reading", None)
    if cached is None or cached[0] is not locale or cached[1] is not tzinfo:
        configured = flask_babel.get_babel().instance.date_formats
        cached = state.date_reading = (locale, tzinfo, configured, str(locale))
    return cached


def reading_key() -> tuple:
    """The language and time zone this request writes dates in, for a cache of rendered text
    that holds dates (looked up as format_datetime does, once per request)."""
    reading = _reading()
    if reading is None:
        flask_babel.get_locale(), flask_babel.get_timezone()  # settle both for the request
        reading = _reading()
        if reading is None:  # outside a request
            return str(flask_babel.get_locale()), str(flask_babel.get_timezone())
    _locale, tzinfo, _configured, locale_name = reading
    return locale_name, tzinfo


def format_datetime(value: datetime, format: str | None = None) -> str:
    """`value` (UTC when naive) in the reader's time zone and language, as Flask-Babel's
    format_datetime writes it; a custom pattern is left to Flask-Babel."""
    reading = _reading()
    if reading is None:
        flask_babel.get_locale(), flask_babel.get_timezone()  # settle both for the request
        reading = _reading()
        if reading is None:
            return flask_babel.format_datetime(value, format)
    _locale, tzinfo, configured, locale_name = reading
    length = format or configured["datetime"]
    if length not in LENGTHS or configured.get(f"datetime.{length}"):
        return flask_babel.format_datetime(value, format)
    # What flask_babel.to_user_timezone does, with the zone already at hand.
    local = tzinfo.normalize((value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(tzinfo))
    # The zone by name and offset too: equal moments in two zones compare equal, their texts do not.
    return _written(local.replace(tzinfo=None), str(tzinfo), local.utcoffset(), local, locale_name, length)


@lru_cache(maxsize=4096)
def _written(_naive: datetime, _zone: str, _offset, local: datetime, locale_name: str, length: str) -> str:
    """The text of a local time, kept: a page shows the same times again on every view (a thread's
    fifty messages), and applying the two patterns is most of a date's cost."""
    joined, time_pattern, date_pattern, locale = _patterns(locale_name, length)
    return joined.replace("{0}", time_pattern.apply(local, locale)).replace(
        "{1}", date_pattern.apply(local.date(), locale)
    )
