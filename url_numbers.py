"""Numbers read from URLs: row ids and page numbers, bounded before they reach the database.

SQLite cannot even compare a number past 64 bits (it raises instead of finding nothing), and
a page number of 10^20 makes an offset no database takes. Every id in a route goes through
`RowIdConverter` (registered as `int`), every id in a query string or form through `row_id`,
every page number through `page_number`.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

ROW_ID_MAX = 2**63 - 1  # the largest BIGINT; no row has a larger id
PAGE_MAX = 100_000  # far past the last page of any list, with an offset any database takes


class RowIdConverter(IntegerConverter):
    """`<int:…>` in every route: a number past ROW_ID_MAX names no row, so the URL is a 404."""

    def __init__(
        self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = ROW_ID_MAX, signed: bool = False
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def row_id(text: str) -> int:
    """`request.args.get(name, type=row_id)`: an id a row can have, else the default (ValueError)."""
    value = int(text)
    if not 0 <= value <= ROW_ID_MAX:
        raise ValueError(f"not a row id: {text!r}")
    return value


def page_number(text: str) -> int:
    """`request.args.get("page", 1, type=page_number)`: 1 to PAGE_MAX (past the end: an empty page)."""
    return min(max(int(text), 1), PAGE_MAX)
