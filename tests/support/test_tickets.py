"""The support desk: filing (signed in, signed out with a confirmed address), the ticket's life between the user
and support staff (open → waiting on the user → solved, re-opened by a reply), and what each side may reach."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from extensions import commit, db
from jobs.sweep import run_sweeps
from models.accounts import StaffRole
from models.files import FileKind
from models.moderation import AuditEntry, Violation
from models.support import SupportTicket, TicketStatus
from moderation import macros
from moderation.suspension import suspend_account
from support import operations
from tests.backoffice.factories import make_staff, png_bytes, staff_login
from tests.statements import statements as _statements
from tests.cases.factories import make_case, make_parties
from tests.factories import login, make_user

SUBJECT = "Payout not arrived"
TEXT = "My payout for the crown case has not reached my bank after ten days."
LINK = re.compile(r"https?://\S+")


def _tickets() -> list[SupportTicket]:
    db.session.expire_all()
    return db.session.scalars(sa.select(SupportTicket).order_by(SupportTicket.id)).all()


def _actions(action: str) -> list[AuditEntry]:
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


def _contact(client, **data):
    return client.post(
        "/support/contact",
        data={"topic": "payments", "subject": SUBJECT, "text": TEXT, **data},
        content_type="multipart/form-data",
    )


def _links(mail) -> list[str]:
    return LINK.findall(mail.get_payload(decode=True).decode())


@pytest.fixture
def user(client):
    person = make_user(name="Elena Marquez", designer=True)
    login(client, person)
    return person


@pytest.fixture
def agent(app):
    staff = app.test_client()
    person = make_staff(StaffRole.support, name="Sam Support")
    staff_login(staff, person)
    return staff, person


# ---- filing signed in -----------------------------------------------------------------------------


def test_a_user_files_a_ticket_about_their_own_case_and_finds_it_in_their_list(client, user):
    other_client, designer = make_parties()
    case = make_case(user, designer)
    form = client.get("/support/contact").get_data(as_text=True)
    assert f"case:{case.id}" in form and "Payments and payouts" in form
    response = _contact(client, related=f"case:{case.id}")
    [ticket] = _tickets()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/support/{ticket.id}")
    assert (ticket.user_id, ticket.case_id, ticket.status) == (user.id, case.id, TicketStatus.open)
    assert ticket.waiting_since is not None and ticket.messages[0].body == TEXT
    assert [e.actor_id for e in _actions("ticket.filed")] == [user.id]
    assert SUBJECT in client.get("/support/").get_data(as_text=True)
    assert "Waiting for our team" in client.get(f"/support/{ticket.id}").get_data(as_text=True)


def test_someone_elses_case_is_refused_and_nothing_is_filed(client, user):
    stranger_case = make_case(*make_parties())
    page = _contact(client, related=f"case:{stranger_case.id}").get_data(as_text=True)
    assert "Pick one of your own cases or payouts" in page and _tickets() == []
    page = _contact(client, related="payout:999").get_data(as_text=True)
    assert "Pick one of your own cases or payouts" in page and _tickets() == []


def test_contact_details_are_refused_without_a_strike(client, user):
    page = _contact(client, text="Call me on +33 6 12 34 56 78 about my payout").get_data(as_text=True)
    assert "contact-refusal" in page and _tickets() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Violation)) == 0


def test_a_screenshot_is_attached_and_a_scan_is_refused(client, user):
    _contact(client, files=[(io.BytesIO(png_bytes()), "error.png")])
    [ticket] = _tickets()
    [attachment] = ticket.messages[0].attachments
    assert attachment.name == "error.png" and attachment.file.kind == FileKind.image
    scan = b"solid upper_jaw\nendsolid upper_jaw\n"
    page = _contact(client, files=[(io.BytesIO(scan), "upper.stl")]).get_data(as_text=True)
    assert "Patient scans never go in a support ticket" in page and len(_tickets()) == 1


def test_a_ticket_is_a_404_for_anyone_but_its_requester(app, client, user):
    _contact(client)
    [ticket] = _tickets()
    other = app.test_client()
    login(other, make_user())
    assert other.get(f"/support/{ticket.id}").status_code == 404
    assert other.post(f"/support/{ticket.id}", data={"text": "Me too"}).status_code == 404
    assert app.test_client().get(f"/support/{ticket.id}").status_code == 302  # to the login page


# ---- filing signed out ----------------------------------------------------------------------------


def test_a_visitor_confirms_the_address_by_the_mailed_link_before_the_ticket_reaches_the_queue(app, outbox):
    visitor = app.test_client()
    response = _contact(visitor, email="Lab.Owner@Example.com")
    assert "Check your mail" in response.get_data(as_text=True)
    [ticket] = _tickets()
    assert ticket.status == TicketStatus.unconfirmed and ticket.email == "lab.owner@example.com"
    assert ticket.user_id is None and operations.queue_size()[0] == 0
    [mail] = outbox.read()
    assert mail["To"] == "lab.owner@example.com"
    [confirm] = [link for link in _links(mail) if "/support/confirm/" in link]
    assert visitor.get(confirm.replace("x", "y") + "x").status_code in (302, 404)  # a tampered link confirms nothing
    assert _tickets()[0].status == TicketStatus.unconfirmed
    opened = visitor.get(confirm.removeprefix("http://localhost"))
    assert opened.status_code == 302 and "/support/t/" in opened.headers["Location"]
    assert _tickets()[0].status == TicketStatus.open and operations.queue_size()[0] == 1
    page = visitor.get(opened.headers["Location"]).get_data(as_text=True)
    assert SUBJECT in page and TEXT in page
    visitor.get(confirm.removeprefix("http://localhost"))  # a second opening changes nothing
    assert len(_actions("ticket.confirmed")) == 1


def test_a_suspended_users_address_links_the_ticket_to_the_account_once_confirmed(app, outbox):
    holder = make_user(name="Suspended Sue")
    suspend_account(holder, actor=make_staff(StaffRole.moderator), reason="Shared a phone number")
    commit()
    visitor = app.test_client()
    _contact(visitor, email=holder.email, topic="account")
    [confirm] = [link for link in _links(outbox.read()[-1]) if "/support/confirm/" in link]
    visitor.get(confirm.removeprefix("http://localhost"))
    assert _tickets()[0].user_id == holder.id


def test_unconfirmed_tickets_of_one_address_are_limited(app, outbox):
    visitor = app.test_client()
    for _ in range(app.config["SUPPORT_UNCONFIRMED_PER_EMAIL"]):
        _contact(visitor, email="spam@example.com")
    page = _contact(visitor, email="spam@example.com").get_data(as_text=True)
    assert "already wait for their confirmation" in page
    assert len(_tickets()) == app.config["SUPPORT_UNCONFIRMED_PER_EMAIL"]


def test_the_contact_form_is_rate_limited_per_address(make_app):
    limited = make_app(RATELIMIT_SUPPORT="2 per minute")
    visitor = limited.test_client()
    codes = [_contact(visitor, email=f"v{n}@example.com").status_code for n in range(3)]
    assert codes == [200, 200, 429]


# ---- the ticket's life ------------------------------------------------------------------------------


def test_staff_answer_the_user_answers_back_and_a_solved_ticket_reopens(app, client, user, agent, outbox):
    staff, person = agent
    _contact(client)
    [ticket] = _tickets()
    # given: the ticket waits in the queue with its due time
    queue = staff.get("/backoffice/support/").get_data(as_text=True)
    assert SUBJECT in queue and "on time" in queue
    # when: support takes it and answers
    assert staff.post(f"/backoffice/support/{ticket.id}/take").status_code == 302
    answer = "Your payout left on 2 December; banks take up to 7 days."
    assert staff.post(f"/backoffice/support/{ticket.id}/answer", data={"text": answer}).status_code == 302
    # then: it waits on the user, who is mailed the answer with a link to the ticket in the app
    ticket = _tickets()[0]
    assert ticket.status == TicketStatus.waiting and ticket.messages[-1].from_staff
    mail = outbox.read()[-1]
    assert mail["To"] == user.email and answer in mail.get_payload(decode=True).decode()
    assert any(link.endswith(f"/support/{ticket.id}") for link in _links(mail))
    assert [e.actor_id for e in _actions("ticket.replied")] == [person.id]
    assert "Answered: waiting for you" in client.get(f"/support/{ticket.id}").get_data(as_text=True)
    # the user answers in the app: back to the queue
    first_wait = ticket.waiting_since
    client.post(f"/support/{ticket.id}", data={"text": "Still nothing today."})
    ticket = _tickets()[0]
    assert ticket.status == TicketStatus.open and ticket.waiting_since > first_wait
    assert [e.actor_id for e in _actions("ticket.user_replied")] == [user.id]
    # staff answer and solve it; a new message from the user opens it again
    staff.post(f"/backoffice/support/{ticket.id}/answer", data={"text": "Found it: sent again today.", "solve": "1"})
    assert _tickets()[0].status == TicketStatus.solved and len(_actions("ticket.solved")) == 1
    client.post(f"/support/{ticket.id}", data={"text": "It arrived twice now!"})
    assert _tickets()[0].status == TicketStatus.open and _tickets()[0].solved_at is None


def test_a_visitor_reads_the_answer_through_the_mailed_link_and_answers(app, agent, outbox):
    staff, _person = agent
    visitor = app.test_client()
    _contact(visitor, email="locked.out@example.com", topic="account", subject="Cannot log in")
    [confirm] = [link for link in _links(outbox.read()[-1]) if "/support/confirm/" in link]
    visitor.get(confirm.removeprefix("http://localhost"))
    [ticket] = _tickets()
    staff.post(f"/backoffice/support/{ticket.id}/answer", data={"text": "Use Forgot password on the log-in page."})
    [link] = [link for link in _links(outbox.read()[-1]) if "/support/t/" in link]
    page = visitor.get(link.removeprefix("http://localhost")).get_data(as_text=True)
    assert "Use Forgot password on the log-in page." in page and "Occlusa support" in page
    visitor.post(link.removeprefix("http://localhost"), data={"text": "The reset mail never comes."})
    ticket = _tickets()[0]
    assert ticket.status == TicketStatus.open and ticket.messages[-1].author_id is None
    assert visitor.get(link.removeprefix("http://localhost")[:-3] + "abc").status_code == 404


def test_a_ticket_held_by_someone_else_cannot_be_answered(app, client, user, agent):
    staff, _person = agent
    _contact(client)
    [ticket] = _tickets()
    staff.post(f"/backoffice/support/{ticket.id}/take")
    other = app.test_client()
    staff_login(other, make_staff(StaffRole.support))
    page = other.post(f"/backoffice/support/{ticket.id}/answer", data={"text": "Me first"}, follow_redirects=True)
    assert "is reviewing this item" in page.get_data(as_text=True)
    assert _tickets()[0].status == TicketStatus.open and len(_tickets()[0].messages) == 1


def test_only_support_staff_open_the_desk(app, client, user):
    _contact(client)
    [ticket] = _tickets()
    moderator = app.test_client()
    staff_login(moderator, make_staff(StaffRole.moderator))
    assert moderator.get("/backoffice/support/").status_code == 404
    assert moderator.get(f"/backoffice/support/{ticket.id}").status_code == 404
    password_only = app.test_client()
    login(password_only, make_staff(StaffRole.support))
    assert password_only.get("/backoffice/support/").status_code in (302, 404)
    admin = app.test_client()
    staff_login(admin, make_staff(StaffRole.admin))
    assert admin.get(f"/backoffice/support/{ticket.id}").status_code == 200


def test_answer_and_next_moves_to_the_next_due_ticket(app, agent):
    staff, person = agent
    first, second = make_user(), make_user()
    older = operations.file_ticket(user=first, topic="bug", subject="Upload stops at 99%", text="It stops.")
    newer = operations.file_ticket(user=second, topic="other", subject="Invoices in French?", text="Can I?")
    commit()
    staff.post(f"/backoffice/support/{older.id}/take")
    response = staff.post(f"/backoffice/support/{older.id}/answer", data={"text": "Fixed now.", "and_next": "1"})
    assert response.headers["Location"].endswith(f"/backoffice/support/{newer.id}")
    assert "You hold this item" in staff.get(f"/backoffice/support/{newer.id}").get_data(as_text=True)


def test_canned_answers_come_in_the_tickets_language_filled_in(app, agent):
    staff, _person = agent
    french = make_user(name="Chloé Martin", locale="fr")
    ticket = operations.file_ticket(user=french, topic="payments", subject="Virement absent", text="Rien reçu.")
    commit()
    macros.create_macro(
        actor=make_staff(StaffRole.admin),
        queue=macros.SUPPORT,
        language="fr",
        title="Délai",
        body="Bonjour {user_name}, au sujet de « {ticket_subject} » : sous 7 jours.",
    )
    commit()
    staff.post(f"/backoffice/support/{ticket.id}/take")
    page = staff.get(f"/backoffice/support/{ticket.id}").get_data(as_text=True)
    assert "Bonjour Chloé Martin, au sujet de « Virement absent » : sous 7 jours." in page


def test_support_staff_open_a_tickets_file_and_the_opening_is_audited(client, user, agent):
    staff, person = agent
    _contact(client, files=[(io.BytesIO(png_bytes()), "error.png")])
    [ticket] = _tickets()
    public_id = ticket.messages[0].attachments[0].file.public_id
    response = staff.get(f"/backoffice/support/{ticket.id}/files/{public_id}")
    assert response.status_code == 200 and response.data == png_bytes()
    assert [e.actor_id for e in _actions("ticket.file_read")] == [person.id]
    assert staff.get(f"/backoffice/support/{ticket.id}/files/not-a-file").status_code == 404


def _more_tickets(requester_client, n: int) -> None:
    for i in range(n):
        operations.file_ticket(user=make_user(), topic="other", subject=f"Question {i}", text="A question.")
    commit()
    for _ in range(n):
        _contact(requester_client, files=[(io.BytesIO(png_bytes()), "screen.png")])


def test_the_queue_and_a_ticket_page_run_the_same_number_of_queries_however_many_tickets_and_messages(
    client, user, agent
):
    staff, _person = agent
    _more_tickets(client, 1)
    ticket = _tickets()[-1]
    client.post(f"/support/{ticket.id}", data={"text": "More detail."})
    queue, page, own = (
        _statements(staff, "/backoffice/support/"),
        _statements(staff, f"/backoffice/support/{ticket.id}"),
        _statements(client, f"/support/{ticket.id}"),
    )

    _more_tickets(client, 3)
    for n in range(3):
        client.post(
            f"/support/{ticket.id}", data={"text": f"Even more detail {n}."}, content_type="multipart/form-data"
        )

    assert _statements(staff, "/backoffice/support/") == queue == 7  # fixed: a change that adds one says so here
    assert _statements(staff, f"/backoffice/support/{ticket.id}") == page
    assert _statements(client, f"/support/{ticket.id}") == own


def test_the_sweep_drops_tickets_whose_confirmation_link_expired_unopened(app, outbox):
    visitor = app.test_client()
    _contact(visitor, email="never.confirms@example.com")
    _contact(visitor, email="confirms@example.com")
    [confirm] = [link for link in _links(outbox.read()[-1]) if "/support/confirm/" in link]
    visitor.get(confirm.removeprefix("http://localhost"))
    later = _tickets()[0].created_at + timedelta(seconds=app.config["CONFIRM_EMAIL_MAX_AGE"] + 60)
    assert run_sweeps(later)["support.operations:drop_unconfirmed_tickets"] == 1
    assert [t.email for t in _tickets()] == ["confirms@example.com"]


def test_the_desk_lists_each_requester_by_account_or_by_address_and_shows_subjects_as_text(
    app, client, user, agent, outbox
):
    _contact(client, subject="Invoice <b>twice</b> & more")
    visitor = app.test_client()
    _contact(visitor, email="lab.owner@example.com")
    [confirm] = [link for link in _links(outbox.read()[-1]) if "/support/confirm/" in link]
    visitor.get(confirm.removeprefix("http://localhost"))
    staff, _person = agent
    desk = staff.get("/backoffice/support/").get_data(as_text=True)
    assert "Elena Marquez · active" in desk
    assert 'lab.owner · <span class="text-muted">no account</span>' in desk
    assert "Invoice &lt;b&gt;twice&lt;/b&gt; &amp; more" in desk and "<b>twice</b>" not in desk
