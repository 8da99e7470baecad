"""Each process table against the product rules, written here as their own lists.

The lists come from PRODUCT.md, the help centre and the modules' documented promises, not from
the tables: a row added, dropped or given to the wrong role in a table fails here. (The case
table has its list in tests/cases/test_process.py, which also drives every row.)
"""

from __future__ import annotations

import pytest

from accounts import status as account_status
from cases import ordering
from disputes import process as dispute_process
from errors import InvalidTransition, PermissionDenied
from files import links
from models.accounts import AccountStatus
from models.cases import OrderStatus
from models.disputes import DisputeState
from models.files import ShareLinkState
from models.moderation import ViolationStatus
from models.profiles import ReviewState
from models.verification import VerificationStatus
from moderation import kyc, violations
from profiles import review_process
from transitions import Table, step

# (state, action, roles allowed, next state)
LINK_RULES = [
    # "Links expire after SHARE_LINK_DAYS days by default" (help: file-transfer) — the sweep
    (ShareLinkState.active, "expire", {"platform"}, ShareLinkState.expired),
    # "deleted automatically once downloaded"; "you can add a download limit" (PRODUCT §5, help)
    (ShareLinkState.active, "finish", {"platform"}, ShareLinkState.downloaded),
    # its owner ends a link at any time, live or dead; a deleted link stays deleted
    (ShareLinkState.active, "delete", {"owner"}, ShareLinkState.deleted),
    (ShareLinkState.downloaded, "delete", {"owner"}, ShareLinkState.deleted),
    (ShareLinkState.expired, "delete", {"owner"}, ShareLinkState.deleted),
]

STAFF = {"moderator", "admin"}
A = AccountStatus
ACCOUNT_RULES = [
    # "Account suspension and termination, with a reason" (PRODUCT §7), by moderators
    (A.active, "suspend", STAFF, A.suspended),
    (A.suspended, "suspend", STAFF, A.suspended),  # a new reason or end date
    (A.active, "terminate", STAFF, A.terminated),
    (A.suspended, "terminate", STAFF, A.terminated),
    # a suspension is lifted by staff; a termination is for good unless an admin decides otherwise
    (A.suspended, "reinstate", STAFF, A.active),
    (A.terminated, "reinstate", {"admin"}, A.active),
    # a suspension with an end date ends by itself
    (A.suspended, "lift", {"platform"}, A.active),
    # nothing here changes a deleted account (its owner closed it; its data is erased)
]

R = ReviewState
REVIEW_RULES = [
    # "must be approved by a moderator"; "Every listing is reviewed manually before it goes live"
    (R.pending, "approve", {"moderator"}, R.approved),
    (R.pending, "reject", {"moderator"}, R.rejected),
    # "The designer sees the reason, fixes the profile and resubmits"
    (R.draft, "submit", {"owner"}, R.pending),
    (R.rejected, "submit", {"owner"}, R.pending),
    # any edit needs a new review, whatever the state (the approved version stays public)
    (R.draft, "edit", {"owner"}, R.draft),
    (R.pending, "edit", {"owner"}, R.draft),
    (R.approved, "edit", {"owner"}, R.draft),
    (R.rejected, "edit", {"owner"}, R.draft),
]

V = VerificationStatus
KYC_RULES = [
    # "A verifier approves or rejects. The documents are deleted immediately after the decision"
    (V.submitted, "approve", {"verifier"}, V.approved),
    (V.submitted, "reject", {"verifier"}, V.rejected),
    # a submission left waiting is abandoned by the platform (KYC_ABANDON_DAYS)
    (V.submitted, "abandon", {"platform"}, V.abandoned),
]

VIOLATION_RULES = [
    # "Contact-detail violations: flagged items, strikes per account, warnings" (PRODUCT §7):
    # a moderator decides an open violation once
    (ViolationStatus.open, "dismiss", {"moderator"}, ViolationStatus.dismissed),
    (ViolationStatus.open, "warn", {"moderator"}, ViolationStatus.warned),
    (ViolationStatus.open, "suspend", {"moderator"}, ViolationStatus.suspended),
]

D = DisputeState
DISPUTE_RULES = [
    # "The designer gives their side within N days" (help: disputes); a late answer still counts
    # while no one has ruled, and without an answer the dispute goes to the agents anyway
    (D.open, "answer", {"designer"}, D.awaiting_ruling),
    (D.awaiting_ruling, "answer", {"designer"}, D.awaiting_ruling),
    (D.open, "mark_unanswered", {"platform"}, D.awaiting_ruling),
    # "may settle between themselves with a proposal": either party accepts the other's
    (D.open, "settle", {"client", "designer"}, D.settled),
    (D.awaiting_ruling, "settle", {"client", "designer"}, D.settled),
    # the client withdraws the dispute they opened; the case continues where it was
    (D.open, "withdraw", {"client"}, D.withdrawn),
    (D.awaiting_ruling, "withdraw", {"client"}, D.withdrawn),
    # "A resolution agent … rules: refund the client, pay the designer, or split"
    (D.open, "rule", {"agent"}, D.ruled),
    (D.awaiting_ruling, "rule", {"agent"}, D.ruled),
    # a settled, withdrawn or ruled dispute is closed for good
]

OS = OrderStatus
ORDER_RULES = [
    # "Confirm payment holds the amount": the order becomes a case once the money is held
    (OS.awaiting_payment, "send", {"client"}, OS.sent),
    # a refused card sends nothing; the payer may retry the same hold with another card
    (OS.awaiting_payment, "decline", {"client"}, OS.declined),
    (OS.declined, "decline", {"client"}, OS.declined),
    (OS.declined, "send", {"client"}, OS.sent),
    # a sent order is sent once: a second submit or confirmation creates no second case
]

TABLES = {
    "share links": (links.TRANSITIONS, LINK_RULES),
    "account status": (account_status.TRANSITIONS, ACCOUNT_RULES),
    "profile and listing review": (review_process.TRANSITIONS, REVIEW_RULES),
    "identity checks": (kyc.TRANSITIONS, KYC_RULES),
    "violations": (violations.TRANSITIONS, VIOLATION_RULES),
    "disputes": (dispute_process.TRANSITIONS, DISPUTE_RULES),
    "orders": (ordering.TRANSITIONS, ORDER_RULES),
}


@pytest.mark.parametrize("name", TABLES)
def test_the_table_holds_the_product_rules_and_nothing_else(name):
    table, rules = TABLES[name]
    assert {(s, a): (set(row.by), row.to) for (s, a), row in table.items()} == {
        (s, a): (roles, to) for s, a, roles, to in rules
    }


@pytest.mark.parametrize("name", TABLES)
def test_every_other_move_is_refused_by_the_table(name):
    table, rules = TABLES[name]
    allowed = {(s, a, role) for s, a, roles, _to in rules for role in roles}
    states = {s for s, *_rest in rules} | {to for *_rest, to in rules}
    roles = set().union(*(r for _s, _a, r, _to in rules))
    for state in states:
        for action in table.actions:
            for role in roles:
                if (state, action, role) in allowed:
                    assert table.check(state, action, role, denied="no", refused=lambda: "not now")
                    continue
                with pytest.raises((InvalidTransition, PermissionDenied)):
                    table.check(state, action, role, denied="no", refused=lambda: "not now")


def test_a_role_that_may_never_act_is_denied_and_one_that_may_elsewhere_is_told_not_now():
    table = Table({(A.active, "suspend"): step(A.suspended, "moderator")})
    with pytest.raises(PermissionDenied):
        table.check(A.active, "suspend", "client", denied="no", refused=lambda: "not now")
    with pytest.raises(InvalidTransition, match="not now"):
        table.check(A.terminated, "suspend", "moderator", denied="no", refused=lambda: "not now")
    assert table.allowed(A.active, "moderator") == ["suspend"]
    assert table.allowed(A.active, "client") == []
