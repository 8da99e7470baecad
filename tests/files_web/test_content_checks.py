"""What an uploaded file is comes from its bytes: web pages and programs are refused wherever
they are sent (upload API and forms without JavaScript), real scans, designs, images and
documents still go through, and the stored type is the detected one, never the browser's."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app

from extensions import db
from models.cases import Case
from models.files import FileKind, StoredFile, UploadSession, UploadState
from models.messaging import Message
from tests.catalogue.factories import make_designer, make_listing, picture
from tests.cases.factories import order_page
from tests.factories import make_user
from tests.files.mesh_samples import CUBE_FACES, CUBE_VERTICES, ascii_ply, ascii_stl, binary_stl, obj
from tests.messaging.factories import make_conversation

HTML_PAGE = b"<!doctype html><html><body><script>fetch('/files').then(r => r.text())</script></body></html>"
ELF_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + bytes(120)
WINDOWS_PROGRAM = b"MZ" + bytes(0x3A) + (0x80).to_bytes(4, "little") + bytes(0x40) + b"PE\x00\x00" + bytes(64)
SVG_WITH_SCRIPT = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("upper.stl", ascii_stl(CUBE_VERTICES, CUBE_FACES))
    return out.getvalue()


ACCEPTED = [  # (name, bytes, kind, stored type)
    ("crown.stl", binary_stl(CUBE_VERTICES, CUBE_FACES), "design", "model/stl"),
    ("upper.stl", ascii_stl(CUBE_VERTICES, CUBE_FACES), "patient_scan", "model/stl"),
    ("lower.ply", ascii_ply(CUBE_VERTICES, CUBE_FACES), "patient_scan", "model/x-ply"),
    ("bridge.obj", obj(CUBE_VERTICES, CUBE_FACES), "design", "model/obj"),
    ("cbct.dcm", bytes(128) + b"DICM" + b"\x02\x00\x00\x00UL\x04\x00", "patient_scan", "application/dicom"),
    (
        "trios.dcm",
        b'<?xml version="1.0"?>\n<HPS version="1.1"><Packed_geometry/></HPS>',
        "patient_scan",
        "application/octet-stream",
    ),
    ("scans.zip", _zip(), "patient_scan", "application/zip"),
    ("prescription.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "document", "application/pdf"),
    ("smile.png", picture(), "image", "image/png"),
    ("smile.jpg", picture(fmt="JPEG"), "image", "image/jpeg"),
    ("notes.txt", b"Margin on 36 is 0.1 mm short.\n", "document", "text/plain; charset=utf-8"),
]


def _stored_keys() -> set[Path]:
    root = Path(current_app.config["STORAGE_URL"].removeprefix("file://"))
    return {p for p in root.rglob("*") if p.is_file()}


def _start(client, name: str, size: int, kind: str):
    return client.post("/files/uploads", json={"filename": name, "size": size, "kind": kind})


def _put(client, url: str, data: bytes):
    return client.put(f"{url}?offset=0", data=data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("upper.stl", HTML_PAGE, "patient_scan"),
        ("cbct.dcm", ELF_PROGRAM, "patient_scan"),
        ("crown.stl", SVG_WITH_SCRIPT, "design"),
        ("crown.png", ELF_PROGRAM, "design"),
        ("export.dat", WINDOWS_PROGRAM, "document"),
    ],
)
def test_the_upload_api_refuses_web_pages_and_programs_and_keeps_nothing(client, login, owner, name, data, kind):
    login(owner)
    before = _stored_keys()
    started = _start(client, name, len(data), kind)
    assert started.status_code == 201
    refused = _put(client, started.json["url"], data)
    assert refused.status_code == 415 and name in refused.json["error"]
    upload = db.session.scalar(sa.select(UploadSession))
    assert upload.state == UploadState.aborted and upload.stored_file_id is None
    assert db.session.scalar(sa.select(sa.func.count(StoredFile.id))) == 0
    assert _stored_keys() == before


def test_a_web_page_is_refused_in_the_request_that_brings_its_first_bytes(client, login, owner):
    """A big file is refused by its first request: the rest is never asked for."""
    data = HTML_PAGE + b" " * (6 * 1024 * 1024)
    login(owner)
    started = _start(client, "upper.stl", len(data), "patient_scan").json
    first = client.put(f"{started['url']}?offset=0", data=data[: 1024 * 1024], content_type="application/octet-stream")
    assert first.status_code == 415
    assert client.get(started["url"]).json["state"] == "aborted"


def test_a_program_or_page_by_its_name_is_refused_before_any_byte(client, login, owner):
    login(owner)
    for name in ("setup.exe", "viewer.html", "logo.svg", "tool.js", "install.sh"):
        refused = _start(client, name, 100, "document")
        assert refused.status_code == 415 and "cannot be sent" in refused.json["error"], name
    assert db.session.scalar(sa.select(sa.func.count(UploadSession.id))) == 0


@pytest.mark.parametrize("name, data, kind, content_type", ACCEPTED)
def test_real_scans_designs_images_and_documents_are_accepted_with_their_own_type(
    client, login, owner, name, data, kind, content_type
):
    login(owner)
    started = _start(client, name, len(data), kind).json
    done = _put(client, started["url"], data)
    assert done.status_code == 200 and done.json["complete"]
    stored = db.session.scalar(sa.select(StoredFile).where(StoredFile.public_id == done.json["file_id"]))
    assert stored.content_type == content_type
    download = client.get(f"/files/{stored.public_id}/download")
    assert download.data == data and download.headers["Content-Type"] == content_type


def test_each_place_takes_its_own_kinds(client, login, owner):
    login(owner)
    pdf = b"%PDF-1.7\n"
    started = _start(client, "report.pdf", len(pdf), "patient_scan").json
    refused = _put(client, started["url"], pdf)
    assert refused.status_code == 415 and "is not a scan" in refused.json["error"]
    stl = ascii_stl(CUBE_VERTICES, CUBE_FACES)
    started = _start(client, "upper.stl", len(stl), "image").json
    assert _put(client, started["url"], stl).status_code == 415


def test_a_transfer_without_javascript_refuses_a_page_named_as_a_scan(client, login, owner):
    login(owner)
    before = _stored_keys()
    response = client.post(
        "/files/new",
        data={"files": [(io.BytesIO(HTML_PAGE), "upper.stl", "model/stl")], "kind": "patient_scan", "days": "7"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "is a program, a script or a web page" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(StoredFile.id))) == 0
    assert _stored_keys() == before


def test_the_order_form_refuses_a_program_named_as_a_dicom_scan(client, login):
    buyer = make_user()
    listing = make_listing(make_designer())
    login(buyer)
    response = client.post(
        order_page(client, listing.id),
        data={
            "teeth": ["11"],
            "restoration_11": "crown",
            "material": "zirconia",
            "shade": "A2",
            "instructions": "Please keep the contacts light.",
            "client_case_id": "LAB-77",
            "card_number": "4242 4242 4242 4242",
            "attachments": (io.BytesIO(ELF_PROGRAM), "cbct.dcm"),
        },
        content_type="multipart/form-data",
    )
    assert "cbct.dcm is a program, a script or a web page" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(StoredFile.id))) == 0


def test_a_program_cannot_be_attached_to_a_message(client, login, owner, stranger):
    conversation = make_conversation(owner, stranger)
    login(owner)
    posted = client.post(
        f"/messages/{conversation.id}",
        data={"body": "the tool I use", "files": (io.BytesIO(WINDOWS_PROGRAM), "setup.exe")},
        content_type="multipart/form-data",
    )
    assert posted.status_code == 400 and "setup.exe is a program" in posted.get_data(as_text=True)
    renamed = client.post(
        f"/messages/{conversation.id}",
        data={"body": "the tool I use", "files": (io.BytesIO(WINDOWS_PROGRAM), "crown-36.zip")},
        content_type="multipart/form-data",
    )
    assert renamed.status_code == 400
    assert _start(client, "setup.exe", len(WINDOWS_PROGRAM), "document").status_code == 415
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(StoredFile.id))) == 0


def test_the_browsers_content_type_is_never_kept(client, login, owner):
    login(owner)
    png = picture()
    client.post(
        "/files/new",
        data={"files": [(io.BytesIO(png), "smile.png", "text/html")], "kind": "design", "days": "7"},
        content_type="multipart/form-data",
    )
    stored = db.session.scalar(sa.select(StoredFile))
    assert stored.kind == FileKind.design and stored.content_type == "image/png"
