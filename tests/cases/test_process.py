"""Every transition of the table, allowed and refused, with the money it moves."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cases.process import ACTIONS, TRANSITIONS
from disputes.suspended_accounts import close_cases_of_suspended_account
from errors import InvalidTransition, NotFound, PermissionDenied
from extensions import commit, db
from models.cases import CaseEvent, CaseState
from models.ledger import Journal, Payment, PaymentStatus
from payments.ledger import PLATFORM_FEES, balance, designer_account, escrow_balance, invariant_violations
from tests.cases.factories import drive, make_case
from tests.cases.runner import run
from tests.factories import make_user

C, D, P, A = "client", "designer", "platform", "staff"
S = CaseState

# The product rules (PRODUCT.md §3, §7; help centre: case-stages, cancel-a-request, disputes,
# revisions), written here by hand and NOT read from the table: a wrong row in the table fails.
# (state, action, roles allowed, next state, payment status after it (None: unchanged))
CASE_RULES = [
    # "Awaiting designer acceptance — the designer accepts or rejects"
    (S.requested, "accept", {D}, S.in_progress, PaymentStatus.captured),  # money secured before work starts
    (S.requested, "reject", {D}, S.rejected, PaymentStatus.released),
    # "the client may Cancel request, which releases the hold: nothing is charged"; a suspended
    # party's requests are cancelled by the platform ("its open cases are handled, not lost")
    (S.requested, "cancel", {C, P}, S.cancelled, PaymentStatus.released),
    # "A request not accepted in time expires, with the same result"
    (S.requested, "expire", {P}, S.expired, PaymentStatus.released),
    # "In progress — the designer works, delivers"; a new delivery after a delivery
    (S.in_progress, "deliver", {D}, S.delivered, None),
    (S.delivered, "deliver", {D}, S.delivered, None),
    # "Ask for a revision (up to the number the listing includes; more only if the designer agrees)"
    (S.delivered, "request_revision", {C}, S.in_progress, None),
    (S.in_progress, "grant_revisions", {D}, S.in_progress, None),
    (S.delivered, "grant_revisions", {D}, S.delivered, None),
    # "After acceptance, nothing delivered within 21 days: you may cancel and get a full refund"
    (S.in_progress, "cancel_undelivered", {C}, S.cancelled, PaymentStatus.refunded),
    # "the client clicks Transaction complete: only then is the designer paid"; else automatically
    (S.delivered, "complete", {C}, S.completed, PaymentStatus.paid_out),
    (S.delivered, "auto_complete", {P}, S.completed, PaymentStatus.paid_out),
    # "Dispute case: nothing is paid out"; "The platform itself opens a dispute when nothing is delivered"
    (S.in_progress, "dispute", {C, P}, S.disputed, None),
    (S.delivered, "dispute", {C, P}, S.disputed, None),
    # "an agent rules: refund the client, pay the designer, or split"; "may settle between themselves"
    (S.disputed, "resolve", {A}, S.resolved, PaymentStatus.partially_refunded),
    (S.disputed, "settle", {C, D}, S.resolved, PaymentStatus.partially_refunded),
    # The client withdraws their dispute: the case continues where it was (delivered, here).
    (S.disputed, "withdraw_dispute", {C}, S.delivered, None),
]
RULE_ACTIONS = sorted({action for _s, action, *_rest in CASE_RULES} | {"send"})
ALLOWED = [(state, action, role) for state, action, roles, *_rest in CASE_RULES for role in sorted(roles)]
NEXT = {(state, action): (to, payment) for state, action, _roles, to, payment in CASE_RULES}


def test_the_table_holds_the_product_rules_and_nothing_else():
    table = {
        (state, action): (set(t.by), t.to or S.delivered)
        for (state, action), t in TRANSITIONS.items()
        if state is not None
    }
    assert table == {(state, action): (roles, to) for state, action, roles, to, _payment in CASE_RULES}
    assert ACTIONS == RULE_ACTIONS
    assert set(TRANSITIONS[(None, "send")].by) == {C}  # "the client … clicks Send a case"


def _payment(case):
    return db.session.scalar(sa.select(Payment).where(Payment.case_id == case.id))


@pytest.mark.parametrize("state,action,role", ALLOWED, ids=[f"{s.value}-{a}-{r}" for s, a, r in ALLOWED])
def test_every_allowed_transition_moves_state_money_and_writes_an_event(state, action, role):
    case = drive(make_case(), state)
    payment_before = _payment(case).status
    # when
    case = run(case, action, role)
    commit()
    # then
    to, payment_after = NEXT[(state, action)]
    assert case.state == to
    event = db.session.scalar(
        sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id.desc()).limit(1)
    )
    assert (event.action, event.from_state, event.to_state) == (action, state.value, to.value)
    assert _payment(case).status == (payment_after or payment_before)
    assert invariant_violations() == []


REFUSED = [
    (state, action)
    for state in CaseState
    for action in RULE_ACTIONS
    if action != "send" and (state, action) not in NEXT
]


@pytest.mark.parametrize("state,action", REFUSED, ids=[f"{s.value}-{a}" for s, a in REFUSED])
def test_every_action_outside_the_table_is_refused_and_moves_nothing(state, action):
    case = drive(make_case(), state)
    role = sorted(next(roles for _s, a, roles, *_rest in CASE_RULES if a == action))[0]
    journals = db.session.scalar(sa.select(sa.func.count()).select_from(Journal))
    with pytest.raises(InvalidTransition):
        run(case, action, role)
    db.session.rollback()
    assert db.session.get(type(case), case.id).state == state
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Journal)) == journals


WRONG_ROLE = [
    (state, action, role) for state, action, roles, *_rest in CASE_RULES for role in (C, D, A) if role not in roles
]


@pytest.mark.parametrize("state,action,role", WRONG_ROLE, ids=[f"{s.value}-{a}-{r}" for s, a, r in WRONG_ROLE])
def test_a_role_not_in_the_table_is_refused(state, action, role):
    case = drive(make_case(), state)
    with pytest.raises(PermissionDenied):
        run(case, action, role)


def test_a_stranger_is_told_the_case_does_not_exist():
    case = make_case()
    with pytest.raises(NotFound):
        from cases.process import accept_case

        accept_case(case, actor=make_user())


def test_completion_pays_the_designer_amount_minus_fee_and_the_platform_the_fee():
    case = drive(make_case(amount_cents=12_000), CaseState.completed)
    assert balance(designer_account(case.designer_id)) == 12_000 - 1_080
    assert balance(PLATFORM_FEES) == 1_080
    assert escrow_balance() == 0
    payment = _payment(case)
    assert (payment.paid_out_cents, payment.fee_cents, payment.refunded_cents) == (10_920, 1_080, 0)
    transfer = [e for e in payment.events if e.action == "transfer"]
    assert len(transfer) == 1 and transfer[0].raw["transfer_group"] == f"case-{case.reference}"


def test_cancel_before_acceptance_charges_nothing():
    case = drive(make_case(), CaseState.cancelled)
    assert _payment(case).status == PaymentStatus.released
    assert _payment(case).captured_cents == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Journal)) == 0


def test_revisions_are_limited_to_the_included_ones_unless_the_designer_grants_more(request_context):
    from cases.process import grant_revisions, request_revision

    case = drive(make_case(revisions=1), CaseState.delivered)
    run(case, "request_revision", "client")
    run(case, "deliver", "designer")
    commit()
    with pytest.raises(InvalidTransition, match="No revisions are left"):
        request_revision(case, actor=case.client, note="Again")
    db.session.rollback()
    grant_revisions(case, actor=case.designer, count=1)
    request_revision(case, actor=case.client, note="Again")
    commit()
    assert case.state == CaseState.in_progress and case.revisions_used == 2


def test_a_delivery_needs_a_file(request_context):
    from cases.process import deliver_case
    from errors import DomainError

    case = drive(make_case(), CaseState.in_progress)
    with pytest.raises(DomainError, match="at least one file"):
        deliver_case(case, actor=case.designer, note="Nothing", files=[])


def test_a_dispute_stops_the_transaction_nothing_is_paid_out():
    case = drive(make_case(), CaseState.disputed)
    assert escrow_balance() == case.amount_cents
    assert balance(designer_account(case.designer_id)) == 0
    with pytest.raises(InvalidTransition):
        run(case, "complete", "client")


def test_a_double_click_completes_once_and_pays_once():
    from cases.process import complete_case

    case = drive(make_case(), CaseState.delivered)
    complete_case(case, actor=case.client)
    commit()
    with pytest.raises(InvalidTransition):
        complete_case(case, actor=case.client)
    db.session.rollback()
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(Journal).where(Journal.case_id == case.id)) == 2
    )  # capture, payout
    assert invariant_violations() == []


def test_the_same_gateway_call_twice_is_answered_once_by_the_sandbox():
    from payments.gateways.sandbox import SandboxGateway

    case = drive(make_case(), CaseState.in_progress)
    payment = _payment(case)
    gateway = SandboxGateway()
    first = gateway.transfer(
        amount_cents=500,
        currency="usd",
        destination="acct_x",
        transfer_group="g",
        source_charge=None,
        idempotency_key="k-1",
    )
    again = gateway.transfer(
        amount_cents=500,
        currency="usd",
        destination="acct_x",
        transfer_group="g",
        source_charge=None,
        idempotency_key="k-1",
    )
    assert first.reference == again.reference
    assert payment.status == PaymentStatus.captured


def test_suspending_a_party_cancels_requests_and_disputes_open_work():
    designer = make_user(client=False, designer=True)
    requested = make_case(make_user(), designer)
    working = drive(make_case(make_user(), designer), CaseState.in_progress)
    delivered = drive(make_case(make_user(), designer), CaseState.delivered)
    done = drive(make_case(make_user(), designer), CaseState.completed)
    counts = close_cases_of_suspended_account(designer, actor=make_user(client=False))
    commit()
    assert counts == {"cancelled": 1, "disputed": 2}
    states = {c.id: db.session.get(type(c), c.id).state for c in (requested, working, delivered, done)}
    assert states == {
        requested.id: CaseState.cancelled,
        working.id: CaseState.disputed,
        delivered.id: CaseState.disputed,
        done.id: CaseState.completed,
    }
    assert _payment(requested).status == PaymentStatus.released
    assert invariant_violations() == []


def test_open_cases_keep_an_account_from_closing(request_context):
    from accounts.operations import closing_obstacles

    case = make_case()
    assert closing_obstacles(case.client) and closing_obstacles(case.designer)
    drive(case, CaseState.cancelled)
    assert closing_obstacles(case.client) == []
