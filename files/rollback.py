"""Storage writes follow the unit of work: undone when it rolls back.

Bytes are written to storage before the row that names them is committed (they have to
be: the row's checksum and size come from the write). If the request or job then fails and
its transaction rolls back, nothing would ever point at those bytes again; the actions
registered here remove them. A crash between the two leaves encrypted bytes whose key was
never committed: unreadable, and removed by storage lifecycle rules, not by us.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from extensions import db

log = logging.getLogger(__name__)

_UNDO = "files.undo_on_rollback"


def undo_on_rollback(fn: Callable[..., Any], *args: Any) -> None:
    """Run fn(*args) if the current unit of work rolls back instead of committing."""
    db.session.info.setdefault(_UNDO, []).append((fn, args))


@event.listens_for(Session, "after_commit")
def _keep(session: Session) -> None:
    # Committed, by whichever path: the bytes now belong to committed rows. A savepoint's
    # release is not the end of the unit of work.
    if not session.in_nested_transaction():
        session.info.pop(_UNDO, None)


@event.listens_for(Session, "after_soft_rollback")
def _undo(session: Session, previous_transaction) -> None:
    if previous_transaction.nested or not has_app_context():
        return
    for fn, args in reversed(session.info.pop(_UNDO, [])):
        try:
            fn(*args)
        except Exception:  # a failed clean-up must not hide the original error
            log.exception("undoing storage write %s%r failed", getattr(fn, "__name__", fn), args)
