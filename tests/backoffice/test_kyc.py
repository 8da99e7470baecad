"""Identity verification: upload, view decrypted, decide, and the documents are gone (bytes and keys)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from errors import DomainError, InvalidTransition
from extensions import commit, db
from files.storage import get_storage
from jobs.sweep import run_sweeps
from models.accounts import StaffRole
from models.files import StoredFile
from models.messaging import Notification
from models.moderation import AuditEntry
from models.profiles import DesignerProfile
from models.verification import VerificationStatus, VerificationSubmission
from models.types import utcnow
from moderation import kyc
from tests.backoffice.factories import make_staff, png_bytes, staff_login
from tests.factories import login, make_user

PASSPORT = png_bytes((200, 10, 10))
COMPANY = b"%PDF-1.4\n% company registry extract\n%%EOF\n"


def upload(client, designer, **files):
    login(client, designer)
    data = {
        "nationality": files.pop("nationality", "BR"),
        **({"as_company": "y"} if files.pop("company", False) else {}),
    }
    for name, content in files.items():
        data[name] = (io.BytesIO(content), f"{name}.bin")
    return client.post("/settings/verification/", data=data, content_type="multipart/form-data")


def submitted(designer) -> VerificationSubmission:
    db.session.expire_all()
    return kyc.latest_submission(designer)


def stored_keys(submission) -> list[str]:
    return [d.stored_file.storage_key for d in submission.documents]


def test_designer_uploads_encrypted_documents(client):
    designer = make_user(designer=True)
    upload(client, designer, passport=PASSPORT, company_proof=COMPANY, company=True)
    submission = submitted(designer)
    assert submission.status == VerificationStatus.submitted
    assert sorted(submission.document_types) == ["company_proof", "passport"]
    for document in submission.documents:
        raw = b"".join(get_storage().read(document.stored_file.storage_key))
        assert PASSPORT not in raw and b"company registry" not in raw  # encrypted at rest


def test_missing_or_wrong_documents_are_refused_and_nothing_kept(client):
    designer = make_user(designer=True)
    response = upload(client, designer, id_front=PASSPORT, id_back=PASSPORT, nationality="BR")
    assert response.status_code == 302
    assert submitted(designer) is None  # Brazilian ID cards are not enough: a passport is needed
    upload(client, designer, passport=b"MZ\x90\x00 not an image", nationality="BR")
    assert submitted(designer) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0
    upload(client, designer, id_front=PASSPORT, id_back=PASSPORT, nationality="FR")
    assert submitted(designer).document_types == ["id_front", "id_back"]


def test_verifier_sees_documents_uncached_and_approval_deletes_them(app, client):
    designer = make_user(designer=True)
    upload(client, designer, passport=PASSPORT)
    submission = submitted(designer)
    document = submission.documents[0]
    keys = stored_keys(submission)
    verifier_client = app.test_client()
    verifier = make_staff(StaffRole.verifier)
    staff_login(verifier_client, verifier)
    assert designer.display_name in verifier_client.get("/backoffice/verifications/").get_data(as_text=True)
    # Viewing without taking it shows no identity document; taking it does.
    assert "/backoffice/verifications/document/" not in verifier_client.get(
        f"/backoffice/verifications/{submission.id}"
    ).get_data(as_text=True)
    verifier_client.post(f"/backoffice/verifications/{submission.id}/take")
    assert "/backoffice/verifications/document/" in verifier_client.get(
        f"/backoffice/verifications/{submission.id}"
    ).get_data(as_text=True)
    response = verifier_client.get(f"/backoffice/verifications/document/{document.stored_file.public_id}")
    assert response.data == PASSPORT and response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"  # never a page of ours

    verifier_client.post(f"/backoffice/verifications/{submission.id}/approve")

    submission = submitted(designer)
    assert submission.status == VerificationStatus.approved and submission.verifier_id == verifier.id
    assert all(not get_storage().exists(key) for key in keys)  # the bytes are gone …
    stored = db.session.scalars(sa.select(StoredFile)).all()
    assert all(f.wrapped_key is None for f in stored)  # … and so are their keys
    assert [f.original_name for f in stored] == [""]  # … and the file's name ("passport.bin")
    assert submission.document_summary[0]["sha256"] == document.sha256 and submission.decided_at
    document_url = f"/backoffice/verifications/document/{document.stored_file.public_id}"
    assert verifier_client.get(document_url).status_code == 404
    profile = db.session.scalar(sa.select(DesignerProfile).where(DesignerProfile.user_id == designer.id))
    assert profile.identity_verified
    notification = db.session.scalar(sa.select(Notification).where(Notification.user_id == designer.id))
    assert notification.event == "verification_result"
    assert (
        db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "verification.approved")).actor_id
        == verifier.id
    )


def test_no_route_returns_a_decided_document(app, client):
    designer = make_user(designer=True)
    upload(client, designer, passport=PASSPORT)
    submission = submitted(designer)
    stored_id = submission.documents[0].stored_file_id
    verifier = make_staff(StaffRole.verifier)
    verifier_client = app.test_client()
    staff_login(verifier_client, verifier)
    verifier_client.post(f"/backoffice/verifications/{submission.id}/reject", data={"reason": "Blurred photo"})
    assert submitted(designer).status == VerificationStatus.rejected
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.arguments:
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = re.sub(r"<(?:[^:<>]+:)?%s>" % arg, str(stored_id), url)
        for who in (client, verifier_client):
            response = who.get(url)
            assert PASSPORT not in response.data, url


def test_rejection_needs_a_reason_and_the_designer_can_send_again(client, request_context):
    designer = make_user(designer=True)
    upload(client, designer, passport=PASSPORT)
    submission = submitted(designer)
    verifier = make_staff(StaffRole.verifier)
    with pytest.raises(DomainError):
        kyc.reject_verification(submission, actor=verifier, reason=" ")
    db.session.rollback()
    kyc.reject_verification(submission, actor=verifier, reason="The passport has expired")
    commit()
    with pytest.raises(InvalidTransition):
        kyc.approve_verification(submission, actor=verifier)
    db.session.rollback()
    assert "The passport has expired" in client.get("/settings/payments").get_data(as_text=True)
    upload(client, designer, passport=PASSPORT)
    assert submitted(designer).status == VerificationStatus.submitted


def test_abandoned_submissions_lose_their_documents_after_the_configured_days(client, app):
    designer = make_user(designer=True)
    upload(client, designer, passport=PASSPORT)
    submission = submitted(designer)
    keys = stored_keys(submission)
    assert run_sweeps(utcnow() + timedelta(days=29))["moderation.kyc:abandon_stale_submissions"] == 0
    assert all(get_storage().exists(k) for k in keys)
    assert run_sweeps(utcnow() + timedelta(days=31))["moderation.kyc:abandon_stale_submissions"] == 1
    submission = submitted(designer)
    assert submission.status == VerificationStatus.abandoned
    assert all(not get_storage().exists(k) for k in keys)
    assert (
        db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "verification.abandoned")).actor_id is None
    )
    assert all(d.stored_file.wrapped_key is None for d in submission.documents)
    assert all(d.stored_file.original_name == "" for d in submission.documents)


def test_only_verifiers_may_open_documents(app, client):
    designer = make_user(designer=True)
    upload(client, designer, passport=PASSPORT)
    document = submitted(designer).documents[0]
    moderator_client = app.test_client()
    staff_login(moderator_client, make_staff(StaffRole.moderator))
    document_url = f"/backoffice/verifications/document/{document.stored_file.public_id}"
    assert moderator_client.get(document_url).status_code == 404


def test_rejecting_a_verified_designer_removes_the_badge_and_the_verifier_is_told_first(app, client, request_context):
    from profiles.operations import profile_for, set_identity_verified

    designer = make_user(designer=True)
    verifier = make_staff(StaffRole.verifier)
    set_identity_verified(designer, True, actor=verifier)  # verified earlier (as the demo's designers are)
    commit()
    upload(client, designer, passport=PASSPORT)  # papers sent again while verified
    again = submitted(designer)
    desk = app.test_client()
    staff_login(desk, verifier)

    page = desk.get(f"/backoffice/verifications/{again.id}").get_data(as_text=True)
    assert "This designer is already verified" in page

    desk.post(f"/backoffice/verifications/{again.id}/reject", data={"reason": "The photo is not the owner"})
    db.session.expire_all()
    assert submitted(designer).status == VerificationStatus.rejected
    assert profile_for(designer).identity_verified is False  # the badge follows the latest decision
    note = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == designer.id).order_by(Notification.id.desc())
    ).first()
    assert "Verified badge is removed" in note.body
