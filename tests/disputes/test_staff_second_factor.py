"""A staff role opens nothing on a password alone: the storefront asks for the second factor too."""

from __future__ import annotations

from messaging.threads import case_thread
from models.accounts import StaffRole
from tests.backoffice.factories import make_staff, staff_login
from tests.disputes.factories import disputed, people
from tests.factories import login


def _pages(case, dispute) -> list[str]:
    return [
        f"/cases/{case.reference}",
        f"/messages/{case_thread(case.id).id}",
        f"/disputes/{dispute.id}",
        f"/disputes/case/{case.id}",
    ]


def test_a_resolution_agent_with_only_a_password_reads_no_disputed_case(client):
    customer, designer, _agent = people()
    case, dispute = disputed(customer, designer)
    agent = make_staff(StaffRole.resolution_agent)
    login(client, agent)
    for url in _pages(case, dispute):
        assert client.get(url).status_code == 404, url


def test_the_same_agent_reads_them_once_the_second_factor_is_passed(client):
    customer, designer, _agent = people()
    case, dispute = disputed(customer, designer)
    agent = make_staff(StaffRole.resolution_agent)
    staff_login(client, agent)
    for url in _pages(case, dispute):
        assert client.get(url).status_code in (200, 302), url


def test_a_new_login_drops_the_second_factor_of_the_previous_one(client):
    customer, designer, _agent = people()
    case, dispute = disputed(customer, designer)
    agent = make_staff(StaffRole.resolution_agent)
    staff_login(client, agent)
    client.post("/account/logout")
    login(client, agent)
    assert client.get(f"/disputes/{dispute.id}").status_code == 404
