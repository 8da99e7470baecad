"""The resolution centre's queue as a workbench: due first on the disputes' own deadlines, filters,
a lead's assignment, the next due dispute, rule then next, canned responses for the parties."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import sqlalchemy as sa

from backoffice import disputes_views
from disputes.rules import queue_due_at
from extensions import commit, db
from models.accounts import StaffRole
from models.disputes import Dispute, DisputeState
from models.moderation import AuditEntry, ReviewClaim
from models.types import utcnow
from moderation import claims, macros
from tests.backoffice.factories import make_ready_designer, make_staff, staff_login
from tests.disputes.factories import disputed
from tests.factories import make_user
from tests.statements import statements

QUEUE = "/backoffice/resolution/"


def rows(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/backoffice/resolution/(\d+)"', page)]


def dispute(*, state=DisputeState.open, answer_in: timedelta = timedelta(days=3), client=None, designer=None):
    _case, made = disputed(client or make_user(), designer or make_user(client=False, designer=True))
    db.session.execute(
        sa.update(Dispute).where(Dispute.id == made.id).values(state=state, answer_due_at=utcnow() + answer_in)
    )
    made = db.session.get(Dispute, made.id)
    made.queue_due_at = queue_due_at(made, made.case)  # as the dispute's moves keep it
    commit()
    return made


def test_due_first_from_the_answer_and_ruling_dates(client):
    answering = dispute(answer_in=timedelta(days=1))  # answer due in 1 day
    ruling_soon = dispute(state=DisputeState.awaiting_ruling, answer_in=-timedelta(days=10))  # ruling in 4 days
    ruling_late = dispute(state=DisputeState.awaiting_ruling, answer_in=-timedelta(days=15))  # ruling 1 day late
    staff_login(client, make_staff(StaffRole.resolution_agent))

    page = client.get(QUEUE).get_data(as_text=True)
    assert rows(page) == [ruling_late.id, answering.id, ruling_soon.id]
    assert "bo-due-overdue" in page and 'aria-current="true"' in page.split("Due first")[0][-200:]
    assert rows(client.get(QUEUE + "?sort=age").get_data(as_text=True)) == [
        answering.id,
        ruling_soon.id,
        ruling_late.id,
    ]


def test_filters_by_state_assignee_country_and_language(client):
    french_client = make_user(locale="fr")
    spanish_designer = make_ready_designer()  # profile country ES
    answering = dispute(client=french_client)
    ruling = dispute(state=DisputeState.awaiting_ruling, answer_in=-timedelta(days=1), designer=spanish_designer)
    other = dispute()
    agent, colleague = make_staff(StaffRole.resolution_agent), make_staff(StaffRole.resolution_agent)
    claims.claim_item("dispute", answering.id, actor=agent)
    claims.claim_item("dispute", ruling.id, actor=colleague)
    commit()
    staff_login(client, agent)

    def shown(query: str) -> set[int]:
        return set(rows(client.get(QUEUE + query).get_data(as_text=True)))

    assert shown("") == {answering.id, ruling.id, other.id}
    assert shown("?state=awaiting_ruling") == {ruling.id}
    assert shown("?state=open") == {answering.id, other.id}
    assert shown("?assignee=me") == {answering.id}
    assert shown("?assignee=none") == {other.id}
    assert shown(f"?assignee={colleague.id}") == {ruling.id}
    assert shown("?country=es") == {ruling.id}
    assert shown("?language=fr") == {answering.id}


def test_a_lead_assigns_reassigns_and_takes_over_and_an_agent_cannot(client):
    waiting = dispute()
    first, second = make_staff(StaffRole.resolution_agent), make_staff(StaffRole.resolution_agent)
    lead = make_staff(StaffRole.admin)
    staff_login(client, first)
    assert client.post(f"{QUEUE}{waiting.id}/assign", data={"staff_id": second.id}).status_code in (302, 403, 404)
    assert claims.active_claim("dispute", waiting.id) is None  # an agent is no lead
    client.post("/account/logout")

    staff_login(client, lead)
    assert 'id="assign-item"' in client.get(f"{QUEUE}{waiting.id}").get_data(as_text=True)
    client.post(f"{QUEUE}{waiting.id}/assign", data={"staff_id": first.id})
    assert claims.active_claim("dispute", waiting.id).moderator_id == first.id
    client.post(f"{QUEUE}{waiting.id}/assign", data={"staff_id": second.id})  # reassign
    assert claims.active_claim("dispute", waiting.id).moderator_id == second.id
    client.post(f"{QUEUE}{waiting.id}/assign", data={"staff_id": lead.id})  # take over
    assert claims.active_claim("dispute", waiting.id).moderator_id == lead.id
    moves = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "dispute.assigned").order_by(AuditEntry.id)
    ).all()
    assert [(m.before["holder"], m.after["holder"]) for m in moves] == [
        (None, first.id),
        (first.id, second.id),
        (second.id, lead.id),
    ]
    moderator = make_staff(StaffRole.moderator)
    response = client.post(f"{QUEUE}{waiting.id}/assign", data={"staff_id": moderator.id}, follow_redirects=True)
    assert "cannot work this queue" in html.unescape(response.get_data(as_text=True))
    assert claims.active_claim("dispute", waiting.id).moderator_id == lead.id


def test_next_takes_the_due_dispute_nobody_else_holds_and_never_the_agents_own_case(client):
    agent = make_staff(StaffRole.resolution_agent)
    own = dispute(answer_in=timedelta(hours=1), client=agent)  # due first, but the agent is its client
    held = dispute(answer_in=timedelta(hours=2))
    free = dispute(answer_in=timedelta(hours=3))
    dispute(answer_in=timedelta(hours=4))
    claims.claim_item("dispute", held.id, actor=make_staff(StaffRole.resolution_agent))
    commit()
    staff_login(client, agent)

    response = client.post(f"{QUEUE}next")
    assert response.headers["Location"].endswith(f"{QUEUE}{free.id}")
    assert claims.active_claim("dispute", free.id).moderator_id == agent.id
    assert claims.active_claim("dispute", own.id) is None


def test_rule_then_next_opens_the_next_due_dispute_taken(client):
    agent = make_staff(StaffRole.resolution_agent)
    ruled = dispute(state=DisputeState.awaiting_ruling, answer_in=-timedelta(days=15))
    following = dispute(answer_in=timedelta(days=1))
    staff_login(client, agent)
    client.post(f"{QUEUE}{ruled.id}/take")

    response = client.post(
        f"{QUEUE}{ruled.id}/rule",
        data={"action": "rule_next", "outcome": "pay_designer", "reasoning": "Delivered as prescribed."},
    )

    assert response.headers["Location"].endswith(f"{QUEUE}{following.id}")
    db.session.expire_all()
    assert db.session.get(Dispute, ruled.id).state == DisputeState.ruled
    assert claims.active_claim("dispute", following.id).moderator_id == agent.id


def test_canned_responses_in_both_parties_languages_fill_the_message_and_the_ruling(client):
    admin = make_staff(StaffRole.admin)
    for language, title, body in (
        ("en", "Photos please", "Hello {client_name}, photos of {case_reference}, please."),
        ("fr", "Photos SVP", "Bonjour {designer_name}, des photos de {listing_title}."),
    ):
        macros.create_macro(actor=admin, queue=macros.DISPUTE, language=language, title=title, body=body)
    commit()
    french_designer = make_user(client=False, designer=True, locale="fr", name="Dominique Dessin")
    client_user = make_user(name="Lab North")
    waiting = dispute(client=client_user, designer=french_designer)
    english = db.session.scalar(sa.select(macros.CannedResponse).where(macros.CannedResponse.title == "Photos please"))
    staff_login(client, make_staff(StaffRole.resolution_agent))

    page = html.unescape(client.get(f"{QUEUE}{waiting.id}").get_data(as_text=True))
    assert "Photos please (English)" in page and "Photos SVP (French)" in page
    assert f"Hello Lab North, photos of {waiting.case.reference}, please." in page
    assert "Bonjour Dominique Dessin, des photos de Zirconia crown." in page

    # Without script, "Use" reloads the page with the text in the form it was picked for.
    page = html.unescape(
        client.get(f"{QUEUE}{waiting.id}?macro_for=message-body&macro={english.id}").get_data(as_text=True)
    )
    body = page.split('id="message-body"')[1].split("</textarea>")[0]
    assert f"Hello Lab North, photos of {waiting.case.reference}, please." in body
    client.post(f"{QUEUE}{waiting.id}/take")  # the ruling form shows to the holder
    page = html.unescape(
        client.get(f"{QUEUE}{waiting.id}?macro_for=reasoning&macro={english.id}").get_data(as_text=True)
    )
    reasoning = page.split('id="reasoning"')[1].split("</textarea>")[0]
    assert f"Hello Lab North, photos of {waiting.case.reference}, please." in reasoning


def test_the_queue_page_runs_the_same_queries_for_three_disputes_or_twelve(client):
    agent = make_staff(StaffRole.resolution_agent)
    first = [
        dispute(state=DisputeState.awaiting_ruling if n % 2 else DisputeState.open, answer_in=timedelta(days=n - 1))
        for n in range(3)
    ]
    claims.claim_item("dispute", first[0].id, actor=agent)
    commit()
    staff_login(client, agent)
    few = statements(client, QUEUE)

    for n in range(9):
        dispute(
            state=DisputeState.awaiting_ruling if n % 2 else DisputeState.open,
            answer_in=timedelta(days=n - 4),
            client=make_user(locale="fr"),
        )
    db.session.expire_all()

    assert statements(client, QUEUE) == few == 14  # a fixed number: a change that adds a statement says so here
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewClaim)) == 1


def test_the_page_count_is_that_of_the_disputes_listed_under_each_tab_and_filter(client, monkeypatch):
    monkeypatch.setattr(disputes_views, "PER_PAGE", 2)
    agent = make_staff(StaffRole.resolution_agent)
    held = [dispute(), dispute(state=DisputeState.awaiting_ruling, answer_in=-timedelta(days=1))]
    dispute(client=make_user(locale="fr"))
    dispute(state=DisputeState.withdrawn)  # not in the active tab
    for made in held:
        claims.claim_item("dispute", made.id, actor=agent)
    commit()
    staff_login(client, agent)

    def pages(url: str) -> str:
        found = re.search(r"Page 1 of (\d+)", client.get(url).get_data(as_text=True))
        return found.group(1) if found else "1"

    assert pages(QUEUE) == "2"  # three active disputes
    assert pages(QUEUE + "?assignee=me") == "1"  # the two held by the agent
    assert pages(QUEUE + "?state=open") == "1"  # two open
    assert pages(QUEUE + "?language=fr") == "1"
    assert pages(QUEUE + "?tab=escalated") == "1"


def test_the_stored_due_time_follows_the_disputes_moves():
    from disputes import operations
    from models.cases import Case
    from tests.disputes.factories import reload

    customer, designer = make_user(), make_user(client=False, designer=True)
    first_case, first = disputed(customer, designer)
    second_case, second = disputed(make_user(), designer)
    assert reload(first).queue_due_at == first.answer_due_at  # open: the designer's answer date
    limit = second.answer_due_at + timedelta(days=3)  # the escrow limit comes before the ruling date
    db.session.execute(sa.update(Case).where(Case.id == second_case.id).values(escrow_limit_at=limit))
    commit()
    for dispute in (first, second):
        operations.answer_dispute(reload(dispute), actor=designer, statement="The margins follow the scan as sent.")
        commit()
    assert reload(first).state == DisputeState.awaiting_ruling
    assert reload(first).queue_due_at == first.answer_due_at + timedelta(days=14)  # then the ruling date
    assert reload(second).queue_due_at == limit  # never past the escrow limit
