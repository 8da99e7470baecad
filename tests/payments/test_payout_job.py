"""The designer's payout at completion is asked of the gateway by a job after the completion's
commit (payments.escrow.carry_out): the client's completion never waits for, nor fails with, the
payment provider; the payout shows as on its way until the gateway confirms it; it is paid once."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

import jobs
from cases import process
from extensions import commit, db
from jobs.sweep import run_sweeps
from models.cases import Case, CaseState
from models.ledger import (
    Journal,
    JournalKind,
    MovementKind,
    MovementState,
    Payment,
    PaymentEvent,
    PaymentMovement,
    PaymentStatus,
    SandboxObject,
    SandboxObjectKind,
)
from models.moderation import AuditEntry
from models.payments import Invoice
from models.types import utcnow
from payments.case_money import case_money
from payments.escrow import MovementsUnconfirmed, carry_out
from payments.fees import platform_fee
from payments.gateways.base import GatewayError
from payments.gateways.sandbox import SandboxGateway, clear_faults, inject_fault
from payments.ledger import balance, designer_account, invariant_violations
from payments.reconciliation import MISMATCH, check_case
from tests.cases.factories import drive, make_case

NET = 12_000 - platform_fee(12_000)


@pytest.fixture(autouse=True)
def _no_faults_left(app):
    yield
    with app.app_context():
        clear_faults()


@pytest.fixture
def held(monkeypatch):
    """Jobs held back after their commit (as with Redis) until the test runs them."""
    waiting: list = []
    monkeypatch.setattr(jobs, "_dispatch", lambda func, args, kwargs: waiting.append((func, args, kwargs)))
    return waiting


def _run(held: list, name: str) -> int:
    """Run the held jobs called `name` (once each); returns how many ran."""
    due = [job for job in held if job[0].__name__ == name]
    for job in due:
        held.remove(job)
        func, args, kwargs = job
        func(*args, **kwargs)
    return len(due)


def _completed(held: list | None = None) -> Case:
    case = drive(make_case(amount_cents=12_000), CaseState.delivered)
    if held is not None:
        held.clear()
    process.complete_case(case, actor=case.client)
    commit()
    return case


def _transfers() -> list[SandboxObject]:
    return list(db.session.scalars(sa.select(SandboxObject).where(SandboxObject.kind == SandboxObjectKind.transfer)))


def _payout_movements(case: Case) -> list[PaymentMovement]:
    return list(
        db.session.scalars(
            sa.select(PaymentMovement).where(
                PaymentMovement.case_id == case.id, PaymentMovement.kind == MovementKind.transfer
            )
        )
    )


def _payment(case: Case) -> Payment:
    db.session.expire_all()
    return db.session.scalar(sa.select(Payment).where(Payment.case_id == case.id))


def _paid_once(case: Case) -> None:
    """The end state of a completion as when the gateway answered at once."""
    payment = _payment(case)
    assert payment.status == PaymentStatus.paid_out
    assert (payment.paid_out_cents, payment.fee_cents) == (NET, platform_fee(12_000))
    [transfer] = _transfers()
    assert transfer.amount_cents == NET
    assert balance(designer_account(case.designer_id)) == NET
    payouts = db.session.scalars(
        sa.select(Journal).where(Journal.case_id == case.id, Journal.kind == JournalKind.payout)
    ).all()
    assert len(payouts) == 1
    assert invariant_violations() == []
    locked = db.session.scalar(sa.select(Case).where(Case.id == case.id).with_for_update())
    assert check_case(locked) == []
    commit()


def test_with_jobs_inline_a_completion_ends_as_it_always_did():
    case = _completed()

    assert db.session.get(Case, case.id).state == CaseState.completed
    _paid_once(case)
    [movement] = _payout_movements(case)
    assert movement.state == MovementState.succeeded
    assert not case_money(case).paying_out and case_money(case).settled
    # The invoices are drawn once the payout is confirmed: the service one and the commission one.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invoice).where(Invoice.case_id == case.id)) == 2


@pytest.mark.parametrize("later", ["job retried", "sweep"])
def test_a_completion_commits_while_the_gateway_is_down_and_the_payout_lands_later(held, later):
    inject_fault("transfer", after=False, times=1)  # the gateway does not answer the job's call
    case = _completed(held)
    with pytest.raises(MovementsUnconfirmed):
        _run(held, "carry_out")

    # given the gateway never answered: the case is completed, its payout waits, nothing was paid
    assert db.session.get(Case, case.id).state == CaseState.completed
    [movement] = _payout_movements(case)
    assert movement.state == MovementState.pending and movement.amount_cents == NET
    assert _payment(case).status == PaymentStatus.captured
    assert _transfers() == [] and balance(designer_account(case.designer_id)) == 0
    money = case_money(case)
    assert money.paying_out and money.paid_out_cents == 0 and money.designer_net_cents == NET
    assert invariant_violations() == []

    # when the job's retry or the sweep runs later
    if later == "job retried":
        assert _run(held, "carry_out") == 0  # RQ retries it; inline, the test runs it again
        carry_out(case.id)
    else:
        run_sweeps(utcnow() + timedelta(hours=1))  # not in the gateway's book: asked again, new key

    # then the designer is paid once, and the invoices follow the confirmed payout
    _paid_once(case)
    assert _run(held, "render_case_invoices") == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invoice).where(Invoice.case_id == case.id)) == 2


def test_the_payout_job_run_twice_pays_once(held):
    case = _completed(held)
    [(func, args, kwargs)] = [job for job in held if job[0].__name__ == "carry_out"]

    func(*args, **kwargs)
    func(*args, **kwargs)

    _paid_once(case)
    events = db.session.scalars(
        sa.select(PaymentEvent).join(Payment).where(Payment.case_id == case.id, PaymentEvent.action == "transfer")
    ).all()
    assert len(events) == 1


def test_a_payout_whose_answer_was_lost_is_confirmed_by_the_sweep_and_the_jobs_retry_pays_nothing_more(held):
    inject_fault("transfer", after=True, times=1)  # the gateway paid, its answer was lost
    case = _completed(held)
    with pytest.raises(MovementsUnconfirmed):
        _run(held, "carry_out")
    assert len(_transfers()) == 1 and balance(designer_account(case.designer_id)) == 0

    run_sweeps(utcnow())  # found in the gateway's book at once: confirmed, not asked again
    carry_out(case.id)  # the job's retry finds nothing pending

    _paid_once(case)


def test_a_rolled_back_completion_leaves_no_payout_and_asks_the_gateway_nothing(held):
    case = drive(make_case(amount_cents=12_000), CaseState.delivered)
    held.clear()

    process.complete_case(case, actor=case.client)
    db.session.rollback()  # the request failed after the completion's work

    assert db.session.get(Case, case.id).state == CaseState.delivered
    assert _payout_movements(case) == []
    assert _transfers() == []
    assert [job for job in held if job[0].__name__ == "carry_out"] == []
    assert _payment(case).status == PaymentStatus.captured
    assert invariant_violations() == []


def test_the_designer_sees_the_payout_on_its_way_until_it_is_confirmed(held, client, login):
    case = _completed(held)
    reference = case.reference
    login(case.designer)
    browser = client

    page = browser.get(f"/cases/{reference}").get_data(as_text=True)
    assert "On its way to you" in page and "Being sent" in page
    assert "You receive" not in page  # nothing says it was paid
    assert "has not yet confirmed" not in page  # the money section says it: no second warning above
    home = browser.get("/home").get_data(as_text=True)
    assert "Payout sent" not in home and "Being sent" in home
    transactions = browser.get("/settings/transactions").get_data(as_text=True)
    assert "Being paid to the designer" in transactions and "Not sent" not in transactions
    assert _exported_statuses(browser) == ["paying_out"]

    _run(held, "carry_out")
    page = browser.get(f"/cases/{reference}").get_data(as_text=True)
    assert "On its way to you" not in page and "You receive" in page
    assert "Payout sent" in browser.get("/home").get_data(as_text=True)
    assert _exported_statuses(browser) == ["paid_out"]


def _exported_statuses(client) -> list[str]:
    export = client.get("/settings/transactions.csv").get_data(as_text=True)
    return [row["status"] for row in csv.DictReader(io.StringIO(export))]


def test_a_payout_the_gateway_refuses_again_alerts_staff_at_once_and_tells_the_designer(
    held, monkeypatch, client, login
):
    def refuse(self, **kwargs):
        raise GatewayError("sandbox: the connected account cannot receive transfers")

    monkeypatch.setattr(SandboxGateway, "transfer", refuse)
    case = _completed(held)
    with pytest.raises(MovementsUnconfirmed):  # the job's refusal leaves the payout pending
        _run(held, "carry_out")
    [first] = _payout_movements(case)
    assert first.state == MovementState.pending

    # The sweep finds no trace of it after the wait and asks again under a new key: refused again.
    run_sweeps(utcnow() + timedelta(hours=1))
    states = sorted(m.state.value for m in _payout_movements(case))
    assert states == ["failed", "failed"]
    alerts = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == MISMATCH, AuditEntry.object_id == str(case.id))
    ).all()
    assert alerts and "refused again" in " ".join(alerts[-1].after["problems"])
    assert _transfers() == [] and balance(designer_account(case.designer_id)) == 0

    # The designer's home page lists the payout once, saying it was not sent and staff know.
    login(case.designer)
    payouts = client.get("/home").get_data(as_text=True).split('id="payouts"')[1].split("</section>")[0]
    assert payouts.count(f">{case.reference}</a>") == 1
    assert "Not sent: our payments team has been alerted" in payouts
    # and the case page says the same, not that it is on its way
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Not sent: our payments team has been alerted" in page
    assert "On its way to you" not in page and "Being sent" not in page
    # and so does the transactions page, to both parties
    for reader in (case.designer, case.client):
        login(reader)
        transactions = client.get("/settings/transactions").get_data(as_text=True)
        assert "Not sent: our payments team has been alerted" in transactions
        assert "Being paid to the designer" not in transactions
        assert _exported_statuses(client) == ["payout_not_sent"]
