"""The resolution centre speaks with the parties of a dispute: to both, or to one privately."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from disputes import operations
from disputes.conversation import post_dispute_message, visible_messages
from errors import InvalidTransition, NotFound, PermissionDenied
from extensions import commit, db
from models.accounts import StaffRole
from models.disputes import DisputeMessage
from models.messaging import Notification
from models.moderation import AuditEntry, Violation
from tests.backoffice.factories import make_staff, staff_login
from tests.disputes.factories import ANSWER, disputed, people, reload
from tests.factories import login

TO_BOTH = "Please both say which scan version the design was made from."
TO_CLIENT = "Privately: did you check the margins on the 3D viewer before asking for a revision?"
PHONE = "Call me on +33 6 12 34 56 78 so we can sort this out quickly."


def _notified(user, event="dispute_message") -> list[Notification]:
    return list(
        db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id, Notification.event == event))
    )


def _agent_page_post(client, dispute, body, audience):
    return client.post(
        f"/backoffice/resolution/{dispute.id}/messages", data={"message-audience": audience, "message-body": body}
    )


def test_the_agent_writes_to_both_parties_on_the_page_and_both_read_it(client):
    customer, designer, _ = people()
    _case, dispute = disputed(customer, designer)
    agent = make_staff(StaffRole.resolution_agent, name="Alex Agent")
    staff_login(client, agent)
    page = client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)
    assert 'id="dispute-message-form"' in page and "Both parties" in page and "The client only" in page
    response = _agent_page_post(client, dispute, TO_BOTH, "all")
    assert response.status_code == 302 and response.headers["Location"].endswith("#conversation")
    assert TO_BOTH in client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)

    for party in (customer, designer):
        assert [m.body for m in visible_messages(dispute, reload(party))] == [TO_BOTH]
        [notice] = _notified(party)
        assert "resolution centre wrote to you" in notice.title and TO_BOTH in notice.body
        assert notice.url == f"/disputes/{dispute.id}"
        client.post("/account/logout")
        login(client, party)
        body = client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
        assert TO_BOTH in body and "Resolution centre" in body and "Alex Agent" not in body
    audit = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "dispute.message")).all()
    assert [(a.actor_id, a.after["audience"]) for a in audit] == [(agent.id, "all")]


def test_a_message_to_the_client_only_stays_out_of_the_designers_reach(client):
    customer, designer, agent = people()
    _case, dispute = disputed(customer, designer)
    post_dispute_message(dispute, actor=agent, body=TO_CLIENT, audience="client")
    commit()
    assert [m.body for m in visible_messages(dispute, customer)] == [TO_CLIENT]
    assert visible_messages(dispute, designer) == []
    assert len(_notified(customer)) == 1 and _notified(designer) == []
    login(client, designer)
    assert TO_CLIENT not in client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
    client.post("/account/logout")
    login(client, customer)
    page = client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
    assert TO_CLIENT in page and "Private: you and the resolution centre" in page


def test_a_party_writes_to_everyone_or_privately_to_the_centre_never_to_the_other_alone(client):
    customer, designer, agent = people()
    _case, dispute = disputed(customer, designer)
    login(client, designer)
    page = client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
    assert 'name="message-audience"' in page and "Private: you and the resolution centre" in page
    assert 'value="client"' not in page
    sent = client.post(
        f"/disputes/{dispute.id}/messages", data={"message-audience": "designer", "message-body": ANSWER}
    )
    assert sent.status_code == 302
    refused = client.post(
        f"/disputes/{dispute.id}/messages",
        data={"message-audience": "client", "message-body": "Only for the client's eyes."},
    )
    assert refused.status_code == 400
    with pytest.raises(PermissionDenied):
        post_dispute_message(dispute, actor=customer, body="Only for the designer.", audience="designer")
    db.session.rollback()
    post_dispute_message(dispute, actor=customer, body="To everyone, from the lab.", audience="all")
    commit()
    # The client reads the message to everyone, never the designer's private line to the centre.
    assert [m.body for m in visible_messages(dispute, customer)] == ["To everyone, from the lab."]
    assert [m.body for m in visible_messages(dispute, agent)] == [ANSWER, "To everyone, from the lab."]
    assert [n.title for n in _notified(designer)] == [
        f"The client wrote in the dispute on case {dispute.case.reference}"
    ]
    assert _notified(customer) == []  # the designer's private message went to the centre only
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "dispute.message")) == 0


def test_a_party_cannot_write_as_the_agent_nor_reach_the_agents_pages(client):
    customer, designer, _ = people()
    _case, dispute = disputed(customer, designer)
    login(client, customer)
    assert _agent_page_post(client, dispute, TO_BOTH, "all").status_code == 404
    assert client.get(f"/backoffice/resolution/{dispute.id}").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(DisputeMessage.id))) == 0


def test_contact_details_are_refused_shown_and_recorded(client):
    customer, designer, _ = people()
    _case, dispute = disputed(customer, designer)
    login(client, customer)
    response = client.post(f"/disputes/{dispute.id}/messages", data={"message-audience": "all", "message-body": PHONE})
    assert response.status_code == 400
    assert 'class="contact-finding"' in response.get_data(as_text=True)
    client.post("/account/logout")
    agent = make_staff(StaffRole.resolution_agent)
    staff_login(client, agent)
    response = _agent_page_post(client, dispute, PHONE, "client")
    assert response.status_code == 400 and 'class="contact-finding"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(DisputeMessage.id))) == 0
    violations = db.session.scalars(sa.select(Violation).order_by(Violation.id)).all()
    assert [(v.user_id, v.source_ref) for v in violations] == [
        (customer.id, f"dispute:{dispute.id}"),
        (agent.id, f"dispute:{dispute.id}"),
    ]
    assert _notified(designer) == []


def test_staff_without_the_agents_power_or_second_factor_neither_read_nor_write(client):
    customer, designer, agent = people()
    _case, dispute = disputed(customer, designer)
    moderator = make_staff(StaffRole.moderator)
    staff_login(client, moderator)
    assert _agent_page_post(client, dispute, TO_BOTH, "all").status_code == 404
    client.post("/account/logout")
    unverified = make_staff(StaffRole.resolution_agent)
    login(client, unverified)  # a password, no second factor: the back office asks for it first
    asked = _agent_page_post(client, dispute, TO_BOTH, "all")
    assert asked.status_code == 302 and "/backoffice/second-factor" in asked.headers["Location"]
    assert (
        client.post(
            f"/disputes/{dispute.id}/messages", data={"message-audience": "all", "message-body": TO_BOTH}
        ).status_code
        == 404
    )
    agent.second_factor_passed = False
    with pytest.raises(NotFound):
        post_dispute_message(dispute, actor=agent, body=TO_BOTH, audience="all")
    with pytest.raises(NotFound):
        visible_messages(dispute, agent)
    assert db.session.scalar(sa.select(sa.func.count(DisputeMessage.id))) == 0


def test_a_closed_dispute_keeps_its_conversation_read_only(client):
    customer, designer, agent = people()
    _case, dispute = disputed(customer, designer)
    post_dispute_message(dispute, actor=agent, body=TO_BOTH, audience="all")
    commit()
    operations.withdraw_dispute(dispute, actor=customer)
    commit()
    with pytest.raises(InvalidTransition, match="closed"):
        post_dispute_message(reload(dispute), actor=agent, body="One more thing.", audience="all")
    db.session.rollback()
    login(client, customer)
    page = client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
    assert TO_BOTH in page and 'id="dispute-message-form"' not in page and "no longer written to" in page
    response = client.post(
        f"/disputes/{dispute.id}/messages",
        data={"message-audience": "all", "message-body": "Still there?"},
        follow_redirects=True,
    )
    assert "This dispute is closed (Withdrawn by the client)" in response.get_data(as_text=True)
    client.post("/account/logout")
    staff = make_staff(StaffRole.resolution_agent)
    staff_login(client, staff)
    response = _agent_page_post(client, dispute, "One more thing.", "all")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This dispute is closed (" in page and 'id="dispute-message-form"' not in page
    assert [m.body for m in visible_messages(dispute, agent)] == [TO_BOTH]
