"""Dates on pages read the same in each language as Flask-Babel writes them, patterns parsed once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import flask_babel
import pytest
from flask import current_app

from storefront.dates import format_datetime

MOMENTS = [datetime(2026, 1, 1, 0, 5, tzinfo=UTC) + timedelta(days=37 * n, minutes=611 * n) for n in range(12)]


@pytest.mark.parametrize("locale", ["en", "fr"])
@pytest.mark.parametrize("length", [None, "short", "medium", "long", "full", "yyyy-MM-dd HH:mm"])
def test_the_filter_writes_what_flask_babel_writes(locale, length):
    with current_app.test_request_context(), flask_babel.force_locale(locale):
        for moment in MOMENTS + [MOMENTS[3].replace(tzinfo=None)]:
            assert format_datetime(moment, length) == flask_babel.format_datetime(moment, length)


def test_pages_use_it_in_the_readers_language():
    moment = datetime(2026, 3, 9, 14, 30, tzinfo=UTC)
    render = current_app.jinja_env.from_string("{{ at|datetimeformat('short') }}").render
    with current_app.test_request_context(), flask_babel.force_locale("fr"):
        assert render(at=moment) == "09/03/2026 14:30"
    with current_app.test_request_context(), flask_babel.force_locale("en"):
        assert render(at=moment) == "3/9/26, 2:30\u202fPM"
