"""Payouts the payment provider refused again wait in the back office's "Payouts not sent" list for
the resolution centre, which asks each again once the designer's payout account can take it: paid
once, audited, and gone from the list; asked twice, nothing is paid twice."""

from __future__ import annotations


import pytest
import sqlalchemy as sa

import jobs
from extensions import commit, db
from models.accounts import StaffRole
from models.cases import Case, CaseState
from models.ledger import MovementKind, MovementState, PaymentMovement, PaymentStatus, SandboxObject, SandboxObjectKind
from models.moderation import AuditEntry
from models.payments import ConnectedAccount
from payments import connect
from models.ledger import Payment
from payments.fees import platform_fee
from payments.gateways.base import GatewayError
from payments.gateways.sandbox import SandboxGateway
from payments.ledger import balance, designer_account, invariant_violations
from payments.refused_payouts import ASKED_AGAIN
from tests.backoffice.factories import make_staff, staff_login
from tests.cases.factories import drive, make_case
from tests.payments.factories import make_connected_account, make_refused_payout_case
from tests.factories import login

NET = 12_000 - platform_fee(12_000)
LIST = "/backoffice/payouts-not-sent/"


@pytest.fixture
def refused_case(monkeypatch) -> Case:
    case = make_refused_payout_case()
    monkeypatch.setattr(jobs, "_dispatch", lambda func, args, kwargs: func(*args, **kwargs))
    return case


def _transfers() -> list[SandboxObject]:
    return list(db.session.scalars(sa.select(SandboxObject).where(SandboxObject.kind == SandboxObjectKind.transfer)))


def _payouts(case: Case) -> list[PaymentMovement]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(PaymentMovement)
            .where(PaymentMovement.case_id == case.id, PaymentMovement.kind == MovementKind.transfer)
            .order_by(PaymentMovement.id)
        )
    )


def test_the_resolution_centre_asks_a_refused_payout_again_and_it_is_paid_once(app, client, refused_case):
    case, reference = refused_case, refused_case.reference
    staff_login(client, make_staff(StaffRole.resolution_agent))
    page = client.get(LIST).get_data(as_text=True)
    assert f'id="refused-payout-{case.id}"' in page and reference in page
    assert "cannot receive transfers" in page  # the provider's answer, to judge whether to ask again
    assert "Payouts the provider refused" in client.get("/backoffice/").get_data(as_text=True)

    response = client.post(f"{LIST}{case.id}/ask-again", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The payout was asked again" in page
    assert f'id="refused-payout-{case.id}"' not in page and "No payout is waiting" in page
    assert [m.state for m in _payouts(case)] == [MovementState.failed] * 2 + [MovementState.succeeded]
    [transfer] = _transfers()
    assert transfer.amount_cents == NET
    assert balance(designer_account(case.designer_id)) == NET
    payment = db.session.scalar(sa.select(Payment).where(Payment.case_id == case.id))
    assert payment.status == PaymentStatus.paid_out
    assert invariant_violations() == []
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == ASKED_AGAIN)).all()
    assert entry.object_id == str(case.id)
    assert "asked the refused payout again" in client.get("/backoffice/audit-log/").get_data(as_text=True)

    # Asked a second time (another tab, another staff member): refused, nothing paid twice.
    page = client.post(f"{LIST}{case.id}/ask-again", follow_redirects=True).get_data(as_text=True)
    assert "no longer waiting" in page
    assert len(_transfers()) == 1 and balance(designer_account(case.designer_id)) == NET

    # The designer's pages say it was sent.
    designer = app.test_client()
    login(designer, case.designer)
    assert "Payout sent" in designer.get("/home").get_data(as_text=True)
    assert "Not sent" not in designer.get(f"/cases/{reference}").get_data(as_text=True)


def test_refused_once_more_it_stays_listed_with_the_new_answer_and_nothing_moves(client, refused_case, monkeypatch):
    def refuse(self, **kwargs):
        raise GatewayError("sandbox: the account is still restricted")

    monkeypatch.setattr(SandboxGateway, "transfer", refuse)
    case = refused_case
    staff_login(client, make_staff(StaffRole.admin))
    page = client.post(f"{LIST}{case.id}/ask-again", follow_redirects=True).get_data(as_text=True)
    assert "refused the payout again" in page and "still restricted" in page
    assert f'id="refused-payout-{case.id}"' in page
    assert [m.state for m in _payouts(case)] == [MovementState.failed] * 3
    assert _transfers() == [] and balance(designer_account(case.designer_id)) == 0
    # The attempt is on the audit log all the same: who asked, and what the provider answered.
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == ASKED_AGAIN)).all()
    assert entry.actor_id is not None and entry.after["state"] == "failed"
    assert "still restricted" in entry.after["error"]


@pytest.mark.parametrize("role", [StaffRole.moderator, StaffRole.verifier, StaffRole.support])
def test_other_staff_and_users_cannot_see_or_ask(app, client, refused_case, role):
    case = refused_case
    staff_login(client, make_staff(role))
    assert client.get(LIST).status_code == 404
    assert client.post(f"{LIST}{case.id}/ask-again").status_code == 404
    designer = app.test_client()
    login(designer, case.designer)
    assert designer.get(LIST).status_code == 404
    assert designer.post(f"{LIST}{case.id}/ask-again").status_code == 404
    assert _transfers() == []


def test_a_case_with_nothing_refused_cannot_be_asked(client):
    case = drive(make_case(amount_cents=12_000), CaseState.completed)
    staff_login(client, make_staff(StaffRole.admin))
    assert "No payout is waiting" in client.get(LIST).get_data(as_text=True)
    page = client.post(f"{LIST}{case.id}/ask-again", follow_redirects=True).get_data(as_text=True)
    assert "no longer waiting" in page
    assert len(_transfers()) == 1  # the completion's own payout, nothing more
    assert client.post(f"{LIST}999999/ask-again").status_code == 404


def test_the_payout_is_asked_again_by_itself_when_the_payout_account_is_ready_again(refused_case):
    case = refused_case
    make_connected_account(case.designer, account_id="acct_fixed_1", ready=False)
    # Stripe says the account can take payouts again (account.updated); the job runs after the commit.
    connect.apply_account_update(
        {"id": "acct_fixed_1", "payouts_enabled": True, "capabilities": {"transfers": "active"}}, as_of=None
    )
    commit()
    [transfer] = _transfers()
    assert (transfer.amount_cents, transfer.destination) == (NET, "acct_fixed_1")
    assert balance(designer_account(case.designer_id)) == NET
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == ASKED_AGAIN)).all()
    assert entry.actor_id is None and "ready again" in entry.reason
    # Ready again later (another event): nothing is refused any more, nothing is paid twice.
    account = db.session.scalar(sa.select(ConnectedAccount).where(ConnectedAccount.account_id == "acct_fixed_1"))
    account.payouts_ready = False
    commit()
    connect.apply_account_update(
        {"id": "acct_fixed_1", "payouts_enabled": True, "capabilities": {"transfers": "active"}}, as_of=None
    )
    commit()
    assert len(_transfers()) == 1 and balance(designer_account(case.designer_id)) == NET


def test_asked_again_by_itself_and_refused_once_more_it_stays_listed_and_the_attempt_is_audited(
    client, refused_case, monkeypatch
):
    def refuse(self, **kwargs):
        raise GatewayError("sandbox: payouts paused by the bank")

    monkeypatch.setattr(SandboxGateway, "transfer", refuse)
    case = refused_case
    make_connected_account(case.designer, account_id="acct_fixed_2", ready=False)
    connect.apply_account_update(
        {"id": "acct_fixed_2", "payouts_enabled": True, "capabilities": {"transfers": "active"}}, as_of=None
    )
    commit()
    assert [m.state for m in _payouts(case)] == [MovementState.failed] * 3
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == ASKED_AGAIN)).all()
    assert entry.actor_id is None and "paused by the bank" in entry.after["error"]
    staff_login(client, make_staff(StaffRole.resolution_agent))
    page = client.get(LIST).get_data(as_text=True)
    assert f'id="refused-payout-{case.id}"' in page and "paused by the bank" in page
