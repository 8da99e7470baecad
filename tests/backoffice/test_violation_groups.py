"""Repeated attempts in one thread are one item, read in the conversation and decided at once; strikes expire."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from extensions import commit, db
from files.operations import store_file
from models.accounts import StaffRole, User
from models.files import FileKind
from models.messaging import MessageAttachment, Notification
from models.moderation import AuditEntry, Violation, ViolationSource, ViolationStatus
from models.types import utcnow
from moderation.violation_groups import group_of, strike_standing
from moderation.violations import strike_count
from screening.contact_filter import ContactDetailsRefused, record_refused_attempt, screen_text
from tests.backoffice.factories import make_staff, staff_login
from tests.factories import make_user
from tests.messaging.factories import add_message, make_conversation


def attempt(user: User, ref: str, at, text: str = "Write to me at elena.cad@gmail.com") -> Violation:
    with pytest.raises(ContactDetailsRefused) as refused:
        screen_text({"body": text}, author=user, source=ViolationSource.message, source_ref=ref)
    violation = record_refused_attempt(refused.value)
    violation.created_at = at
    commit()
    return violation


def test_attempts_within_the_window_are_one_group_and_not_across_it(app):
    user, now = make_user(), utcnow()
    hours = app.config["VIOLATION_GROUP_HOURS"]
    first = attempt(user, "conversation:1", now - timedelta(hours=3 * hours))
    second = attempt(user, "conversation:1", now - timedelta(hours=hours / 2))
    third = attempt(user, "conversation:1", now - timedelta(hours=1))
    elsewhere = attempt(user, "conversation:2", now - timedelta(minutes=30))
    assert [v.id for v in group_of(third)] == [second.id, third.id]
    assert [v.id for v in group_of(first)] == [first.id]
    assert [v.id for v in group_of(elsewhere)] == [elsewhere.id]


def _thread_with_attempts():
    author, other = make_user(name="Chatty Designer"), make_user(name="Patient Lab")
    conversation = make_conversation(author, other)
    far = add_message(conversation, other, "Far earlier, out of context")
    for n in range(3):
        add_message(conversation, other if n % 2 else author, f"Before {n}")
    scan = add_message(conversation, other, "Here is the upper jaw")
    stored = store_file(
        io.BytesIO(b"solid upper_jaw\nendsolid upper_jaw\n"),
        owner=other,
        filename="upper_jaw.stl",
        kind=FileKind.patient_scan,
    )
    db.session.add(MessageAttachment(message_id=scan.id, file_id=stored.id, name="upper_jaw.stl", size=stored.size))
    commit()
    now = utcnow()
    ref = f"conversation:{conversation.id}"
    attempts = [
        attempt(author, ref, now + timedelta(minutes=1)),
        attempt(author, ref, now + timedelta(minutes=2), "call me on +33 6 12 34 56 78"),
    ]
    after = add_message(conversation, other, "Please keep to the platform")
    after.created_at = now + timedelta(minutes=3)
    commit()
    return author, attempts, far, stored


def test_the_group_is_read_in_the_conversation_without_patient_files(client):
    author, attempts, far, stored = _thread_with_attempts()
    staff_login(client, make_staff(StaffRole.moderator))
    page = client.get(f"/backoffice/violations/{attempts[1].id}").get_data(as_text=True)
    assert "2 attempts" in page and "Before 2" in page and "Please keep to the platform" in page
    assert far.body not in page  # only a few messages around
    assert "elena.cad@gmail.com</mark>" in page and f'id="attempt-{attempts[0].id}"' in page
    assert "upper_jaw.stl" in page and stored.public_id not in page and "/files/" not in page


def test_bulk_warn_decides_every_attempt_once_as_one_strike(client):
    author, attempts, _far, _stored = _thread_with_attempts()
    staff_login(client, make_staff(StaffRole.moderator))
    client.get(f"/backoffice/violations/{attempts[0].id}")
    response = client.post(
        f"/backoffice/violations/{attempts[0].id}/group/warn", data={"note": "No contact details in messages."}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert {db.session.get(Violation, v.id).status for v in attempts} == {ViolationStatus.warned}
    assert strike_count(author.id) == 1
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == author.id, Notification.event == "warning")
        )
        == 1
    )
    audited = db.session.scalars(sa.select(AuditEntry.object_id).where(AuditEntry.action == "violation.warned")).all()
    assert sorted(audited) == sorted(str(v.id) for v in attempts)


def test_bulk_dismiss_adds_no_strike(client):
    author, attempts, _far, _stored = _thread_with_attempts()
    staff_login(client, make_staff(StaffRole.moderator))
    client.post(f"/backoffice/violations/{attempts[1].id}/group/dismiss", data={"note": "Tooth numbers"})
    db.session.expire_all()
    assert {db.session.get(Violation, v.id).status for v in attempts} == {ViolationStatus.dismissed}
    assert strike_count(author.id) == 0
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "violation.dismissed")
        )
        == 2
    )


def _strike(user: User, days_ago: float) -> Violation:
    violation = Violation(
        user_id=user.id,
        source=ViolationSource.message,
        source_ref=f"conversation:{days_ago}",
        text="x",
        findings=[],
        status=ViolationStatus.warned,
        decided_at=utcnow() - timedelta(days=days_ago),
    )
    db.session.add(violation)
    commit()
    return violation


def test_strikes_expire_and_the_policy_suggests_warn_then_suspend(app, client):
    user = make_user()
    expiry = app.config["STRIKE_EXPIRY_DAYS"]
    _strike(user, expiry + 1)  # expired
    oldest = _strike(user, expiry - 5)
    _strike(user, 1)
    standing = strike_standing(user.id)
    assert (standing.active, standing.suggestion) == (2, "warn")
    assert standing.next_expiry.date() == (oldest.decided_at + timedelta(days=expiry)).date()
    assert standing.expiring_then == 1
    open_one = attempt(user, "conversation:99", utcnow())
    staff_login(client, make_staff(StaffRole.moderator))
    page = client.get(f"/backoffice/violations/{open_one.id}").get_data(as_text=True)
    assert "active strikes: 2" in page and "1 expires on" in page and ">warn</strong>" in page
    _strike(user, 2)
    assert strike_standing(user.id).suggestion == "suspend"


def test_the_queue_shows_a_group_as_one_row(client):
    author, attempts, _far, _stored = _thread_with_attempts()
    staff_login(client, make_staff(StaffRole.moderator))
    page = client.get("/backoffice/violations/").get_data(as_text=True)
    assert page.count("2 attempts") == 1 and page.count("Chatty Designer") == 1
