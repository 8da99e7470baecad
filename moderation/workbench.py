"""The queues as a workbench: what waits in each queue, by due time, filtered by state, assignee,
owner's country and language; the next item to work on; the staff who may be given an item.

A queue is described once (QueueSpec) and every page reads it through these functions, so the
review, verification and violation queues sort, filter and hand out items the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, lazyload, selectinload

from extensions import db
from models.accounts import StaffRole, StaffRoleGrant, User
from models.community import Post, PostState
from models.listings import Listing
from models.moderation import ReviewClaim, Violation, ViolationStatus
from models.profiles import DesignerProfile, ReviewState
from models.support import SupportTicket, TicketStatus
from models.verification import VerificationStatus, VerificationSubmission
from moderation import claims
from pagination import PageNumbers

ME, UNASSIGNED = "me", "none"

# The queues' states as the state filter names them (the values of ReviewState, VerificationStatus
# and ViolationStatus).
STATE_WORDS = {
    "draft": _l("draft"),
    "pending": _l("waiting for review"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
    "submitted": _l("waiting for a verifier"),
    "abandoned": _l("abandoned"),
    "open": _l("open"),
    "dismissed": _l("dismissed"),
    "warned": _l("warned"),
    "suspended": _l("suspended"),
    "published": _l("published"),
    "removed": _l("removed"),
}


@dataclass(frozen=True)
class QueueSpec:
    kind: str  # the claims' object type and the service level's key
    model: type
    submitted: object  # column: when the item entered the queue
    owner: object  # column: the account the item is about
    state: object  # column: the item's state
    waiting: object  # the state of items waiting for a decision
    role: StaffRole  # who works the queue
    rows: tuple = ()  # relationships a queue page shows on every row, loaded with the page (not per row)

    @property
    def states(self) -> list[str]:
        return [s.value for s in type(self.waiting)]

    @property
    def state_words(self) -> dict[str, str]:
        return {s: STATE_WORDS.get(s, s) for s in self.states}


PROFILES = QueueSpec(
    "profile",
    DesignerProfile,
    DesignerProfile.submitted_at,
    DesignerProfile.user_id,
    DesignerProfile.state,
    ReviewState.pending,
    StaffRole.moderator,
    (DesignerProfile.user,),
)
LISTINGS = QueueSpec(
    "listing",
    Listing,
    Listing.submitted_at,
    Listing.designer_id,
    Listing.state,
    ReviewState.pending,
    StaffRole.moderator,
    (Listing.designer, Listing.tiers),
)
VERIFICATIONS = QueueSpec(
    "verification",
    VerificationSubmission,
    VerificationSubmission.submitted_at,
    VerificationSubmission.designer_id,
    VerificationSubmission.status,
    VerificationStatus.submitted,
    StaffRole.verifier,
    (VerificationSubmission.designer, VerificationSubmission.verifier),
)
VIOLATIONS = QueueSpec(
    "violation",
    Violation,
    Violation.created_at,
    Violation.user_id,
    Violation.status,
    ViolationStatus.open,
    StaffRole.moderator,
    (Violation.user,),
)
POSTS = QueueSpec(
    "post",
    Post,
    Post.created_at,
    Post.author_id,
    Post.state,
    PostState.pending,
    StaffRole.moderator,
    (Post.author, Post.images),
)
TICKETS = QueueSpec(
    "ticket",
    SupportTicket,
    SupportTicket.waiting_since,
    SupportTicket.user_id,
    SupportTicket.status,
    TicketStatus.open,
    StaffRole.support,
)


@dataclass(frozen=True)
class Filters:
    state: str = ""
    assignee: str = ""  # ME, UNASSIGNED, a staff member's id, or "" for everyone
    country: str = ""  # the owner's profile country (ISO code)
    language: str = ""  # the owner's language

    @classmethod
    def from_args(cls, args, spec: QueueSpec) -> "Filters":
        state = args.get("state", "")
        return cls(
            state=state if state in spec.states else spec.waiting.value,
            assignee=args.get("assignee", "").strip()[:12],
            country=args.get("country", "").strip().upper()[:2],
            language=args.get("language", "").strip().lower()[:8],
        )

    def as_args(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}


def held(spec: QueueSpec):
    """Claims not lapsed on the queue's item of the outer query (for EXISTS)."""
    return sa.select(ReviewClaim.id).where(
        ReviewClaim.object_type == spec.kind,
        ReviewClaim.object_id == spec.model.id,
        ReviewClaim.claimed_at > claims.lapse_time(),
    )


def items(spec: QueueSpec, filters: Filters, *, actor: User):
    """The queue's items under `filters`, due first (a select for paginate)."""
    query = sa.select(spec.model).where(spec.state == type(spec.waiting)(filters.state or spec.waiting.value))
    return _as_rows(spec, narrowed(query, spec, filters, actor=actor, owners=(spec.owner,)))


def row_options(spec: QueueSpec) -> list:
    """The loader options of what each row of the queue shows."""
    # The rows' accounts in the same statement, without their staff grants (a row names its owner
    # only); their collections (tiers, pictures) in one more each.
    return [
        joinedload(rel).lazyload(User.roles) if rel.property.mapper.class_ is User else selectinload(rel)
        for rel in spec.rows
    ]


def _as_rows(spec: QueueSpec, query):
    """`query` due first, with what each row shows."""
    return query.options(*row_options(spec)).order_by(spec.submitted.asc(), spec.model.id.asc())


# A queue's count and page statements in one state, no other filter (how a queue page opens),
# built on first use with bound parameters: building them cost more than running them.
_plain_pages: dict[str, tuple] = {}


def queue_page(spec: QueueSpec, filters: Filters, *, actor: User, page: int, per_page: int) -> QueuePage:
    """One page of the queue's items under `filters` (page_of on items())."""
    if filters.assignee or filters.country or filters.language:
        return page_of(items(spec, filters, actor=actor), key=spec.model.id, page=page, per_page=per_page)
    built = _plain_pages.get(spec.kind)
    if built is None:
        query = _as_rows(spec, sa.select(spec.model).where(spec.state == sa.bindparam("state")))
        built = _plain_pages[spec.kind] = page_statements(query, key=spec.model.id)
    state = type(spec.waiting)(filters.state or spec.waiting.value)
    return page_from(*built, {"state": state}, page=page, per_page=per_page)


def narrowed(query, spec: QueueSpec, filters: Filters, *, actor: User, owners: tuple):
    """`query` kept to the items of the assignee, country and language filters; `owners` are the
    columns naming the accounts an item concerns (any of them may match)."""
    if filters.assignee == UNASSIGNED:
        query = query.where(~held(spec).exists())
    elif filters.assignee == ME or filters.assignee.isdigit():
        holder = actor.id if filters.assignee == ME else int(filters.assignee)
        query = query.where(held(spec).where(ReviewClaim.moderator_id == holder).exists())
    if filters.country:
        in_country = sa.select(DesignerProfile.user_id).where(DesignerProfile.country == filters.country)
        query = query.where(sa.or_(*(owner.in_(in_country) for owner in owners)))
    if filters.language:
        speaking = sa.select(User.id).where(User.locale.startswith(filters.language))
        query = query.where(sa.or_(*(owner.in_(speaking) for owner in owners)))
    return query


@dataclass
class QueuePage(PageNumbers):
    """A page of a queue, for the pagination macro."""

    page: int
    per_page: int
    total: int
    items: list = field(default_factory=list)


def page_of(query, *, page: int, per_page: int, key, counted=None) -> QueuePage:
    """One page of `query` (one query) and the queue's size counted on `key` alone, so the database
    counts from an index instead of building every row (one query). `counted`, if given, selects
    the same items' keys more cheaply (without a join the order needs) and is counted instead."""
    return page_from(*page_statements(query, key=key, counted=counted), {}, page=page, per_page=per_page)


def page_statements(query, *, key, counted=None) -> tuple:
    """page_of's two statements for `query`, the page's bounds left as parameters ("limit",
    "offset"), so a page that opens the same way each time builds them once."""
    keys = counted if counted is not None else query.with_only_columns(key)
    count = sa.select(sa.func.count()).select_from(keys.order_by(None).subquery())
    return count, query.limit(sa.bindparam("limit")).offset(sa.bindparam("offset"))


def page_from(count, rows, params: dict, *, page: int, per_page: int) -> QueuePage:
    """A page read with page_statements' statements and their other `params`."""
    total = db.session.scalar(count, params)
    bounds = {"limit": per_page, "offset": (page - 1) * per_page}
    return QueuePage(page=page, per_page=per_page, total=total, items=list(db.session.scalars(rows, params | bounds)))


def next_due(spec: QueueSpec, *, actor: User, after=None):
    """The waiting item due first that nobody else holds (not `after`, the one just decided)."""
    query = items(spec, Filters(), actor=actor).where(~held(spec).where(ReviewClaim.moderator_id != actor.id).exists())
    if after is not None:
        query = query.where(spec.model.id != after)
    return db.session.scalars(query.limit(1)).first()


def queue_staff(spec: QueueSpec) -> list[User]:
    """Who may be given an item of the queue: holders of its role or of the admin role."""
    granted = sa.select(StaffRoleGrant.user_id).where(StaffRoleGrant.role.in_([spec.role, StaffRole.admin]))
    # Ids first (a small table), then those accounts by primary key: never a scan of every account
    # (joined, SQLite walks the accounts). Their grants are not read here (the queue names them).
    ids = list(db.session.scalars(granted.distinct()))
    staff = sa.select(User).where(User.id.in_(ids)).options(lazyload(User.roles)).order_by(User.id)
    return list(db.session.scalars(staff)) if ids else []


def _staff_and_workload_statement():
    granted = sa.select(StaffRoleGrant.user_id).where(StaffRoleGrant.role.in_(sa.bindparam("roles", expanding=True)))
    live = sa.and_(ReviewClaim.object_type == sa.bindparam("kind"), ReviewClaim.claimed_at > sa.bindparam("lapse"))
    holders = sa.select(ReviewClaim.moderator_id).where(live)
    return (
        sa.select(User, sa.func.count(ReviewClaim.id), User.id.in_(granted))
        .outerjoin(ReviewClaim, sa.and_(ReviewClaim.moderator_id == User.id, live))
        .where(User.id.in_(sa.union(granted, holders)))
        .group_by(User.id)
        .order_by(User.id)
        .options(lazyload(User.roles))  # names and counts only
    )


# Built once: every queue page runs it, and building a statement costs more than running it.
_STAFF_AND_WORKLOAD = _staff_and_workload_statement()


def staff_and_workload(spec: QueueSpec) -> tuple[list[User], list[tuple[User, int]]]:
    """A queue page's people in one statement: `queue_staff(spec)` (by id), and the queue's
    `claims.workload` (who holds items now and how many, busiest first; a holder may since have
    lost the role). The accounts are looked up by primary key from the union of the two small id
    sets, then each one's live claims counted."""
    params = {"roles": [spec.role, StaffRole.admin], "kind": spec.kind, "lapse": claims.lapse_time()}
    rows = db.session.execute(_STAFF_AND_WORKLOAD, params).all()
    staff = [user for user, _held, may in rows if may]
    workload = sorted(((user, held) for user, held, _may in rows if held), key=lambda row: (-row[1], row[0].id))
    return staff, workload
