"""Counting the SQL statements a page runs: busy pages must cost a fixed number whatever the data."""

from __future__ import annotations

import sqlalchemy as sa

from extensions import db


def statements(client, url: str) -> int:
    """How many statements GET `url` runs (it must answer 200)."""
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)
