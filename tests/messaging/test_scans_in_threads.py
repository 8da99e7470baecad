"""A patient scan sent in a case thread stays a patient scan: the resolution centre never reads it."""

from __future__ import annotations

import io

import sqlalchemy as sa

from extensions import db
from messaging.threads import case_thread
from models.accounts import StaffRole
from models.files import FileKind, StoredFile
from models.messaging import MessageAttachment
from tests.backoffice.factories import make_staff, staff_login
from tests.disputes.factories import disputed, people
from tests.factories import login
from tests.files_web.factories import upload_through_api

SCAN = b"solid lower_jaw\nendsolid lower_jaw\n"


def _sent(client, thread_id: int, **data) -> StoredFile:
    response = client.post(f"/messages/{thread_id}", data={"body": "", **data}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    attachment = db.session.scalars(sa.select(MessageAttachment).order_by(MessageAttachment.id.desc())).first()
    db.session.expire_all()
    return db.session.get(StoredFile, attachment.file_id)


def test_a_scan_sent_in_a_disputed_case_thread_reaches_the_designer_and_no_agent(app, client):
    customer, designer, _agent = people()
    case, dispute = disputed(customer, designer)
    thread = case_thread(case.id)
    login(client, customer)
    scan = _sent(client, thread.id, files=(io.BytesIO(SCAN), "lower-arch.stl"))
    assert scan.kind == FileKind.patient_scan
    agent = app.test_client()
    staff_login(agent, make_staff(StaffRole.resolution_agent))
    for url in (
        f"/messages/attachments/{scan.public_id}",
        f"/files/{scan.public_id}/download",
        f"/disputes/{dispute.id}/files/{scan.public_id}",
        f"/backoffice/resolution/{dispute.id}/files/{scan.public_id}",
    ):
        response = agent.get(url)
        assert response.status_code == 404 and SCAN not in response.data, url
    party = app.test_client()
    login(party, designer)
    assert party.get(f"/messages/attachments/{scan.public_id}").data == SCAN


def test_an_upload_that_is_a_patient_scan_stays_one_whatever_the_message_calls_it(client):
    customer, designer, _agent = people()
    case, _dispute = disputed(customer, designer)
    login(client, customer)
    uploaded = upload_through_api(client, SCAN, "lower-arch.stl", kind="patient_scan")
    scan = _sent(client, case_thread(case.id).id, file_id=[uploaded], kind="design")
    assert scan.public_id == uploaded and scan.kind == FileKind.patient_scan


def test_the_sender_says_a_file_is_a_design(client):
    customer, designer, _agent = people()
    case, _dispute = disputed(customer, designer)
    login(client, designer)
    design = _sent(
        client,
        case_thread(case.id).id,
        kind="design",
        files=(io.BytesIO(b"solid crown\nendsolid crown\n"), "crown-36.stl"),
    )
    assert design.kind == FileKind.design
