"""Suspension, termination and reinstatement, effect by effect."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from errors import DomainError, InvalidTransition, PermissionDenied
from extensions import commit, db
from listings.visibility import is_public
from models.accounts import AccountStatus, StaffRole, User
from models.cases import Case, CaseState
from models.moderation import AuditEntry
from models.types import utcnow
from moderation.suspension import reinstate_account, suspend_account, terminate_account
from tests.backoffice.factories import make_pending_listing, make_staff, staff_login
from tests.factories import PASSWORD, login, make_user


@pytest.fixture
def moderator():
    return make_staff(StaffRole.moderator)


def _approved_listing(moderator):
    from listings.operations import approve_listing

    listing = make_pending_listing()
    approve_listing(listing, actor=moderator)
    commit()
    return listing


def test_suspension_logs_the_account_out_everywhere_at_once(app, moderator):
    user = make_user()
    phone, laptop = app.test_client(), app.test_client()
    login(phone, user), login(laptop, user)
    assert phone.get("/account/settings").status_code == 200
    suspend_account(user, actor=moderator, reason="Shared a phone number")
    commit()
    for session in (phone, laptop):
        assert session.get("/account/settings").status_code == 302  # back to the login page


def test_a_suspended_account_cannot_log_in_and_reads_why(client, moderator):
    user = make_user()
    suspend_account(user, actor=moderator, reason="Shared a phone number", until=utcnow() + timedelta(days=7))
    commit()
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "suspended until" in response.get_data(as_text=True) and "Shared a phone number" in response.get_data(
        as_text=True
    )


def test_a_suspension_with_an_end_date_ends_by_itself(client, moderator):
    user = make_user()
    suspend_account(user, actor=moderator, reason="Cooling off", until=utcnow() + timedelta(minutes=1))
    commit()
    db.session.get(User, user.id).suspended_until = utcnow() - timedelta(seconds=1)
    commit()
    assert login(client, user).status_code == 302


def test_listings_disappear_and_come_back_on_reinstatement(moderator):
    listing = _approved_listing(moderator)
    assert is_public(listing)
    suspend_account(listing.designer, actor=moderator, reason="Contact details in messages")
    commit()
    db.session.refresh(listing)
    assert not is_public(listing)
    reinstate_account(listing.designer, actor=moderator, reason="Appeal accepted")
    commit()
    db.session.refresh(listing)
    assert is_public(listing)


def test_cases_are_handed_over_nothing_is_lost(moderator):
    from tests.cases.factories import drive, make_case, make_parties

    client, designer = make_parties()
    waiting = make_case(client, designer)
    working = drive(make_case(client, designer), CaseState.in_progress)
    outcome = suspend_account(designer, actor=moderator, reason="Fraud")
    commit()
    assert outcome == {"cancelled": 1, "disputed": 1}
    assert db.session.get(Case, waiting.id).state == CaseState.cancelled
    assert db.session.get(Case, working.id).state == CaseState.disputed


def test_termination_is_final_until_an_admin_reinstates(moderator):
    user = make_user()
    terminate_account(user, actor=moderator, reason="Repeated off-platform payments")
    commit()
    with pytest.raises(PermissionDenied):
        reinstate_account(user, actor=moderator, reason="Oops")
    db.session.rollback()
    reinstate_account(user, actor=make_staff(StaffRole.admin), reason="Decision reversed on appeal")
    commit()
    assert db.session.get(User, user.id).status == AccountStatus.active


def test_refusals_change_nothing(moderator):
    user = make_user()
    with pytest.raises(DomainError):
        suspend_account(user, actor=moderator, reason="  ")
    db.session.rollback()
    with pytest.raises(DomainError):
        suspend_account(user, actor=moderator, reason="x", until=utcnow() - timedelta(days=1))
    db.session.rollback()
    with pytest.raises(PermissionDenied):
        suspend_account(user, actor=make_user(), reason="not staff")
    db.session.rollback()
    with pytest.raises(PermissionDenied):
        suspend_account(make_staff(StaffRole.verifier), actor=moderator, reason="staff need an admin")
    db.session.rollback()
    with pytest.raises(InvalidTransition):
        reinstate_account(user, actor=moderator, reason="not suspended")
    db.session.rollback()
    assert db.session.get(User, user.id).status == AccountStatus.active
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action.like("account.%")))
        == 0
    )


def test_every_status_change_is_in_the_audit_log_and_mailed(moderator, outbox):
    user = make_user()
    suspend_account(user, actor=moderator, reason="First")
    commit()
    reinstate_account(user, actor=moderator, reason="Second")
    commit()
    rows = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.object_type == "User", AuditEntry.object_id == str(user.id))
        .order_by(AuditEntry.id)
    ).all()
    assert [(r.action, r.actor_id, r.reason) for r in rows] == [
        ("account.suspended", moderator.id, "First"),
        ("account.reinstated", moderator.id, "Second"),
    ]
    subjects = [m["Subject"] for m in outbox.read()]
    assert "Your Occlusa account is suspended" in subjects and "Your Occlusa account is active again" in subjects


def test_the_accounts_view_suspends_and_reinstates(client, moderator):
    user = make_user()
    staff_login(client, moderator)
    page = client.get(f"/backoffice/accounts/{user.id}").get_data(as_text=True)
    assert "Suspend" in page
    client.post(f"/backoffice/accounts/{user.id}/suspend", data={"reason": "Spam", "until": ""})
    db.session.expire_all()
    assert db.session.get(User, user.id).status == AccountStatus.suspended
    client.post(f"/backoffice/accounts/{user.id}/reinstate", data={"reason": "Cleared"})
    db.session.expire_all()
    assert db.session.get(User, user.id).status == AccountStatus.active
    assert "Spam" in client.get(f"/backoffice/accounts/{user.id}").get_data(as_text=True)  # history shows it
    assert client.get("/backoffice/accounts/?q=" + user.email[:6]).get_data(as_text=True).count(user.email) == 1
