"""File sizes as people read them: decimal units, as file managers and phones show them, in
the reader's language ("2 GB", "2 Go"; "100 bytes", "100 octets")."""

from __future__ import annotations

from babel.units import format_unit
from flask_babel import get_locale

_UNITS = ("digital-kilobyte", "digital-megabyte", "digital-gigabyte", "digital-terabyte")


def readable_size(size: int) -> str:
    locale = get_locale() or "en"
    if size < 1000:  # CLDR's short form of a byte is not plural ("100 byte"): the long one is
        return format_unit(size, "digital-byte", length="long", locale=locale)
    value, unit = float(size), "digital-byte"
    for bigger in _UNITS:
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    return format_unit(value, unit, length="short", format="#,##0.#", locale=locale)
