"""Money on Stripe when Stripe's answers go wrong: a 500 after acting, a timeout, a lost answer,
or a failure before acting, on the capture, the transfer and the refund. Money moves once,
and once settled from Stripe's book the ledger equals Stripe's book for the case."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cases import process
from cases.ordering import send_case
from disputes import operations
from errors import InvalidTransition
from extensions import commit, db
from jobs.sweep import run_sweeps
from models.cases import Case, CaseOrder, CaseState
from models.ledger import MovementState, Payment, PaymentMovement
from models.moderation import AuditEntry
from models.types import utcnow
from payments import escrow
from payments.fees import platform_fee
from payments.ledger import balance, designer_account, invariant_violations
from payments.reconciliation import check_case
from tests.cases.factories import design_file, make_agent
from tests.factories import make_user
from tests.payments.factories import make_connected_account
from tests.payments.test_webhooks import deliver

AMOUNT = 15_000
EARNINGS = AMOUNT - platform_fee(AMOUNT)
REASONING = "The crown was never delivered in a usable form; the client is refunded."


def _case(stripe_server, state: CaseState = CaseState.delivered) -> Case:
    client, designer = make_user(), make_user(client=False, designer=True)
    account = stripe_server.create_account({"type": "express", "country": "FR"})
    stripe_server.complete_onboarding(account["id"])
    make_connected_account(designer, account_id=account["id"])
    order = CaseOrder(
        client_id=client.id,
        designer_id=designer.id,
        listing_id=None,
        amount_cents=AMOUNT,
        currency="usd",
        terms={
            "title": "Crown",
            "unit": "tooth",
            "revisions_included": 1,
            "turnaround_days": 2,
            "quantity": 1,
            "unit_price_cents": AMOUNT,
            "fee_cents": platform_fee(AMOUNT),
            "prescription": {
                "teeth": {"36": "crown"},
                "arches": [],
                "material": "zirconia",
                "shade": "A2",
                "parameters": {},
            },
            "instructions": "",
            "client_case_id": "LAB-7",
            "attachments": [],
        },
    )
    db.session.add(order)
    db.session.flush()
    escrow.place_hold(order, payment_method="pm_card_visa")
    case = send_case(order, actor=client)
    commit()
    if state != CaseState.requested:
        process.accept_case(case, actor=designer)
        commit()
    if state == CaseState.delivered:
        process.deliver_case(case, actor=designer, note="Done", files=[design_file(designer)])
        commit()
    return db.session.get(Case, case.id)


def _made(stripe_server, kind: str) -> list[dict]:
    return [o for o in stripe_server.objects.values() if o["object"] == kind]


def _movements(case, kind: str) -> list[PaymentMovement]:
    return list(
        db.session.scalars(
            sa.select(PaymentMovement)
            .where(PaymentMovement.case_id == case.id, PaymentMovement.kind == kind)
            .order_by(PaymentMovement.id)
        )
    )


def _books_agree(case) -> None:
    db.session.expire_all()
    case = db.session.scalar(sa.select(Case).where(Case.id == case.id).with_for_update())
    assert check_case(case) == []
    commit()
    assert invariant_violations() == []


def test_a_transfer_made_but_answered_with_500s_is_recorded_once_and_never_made_again(
    stripe_server, stripe_app, stripe_client
):
    case = _case(stripe_server)
    stripe_server.inject("POST", r"/v1/transfers", "error", after=True)

    process.complete_case(case, actor=case.client)
    commit()

    [transfer] = _made(stripe_server, "transfer")
    assert transfer["amount"] == EARNINGS
    [movement] = _movements(case, "transfer")
    assert movement.state == MovementState.pending and movement.idempotency_key in (
        transfer["metadata"]["idempotency_key"],
    )
    assert db.session.get(Case, case.id).state == CaseState.completed
    assert balance(designer_account(case.designer_id)) == 0  # not recorded before Stripe confirms

    # The client cannot open a dispute on it and have it refunded on top.
    with pytest.raises(InvalidTransition):
        operations.open_dispute(
            case, actor=case.client, reason="poor_quality", statement="The crown does not fit at all, see the photos."
        )
    db.session.rollback()

    # Stripe's transfer.created webhook settles it.
    event = next(e for e in stripe_server.events if e["type"] == "transfer.created")
    assert deliver(stripe_client, event).status_code == 200
    db.session.expire_all()
    assert db.session.get(PaymentMovement, movement.id).state == MovementState.succeeded
    assert balance(designer_account(case.designer_id)) == EARNINGS

    # Idempotency keys expire after a day: the sweeps a month later move nothing again.
    stripe_server.idempotent.clear()
    run_sweeps(utcnow() + timedelta(days=31))
    assert len(_made(stripe_server, "transfer")) == 1
    assert db.session.get(Payment, movement.payment_id).paid_out_cents == EARNINGS
    _books_agree(case)


@pytest.mark.parametrize("fault", ["error", "lost"])
def test_a_transfer_that_never_reached_stripe_is_made_once_after_the_wait(stripe_server, stripe_app, fault):
    case = _case(stripe_server)
    stripe_server.inject("POST", r"/v1/transfers", fault, after=False)

    process.complete_case(case, actor=case.client)
    commit()
    assert _made(stripe_server, "transfer") == []

    run_sweeps(utcnow())  # too early: a slow call could still land, nothing is asked again
    assert _made(stripe_server, "transfer") == []
    run_sweeps(utcnow() + timedelta(seconds=stripe_app.config["PAYMENT_RETRY_AFTER_SECONDS"] + 1))
    run_sweeps(utcnow() + timedelta(seconds=stripe_app.config["PAYMENT_RETRY_AFTER_SECONDS"] + 2))

    [transfer] = _made(stripe_server, "transfer")
    assert transfer["amount"] == EARNINGS
    first, again = _movements(case, "transfer")
    assert (first.state, again.state) == (MovementState.failed, MovementState.succeeded)
    assert first.idempotency_key != again.idempotency_key
    _books_agree(case)


def test_a_refund_whose_answer_was_lost_is_settled_by_its_webhook(stripe_server, stripe_app, stripe_client):
    case = _case(stripe_server)
    dispute = operations.open_dispute(
        case, actor=case.client, reason="poor_quality", statement="The crown does not fit at all, see the photos."
    )
    commit()
    agent = make_agent()
    stripe_server.inject("POST", r"/v1/refunds", "lost", after=True)
    operations.rule_dispute(dispute, actor=agent, outcome="refund", reasoning=REASONING, now=dispute.answer_due_at)
    commit()

    [refund] = _made(stripe_server, "refund")
    assert refund["amount"] == AMOUNT
    assert _movements(case, "refund")[0].state == MovementState.pending
    event = next(e for e in stripe_server.events if e["type"] == "refund.created")
    assert deliver(stripe_client, event).status_code == 200
    assert deliver(stripe_client, event).status_code == 200  # delivered twice: recorded once
    db.session.expire_all()
    assert _movements(case, "refund")[0].state == MovementState.succeeded
    assert len(_made(stripe_server, "refund")) == 1
    _books_agree(case)


def test_a_capture_that_timed_out_is_settled_before_the_next_money_path(stripe_server, stripe_app, monkeypatch):
    monkeypatch.setitem(stripe_app.config, "STRIPE_TIMEOUT_SECONDS", 1)
    case = _case(stripe_server, CaseState.requested)
    stripe_server.inject("POST", r"/v1/payment_intents/[^/]+/capture", "timeout", after=True, delay=1.5)

    process.accept_case(case, actor=case.designer)
    commit()
    assert _movements(case, "capture")[0].state == MovementState.pending
    monkeypatch.setitem(stripe_app.config, "STRIPE_TIMEOUT_SECONDS", 30)

    # A split ruling: the capture is found in Stripe's book first, then refund and transfer once.
    dispute = operations.open_dispute(
        db.session.get(Case, case.id),
        actor=case.client,
        reason="poor_quality",
        statement="Nothing usable was delivered, see the thread.",
    )
    commit()
    operations.rule_dispute(
        dispute,
        actor=make_agent(),
        outcome="split",
        designer_cents=6_000,
        reasoning=REASONING,
        now=dispute.answer_due_at,
    )
    commit()
    assert _movements(case, "capture")[0].state == MovementState.succeeded
    assert [r["amount"] for r in _made(stripe_server, "refund")] == [AMOUNT - 6_000]
    assert [t["amount"] for t in _made(stripe_server, "transfer")] == [6_000 - platform_fee(6_000)]
    keys = [key for method, _path, _params, key in stripe_server.requests if method == "POST" and key]
    assert f"case-{case.id}-transfer-{6_000 - platform_fee(6_000)}-1" in keys
    _books_agree(case)


def test_a_difference_with_stripes_book_is_reported_to_staff_once(stripe_server, stripe_app):
    case = _case(stripe_server)
    process.complete_case(case, actor=case.client)
    commit()
    payment = db.session.scalar(sa.select(Payment).where(Payment.case_id == case.id))
    # Someone refunds part of the charge in Stripe's dashboard.
    stripe_server.create_refund({"payment_intent": payment.hold_reference, "amount": "500"})

    run_sweeps(utcnow())
    run_sweeps(utcnow())
    alerts = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "payment.mismatch")).all()
    assert len(alerts) == 1 and alerts[0].object_id == str(case.id)
    assert "refunded: the ledger shows 0, the gateway 500" in alerts[0].after["problems"]
