"""The audit log page as staff read it: words, names, links, changes, filters, and only their own area."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest

from audit.trail import record_action
from extensions import commit
from models.accounts import StaffRole
from tests.backoffice.factories import make_staff, staff_login
from tests.factories import make_user

AREA_ENTRIES = {
    "profile.approved": {StaffRole.moderator, StaffRole.admin},
    "violation.warned": {StaffRole.moderator, StaffRole.admin},
    "account.suspended": {StaffRole.moderator, StaffRole.admin},
    "verification.document_opened": {StaffRole.verifier, StaffRole.admin},
    "dispute.ruled": {StaffRole.resolution_agent, StaffRole.admin},
    "payment.mismatch": {StaffRole.resolution_agent, StaffRole.admin},
    "staff.roles_granted": {StaffRole.admin},
    "unheard.of_action": {StaffRole.admin},
}


def _page(client, query: str = "") -> str:
    response = client.get(f"/backoffice/audit-log/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _export(client, query: str = "") -> list[dict]:
    response = client.get(f"/backoffice/audit-log/export/csv/{query}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("role", list(StaffRole))
def test_each_role_reads_only_the_entries_of_its_area_on_the_page_and_in_the_export(client, role):
    target = make_user()
    for action in AREA_ENTRIES:
        record_action(action, target, actor=None)
    commit()
    staff_login(client, make_staff(role))

    page = _page(client)
    exported = {row["Action"] for row in _export(client)}

    for action, readers in AREA_ENTRIES.items():
        assert (f">{action}</code>" in page) == (role in readers), (role, action)
        assert (action in exported) == (role in readers), (role, action)
    # Asking for another area's action by name shows nothing either.
    if role is StaffRole.verifier:
        assert _export(client, "?action=staff.roles_granted") == []
        assert "No audit entry matches" in _page(client, "?action=staff.roles_granted")


def test_an_entry_reads_as_a_sentence_with_the_actor_roles_and_changes_only(client):
    moderator = make_staff(StaffRole.moderator, name="Maya Moderator")
    designer = make_user(name="Elena Designer")
    record_action(
        "account.suspended",
        designer,
        actor=moderator,
        reason="contact details again",
        before={"status": "active", "email": "same@example.com"},
        after={"status": "suspended", "email": "same@example.com", "note": "x" * 200},
    )
    record_action("case.grant_revisions", ("Case", 77), actor=None)
    commit()
    staff_login(client, make_staff(StaffRole.admin))

    page = _page(client)

    assert "suspended the account" in page and "Maya Moderator" in page and ">moderator<" in page
    assert f'href="/backoffice/accounts/{designer.id}"' in page
    assert "<del>active</del> → <ins>suspended</ins>" in page
    assert "same@example.com" not in page  # an unchanged field is not shown
    assert "x" * 200 not in page and "x" * 59 + "…" in page  # long values are shortened
    assert "the platform" in page and "case: grant revisions" in page  # unknown code, still in words
    assert "{&#34;" not in page and '{"status"' not in page  # no raw JSON


def test_times_are_given_to_the_browser_with_their_zone_and_written_in_utc_until_it_rewrites_them(client):
    entry = record_action("profile.approved", make_user(), actor=None)
    commit()
    entry.at = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=timezone.utc)
    commit()
    staff_login(client, make_staff(StaffRole.moderator))

    page = _page(client)

    assert '<time datetime="2026-03-04T05:06:07.891011+00:00">2026-03-04 05:06 UTC</time>' in page
    assert "/static/js/backoffice.js" in page


def test_filters_by_actor_action_group_object_and_dates_in_the_viewers_zone(client):
    maya, noah = make_staff(StaffRole.moderator, name="Maya"), make_staff(StaffRole.moderator, name="Noah")
    first, second = make_user(), make_user()
    late = record_action("profile.approved", first, actor=maya)
    record_action("listing.rejected", second, actor=noah)
    commit()
    # 23:30 UTC on 1 March is already 2 March in Paris.
    late.at = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)
    commit()
    staff_login(client, make_staff(StaffRole.admin))

    assert _actions(client, "?actor=maya") == ["profile.approved"]
    assert _actions(client, "?action=listing.*") == ["listing.rejected"]
    assert _actions(client, f"?object_type=User&object_id={first.id}") == ["profile.approved"]
    assert _actions(client, "?since=2026-03-02&until=2026-03-02&tz=Europe/Paris") == ["profile.approved"]
    assert _actions(client, "?since=2026-03-02&until=2026-03-02") == []  # the same day in UTC


def test_a_date_that_is_not_a_date_is_said_and_left_out(client):
    record_action("profile.approved", make_user(), actor=None)
    commit()
    staff_login(client, make_staff(StaffRole.admin))

    for query in ("?since=yesterday&tz=Not/AZone", "?until=9999-12-31&tz=../../etc", "?since=2026-02-30"):
        page = _page(client, query)
        assert "is not a date" in page and ">profile.approved</code>" in page


def _actions(client, query: str) -> list[str]:
    return sorted(row["Action"] for row in _export(client, query) if not row["Action"].startswith("staff."))


def test_the_dashboards_latest_actions_are_in_words_and_of_the_viewers_area_only(client):
    verifier = make_staff(StaffRole.verifier, name="Vera Verifier")
    record_action("verification.document_opened", ("VerificationSubmission", 5), actor=verifier)
    record_action("listing.approved", ("Listing", 9), actor=None)
    commit()
    staff_login(client, make_staff(StaffRole.moderator))

    page = client.get("/backoffice/").get_data(as_text=True)

    assert "approved the listing" in page and "Listing #9" in page
    assert "opened an identity document" not in page and "verification.document_opened" not in page
    assert 'href="/backoffice/audit-log/"' in page


def test_the_payment_mismatch_figure_opens_the_log_on_those_entries(client):
    record_action("payment.mismatch", ("Case", 4), actor=None, before={"ledger": 100}, after={"provider": 90})
    record_action("listing.approved", ("Listing", 9), actor=None)
    commit()
    staff_login(client, make_staff(StaffRole.admin))

    dashboard = client.get("/backoffice/").get_data(as_text=True)
    assert 'href="/backoffice/audit-log/?action=payment.mismatch"' in dashboard
    page = _page(client, "?action=payment.mismatch")
    assert ">payment.mismatch</code>" in page and ">listing.approved</code>" not in page


def test_the_account_page_history_keeps_other_areas_out(client):
    verifier = make_staff(StaffRole.verifier, name="Vera Verifier")
    record_action("verification.document_opened", ("VerificationSubmission", 5), actor=verifier)
    record_action("account.suspended", verifier, actor=None, reason="checked")
    commit()
    staff_login(client, make_staff(StaffRole.moderator))

    page = client.get(f"/backoffice/accounts/{verifier.id}").get_data(as_text=True)

    assert "account.suspended" in page and "verification.document_opened" not in page
