"""Lab teams: create, invite by e-mail, accept, revoke, remove, leave; and what a teammate of a
case's client may read (the case page, delivered designs, invoices) and may not (patient scans,
attachments, acting on the case)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from errors import DomainError, PermissionDenied
from extensions import commit, db
from files.operations import store_file
from models.cases import Case, CaseFile, CaseFileRole, CaseState
from messaging.attachments import store_attachments
from messaging.operations import post_message
from messaging.threads import case_thread
from models.files import FileKind
from models.messaging import Message
from models.teams import Invitation, Membership, Organisation, TeamRole
from models.types import utcnow
from payments.invoices import render_case_invoices
from teams import operations
from tests.cases.factories import drive, make_case
from tests.factories import make_user
from tests.statements import statements
from tests.payments.factories import make_designer


def _team(owner, *members, name="Atelier Dentaire Lyon"):
    org = operations.create_organisation(owner, name)
    for member in members:
        db.session.add(Membership(organisation_id=org.id, user_id=member.id, role=TeamRole.member))
    commit()
    return org


def _invitation_link(outbox) -> str:
    body = outbox.read()[-1].get_payload(decode=True).decode()
    return re.search(r"https?://\S+/team/invitations/\S+", body).group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


# -- the team page and the invitation ------------------------------------------------------------
def test_an_owner_creates_a_team_invites_by_mail_and_the_invitee_joins(client, login, outbox):
    owner, invitee = make_user(name="Dr Owner"), make_user(email="tech@example.com", name="Tech Two")
    login(owner)
    page = client.get("/settings/team").get_data(as_text=True)
    assert "You are not in a team" in page
    response = client.post("/settings/team", data={"create-name": "Atelier Lyon"})
    assert response.status_code == 302
    page = client.get("/settings/team").get_data(as_text=True)
    assert "Atelier Lyon" in page and "Owner" in page

    client.post("/settings/team/invitations", data={"invite-email": "Tech@Example.com"})
    page = client.get("/settings/team").get_data(as_text=True)
    assert "tech@example.com" in page and "Revoke" in page
    link = _invitation_link(outbox)
    assert "Dr Owner" in outbox.read()[-1]["Subject"]
    client.post("/account/logout")

    # Signed out: the page says who it is for and how to accept it.
    assert "Sign in" in client.get(_path(link)).get_data(as_text=True)
    # Another account cannot accept it.
    login(make_user())
    assert client.post(_path(link)).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 1
    client.post("/account/logout")

    login(invitee)
    assert "Accept and join the team" in client.get(_path(link)).get_data(as_text=True)
    assert client.post(_path(link)).status_code == 302
    page = client.get("/settings/team").get_data(as_text=True)
    assert "Tech Two" in page and "Dr Owner" in page
    assert "Invite someone" not in page  # members do not invite
    # The link is spent.
    assert "no longer open" in client.get(_path(link)).get_data(as_text=True)


def test_a_tampered_invitation_link_is_not_found(client):
    assert client.get("/team/invitations/not-a-real-token").status_code == 404


def test_a_revoked_invitation_cannot_be_accepted(client, login, outbox):
    owner, invitee = make_user(), make_user(email="late@example.com")
    _team(owner)
    invitation = operations.invite(owner, "late@example.com", utcnow())
    commit()
    link = _invitation_link(outbox)
    login(owner)
    client.post(f"/settings/team/invitations/{invitation.id}/revoke")
    client.post("/account/logout")
    login(invitee)
    assert "no longer open" in client.get(_path(link)).get_data(as_text=True)
    client.post(_path(link))
    assert operations.membership_of(invitee.id) is None


def test_bad_input_is_refused_with_a_message_and_nothing_changes(client, login):
    owner = make_user()
    login(owner)
    page = client.post("/settings/team", data={"create-name": "  "}).get_data(as_text=True)
    assert "This field is required" in page or "Give the team a name" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0
    client.post("/settings/team", data={"create-name": "Lab"})
    page = client.post("/settings/team/invitations", data={"invite-email": "not an address"}).get_data(as_text=True)
    assert "valid e-mail" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_only_owners_manage_and_the_last_owner_cannot_leave_a_team_with_members(client, login):
    owner, member, stranger = make_user(), make_user(), make_user()
    _team(owner, member)
    other = _team(stranger, name="Other lab")
    membership = operations.membership_of(member.id)

    with pytest.raises(PermissionDenied):
        operations.remove_member(member, operations.membership_of(owner.id).id)
    db.session.rollback()
    with pytest.raises(DomainError):
        operations.leave(owner)
    db.session.rollback()

    login(stranger)  # an owner of another team: someone else's member is not found
    assert client.post(f"/settings/team/members/{membership.id}/remove").status_code == 404
    client.post("/account/logout")

    login(owner)
    client.post(f"/settings/team/members/{membership.id}/owner")
    db.session.expire_all()
    assert operations.membership_of(member.id).role == TeamRole.owner
    client.post("/settings/team/leave")
    db.session.expire_all()
    assert operations.membership_of(owner.id) is None
    client.post("/account/logout")

    login(member)  # alone now: leaving ends the team
    client.post("/settings/team/leave")
    db.session.expire_all()
    assert db.session.scalar(sa.select(Organisation).where(Organisation.name == "Atelier Dentaire Lyon")) is None
    assert db.session.get(Organisation, other.id) is not None


def test_one_team_per_account(client, login):
    owner, other = make_user(), make_user()
    _team(owner)
    _team(other, name="Second")
    with pytest.raises(DomainError):
        operations.create_organisation(owner, "Another")
    db.session.rollback()
    invitation = operations.invite(other, owner.email, utcnow())
    commit()
    with pytest.raises(DomainError):
        operations.accept(owner, invitation, utcnow())


# -- what a teammate reads ------------------------------------------------------------------------
def _shared_case():
    """A completed case sent by `sender`, with a patient scan attached; `mate` is in the sender's team."""
    sender, mate, designer = make_user(name="Sender"), make_user(name="Mate"), make_designer()
    _team(sender, mate)
    case = make_case(sender, designer)
    scan = store_file([b"solid scan\nendsolid scan\n"], owner=sender, filename="scan.stl", kind=FileKind.patient_scan)
    db.session.add(CaseFile(case_id=case.id, file_id=scan.id, role=CaseFileRole.attachment))
    commit()
    case = drive(db.session.get(Case, case.id), CaseState.completed)
    design = db.session.scalar(
        sa.select(CaseFile).where(CaseFile.case_id == case.id, CaseFile.role == CaseFileRole.delivery)
    )
    return sender, mate, designer, case, scan, design.file


def test_a_teammate_reads_the_case_its_designs_and_invoices_but_never_the_scan(client, login):
    sender, mate, designer, case, scan, design = _shared_case()
    service_id, commission_id = render_case_invoices(case.id)
    login(mate)

    page = client.get(f"/cases/{case.reference}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "A case of your team, sent by Sender" in text
    assert f"/invoices/{service_id}.pdf" in text
    assert scan.public_id not in text  # the attachment is counted, not linked

    assert "Team cases" in client.get("/cases/").get_data(as_text=True)
    listing = client.get("/cases/?side=team").get_data(as_text=True)
    assert case.reference in listing

    ok = [
        f"/cases/{case.reference}/files/{design.public_id}",
        f"/files/{design.public_id}/download",
        f"/files/3d/mesh/{design.public_id}",
        f"/files/3d/case/{case.reference}",
        f"/invoices/{service_id}.pdf",
    ]
    for url in ok:
        assert client.get(url).status_code == 200, url
    assert scan.public_id not in client.get(f"/files/3d/case/{case.reference}").get_data(as_text=True)
    refused = [
        f"/cases/{case.reference}/files/{scan.public_id}",
        f"/files/{scan.public_id}/download",
        f"/files/3d/mesh/{scan.public_id}",
        f"/invoices/{commission_id}.pdf",
    ]
    for url in refused:
        assert client.get(url).status_code == 404, url


def test_a_teammate_cannot_act_on_the_case(client, login):
    sender, mate = make_user(), make_user()
    _team(sender, mate)
    case = drive(make_case(sender, make_designer()), CaseState.delivered)
    login(mate)
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Next step" not in page
    client.post(f"/cases/{case.reference}/complete", data={"confirm": "y"})
    client.post(f"/cases/{case.reference}/revision", data={"revision-note": "Open the margins"})
    client.post(f"/cases/{case.reference}/cancel")
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.delivered


def test_outside_the_team_nothing_is_visible(client, login):
    sender, mate, designer, case, scan, design = _shared_case()
    service_id, _ = render_case_invoices(case.id)
    outsider = make_user()
    _team(outsider, name="Other lab")  # in a team, just not this one
    login(outsider)
    for url in (
        f"/cases/{case.reference}",
        f"/cases/{case.reference}/files/{design.public_id}",
        f"/files/{design.public_id}/download",
        f"/files/3d/case/{case.reference}",
        f"/invoices/{service_id}.pdf",
    ):
        assert client.get(url).status_code == 404, url
    assert case.reference not in client.get("/cases/?side=team").get_data(as_text=True)


def test_a_member_who_leaves_loses_access(client, login):
    sender, mate, designer, case, scan, design = _shared_case()
    login(mate)
    assert client.get(f"/cases/{case.reference}").status_code == 200
    client.post("/settings/team/leave")
    assert client.get(f"/cases/{case.reference}").status_code == 404
    assert client.get(f"/files/{design.public_id}/download").status_code == 404


def test_the_designers_teammates_see_nothing_of_the_designers_cases(client, login):
    sender, designer, colleague = make_user(), make_designer(), make_user()
    _team(designer, colleague)
    case = drive(make_case(sender, designer), CaseState.delivered)
    login(colleague)
    assert client.get(f"/cases/{case.reference}").status_code == 404


def test_a_teammate_reads_the_case_thread_but_writes_nothing_and_gets_no_attachment(client, login):
    sender, mate, designer, case, scan, design = _shared_case()
    thread = case_thread(case.id)
    scan_in_thread = store_file(
        [b"solid scan\nendsolid scan\n"], owner=sender, filename="thread-scan.stl", kind=FileKind.patient_scan
    )
    post_message(
        thread,
        actor=sender,
        body="Margins on 11 please",
        attachments=store_attachments([], owner=sender, uploaded=[scan_in_thread]),
    )
    commit()
    login(mate)
    assert f"/messages/{thread.id}" in client.get(f"/cases/{case.reference}").get_data(as_text=True)
    page = client.get(f"/messages/{thread.id}")
    assert page.status_code == 200 and "Margins on 11 please" in page.get_data(as_text=True)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Message))
    client.post(f"/messages/{thread.id}", data={"body": "Hello from the lab"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == before
    assert client.get(f"/messages/attachments/{scan_in_thread.public_id}").status_code == 404
    assert client.get(f"/files/{scan_in_thread.public_id}/download").status_code == 404
    client.post("/account/logout")
    login(make_user())
    assert client.get(f"/messages/{thread.id}").status_code == 404


def test_the_team_page_costs_the_same_whatever_the_number_of_members(client, login):
    owner = make_user()
    org = _team(owner, make_user())
    login(owner)
    few = statements(client, "/settings/team")
    for n in range(4):
        db.session.add(Membership(organisation_id=org.id, user_id=make_user().id, role=TeamRole.member))
        operations.invite(owner, f"{n}@elsewhere.example", utcnow())
    commit()
    assert statements(client, "/settings/team") == few


def test_the_team_cases_list_costs_the_same_whatever_the_number_of_cases(client, login):
    sender, mate, designer = make_user(name="Sender"), make_user(name="Mate"), make_designer()
    _team(sender, mate)
    make_case(sender, designer)
    commit()
    login(mate)
    few = statements(client, "/cases/?side=team")
    for _ in range(4):
        make_case(sender, make_designer())
    commit()
    assert statements(client, "/cases/?side=team") == few
    assert client.get("/cases/?side=team").get_data(as_text=True).count("/cases/OC-") >= 5
