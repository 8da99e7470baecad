"""One search box in the back office: accounts, cases by reference, listings, and messages of
reported conversations only, each group shown to the roles of its area."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from extensions import commit, db
from messaging import operations as messaging
from models.accounts import StaffRole
from models.moderation import AuditEntry
from tests.backoffice.factories import make_pending_listing, make_staff, staff_login
from tests.disputes.factories import case_in_escrow, disputed
from tests.factories import make_user


def search(client, text: str):
    return client.get("/backoffice/search/", query_string={"q": text})


def group(page: str, name: str) -> str:
    """The text of one group of results ('' when the group is not on the page)."""
    marker = f'id="search-{name}"'
    return page.split(marker)[1].split("</section>")[0] if marker in page else ""


@pytest.fixture
def threads(request_context):
    """Two conversations: one with a reported message, one nobody reported."""
    buyer, designer, bystander = make_user(name="Lab North"), make_user(name="Dana Designer"), make_user()
    first = messaging.start_conversation(designer, actor=buyer, body="Could you send the crown by Friday?")
    rude = messaging.post_message(first.conversation, actor=designer, body="Pay me outside, the crown costs less")
    messaging.start_conversation(bystander, actor=buyer, body="Private talk about the crown margins")
    commit()
    messaging.report_message(rude, actor=buyer, reason="contact_details")
    commit()
    return rude


def test_messages_of_reported_threads_are_found_and_no_other(client, threads):
    moderator = make_staff(StaffRole.moderator)
    staff_login(client, moderator)

    page = search(client, "crown").get_data(as_text=True)
    messages = group(page, "messages")

    assert "Pay me outside, the crown costs less" in messages
    assert "Could you send the crown by Friday?" in messages  # the reported conversation, around the report
    assert "Private talk about the crown margins" not in page
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "violation.thread_searched"))
    assert entry.actor_id == moderator.id and entry.after["search"] == "crown"


def test_accounts_by_email_and_name(client):
    make_user(email="elena.marquez@lab.example", name="Elena Marquez")
    make_user(email="someone@else.example", name="Someone Else")
    staff_login(client, make_staff(StaffRole.moderator))
    accounts = group(search(client, "MARQUEZ@lab").get_data(as_text=True), "accounts")
    assert "Elena Marquez" in accounts and "Someone Else" not in accounts
    assert "Elena Marquez" in group(search(client, "elena marq").get_data(as_text=True), "accounts")


def test_listings_by_title(client):
    make_pending_listing(title="Zirconia crowns in exocad")
    make_pending_listing(title="Night guards in 3Shape", subcategory="coping")
    staff_login(client, make_staff(StaffRole.moderator))
    listings = group(search(client, "zirconia").get_data(as_text=True), "listings")
    assert "Zirconia crowns in exocad" in listings and "Night guards" not in listings


def test_cases_by_reference_link_to_their_dispute(client):
    case, dispute = disputed(make_user(), make_user(client=False, designer=True))
    other = case_in_escrow(make_user(), make_user(client=False, designer=True))
    staff_login(client, make_staff(StaffRole.resolution_agent))
    cases = group(search(client, case.reference.lower()).get_data(as_text=True), "cases")
    assert case.reference in cases and other.reference not in cases
    assert f"/backoffice/resolution/{dispute.id}" in cases
    assert case.reference in group(search(client, case.reference[3:]).get_data(as_text=True), "cases")


def test_each_role_finds_only_its_area(client, threads):
    case = case_in_escrow(make_user(name="Crown Lab"), make_user(client=False, designer=True))
    make_pending_listing(title="Crown design by Dana")

    staff_login(client, make_staff(StaffRole.resolution_agent))
    page = search(client, case.reference).get_data(as_text=True)
    assert case.reference in group(page, "cases")
    assert not group(page, "accounts") and not group(page, "listings") and not group(page, "messages")
    assert "Pay me outside" not in search(client, "crown").get_data(as_text=True)
    client.post("/account/logout")

    staff_login(client, make_staff(StaffRole.moderator))
    page = search(client, "crown").get_data(as_text=True)
    assert "Crown Lab" in group(page, "accounts") and "Crown design by Dana" in group(page, "listings")
    assert "Pay me outside" in group(page, "messages") and not group(page, "cases")
    assert not group(search(client, case.reference).get_data(as_text=True), "cases")
    client.post("/account/logout")

    staff_login(client, make_staff(StaffRole.admin))
    page = search(client, "crown").get_data(as_text=True)
    assert all(group(page, name) for name in ("accounts", "listings", "messages", "cases"))
    client.post("/account/logout")

    staff_login(client, make_staff(StaffRole.verifier))
    assert search(client, "crown").status_code == 404


def test_a_short_text_finds_nothing(client, threads):
    staff_login(client, make_staff(StaffRole.admin))
    page = search(client, "c").get_data(as_text=True)
    assert "Pay me outside" not in page and not group(page, "accounts")


def test_the_search_box_is_in_the_back_office_layout(client):
    staff_login(client, make_staff(StaffRole.moderator))
    assert 'id="bo-search"' in client.get("/backoffice/").get_data(as_text=True)
