"""My files: every link I created, every file I sent or received in messages and cases, with states."""

from __future__ import annotations

from datetime import timedelta

from extensions import commit, db
from files.operations import delete_file
from jobs.sweep import run_sweeps
from models.cases import CaseFile, CaseFileRole
from models.files import FileKind, ShareLink
from models.messaging import Message, MessageAttachment
from models.types import utcnow
from tests.factories import make_user
from tests.files_web.factories import make_file, make_link
from tests.messaging.factories import make_case, make_conversation


def test_links_are_listed_with_their_state(client, login, owner):
    live = make_file(owner, b"a", name="live.stl", kind=FileKind.design)
    old = make_file(owner, b"b", name="old.stl", kind=FileKind.design)
    gone = make_file(owner, b"c", name="gone.stl", kind=FileKind.design)
    make_link(owner, [live])
    expired, _ = make_link(owner, [old])
    deleted, _ = make_link(owner, [gone])
    db.session.get(ShareLink, expired.id).expires_at = utcnow() - timedelta(hours=1)
    commit()
    login(owner)
    client.post(f"/files/links/{deleted.id}/delete")
    page = client.get("/files").get_data(as_text=True)
    rows = {name: page.split(name, 1)[1].split("</tr>", 1)[0] for name in ("live.stl", "old.stl", "gone.stl")}
    assert "Active" in rows["live.stl"] and "Expired" in rows["old.stl"] and "Deleted" in rows["gone.stl"]


def test_message_attachments_sent_and_received_are_listed(client, login, owner):
    designer = make_user(designer=True)
    conversation = make_conversation(owner, designer)
    mine = make_file(owner, b"scan", name="my-scan.stl")
    theirs = make_file(designer, b"design", name="their-design.stl", kind=FileKind.design)
    for sender, stored in ((owner, mine), (designer, theirs)):
        message = Message(conversation_id=conversation.id, sender_id=sender.id, body="file")
        db.session.add(message)
        db.session.flush()
        db.session.add(
            MessageAttachment(message_id=message.id, file_id=stored.id, name=stored.original_name, size=stored.size)
        )
    commit()
    login(designer)
    client.get(f"/files/{mine.public_id}/download").get_data()  # the recipient has it
    client.post("/account/logout")
    login(owner)
    page = client.get("/files?tab=messages").get_data(as_text=True)
    mine_row = page.split("my-scan.stl", 1)[1].split("</tr>", 1)[0]  # kept for its grace window
    theirs_row = page.split("their-design.stl", 1)[1].split("</tr>", 1)[0]
    assert "sent" in mine_row and "Downloaded" in mine_row
    assert "received" in theirs_row and "Active" in theirs_row and "View in 3D" in theirs_row

    run_sweeps(now=utcnow() + timedelta(hours=25))  # PATIENT_FILE_GRACE_HOURS (24) later
    page = client.get("/files?tab=messages").get_data(as_text=True)
    assert "my-scan.stl" not in page  # the patient scan's name went with its bytes
    mine_row = page.split("Deleted file", 1)[1].split("</tr>", 1)[0]
    assert "sent" in mine_row and "Downloaded" in mine_row


def test_case_files_are_listed_for_both_parties_only(client, login, owner):
    designer = make_user(designer=True)
    case = make_case(owner, designer)
    scan = make_file(owner, b"scan", name="case-scan.stl")
    design = make_file(designer, b"crown", name="crown.stl", kind=FileKind.design)
    db.session.add_all(
        [
            CaseFile(case_id=case.id, file_id=scan.id, role=CaseFileRole.attachment),
            CaseFile(case_id=case.id, file_id=design.id, role=CaseFileRole.delivery),
        ]
    )
    commit()
    delete_file(design, actor=designer)
    commit()
    login(owner)
    page = client.get("/files?tab=cases").get_data(as_text=True)
    assert case.reference in page
    assert "Active" in page.split("case-scan.stl", 1)[1].split("</tr>", 1)[0]
    assert "Deleted" in page.split("crown.stl", 1)[1].split("</tr>", 1)[0]
    client.post("/account/logout")
    login(make_user())
    assert "case-scan.stl" not in client.get("/files?tab=cases").get_data(as_text=True)


def test_empty_tabs_say_what_will_appear(client, login, owner):
    login(owner)
    assert "No links yet" in client.get("/files").get_data(as_text=True)
    assert "No files in your messages" in client.get("/files?tab=messages").get_data(as_text=True)
    assert "No case files" in client.get("/files?tab=cases").get_data(as_text=True)


def test_the_viewer_lists_a_cases_meshes_for_its_parties(client, login, owner):
    designer = make_user(designer=True)
    case = make_case(owner, designer)
    upper = make_file(owner, b"solid a\nendsolid a\n", name="upper_jaw.stl")
    db.session.add(CaseFile(case_id=case.id, file_id=upper.id, role=CaseFileRole.attachment))
    commit()
    login(designer)
    page = client.get(f"/files/3d/case/{case.reference}").get_data(as_text=True)
    assert "upper_jaw.stl" in page and "&#34;role&#34;: &#34;upper&#34;" in page
    client.post("/account/logout")
    login(make_user())
    assert client.get(f"/files/3d/case/{case.reference}").status_code == 404
