"""A user's file leaves the app as an inert attachment, whichever route sends it, and a form
post's files never touch the disk before they are encrypted."""

from __future__ import annotations

import io
import os
import tempfile

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from extensions import commit, db
from models.cases import CaseFile, CaseFileRole
from models.files import FileKind, StoredFile
from models.messaging import MessageAttachment
from tests.cases.factories import design_file, make_case
from tests.files_web.factories import make_file, make_link, payload
from tests.messaging.factories import make_conversation

SANDBOX = "sandbox; default-src 'none'"
PAGE = b"<html><script>fetch('/files')</script></html>"


def assert_inert_attachment(response, content_type: str, name: str) -> None:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="{name}"')
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == SANDBOX


def test_my_file_downloads_as_a_sandboxed_attachment_of_its_detected_type(client, login, owner):
    stored = make_file(owner, b"solid crown\nendsolid crown\n", name="crown.stl", kind=FileKind.design)
    login(owner)
    assert_inert_attachment(client.get(f"/files/{stored.public_id}/download"), "model/stl", "crown.stl")


def test_a_file_kept_with_the_browsers_word_is_sent_as_plain_bytes(client, login, owner):
    """Rows stored before the content check kept what the browser said (text/html)."""
    stored = make_file(owner, payload(64), name="upper.stl", kind=FileKind.design)
    stored.content_type, stored.original_name = "text/html", "upper.html"
    commit()
    login(owner)
    response = client.get(f"/files/{stored.public_id}/download")
    assert_inert_attachment(response, "application/octet-stream", "upper.html")


def test_share_link_files_and_their_zip_are_sandboxed_attachments(client, owner):
    stored = make_file(owner, b"%PDF-1.7\n", name="report.pdf", kind=FileKind.design)
    _link, token = make_link(owner, [stored])
    assert_inert_attachment(client.get(f"/t/{token}/files/{stored.public_id}"), "application/pdf", "report.pdf")
    assert_inert_attachment(client.get(f"/t/{token}/all.zip"), "application/zip", "occlusa-transfer.zip")


def test_a_message_attachment_is_a_sandboxed_attachment(client, login, owner, stranger):
    conversation = make_conversation(owner, stranger)
    login(owner)
    client.post(
        f"/messages/{conversation.id}",
        content_type="multipart/form-data",
        data={"body": "", "kind": "design", "files": (io.BytesIO(b"Margin notes\n"), "notes.txt")},
    )
    attachment = db.session.scalar(sa.select(MessageAttachment))
    response = client.get(f"/messages/attachments/{attachment.file.public_id}")
    assert_inert_attachment(response, "text/plain; charset=utf-8", "notes.txt")


def test_a_case_file_is_a_sandboxed_attachment(client, login):
    case = make_case()
    stored = design_file(case.client)
    db.session.add(CaseFile(case_id=case.id, file_id=stored.id, role=CaseFileRole.attachment))
    commit()
    login(case.client)
    assert_inert_attachment(client.get(f"/cases/{case.reference}/files/{stored.public_id}"), "model/stl", "crown.stl")


def test_a_form_post_keeps_its_files_off_the_disk(client, login, owner, tmp_path, monkeypatch):
    """werkzeug spools a multipart part over 500 KB to a temporary file: a scan would sit there
    unencrypted. Temporary files are unlinked at once (invisible in a listing), so every one
    opened in the temporary folder during the post is recorded."""
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    opened = []
    real_open = os.open

    def recording_open(path, *args, **kwargs):
        if os.fspath(path).startswith(str(spool)):
            opened.append(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", recording_open)
    scan = payload(800 * 1024)
    login(owner)
    # The body is encoded here, in memory: the test client would spool it itself otherwise.
    boundary, body = encode_multipart(
        {"files": FileStorage(io.BytesIO(scan), "upper.stl"), "kind": "patient_scan", "days": "7"}
    )
    response = client.post("/files/new", data=body, content_type=f"multipart/form-data; boundary={boundary}")

    assert response.status_code == 302
    stored = db.session.scalar(sa.select(StoredFile))
    assert stored.size == len(scan) and stored.original_name == "upper.stl"
    assert opened == [] and list(spool.iterdir()) == []
