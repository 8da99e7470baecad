"""The resumable upload API the New transfer page speaks: parts, a dropped line, resuming."""

from __future__ import annotations

import io

from extensions import db
from files.uploads import request_bytes
from models.files import FileKind, StoredFile, UploadSession, UploadState
from tests.files_web.factories import payload

MiB = 1024 * 1024


class DroppingStream(io.RawIOBase):
    """A request body whose connection breaks after `keep` bytes."""

    def __init__(self, data: bytes, keep: int):
        self.data, self.keep, self.position = data, keep, 0

    def readable(self):
        return True

    def seekable(self):
        return True  # the test client measures the body's length before sending it

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: len(self.data)}[whence] + offset
        return self.position

    def tell(self):
        return self.position

    def readinto(self, buffer):
        if self.position >= self.keep:
            raise ConnectionResetError("client went away")
        n = min(len(buffer), self.keep - self.position)
        buffer[:n] = self.data[self.position : self.position + n]
        self.position += n
        return n


def _start(client, name="lower.stl", size=3 * MiB, kind="patient_scan"):
    response = client.post("/files/uploads", json={"filename": name, "size": size, "kind": kind})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_a_file_arrives_in_parts_and_resumes_after_a_dropped_connection(client, login, owner):
    login(owner)
    data = payload(3 * MiB + 123)
    started = _start(client, size=len(data))
    assert started["received_bytes"] == 0 and started["request_bytes"] == request_bytes()
    url = started["url"]

    # the first part arrives whole
    first = client.put(f"{url}?offset=0", data=data[:MiB], content_type="application/octet-stream")
    assert first.status_code == 200 and first.get_json()["received_bytes"] == MiB

    # the second request's connection breaks after half a MiB: what came is kept
    client.put(
        f"{url}?offset={MiB}",
        input_stream=DroppingStream(data[MiB : 2 * MiB], MiB // 2),
        content_type="application/octet-stream",
    )
    status = client.head(url)
    assert status.status_code == 204
    resume_at = int(status.headers["Upload-Offset"])
    assert resume_at == MiB + MiB // 2

    # a client that thinks the request failed resends from its old offset: told where to go on
    stale = client.put(f"{url}?offset={MiB}", data=data[MiB : 2 * MiB], content_type="application/octet-stream")
    assert stale.status_code == 409 and stale.get_json()["expected"] == resume_at

    # it goes on from there and the upload completes into a file with exactly these bytes
    done = client.put(f"{url}?offset={resume_at}", data=data[resume_at:], content_type="application/octet-stream")
    answer = done.get_json()
    assert done.status_code == 200 and answer["complete"] and answer["received_bytes"] == len(data)
    downloaded = client.get(f"/files/{answer['file_id']}/download")
    assert downloaded.status_code == 200 and downloaded.data == data
    stored = db.session.scalar(db.select(StoredFile).where(StoredFile.public_id == answer["file_id"]))
    assert stored.kind == FileKind.patient_scan and stored.original_name == "lower.stl"


def test_status_is_readable_with_get_and_an_upload_can_be_abandoned(client, login, owner):
    login(owner)
    started = _start(client, size=10)
    client.put(f"{started['url']}?offset=0", data=b"12345", content_type="application/octet-stream")
    status = client.get(started["url"])
    assert status.get_json()["received_bytes"] == 5 and status.headers["Upload-Offset"] == "5"
    assert client.delete(started["url"]).status_code == 204
    upload = db.session.scalar(db.select(UploadSession).where(UploadSession.token == started["token"]))
    assert upload.state == UploadState.aborted
    later = client.put(f"{started['url']}?offset=5", data=b"67890", content_type="application/octet-stream")
    assert later.status_code == 409 and "over" in later.get_json()["error"]


def test_someone_elses_upload_does_not_exist_for_me(client, login, owner, stranger):
    login(owner)
    started = _start(client, size=10)
    client.post("/account/logout")
    login(stranger)
    assert client.head(started["url"]).status_code == 404
    put = client.put(f"{started['url']}?offset=0", data=b"x" * 10, content_type="application/octet-stream")
    assert put.status_code == 404


def test_bad_starts_are_refused_with_a_reason(client, login, owner, app, monkeypatch):
    login(owner)
    monkeypatch.setitem(app.config, "UPLOAD_LIMIT_BYTES", 100)
    too_big = client.post("/files/uploads", json={"filename": "big.stl", "size": 101})
    assert too_big.status_code == 400
    assert "larger than the 100 bytes the platform accepts" in too_big.get_json()["error"]
    assert client.post("/files/uploads", json={"filename": "x.stl"}).status_code == 400
    assert (
        client.post("/files/uploads", json={"filename": "x.stl", "size": 5, "kind": "identity_document"}).status_code
        == 400
    )
    assert db.session.scalar(db.select(db.func.count(UploadSession.id))) == 0


def test_the_upload_api_needs_a_signed_in_account(client):
    response = client.post("/files/uploads", json={"filename": "x.stl", "size": 5})
    assert response.status_code in (302, 401)


def test_a_finished_upload_reports_its_check_a_mesh_with_its_size_and_warnings(client, login, owner):
    """What the order page shows before paying: the check of each scan as soon as it is in."""
    from tests.files.mesh_samples import CUBE_FACES, CUBE_VERTICES, binary_stl

    login(owner)
    cube = binary_stl(CUBE_VERTICES, CUBE_FACES)
    started = _start(client, name="crown.stl", size=len(cube))
    assert started["check"] is None  # nothing to check before the last byte
    done = client.put(f"{started['url']}?offset=0", data=cube, content_type="application/octet-stream").get_json()
    # without Redis the check job runs inline, before the answer
    assert done["check"] == {
        "done": True,
        "failed": False,
        "summary": "12 triangles · 10.0 × 10.0 × 10.0 mm",
        "warnings": [],
    }

    empty = b"solid scan\nendsolid scan\n"
    started = _start(client, name="upper.stl", size=len(empty))
    client.put(f"{started['url']}?offset=0", data=empty, content_type="application/octet-stream")
    in_french = client.get(started["url"], headers={"Accept-Language": "fr"}).get_json()
    assert in_french["check"]["done"] and in_french["check"]["warnings"] == ["Le fichier ne contient aucun triangle."]
