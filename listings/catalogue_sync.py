"""Keeps each catalogue row's copy of its designer's side in step: listed, availability, reviews.

A search page counts and ranks thousands of catalogue rows. Reading the live rule and the
ranking inputs from the designer's profile and account meant joining both for every row;
each row carries a copy instead (models.listings.CatalogueEntry.listed …), and search reads
that one table. The copy is rewritten from the profile and account rows themselves, by one
UPDATE at the end of every flush that changed one of its sources — a profile's approval,
verification, payouts, availability or reviews, an account's status — or wrote a new row.
A session event rather than a call in each operation: every writer of those columns
(moderation, payments, accounts, reviews, tests' factories) goes through a flush, and none
has to remember the catalogue, so the copy cannot fall behind whoever changes the source.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from listings.visibility import designer_live_condition
from models.accounts import User
from models.listings import CatalogueEntry
from models.profiles import DesignerProfile

# The profile columns copied, or read by the live rule.
PROFILE_SOURCES = ("approved_at", "identity_verified", "payouts_ready", "unavailable", "review_count", "stars_total")


def refresh_designers(connection, designer_ids) -> None:
    """Rewrite the copied columns of these designers' catalogue rows from their profile and account."""
    if not designer_ids:
        return
    of_designer = DesignerProfile.user_id == CatalogueEntry.designer_id

    def copied(column, empty):
        return sa.func.coalesce(sa.select(column).where(of_designer).scalar_subquery(), empty)

    connection.execute(
        sa.update(CatalogueEntry)
        .where(CatalogueEntry.designer_id.in_(sorted(designer_ids)))
        .values(
            listed=sa.exists().where(of_designer, User.id == CatalogueEntry.designer_id, designer_live_condition()),
            unavailable=copied(DesignerProfile.unavailable, sa.false()),
            review_count=copied(DesignerProfile.review_count, 0),
            stars_total=copied(DesignerProfile.stars_total, 0),
        )
        .execution_options(synchronize_session=False)
    )


def _changed(instance, names) -> bool:
    state = sa.inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in names)


def changed_designers(session: Session) -> set[int]:
    """The designers whose copy this flush makes stale (read before the flush clears the history)."""
    designers = set()
    for instance in session.new:
        if isinstance(instance, CatalogueEntry):
            designers.add(instance.designer_id)
        elif isinstance(instance, DesignerProfile):
            designers.add(instance.user_id)
    for instance in session.dirty:
        if isinstance(instance, DesignerProfile) and _changed(instance, PROFILE_SOURCES):
            designers.add(instance.user_id)
        elif isinstance(instance, User) and _changed(instance, ("status",)):
            designers.add(instance.id)
    designers.discard(None)
    return designers


@sa.event.listens_for(Session, "after_flush")
def _refresh_after_flush(session: Session, _flush_context) -> None:
    # After the flush's own statements, in its transaction: the UPDATE reads the new values.
    refresh_designers(session.connection(), changed_designers(session))
