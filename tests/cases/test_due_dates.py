"""The promised delivery: turnaround in business days from acceptance, countdown, late, reminder."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from cases import deadlines, sweeps
from cases.process import deliver_case
from extensions import commit, db
from jobs.sweep import run_sweeps
from models.cases import Case, CaseState
from models.messaging import Notification
from tests.cases.factories import design_file, drive, make_case

DAY = timedelta(days=1)
# A Thursday, 10:00 UTC.
THURSDAY = datetime(2026, 12, 10, 10, 0, tzinfo=timezone.utc)


def _reminders(user_id):
    return db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user_id, Notification.event == "case_due_soon")
    ).all()


def test_turnaround_counts_business_days_only():
    assert deadlines.due_at(THURSDAY, 1) == THURSDAY + DAY  # Friday
    assert deadlines.due_at(THURSDAY, 2) == THURSDAY + 4 * DAY  # Monday: the weekend is skipped
    assert deadlines.due_at(THURSDAY + 2 * DAY, 1) == THURSDAY + 4 * DAY  # accepted Saturday → Monday
    assert deadlines.due_at(THURSDAY, 5) == THURSDAY + 7 * DAY  # a working week later


def test_acceptance_sets_the_due_date_from_the_listing_turnaround():
    case = drive(make_case(), CaseState.in_progress, now=THURSDAY)  # turnaround: 2 days
    assert db.session.get(Case, case.id).due_at == THURSDAY + 4 * DAY


def test_both_sides_see_the_due_date_with_a_countdown_and_late_cases_are_marked(client, login):
    case = drive(make_case(), CaseState.in_progress)
    due = case.due_at
    for user in (case.client, case.designer):
        login(user)
        page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
        assert due.strftime("%Y-%m-%d %H:%M") in page and "due in " in page and "Late" not in page
        client.post("/logout")
    # given the due date has passed without a delivery
    case.due_at = due - 5 * DAY
    commit()
    login(case.client)
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Late" in page and " ago" in page
    listing_page = client.get("/cases/?side=client").get_data(as_text=True)
    assert "Late" in listing_page


def test_the_countdown_reads_in_french(client, login):
    case = drive(make_case(), CaseState.in_progress)
    case.client.locale = "fr"
    commit()
    login(case.client)
    client.post("/language", data={"lang": "fr"})
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Échéance" in page and "dans " in page


def test_a_delivery_on_time_stays_on_time_and_a_late_one_says_so(client, login):
    case = drive(make_case(), CaseState.in_progress, now=THURSDAY)
    deliver_case(case, actor=case.designer, note="v1", files=[design_file(case.designer)], now=THURSDAY + 5 * DAY)
    commit()
    assert not case.is_late(THURSDAY + 9 * DAY) and case.delivered_late
    login(case.client)
    assert "first delivery was late" in client.get(f"/cases/{case.reference}").get_data(as_text=True)


def test_the_designer_is_reminded_once_a_day_before_the_due_date(outbox):
    case = drive(make_case(), CaseState.in_progress, now=THURSDAY)  # due Monday 10:00
    assert case.due_reminder_at == THURSDAY + 4 * DAY - timedelta(hours=24)
    assert sweeps.remind_due_soon(THURSDAY + 3 * DAY - timedelta(minutes=1)) == 0
    run_sweeps(THURSDAY + 3 * DAY)
    assert len(_reminders(case.designer_id)) == 1 and _reminders(case.client_id) == []
    mails = [m for m in outbox.read() if m["To"] == case.designer.email]
    assert mails and "is due soon" in mails[-1]["Subject"]
    run_sweeps(THURSDAY + 3 * DAY + timedelta(hours=1))  # idempotent
    assert len(_reminders(case.designer_id)) == 1


def test_a_short_turnaround_is_reminded_half_way_not_at_acceptance():
    case = drive(make_case(), CaseState.in_progress, now=THURSDAY)
    case.due_at = THURSDAY + DAY
    case.due_reminder_at = deadlines.due_reminder_at(THURSDAY, case.due_at)
    commit()
    assert case.due_reminder_at == THURSDAY + DAY / 2


def test_a_delivered_case_is_not_reminded():
    case = drive(make_case(), CaseState.in_progress, now=THURSDAY)
    deliver_case(case, actor=case.designer, note="v1", files=[design_file(case.designer)], now=THURSDAY + DAY)
    commit()
    assert sweeps.remind_due_soon(THURSDAY + 4 * DAY) == 0
    assert _reminders(case.designer_id) == []
