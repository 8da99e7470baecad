"""Card disputes from Stripe, delivered as signed webhooks: the platform's record, the ledger equal
to Stripe's book after each event, in any order and delivered twice, and the case's money frozen
in escrow (or, once the designer was paid, the loss recorded on the platform for staff)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cases import process
from disputes import chargebacks, operations
from errors import DomainError, InvalidTransition
from extensions import commit, db
from models.accounts import StaffRole
from models.cases import CaseState
from models.chargebacks import Chargeback
from models.disputes import Dispute, DisputeReason
from models.ledger import Journal, Payment, PaymentStatus
from models.moderation import AuditEntry
from payments.case_money import case_money
from payments.ledger import balance, case_escrow_balance, invariant_violations
from tests.backoffice.factories import make_staff, staff_login
from tests.disputes.factories import case_in_escrow, people, reload
from tests.payments.factories import make_connected_account
from tests.payments.test_webhooks import deliver

AMOUNT, FEE = 12_000, 1_500
REASONING = "The bank is examining the payment; the record will be read once it decides."


def _charge_of(case) -> str:
    return db.session.scalar(sa.select(Payment.charge_reference).where(Payment.case_id == case.id))


def _record(dispute_id: str) -> Chargeback:
    db.session.expire_all()
    return db.session.scalar(sa.select(Chargeback).where(Chargeback.stripe_dispute_id == dispute_id))


def _books_agree(stripe_server, dispute_id: str) -> None:
    """The ledger balanced, its invariants hold, and it says what Stripe's book says."""
    db.session.expire_all()
    assert invariant_violations() == []
    assert chargebacks.ledger_net(_record(dispute_id)) == stripe_server.dispute_net(dispute_id)


def _audited(action: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def _designer_paid_through_stripe(stripe_server, designer) -> None:
    account = stripe_server.create_account({"type": "express", "country": "FR"})
    stripe_server.complete_onboarding(account["id"])
    make_connected_account(designer, account_id=account["id"])


def _escrowed(stripe_server):
    client, designer, agent = people()
    _designer_paid_through_stripe(stripe_server, designer)
    case = case_in_escrow(client, designer, amount_cents=AMOUNT)
    return case, client, agent


def test_a_card_dispute_on_an_escrowed_case_freezes_it_and_a_win_brings_the_money_back(stripe_server, stripe_client):
    case, client, agent = _escrowed(stripe_server)
    created = stripe_server.open_dispute(_charge_of(case))
    dispute_id = created["data"]["object"]["id"]

    assert deliver(stripe_client, created).status_code == 200

    record = _record(dispute_id)
    assert (record.status, record.reason, record.amount_cents) == ("needs_response", "fraudulent", AMOUNT)
    assert record.evidence_due_by is not None and not record.platform_bears_loss
    assert reload(case).state == CaseState.disputed
    frozen = db.session.get(Dispute, record.dispute_id)
    assert frozen.reason == DisputeReason.card_dispute and frozen.opened_by_id is None and frozen.is_active
    assert case_escrow_balance(case.id) == 0  # the bank took the money back out of escrow
    assert not case_money(reload(case)).settled  # nothing is settled until the ruling
    assert stripe_server.dispute_net(dispute_id) == -(AMOUNT + FEE)
    _books_agree(stripe_server, dispute_id)

    # No payout while the bank decides: the case cannot complete, nor can the agent move its money.
    with pytest.raises(InvalidTransition):
        process.complete_case(reload(case), actor=client)
    db.session.rollback()
    with pytest.raises(DomainError, match="card dispute"):
        operations.rule_dispute(frozen, actor=agent, outcome="pay_designer", reasoning=REASONING)
    db.session.rollback()

    assert deliver(stripe_client, stripe_server.update_dispute(dispute_id)).status_code == 200
    assert _record(dispute_id).status == "under_review"
    _books_agree(stripe_server, dispute_id)

    assert deliver(stripe_client, stripe_server.close_dispute(dispute_id, won=True)).status_code == 200

    record = _record(dispute_id)
    assert record.status == "won" and record.closed_at is not None
    assert case_escrow_balance(case.id) == AMOUNT  # back in escrow: the agent rules as usual
    assert balance(chargebacks.PLATFORM_CHARGEBACKS) == -FEE  # Stripe keeps its fee
    _books_agree(stripe_server, dispute_id)
    assert _audited("chargeback.opened") == 1 and _audited("chargeback.closed") == 1

    operations.rule_dispute(
        db.session.get(Dispute, record.dispute_id), actor=agent, outcome="pay_designer", reasoning=REASONING
    )
    commit()
    assert reload(case).state == CaseState.resolved and invariant_violations() == []


def test_a_lost_card_dispute_leaves_the_money_with_the_cardholder(stripe_server, stripe_client):
    case, _client, agent = _escrowed(stripe_server)
    created = stripe_server.open_dispute(_charge_of(case), reason="product_not_received")
    dispute_id = created["data"]["object"]["id"]
    assert deliver(stripe_client, created).status_code == 200
    _books_agree(stripe_server, dispute_id)

    assert deliver(stripe_client, stripe_server.close_dispute(dispute_id, won=False)).status_code == 200

    record = _record(dispute_id)
    assert record.status == "lost" and record.reason == "product_not_received"
    assert case_escrow_balance(case.id) == 0
    assert balance(chargebacks.DISPUTED) == AMOUNT
    _books_agree(stripe_server, dispute_id)
    frozen = db.session.get(Dispute, record.dispute_id)
    with pytest.raises(DomainError, match="only a full refund"):
        operations.rule_dispute(frozen, actor=agent, outcome="split", designer_cents=5_000, reasoning=REASONING)
    db.session.rollback()

    # The agent closes the case with a full refund: it records what the bank returned, and asks
    # Stripe for nothing (the cardholder has the money already).
    operations.rule_dispute(
        db.session.get(Dispute, record.dispute_id), actor=agent, outcome="refund", reasoning=REASONING
    )
    commit()
    assert reload(case).state == CaseState.resolved
    money = case_money(reload(case))
    assert (money.refunded_cents, money.charged_cents, money.paid_out_cents) == (AMOUNT, 0, 0)
    assert db.session.scalar(sa.select(Payment.status).where(Payment.case_id == case.id)) == PaymentStatus.refunded
    assert not [o for o in stripe_server.objects.values() if o["object"] == "refund"]
    _books_agree(stripe_server, dispute_id)


def test_closed_arriving_before_created_gives_the_same_books_and_the_outcome_stays(stripe_server, stripe_client):
    case, _client, _agent = _escrowed(stripe_server)
    created = stripe_server.open_dispute(_charge_of(case))
    dispute_id = created["data"]["object"]["id"]
    closed = stripe_server.close_dispute(dispute_id, won=True)

    assert deliver(stripe_client, closed).status_code == 200
    record = _record(dispute_id)
    assert record.status == "won" and record.amount_cents == AMOUNT
    _books_agree(stripe_server, dispute_id)

    assert deliver(stripe_client, created).status_code == 200  # the older snapshot, late

    record = _record(dispute_id)
    assert record.status == "won"
    assert case_escrow_balance(case.id) == AMOUNT
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Dispute).where(Dispute.case_id == case.id)) == 1
    _books_agree(stripe_server, dispute_id)


def test_each_event_and_each_movement_of_money_counts_once(stripe_server, stripe_client):
    case, _client, _agent = _escrowed(stripe_server)
    created = stripe_server.open_dispute(_charge_of(case))
    dispute_id = created["data"]["object"]["id"]

    assert deliver(stripe_client, created).status_code == 200
    again = deliver(stripe_client, created)
    assert again.status_code == 200 and again.json["duplicate"] is True
    # funds_withdrawn carries the same balance transaction under another event id.
    withdrawn = stripe_server.emit("charge.dispute.funds_withdrawn", created["data"]["object"])
    assert deliver(stripe_client, withdrawn).status_code == 200

    journals = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Journal)
        .where(Journal.idempotency_key.startswith(f"chargeback-{dispute_id}-"))
    )
    assert journals == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Chargeback)) == 1
    assert _audited("chargeback.opened") == 1
    _books_agree(stripe_server, dispute_id)


def test_a_card_dispute_after_the_designer_was_paid_is_the_platforms_loss_and_staff_are_told(
    stripe_server, stripe_client
):
    case, client, _agent = _escrowed(stripe_server)
    process.complete_case(case, actor=client)
    commit()
    created = stripe_server.open_dispute(_charge_of(case))
    dispute_id = created["data"]["object"]["id"]

    assert deliver(stripe_client, created).status_code == 200

    record = _record(dispute_id)
    assert record.platform_bears_loss and record.dispute_id is None
    assert reload(case).state == CaseState.completed
    assert balance(chargebacks.PLATFORM_CHARGEBACKS) == -(AMOUNT + FEE)
    flagged = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == chargebacks.PLATFORM_LOSS))
    assert flagged.object_id == str(case.id) and "already paid" in flagged.reason
    _books_agree(stripe_server, dispute_id)

    assert deliver(stripe_client, stripe_server.close_dispute(dispute_id, won=True)).status_code == 200
    assert balance(chargebacks.PLATFORM_CHARGEBACKS) == -FEE
    _books_agree(stripe_server, dispute_id)


def test_a_dispute_on_a_charge_that_is_not_a_case_is_stored_and_ignored(stripe_server, stripe_client):
    event = stripe_server.emit(
        "charge.dispute.created",
        {
            "id": "dp_other",
            "object": "dispute",
            "charge": "ch_x",
            "payment_intent": "pi_x",
            "amount": 500,
            "status": "needs_response",
            "balance_transactions": [],
        },
    )
    assert deliver(stripe_client, event).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Chargeback)) == 0


def test_agents_read_the_card_dispute_on_the_dispute_page_the_queue_and_the_card_disputes_list(
    stripe_server, stripe_client
):
    frozen_case, _client, _agent = _escrowed(stripe_server)
    created = stripe_server.open_dispute(_charge_of(frozen_case))
    assert deliver(stripe_client, created).status_code == 200
    paid_case, client, _agent = _escrowed(stripe_server)
    process.complete_case(paid_case, actor=client)
    commit()
    assert (
        deliver(stripe_client, stripe_server.open_dispute(_charge_of(paid_case), reason="duplicate")).status_code == 200
    )
    record = _record(created["data"]["object"]["id"])
    due = record.evidence_due_by.strftime("%Y-%m-%d %H:%M")
    staff_login(stripe_client, make_staff(StaffRole.resolution_agent))

    queue = stripe_client.get("/backoffice/resolution/").get_data(as_text=True)
    assert frozen_case.reference in queue and "card dispute" in queue
    assert "Card dispute: the cardholder disputed the payment with their bank" in queue
    page = stripe_client.get(f"/backoffice/resolution/{record.dispute_id}").get_data(as_text=True)
    assert f'id="card-dispute-{record.id}"' in page
    for shown in (
        "Card dispute",
        "Evidence needed",
        "The cardholder says they did not make the payment",
        "$120.00",
        due,
        "The case's money is frozen",
    ):
        assert shown in page, shown
    listing = stripe_client.get("/backoffice/card-disputes/").get_data(as_text=True)
    assert frozen_case.reference in listing and paid_case.reference in listing
    assert "platform's loss" in listing and "frozen in escrow" in listing
    assert "The cardholder says they were charged twice" in listing
    assert "Card disputes waiting for the bank" in stripe_client.get("/backoffice/").get_data(as_text=True)


def test_an_update_delivered_before_the_creation_is_not_undone_by_it(stripe_server, stripe_client):
    case, _client, _agent = _escrowed(stripe_server)
    created = stripe_server.open_dispute(_charge_of(case))
    dispute_id = created["data"]["object"]["id"]
    updated = stripe_server.update_dispute(dispute_id)
    created["created"] = updated["created"]  # the same second: Stripe's timestamps do not order them

    assert deliver(stripe_client, updated).status_code == 200
    assert deliver(stripe_client, created).status_code == 200

    assert _record(dispute_id).status == "under_review"
    _books_agree(stripe_server, dispute_id)


def test_a_card_dispute_on_a_case_the_client_already_disputed_joins_that_dispute(stripe_server, stripe_client):
    case, client, agent = _escrowed(stripe_server)
    opened = operations.open_dispute(
        case, actor=client, reason="poor_quality", statement="The margins of tooth 36 are open by half a millimetre."
    )
    commit()

    assert deliver(stripe_client, stripe_server.open_dispute(_charge_of(case))).status_code == 200

    db.session.expire_all()
    assert db.session.scalar(sa.select(Chargeback.dispute_id)) == opened.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Dispute)) == 1
    with pytest.raises(DomainError, match="card dispute"):
        operations.rule_dispute(
            db.session.get(Dispute, opened.id),
            actor=agent,
            outcome="refund",
            reasoning=REASONING,
            now=opened.answer_due_at,
        )
    db.session.rollback()
