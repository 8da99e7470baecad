"""Private downloads with HTTP Range; strangers see nothing."""

from __future__ import annotations

from extensions import db
from models.files import FileDownload, FileKind, StoredFile
from tests.files_web.factories import make_file, payload


def test_range_requests_answer_206_with_exactly_those_bytes(client, login, owner):
    data = payload(5000)
    stored = make_file(owner, data, kind=FileKind.design)
    login(owner)
    url = f"/files/{stored.public_id}/download"

    whole = client.get(url)
    assert whole.status_code == 200 and whole.data == data
    assert whole.headers["Accept-Ranges"] == "bytes" and whole.headers["Cache-Control"] == "no-store"
    assert whole.headers["Content-Length"] == "5000"

    middle = client.get(url, headers={"Range": "bytes=1000-1999"})
    assert middle.status_code == 206 and middle.data == data[1000:2000]
    assert middle.headers["Content-Range"] == "bytes 1000-1999/5000"

    resumed = client.get(url, headers={"Range": "bytes=4000-"})
    assert resumed.status_code == 206 and resumed.data == data[4000:]
    suffix = client.get(url, headers={"Range": "bytes=-10"})
    assert suffix.data == data[-10:] and suffix.headers["Content-Range"] == "bytes 4990-4999/5000"


def test_a_range_outside_the_file_answers_416(client, login, owner):
    stored = make_file(owner, payload(100), kind=FileKind.design)
    login(owner)
    response = client.get(f"/files/{stored.public_id}/download", headers={"Range": "bytes=100-"})
    assert response.status_code == 416 and response.headers["Content-Range"] == "bytes */100"


def test_a_stale_if_range_gets_the_whole_file(client, login, owner):
    data = payload(300)
    stored = make_file(owner, data, kind=FileKind.design)
    login(owner)
    response = client.get(f"/files/{stored.public_id}/download", headers={"Range": "bytes=100-", "If-Range": '"other"'})
    assert response.status_code == 200 and response.data == data


def test_a_stranger_gets_404_for_any_file_id(client, login, owner, stranger):
    stored = make_file(owner, payload(100))
    login(stranger)
    assert client.get(f"/files/{stored.public_id}/download").status_code == 404
    assert client.get("/files/999999/download").status_code == 404
    assert client.post(f"/files/{stored.public_id}/delete").status_code == 404
    assert client.get(f"/files/3d/file/{stored.id}").status_code == 404
    db.session.expire_all()
    assert not db.session.get(StoredFile, stored.id).is_deleted


def test_downloads_are_logged_with_the_bytes_actually_sent(client, login, owner):
    stored = make_file(owner, payload(3 * 1024 * 1024), kind=FileKind.design)
    login(owner)
    response = client.get(f"/files/{stored.public_id}/download", buffered=False)
    pieces = iter(response.response)
    next(pieces), next(pieces)  # the first megabyte went out, the second is on its way …
    response.close()  # … when the reader hangs up
    rows = db.session.scalars(db.select(FileDownload).where(FileDownload.file_id == stored.id)).all()
    assert [(r.first_byte, r.completed) for r in rows] == [(0, False)]
    assert rows[0].bytes_sent == 1024 * 1024


def test_the_owner_deletes_a_file_at_any_time(client, login, owner):
    stored = make_file(owner, payload(100))
    login(owner)
    response = client.post(f"/files/{stored.public_id}/delete", follow_redirects=True)
    assert "The file was deleted." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(StoredFile, stored.id).is_deleted
    assert client.get(f"/files/{stored.public_id}/download").status_code == 404
