"""The violations queue: filter hits and reports, decided under a claim; strikes; warnings delivered."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from errors import InvalidTransition
from extensions import commit, db
from models.accounts import AccountStatus, StaffRole, User
from models.messaging import Notification
from models.moderation import AuditEntry, Violation, ViolationSource, ViolationStatus
from moderation import claims
from moderation.violations import (
    dismiss_violation,
    findings_in_text,
    report_user,
    strike_count,
    suspend_for_violation,
    warn_user,
)
from screening.contact_filter import ContactDetailsRefused, record_refused_attempt, screen_text
from tests.backoffice.factories import make_staff, staff_login
from tests.factories import make_user


def filter_hit(user: User, text: str = "Write to me at elena.cad@gmail.com for a better price") -> Violation:
    with pytest.raises(ContactDetailsRefused) as refused:
        screen_text({"body": text}, author=user, source=ViolationSource.message, source_ref="conversation:7")
    violation = record_refused_attempt(refused.value)
    commit()
    return violation


def test_a_filter_hit_lands_in_the_queue_with_its_findings_highlighted(client):
    user = make_user(name="Chatty Designer")
    violation = filter_hit(user)
    spans = findings_in_text(violation)
    assert any(violation.text[s.start : s.end] == "elena.cad@gmail.com" for s in spans)
    staff_login(client, make_staff(StaffRole.moderator))
    assert "Chatty Designer" in client.get("/backoffice/violations/").get_data(as_text=True)
    page = client.get(f"/backoffice/violations/{violation.id}").get_data(as_text=True)
    assert '<mark class="contact-finding"' in page and "elena.cad@gmail.com</mark>" in page


def test_a_user_report_lands_in_the_queue():
    reporter, reported = make_user(), make_user()
    violation = report_user(reported, reporter=reporter, reason="fraud", note="Fake diploma", text="…")
    commit()
    assert violation.status == ViolationStatus.open and violation.source == ViolationSource.report


def test_warning_is_a_strike_and_reaches_the_user(client):
    user = make_user()
    moderator = make_staff(StaffRole.moderator)
    first, second = filter_hit(user), filter_hit(user, "call me on +33 6 12 34 56 78")
    staff_login(client, moderator)
    client.post(f"/backoffice/violations/{first.id}/take")
    client.post(f"/backoffice/violations/{first.id}/warn", data={"note": "No e-mail addresses in messages."})
    db.session.expire_all()
    assert strike_count(user.id) == 1
    notification = db.session.scalar(sa.select(Notification).where(Notification.user_id == user.id))
    assert notification.event == "warning" and "No e-mail addresses" in notification.body
    client.get(f"/backoffice/violations/{second.id}")
    client.post(f"/backoffice/violations/{second.id}/dismiss", data={"note": "Tooth numbers"})
    db.session.expire_all()
    assert strike_count(user.id) == 1
    assert db.session.get(Violation, second.id).status == ViolationStatus.dismissed


def test_suspending_from_a_violation(client):
    user = make_user()
    violation = filter_hit(user)
    staff_login(client, make_staff(StaffRole.moderator))
    client.get(f"/backoffice/violations/{violation.id}")
    client.post(
        f"/backoffice/violations/{violation.id}/suspend", data={"reason": "Third time", "until": "2099-01-01T00:00"}
    )
    db.session.expire_all()
    assert db.session.get(User, user.id).status == AccountStatus.suspended
    assert strike_count(user.id) == 1


def test_claim_prevents_two_moderators_deciding_the_same_violation(app):
    violation = filter_hit(make_user())
    maya, max_ = make_staff(StaffRole.moderator), make_staff(StaffRole.moderator)
    first, second = app.test_client(), app.test_client()
    staff_login(first, maya), staff_login(second, max_)
    first.post(f"/backoffice/violations/{violation.id}/take")
    page = second.get(f"/backoffice/violations/{violation.id}").get_data(as_text=True)
    assert f"{maya.display_name} is reviewing this item" in page and "Warn (a strike)" not in page
    response = second.post(f"/backoffice/violations/{violation.id}/dismiss", data={"note": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Violation, violation.id).status == ViolationStatus.open
    with pytest.raises(InvalidTransition):
        dismiss_violation(violation, actor=max_)
    db.session.rollback()


def test_a_lapsed_claim_can_be_taken_over(app):
    from datetime import timedelta

    from models.moderation import ReviewClaim

    violation = filter_hit(make_user())
    maya, max_ = make_staff(StaffRole.moderator), make_staff(StaffRole.moderator)
    claims.claim_item("violation", violation.id, actor=maya)
    commit()
    db.session.scalar(sa.select(ReviewClaim)).claimed_at -= timedelta(minutes=31)
    commit()
    dismiss_violation(violation, actor=max_, note="False positive")
    commit()
    assert db.session.get(Violation, violation.id).decided_by_id == max_.id


def test_a_decided_violation_is_not_decided_again(request_context):
    violation = filter_hit(make_user())
    moderator = make_staff(StaffRole.moderator)
    warn_user(violation, actor=moderator, note="Careful")
    commit()
    with pytest.raises(InvalidTransition):
        suspend_for_violation(violation, actor=moderator, note="again")
    db.session.rollback()
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_type == "Violation")).all()
    assert actions == ["violation.warned"]
