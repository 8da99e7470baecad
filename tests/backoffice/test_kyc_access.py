"""Identity documents open only in the back office, for the verifier holding the submission
with the second factor passed; every opening is audited; file URLs cannot be counted."""

from __future__ import annotations

import sqlalchemy as sa

from extensions import db
from models.accounts import StaffRole
from models.moderation import AuditEntry
from tests.backoffice.factories import make_staff, png_bytes, staff_login
from tests.backoffice.test_kyc import submitted, upload
from tests.factories import login, make_user

PASSPORT = png_bytes((10, 200, 10))


def _waiting_document(client):
    designer = make_user(designer=True)
    upload(client, designer, passport=PASSPORT)
    client.post("/account/logout")
    submission = submitted(designer)
    return submission, submission.documents[0].stored_file


def test_a_verifier_with_only_a_password_downloads_no_identity_document(app, client):
    _submission, stored = _waiting_document(client)
    verifier = make_staff(StaffRole.verifier)
    login(client, verifier)
    for url in (
        f"/files/{stored.public_id}/download",
        f"/files/{stored.id}/download",
        f"/backoffice/verifications/document/{stored.public_id}",
    ):
        response = client.get(url)
        assert PASSPORT not in response.data and response.status_code in (302, 404), url


def test_not_even_with_the_second_factor_outside_the_back_office(app, client):
    _submission, stored = _waiting_document(client)
    for role in (StaffRole.verifier, StaffRole.admin):
        reader = app.test_client()
        staff_login(reader, make_staff(role))
        assert reader.get(f"/files/{stored.public_id}/download").status_code == 404


def test_only_the_verifier_holding_the_submission_opens_its_documents_and_each_opening_is_audited(app, client):
    submission, stored = _waiting_document(client)
    holder, other = make_staff(StaffRole.verifier), make_staff(StaffRole.verifier)
    holder_client, other_client = app.test_client(), app.test_client()
    staff_login(holder_client, holder)
    staff_login(other_client, other)
    url = f"/backoffice/verifications/document/{stored.public_id}"
    assert holder_client.get(url).status_code == 404  # not taken from the queue yet
    holder_client.post(f"/backoffice/verifications/{submission.id}/take")
    assert other_client.get(url).status_code == 404
    for _ in range(2):
        assert holder_client.get(url).data == PASSPORT
    openings = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "verification.document_opened")
    ).all()
    assert [e.actor_id for e in openings] == [holder.id, holder.id]
    assert openings[0].object_id == str(submission.id) and openings[0].after["document"] == "passport"


def test_file_urls_name_files_by_a_random_id(client):
    _submission, first = _waiting_document(client)
    _submission, second = _waiting_document(client)
    for stored in (first, second):
        assert len(stored.public_id) >= 20 and not stored.public_id.isdigit()
    assert first.public_id != second.public_id
