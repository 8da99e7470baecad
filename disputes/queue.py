"""The resolution centre's queue as a workbench, like the moderation queues (moderation.workbench):
active disputes due first on their own deadlines, filtered by state, assignee, and either party's
country and language; the next due dispute nobody else holds.

The order reads the due time each dispute stores at its moves (Dispute.queue_due_at, by
disputes.rules.queue_due_at): the answer date while open, then the ruling date — the answer date
plus DISPUTE_RULING_DAYS, never past the escrow limit — from the index ix_disputes_queue.
Evidence requests move a ruling date later by a few days; the order leaves them out (the page
shows each dispute's exact due time, disputes.queue_due).
"""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from disputes.operations import CLAIM_TYPE
from extensions import db
from models.accounts import StaffRole, User
from models.cases import Case
from models.disputes import ACTIVE_DISPUTE_STATES, Dispute, DisputeState
from models.moderation import ReviewClaim
from moderation import workbench

DISPUTES = workbench.QueueSpec(
    CLAIM_TYPE,
    Dispute,
    Dispute.opened_at,
    Case.designer_id,
    Dispute.state,
    DisputeState.awaiting_ruling,
    StaffRole.resolution_agent,
)
STATES = [s.value for s in ACTIVE_DISPUTE_STATES]
SORTS = ("due", "age", "amount")


def filters_from(args) -> workbench.Filters:
    """The page's filters; no state (or an unknown one) means every active dispute."""
    state = args.get("state", "")
    return replace(workbench.Filters.from_args(args, DISPUTES), state=state if state in STATES else "")


def counted(filters: workbench.Filters, *, actor: User, tab: str = "active"):
    """The ids of what items() lists, without the cases joined when no filter reads them (the
    country and language filters do), so the queue's size is counted from the disputes' index;
    None when the join is needed."""
    if tab == "closed" or filters.country or filters.language:
        return None
    query = workbench.narrowed(sa.select(Dispute.id), DISPUTES, filters, actor=actor, owners=())
    query = query.where(
        Dispute.state == DisputeState(filters.state) if filters.state else Dispute.state.in_(ACTIVE_DISPUTE_STATES)
    )
    return query.where(Dispute.escalated.is_(True)) if tab == "escalated" else query


def items(filters: workbench.Filters, *, actor: User, tab: str = "active", sort: str = "due"):
    """The disputes of a tab ("active", "escalated", "closed") under `filters` (a select for paginate)."""
    query = sa.select(Dispute).join(Case, Case.id == Dispute.case_id).options(contains_eager(Dispute.case))
    if tab == "closed":
        return query.where(Dispute.state.not_in(ACTIVE_DISPUTE_STATES)).order_by(
            Dispute.closed_at.desc(), Dispute.id.desc()
        )
    query = workbench.narrowed(query, DISPUTES, filters, actor=actor, owners=(Case.client_id, Case.designer_id))
    state = Dispute.state
    if sort == "due" and db.engine.dialect.name == "sqlite":
        # Without statistics SQLite guesses the state index narrows a lot, reads every active
        # dispute from it and sorts them; "+state" keeps it off that index, so it reads the queue's
        # index (ix_disputes_queue) in order and stops at the page. PostgreSQL chooses that alone.
        state = sa.literal_column("+disputes.state", Dispute.state.type)
    query = query.where(state == DisputeState(filters.state) if filters.state else state.in_(ACTIVE_DISPUTE_STATES))
    if tab == "escalated":
        query = query.where(Dispute.escalated.is_(True))
    first = {"due": Dispute.queue_due_at, "age": Dispute.opened_at, "amount": Case.amount_cents.desc()}[sort]
    # Escalated first: their payment must leave escrow within days.
    return query.order_by(Dispute.escalated.desc(), first, Dispute.id)


# The parties of a page's cases, read in one statement after the page: joined to the page's own
# statement, they would be read for every dispute an ordering by amount or closing date sorts.
# Their staff grants are not read (the rows name them).
_PARTIES = sa.select(User).where(User.id.in_(sa.bindparam("ids", expanding=True))).options(lazyload(User.roles))


def name_parties(disputes: list[Dispute]) -> None:
    """Each case's client and designer set on the case, read in one statement for the page."""
    cases = [d.case for d in disputes]
    if not cases:
        return
    ids = {c.client_id for c in cases} | {c.designer_id for c in cases}
    users = {u.id: u for u in db.session.scalars(_PARTIES, {"ids": list(ids)})}
    for case in cases:
        set_committed_value(case, "client", users[case.client_id])
        set_committed_value(case, "designer", users[case.designer_id])


# The count and page statements of a tab opened without filters (how the page opens), per tab,
# sort and database, built on first use: building them cost more than running them.
_plain_pages: dict[tuple, tuple] = {}


def tab_page(
    filters: workbench.Filters, *, actor: User, tab: str, sort: str, page: int, per_page: int
) -> workbench.QueuePage:
    """One page of items() and the tab's size (counted on counted() where it can be), with the
    parties of its cases."""
    if tab != "closed" and (filters.state or filters.assignee or filters.country or filters.language):
        built = _page_statements(filters, actor, tab, sort)
    else:
        # Without filters (the closed tab reads none), no part of them depends on `actor`.
        key = (tab, sort, db.engine.dialect.name)
        built = _plain_pages.get(key)
        if built is None:
            built = _plain_pages[key] = _page_statements(filters, actor, tab, sort)
    found = workbench.page_from(*built, {}, page=page, per_page=per_page)
    name_parties(found.items)
    return found


def _page_statements(filters: workbench.Filters, actor: User, tab: str, sort: str) -> tuple:
    query = items(filters, actor=actor, tab=tab, sort=sort)
    return workbench.page_statements(query, key=Dispute.id, counted=counted(filters, actor=actor, tab=tab))


def next_due(*, actor: User, after: int | None = None) -> Dispute | None:
    """The active dispute due first that nobody else holds and `actor` may rule (not a party to
    it; not `after`, the one on screen)."""
    query = items(workbench.Filters(), actor=actor).where(
        ~workbench.held(DISPUTES).where(ReviewClaim.moderator_id != actor.id).exists(),
        Case.client_id != actor.id,
        Case.designer_id != actor.id,
    )
    if after is not None:
        query = query.where(Dispute.id != after)
    return db.session.scalars(query.limit(1)).first()
