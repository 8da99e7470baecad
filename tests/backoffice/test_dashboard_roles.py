"""Each staff member's dashboard shows the queues their roles open, and only those."""

from __future__ import annotations

from backoffice.dashboard import dashboard_figures
from flask_login import login_user
from models.accounts import StaffRole
from moderation.second_factor import mark_session_passed
from tests.factories import make_user


def _queue_names(app, user) -> set[str]:
    with app.test_request_context("/backoffice/"):
        login_user(user)
        mark_session_passed(user)  # the dashboard is behind the second factor
        return {str(q["name"]) for q in dashboard_figures()["queues"]}


def test_a_moderator_sees_review_and_violation_queues_but_not_disputes_or_verifications(app):
    names = _queue_names(app, make_user(roles=(StaffRole.moderator,)))
    assert {"Profiles to review", "Listings to review", "Open violations"} <= names
    assert "Disputes" not in names and "Identity verifications" not in names


def test_an_agent_sees_the_dispute_queues_only(app):
    assert _queue_names(app, make_user(roles=(StaffRole.resolution_agent,))) == {
        "Disputes",
        "Disputes near the 90-day payment limit",
        "Card disputes waiting for the bank",
        "Payouts the provider refused",
    }


def test_an_admin_sees_every_queue(app):
    names = _queue_names(app, make_user(roles=(StaffRole.admin,)))
    assert {
        "Disputes",
        "Identity verifications",
        "Open violations",
        "Profiles to review",
        "Payments to check against the provider",
        "Payouts the provider refused",
    } <= names
