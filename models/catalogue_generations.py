"""The catalogue's generations: counters that change whenever what its public pages show may change.

A visitor's search page, listing page or designer profile is a function of the rows it reads,
the language and the address. Those pages are cached whole (storefront.catalogue.page_cache)
under the generation read at the start of each request, so an entry is exact as long as every
write to a row a page reads bumps that generation in the same transaction.

Two scopes: "search" (result cards: listings, their catalogue rows, profiles, designers'
accounts) and "pages" (those, plus the track records, reviews and community posts that listing
and profile pages show). Nothing has to remember to bump: every INSERT, UPDATE or DELETE the
database is sent on one of the watched tables — by a flush, a bulk statement or raw SQL — marks
its connection, and the session bumps the marked scopes as the last statement before COMMIT (so
the counter row stays locked for the commit only, and no lock is ever taken after it). An
account's login bookkeeping (last login, session version, password, language) shows on no page
and bumps nothing.

A row carries a random token chosen when it is first written: a wiped and refilled database
starts new counters under a new token, so a cache never takes a new 1 for an old 1.
"""

from __future__ import annotations

import re
import secrets
import threading

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from extensions import db

SEARCH = "search"
PAGES = "pages"

# What search pages read (cards); listing pages and profiles read these and PAGES_ONLY.
SEARCH_TABLES = frozenset(
    {"catalogue_entries", "listings", "price_tiers", "designer_profiles", "catalogue_images", "users"}
)
PAGES_ONLY_TABLES = frozenset(
    {
        # track records and reviews (reputation.figures, cases.reviews)
        "cases",
        "case_events",
        "case_orders",
        "deliveries",
        "reviews",
        "conversations",
        "conversation_participants",
        "messages",
        # the profile's followers and posts (community.feed)
        "follows",
        "posts",
        "post_images",
        "post_comments",
        "post_likes",
    }
)
# Tables whose rows no page shows, but whose deletion changes one that does: deleting a stored
# file empties a post's 3D model (posts.model_file_id, ON DELETE SET NULL).
DELETES_SHOWN = {"stored_files": PAGES}
# Columns of users that no catalogue page shows: a login writes them.
UNSHOWN_USER_COLUMNS = frozenset({"last_login_at", "session_version", "password_hash", "locale"})

_MARK = "catalogue_generation_scopes"
_WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+\"?(\w+)\"?", re.IGNORECASE
)
_SET = re.compile(r"\bSET\s+(.*?)(?:\bWHERE\b|\bRETURNING\b|$)", re.IGNORECASE | re.DOTALL)
_ASSIGNED = re.compile(r"\"?(\w+)\"?\s*=(?!=)")


class CatalogueGeneration(db.Model):
    __tablename__ = "catalogue_generations"

    scope: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(32))
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)


def scopes_written(statement: str) -> frozenset[str]:
    """The scopes an SQL statement makes stale (none for a read)."""
    found = _WRITE.match(statement)
    if found is None:
        return frozenset()
    table = found.group(1).lower()
    if table in SEARCH_TABLES:
        if table == "users" and statement.lstrip()[:6].upper() == "UPDATE":
            assigned = _SET.search(statement)
            columns = set(_ASSIGNED.findall(assigned.group(1))) if assigned else set()
            if columns and columns <= UNSHOWN_USER_COLUMNS:
                return frozenset()
        return frozenset({SEARCH, PAGES})
    if table in PAGES_ONLY_TABLES:
        return frozenset({PAGES})
    if table in DELETES_SHOWN and statement.lstrip()[:6].upper() == "DELETE":
        return frozenset({DELETES_SHOWN[table]})
    return frozenset()


# Built once: building the select on every request cost as much CPU as running it.
_READ = sa.select(CatalogueGeneration.token, CatalogueGeneration.value).where(
    CatalogueGeneration.scope == sa.bindparam("scope")
)


def current(scope: str) -> tuple[str, int] | None:
    """(token, value) of a scope, in one statement; None before anything was ever written, or
    when the database could not say (the page is then rendered, not cached).

    Read outside the request's unit of work, on a connection of its own in autocommit: a
    warm page then costs one round trip to the database — no BEGIN, no ROLLBACK, no pool
    ping. Exact all the same: whatever the request reads next is at least as new."""
    reader = _reader()
    if reader is None:
        row = db.session.execute(_READ, {"scope": scope}).first()
    else:
        try:
            with reader.connect() as connection:
                row = connection.execute(_READ, {"scope": scope}).first()
        except sa.exc.DBAPIError:
            return None
    return None if row is None else (row[0], row[1])


_readers: dict[str, Engine] = {}
_readers_lock = threading.Lock()


def _reader() -> Engine | None:
    """An autocommit engine on the app's database (None for an in-memory one: not shared)."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    key = url.render_as_string(hide_password=False)
    reader = _readers.get(key)
    if reader is None:
        with _readers_lock:
            reader = _readers.get(key) or sa.create_engine(url, isolation_level="AUTOCOMMIT")
            _readers[key] = reader
    return reader


def bump(connection, scopes) -> None:
    """Add one to each scope's counter (creating its row, with a new token, if it has none)."""
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    table = CatalogueGeneration.__table__
    statement = insert(table).values([{"scope": s, "token": secrets.token_hex(16), "value": 1} for s in sorted(scopes)])
    connection.execute(
        statement.on_conflict_do_update(index_elements=[table.c.scope], set_={"value": table.c.value + 1})
    )


@sa.event.listens_for(Engine, "after_cursor_execute")
def _mark_written(connection, _cursor, statement, _parameters, _context, _executemany) -> None:
    scopes = scopes_written(statement)
    if scopes:
        connection.info.setdefault(_MARK, set()).update(scopes)


@sa.event.listens_for(Engine, "rollback")
def _forget_on_rollback(connection) -> None:
    connection.info.pop(_MARK, None)  # what was rolled back changed nothing


@sa.event.listens_for(Session, "before_commit")
def _bump_before_commit(session: Session) -> None:
    transaction = session.get_transaction()
    if transaction is None or transaction.nested:
        return
    session.flush()  # the unit of work's last writes mark their connection first
    connection = session.connection()
    scopes = connection.info.pop(_MARK, None)
    if scopes:
        bump(connection, scopes)
