"""The figures page: each queue's backlog, past due items, median time to decision, decisions per
staff member per day, approval and rejection rates, reversals and the 30-day chart, from a known history."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from backoffice.figures import QUEUES, figures
from extensions import commit, db
from models.accounts import StaffRole
from models.moderation import Appeal, AppealStatus, ViolationStatus
from moderation.service_levels import SERVICE_LEVEL_HOURS, due_at
from tests.backoffice.factories import make_staff, staff_login
from tests.backoffice.figure_history import (
    NOW,
    at,
    entry,
    late_dispute,
    open_violation,
    pending_profile,
    reviewed_profile,
)
from tests.factories import make_user

ALL = [q.key for q in QUEUES]


@pytest.fixture
def staff():
    return make_user(name="Alice Moderator", roles=(StaffRole.moderator,)), make_user(
        name="Bob Moderator", roles=(StaffRole.moderator,)
    )


def _profile_history(alice, bob, offset: int = 0):
    """Five decisions in the window (2, 2, 4, 6, 9 hours), one before it; ids shifted by `offset`."""
    reviewed_profile(offset + 1, at(15, 1), at(15, 3), alice, "approved")  # 2 h
    reviewed_profile(offset + 2, at(15, 4), at(15, 6), alice, "approved")  # 2 h
    reviewed_profile(offset + 3, at(14, 6), at(14, 10), bob, "rejected")  # 4 h
    reviewed_profile(offset + 3, at(14, 12), at(14, 18), alice, "approved")  # resubmitted: 6 h
    reviewed_profile(offset + 4, at(1, 0), at(1, 9), alice, "rejected")  # 9 h
    reviewed_profile(offset + 5, at(10, 0) - timedelta(days=60), at(10, 1) - timedelta(days=60), bob, "approved")
    commit()


def test_profile_queue_figures_from_a_known_history(staff):
    alice, bob = staff
    _profile_history(alice, bob)
    pending_profile(NOW - timedelta(hours=30))  # past the 24 h service level
    pending_profile(NOW - timedelta(hours=2))

    profile = next(q for q in figures(ALL, now=NOW).queues if q.queue.key == "profile")

    assert (profile.backlog, profile.past_due) == (2, 1)
    assert profile.decisions == 5
    assert profile.median_hours == pytest.approx(4.0, abs=1e-3)  # the resubmission counts from its own submission
    assert profile.rate("approved") == pytest.approx(0.6)
    assert profile.rate("rejected") == pytest.approx(0.4)
    assert profile.per_staff == {alice.id: [4, 3], bob.id: [1, 1]}  # Alice: 4 decisions on 3 days
    assert profile.per_day["2030-01-15"] == {"profile.approved": 2}
    peak, rows = profile.series(figures(ALL, now=NOW).days)
    assert len(rows) == 30 and rows[-1][0] == "2030-01-15" and rows[-1][2] == 2 and peak == 2
    assert profile.reversals is None  # profile decisions have no appeal


def test_service_levels_come_from_config(app, monkeypatch):
    assert dict(SERVICE_LEVEL_HOURS) == {
        "profile": 24,
        "listing": 24,
        "verification": 48,
        "violation": 12,
        "ticket": 24,
        "post": 24,
    }
    monkeypatch.setitem(app.config, "QUEUE_SERVICE_HOURS", {**app.config["QUEUE_SERVICE_HOURS"], "violation": 3})
    assert due_at("violation", NOW) == NOW + timedelta(hours=3)
    open_violation(NOW - timedelta(hours=4))
    open_violation(NOW - timedelta(hours=2))
    violation = next(q for q in figures(["violation"], now=NOW).queues)
    assert (violation.backlog, violation.past_due) == (2, 1)


def _appeal(user, decision, decided_by, status: AppealStatus, decided_at):
    db.session.add(
        Appeal(
            user_id=user.id,
            decision_entry_id=decision.id,
            original_decider_id=decision.actor_id,
            text="Please",
            status=status,
            decided_by_id=decided_by.id,
            decided_at=decided_at,
            decision_note="Decided",
        )
    )


def test_violation_reversals_are_appeals_that_reinstated_the_account(staff):
    alice, bob = staff
    user, other, third = make_user(), make_user(), make_user()
    first = open_violation(at(2, 0), user)
    second = open_violation(at(3, 0), other)
    first.status = second.status = ViolationStatus.suspended
    entry("violation.suspended", "Violation", first.id, at(2, 5), alice)
    entry("violation.suspended", "Violation", second.id, at(3, 1), alice)
    suspensions = [entry("account.suspended", "User", u.id, at(3, 2), alice) for u in (user, other, third)]
    entry("account.reinstated", "User", make_user().id, at(6, 0), alice)  # lifted by hand, no appeal: not counted
    db.session.flush()
    _appeal(user, suspensions[0], bob, AppealStatus.reinstated, at(6, 0))  # reversed on appeal
    _appeal(other, suspensions[1], bob, AppealStatus.upheld, at(6, 0))  # the decision stands
    _appeal(third, suspensions[2], bob, AppealStatus.reinstated, at(6, 0) - timedelta(days=60))  # before the window
    commit()

    violation = next(q for q in figures(["violation"], now=NOW).queues)

    assert violation.decisions == 2 and violation.median_hours == pytest.approx(
        3.0, abs=1e-3
    )  # 5 h and 1 h from the violation's creation
    assert violation.reversals == 1 and violation.reversal_rate == 0.5
    assert violation.rate("approved") == 1.0


def test_disputes_are_past_due_on_their_ruling_date():
    late_dispute(NOW - timedelta(days=15))  # ruling was due a day ago
    late_dispute(NOW - timedelta(days=13))  # due tomorrow
    capped = late_dispute(NOW - timedelta(days=2))
    capped.case.escrow_limit_at = NOW - timedelta(hours=1)  # the escrow limit cut the ruling date short
    commit()

    dispute = next(q for q in figures(["dispute"], now=NOW).queues)

    assert (dispute.backlog, dispute.past_due) == (3, 2)


def _queries_for_figures() -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        figures(ALL, now=NOW)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_number_of_queries_does_not_grow_with_the_history(staff):
    alice, bob = staff
    _profile_history(alice, bob)
    pending_profile(NOW - timedelta(hours=30))
    open_violation(NOW - timedelta(hours=30))
    late_dispute(NOW - timedelta(days=15))
    db.session.expire_all()
    small = _queries_for_figures()

    for n in range(1, 10):
        _profile_history(make_user(roles=(StaffRole.moderator,)), bob, offset=n * 10)
        pending_profile(NOW - timedelta(hours=n))
        open_violation(NOW - timedelta(hours=n))
        late_dispute(NOW - timedelta(days=n))
    db.session.expire_all()

    assert _queries_for_figures() == small


@pytest.mark.parametrize(
    "role, shown, hidden",
    [
        (
            StaffRole.moderator,
            ["queue-profile", "queue-listing", "queue-violation"],
            ["queue-verification", "queue-dispute"],
        ),
        (StaffRole.verifier, ["queue-verification"], ["queue-profile", "queue-dispute"]),
        (StaffRole.resolution_agent, ["queue-dispute"], ["queue-profile", "queue-verification"]),
        (StaffRole.admin, ["queue-profile", "queue-verification", "queue-dispute"], []),
    ],
)
def test_each_role_sees_the_figures_of_its_own_queues(client, role, shown, hidden):
    staff_login(client, make_staff(role))

    page = client.get("/backoffice/figures/")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert all(f'id="{key}"' in html for key in shown)
    assert not any(f'id="{key}"' in html for key in hidden)
    assert "<svg" in html and "<table" in html  # the chart and its table alternative


def test_the_page_reads_in_french(client):
    moderator = make_staff(StaffRole.moderator)
    staff_login(client, moderator)
    client.set_cookie("locale", "fr")
    html = client.get("/backoffice/figures/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Délai médian de décision" in html and "Décisions par jour" in html


def test_someone_without_a_staff_role_gets_a_404(client):
    from tests.factories import login

    login(client, make_user())
    assert client.get("/backoffice/figures/").status_code == 404
