"""Text inside uploads (mesh headers, ZIP names, EXIF, PDF metadata and text) is screened for
contact details like a message: a file that carries them is refused at upload with the place
named, nothing of it is kept, and the attempt is recorded for moderators without the file's
text. Files whose text is ordinary dental talk go through."""

from __future__ import annotations

import io
import random
import zipfile
import zlib

import pytest
import sqlalchemy as sa
from PIL import Image, PngImagePlugin

from extensions import db
from files.embedded_text import FileText
from models.files import StoredFile, UploadSession, UploadState
from models.moderation import Violation, ViolationSource
from nlp import find_contacts
from tests.files.mesh_samples import CUBE_FACES, CUBE_VERTICES, ascii_ply, ascii_stl, binary_stl, obj

PHONE = "+33 6 12 34 56 78"


def _zip(name: str = "upper.stl", comment: bytes = b"") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, ascii_stl(CUBE_VERTICES, CUBE_FACES))
        archive.comment = comment
    return out.getvalue()


def _jpeg_with_exif(**tags) -> bytes:
    exif = Image.Exif()
    for tag, value in tags.items():
        exif[{"artist": 0x013B, "copyright": 0x8298, "description": 0x010E}[tag]] = value
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 180, 160)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def _png_with_text(key: str, value: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text(key, value)
    out = io.BytesIO()
    Image.new("RGB", (32, 24)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _pdf(author: str = "Lab Dupont", text: str = "Crown on 36, margin 0.05 mm") -> bytes:
    content = zlib.compress(f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode())
    return (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        + f"4 0 obj\n<< /Length {len(content)} /Filter /FlateDecode >>\nstream\n".encode()
        + content
        + b"\nendstream\nendobj\n5 0 obj\n<< /Author ("
        + author.encode()
        + b") /Producer (exocad) >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R /Info 5 0 R >>\n%%EOF\n"
    )


def _obj_with_comment(comment: str) -> bytes:
    return f"# {comment}\n".encode() + obj(CUBE_VERTICES, CUBE_FACES)


def _ply_with_comment(comment: str) -> bytes:
    return ascii_ply(CUBE_VERTICES, CUBE_FACES).replace(
        b"format ascii 1.0\n", f"format ascii 1.0\ncomment {comment}\n".encode(), 1
    )


REFUSED = [  # (name, bytes, kind, the place the refusal names)
    ("crown.stl", binary_stl(CUBE_VERTICES, CUBE_FACES, header=f"call me {PHONE}".encode()), "design", "STL header"),
    (
        "upper.stl",
        ascii_stl(CUBE_VERTICES, CUBE_FACES).replace(b"solid test", b"solid anna.cad@gmail.com", 1),
        "patient_scan",
        "STL solid name",
    ),
    ("lower.ply", _ply_with_comment(f"whatsapp {PHONE}"), "patient_scan", "PLY comments"),
    ("bridge.obj", _obj_with_comment("made by www.smile-lab-design.fr"), "design", "OBJ comments"),
    ("scans.zip", _zip(name=f"call {PHONE}.stl"), "patient_scan", "names of the files in the ZIP"),
    ("scans.zip", _zip(comment=b"insta @smile.lab.cad"), "patient_scan", "ZIP comments"),
    ("smile.jpg", _jpeg_with_exif(artist=f"Anna {PHONE}"), "image", "EXIF"),
    ("smile.png", _png_with_text("Author", "anna.cad@gmail.com"), "image", "PNG text fields"),
    ("report.pdf", _pdf(author=f"Anna, tel {PHONE}"), "document", "PDF metadata"),
    ("report.pdf", _pdf(text="write to anna.cad@gmail.com"), "document", "PDF text"),
]

ACCEPTED = [
    (
        "crown.stl",
        binary_stl(CUBE_VERTICES, CUBE_FACES, header=b"exocad 3.1 teeth 18 17 16 15 14 13 12 11 21 22 23"),
        "design",
    ),
    (
        "lower.ply",
        _ply_with_comment("VCGLIB generated, implants 36 46, UDI (01)04012345678901(17)260331"),
        "patient_scan",
    ),
    ("bridge.obj", _obj_with_comment("Bridge 13-23, shade A2, case 2024118345"), "design"),
    ("smile.jpg", _jpeg_with_exif(description="Shade A2 at 06 12 2024", copyright="Lab Dupont"), "image"),
    ("report.pdf", _pdf(), "document"),
    ("scans.zip", _zip(name="case 2024118345/upper 18-28.stl", comment=b"exported 06 12 2024"), "patient_scan"),
]


def _upload(client, name: str, data: bytes, kind: str, request_bytes: int | None = None):
    started = client.post("/files/uploads", json={"filename": name, "size": len(data), "kind": kind}).json
    step = request_bytes or len(data) or 1
    for offset in range(0, len(data), step):
        answer = client.put(
            f"{started['url']}?offset={offset}",
            data=data[offset : offset + step],
            content_type="application/octet-stream",
        )
        if answer.status_code != 200:
            return answer
    return answer


@pytest.mark.parametrize("name, data, kind, place", REFUSED, ids=[f"{r[0]}-{r[3]}" for r in REFUSED])
def test_a_file_carrying_contact_details_is_refused_with_the_place_named(client, login, owner, name, data, kind, place):
    login(owner)

    refused = _upload(client, name, data, kind)

    assert refused.status_code == 415
    assert name in refused.json["error"] and place in refused.json["error"]
    upload = db.session.scalar(sa.select(UploadSession))
    assert upload.state == UploadState.aborted and upload.stored_file_id is None
    assert db.session.scalar(sa.select(sa.func.count(StoredFile.id))) == 0
    violation = db.session.scalar(sa.select(Violation))
    assert violation.user_id == owner.id and violation.source == ViolationSource.file
    assert violation.findings and all(f["field"] in violation.text for f in violation.findings)


def test_the_violation_keeps_the_finding_and_its_place_not_the_files_text(client, login, owner):
    header = f"Design by Anna - {PHONE} - thanks for the case".encode()
    login(owner)

    _upload(client, "crown.stl", binary_stl(CUBE_VERTICES, CUBE_FACES, header=header), "design")

    violation = db.session.scalar(sa.select(Violation))
    assert violation.text == "[stl_header] STL header"
    assert [(f["field"], f["kind"], f["text"]) for f in violation.findings] == [("stl_header", "phone", PHONE)]


@pytest.mark.parametrize("name, data, kind", ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_dental_text_inside_files_goes_through(client, login, owner, name, data, kind):
    login(owner)

    done = _upload(client, name, data, kind)

    assert done.status_code == 200 and done.json["complete"], done.json
    assert db.session.scalar(sa.select(sa.func.count(Violation.id))) == 0


def test_contact_details_at_the_end_of_a_file_sent_in_several_requests_are_refused(client, login, owner):
    """A ZIP's comment is its last bytes: the request that brings them is refused."""
    data = _zip(comment=f"whatsapp {PHONE}".encode())
    login(owner)

    refused = _upload(client, "scans.zip", data, "patient_scan", request_bytes=len(data) // 2)

    assert refused.status_code == 415 and "ZIP comments" in refused.json["error"]
    assert db.session.scalar(sa.select(UploadSession)).state == UploadState.aborted


def test_a_transfer_without_javascript_refuses_a_mesh_carrying_contact_details(client, login, owner):
    login(owner)
    data = binary_stl(CUBE_VERTICES, CUBE_FACES, header=f"call me {PHONE}".encode())

    response = client.post(
        "/files/new",
        data={"files": [(io.BytesIO(data), "crown.stl", "model/stl")], "kind": "design", "days": "7"},
        content_type="multipart/form-data",
    )

    assert response.status_code == 400 and "STL header" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(StoredFile.id))) == 0


def test_binary_bytes_in_an_stl_header_are_not_read_as_words():
    """Exporters write colour bytes or leave noise in the 80-byte header: read as letters, one
    header in a few hundred looked like a link or a phone number and an ordinary design was
    refused. Only the words typed there are screened."""
    rng = random.Random(2026)
    refused = []
    for _ in range(2000):
        header = bytes(rng.getrandbits(8) for _ in range(80))
        reader = FileText("stl")
        reader.feed(binary_stl(CUBE_VERTICES, CUBE_FACES, header=header))
        texts = [text for _, text in reader.texts()]
        if any(find_contacts(text) for text in texts):
            refused.append(header)
    assert refused == []

    typed = FileText("stl")
    typed.feed(binary_stl(CUBE_VERTICES, CUBE_FACES, header=f"Design by Anna - {PHONE}".encode().ljust(80, b"\0")))
    assert [kind for _, text in typed.texts() for kind in (f.kind for f in find_contacts(text))] == ["phone"]
