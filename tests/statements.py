"""Counting the SQL statements a page or a call runs: busy paths must cost a fixed number whatever the data."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from extensions import db


class Counted:
    """The statements run inside the block, on the app's engine or, with `every_engine`, on any
    connection (the catalogue's generation is read on one of its own); their text is kept (spaces
    folded), for a failure's message and for tests that look for one kind of statement."""

    def __init__(self, every_engine: bool = False):
        self.target = Engine if every_engine else db.engine
        self.statements: list[str] = []

    def __enter__(self):
        sa.event.listen(self.target, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc):
        sa.event.remove(self.target, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, *_args):
        self.statements.append(" ".join(statement.split()))

    @property
    def seen(self) -> int:
        return len(self.statements)


def statements(client, url: str, every_engine: bool = False) -> int:
    """How many statements GET `url` runs (it must answer 200)."""
    with Counted(every_engine) as counted:
        assert client.get(url).status_code == 200
    return counted.seen
