"""Reading cases for pages: My cases (per side, per state) and the counts on its tabs."""

from __future__ import annotations

import sqlalchemy as sa

from extensions import db
from models.accounts import User
from models.cases import Case, CaseState
from teams.operations import teammate_ids

PER_PAGE = 20


SIDES = ("client", "designer", "team")


def _side_filter(user: User, side: str):
    if side == "team":  # cases sent by the other members of the user's lab team (read-only for the user)
        return Case.client_id.in_(teammate_ids(user.id))
    return Case.client_id == user.id if side == "client" else Case.designer_id == user.id


def my_cases_page(user: User, *, side: str, state: str | None, page: int = 1):
    """The user's cases as client or as designer, newest first, optionally in one state."""
    query = sa.select(Case).where(_side_filter(user, side))
    if state:
        query = query.where(Case.state == CaseState[state])
    return db.paginate(
        query.order_by(Case.created_at.desc(), Case.id.desc()), page=max(page, 1), per_page=PER_PAGE, error_out=False
    )


def case_counts(user: User) -> dict[str, dict[str, int]]:
    """{"client": {"requested": n, ..., "all": n}, "designer": {...}, "team": {...}} for the tabs."""
    counts: dict[str, dict[str, int]] = {side: {"all": 0} for side in SIDES}
    for side in SIDES:
        rows = db.session.execute(
            sa.select(Case.state, sa.func.count()).where(_side_filter(user, side)).group_by(Case.state)
        ).all()
        for state, n in rows:
            counts[side][state.value] = n
            counts[side]["all"] += n
    return counts
