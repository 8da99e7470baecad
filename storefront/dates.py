"""Dates and times in the reader's language: the templates' `datetimeformat` filter.

Flask-Babel's own filter looks up and parses the locale's patterns on every call, which a thread
of fifty messages pays fifty times; here each (locale, length) is parsed once, and the text is
the same as Flask-Babel's (tests/messaging/test_dates.py compares them)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import flask_babel
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


def format_datetime(value: datetime, format: str | None = None) -> str:
    """`value` (UTC when naive) in the reader's time zone and language, as Flask-Babel's
    format_datetime writes it; a custom pattern is left to Flask-Babel."""
    configured = flask_babel.get_babel().instance.date_formats
    length = format or configured["datetime"]
    if length not in LENGTHS or configured.get(f"datetime.{length}"):
        return flask_babel.format_datetime(value, format)
    joined, time_pattern, date_pattern, locale = _patterns(str(flask_babel.get_locale()), length)
    local = flask_babel.to_user_timezone(value)
    return joined.replace("{0}", time_pattern.apply(local, locale)).replace(
        "{1}", date_pattern.apply(local.date(), locale)
    )
