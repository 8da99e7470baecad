"""Share links on the web: creating one, its public page, password, limit, dead links, ZIP."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from extensions import commit, db
from jobs.sweep import run_sweeps
from models.files import FileKind, ShareLink, ShareLinkState, StoredFile
from models.types import utcnow
from tests.files_web.factories import make_file, make_link, payload, upload_through_api


def test_a_transfer_becomes_a_link_whose_url_its_owner_copies(client, login, owner, app):
    login(owner)
    file_id = upload_through_api(client, b"solid upper\nendsolid upper\n", "upper.stl")
    response = client.post(
        "/files/new",
        data={"file_id": [str(file_id)], "kind": "patient_scan", "days": "3", "max_downloads": "2", "password": ""},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "http://localhost/t/" in page and "upper.stl" in page
    link = db.session.scalar(db.select(ShareLink))
    assert link.max_downloads == 2 and link.owner_id == owner.id
    assert timedelta(days=2, hours=23) < link.expires_at - utcnow() <= timedelta(days=3)


def test_sizes_are_written_in_the_readers_language(client, login, owner, app, monkeypatch):
    """The limit and each file's size in decimal units, as file managers show them."""
    login(owner)
    file_id = upload_through_api(client, b"x" * 1_530_000, "upper.stl")
    client.post("/files/new", data={"file_id": [str(file_id)], "kind": "design", "days": "3"})
    assert "Up to 2 GB per file" in client.get("/files/new").get_data(as_text=True)
    assert "1.5 MB" in client.get("/files").get_data(as_text=True)
    in_french = {"Accept-Language": "fr"}  # French puts a narrow no-break space before the unit
    assert "2\u202fGo par fichier" in client.get("/files/new", headers=in_french).get_data(as_text=True)
    assert "1,5\u202fMo" in client.get("/files", headers=in_french).get_data(as_text=True)
    monkeypatch.setitem(app.config, "UPLOAD_LIMIT_BYTES", 100)
    refused = client.post("/files/uploads", json={"filename": "big.stl", "size": 101}, headers=in_french)
    assert "Ce fichier dépasse les 100\u00a0octets acceptés par la plateforme." in refused.get_json()["error"]


def test_a_transfer_without_javascript_posts_the_files_with_the_form(client, login, owner):
    login(owner)
    ply = b"ply\nformat ascii 1.0\nend_header\n"
    response = client.post(
        "/files/new",
        data={"files": [(io.BytesIO(ply), "crown.ply")], "kind": "design", "days": "7"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    stored = db.session.scalar(db.select(StoredFile))
    assert stored.original_name == "crown.ply" and stored.kind == FileKind.design


def test_a_transfer_with_nothing_in_it_is_refused(client, login, owner, stranger):
    theirs = make_file(stranger, b"theirs")
    login(owner)
    empty = client.post("/files/new", data={"kind": "patient_scan", "days": "7"})
    assert empty.status_code == 400 and "Choose at least one file" in empty.get_data(as_text=True)
    foreign = client.post("/files/new", data={"file_id": [str(theirs.id)], "kind": "patient_scan", "days": "7"})
    assert foreign.status_code == 400 and db.session.scalar(db.select(db.func.count(ShareLink.id))) == 0


def test_the_public_page_lists_files_and_downloads_them(client, owner):
    data = payload(2048)
    stored = make_file(owner, data, name="lower.stl", kind=FileKind.design)
    _, token = make_link(owner, [stored])
    page = client.get(f"/t/{token}")
    assert page.status_code == 200 and "lower.stl" in page.get_data(as_text=True)
    assert "View in 3D" in page.get_data(as_text=True)
    download = client.get(f"/t/{token}/files/{stored.public_id}")
    assert download.data == data and download.headers["Cache-Control"] == "no-store"
    assert client.get(f"/t/{token}/files/999999").status_code == 404
    assert client.get("/t/not-a-token").status_code == 404


def test_a_password_guards_the_page_and_the_downloads(client, owner):
    stored = make_file(owner, b"scan bytes", kind=FileKind.design)
    _, token = make_link(owner, [stored], password="s3cret-pass")
    assert "This link is protected" in client.get(f"/t/{token}").get_data(as_text=True)
    assert client.get(f"/t/{token}/files/{stored.public_id}").status_code == 302  # back to the password form
    wrong = client.post(f"/t/{token}", data={"password": "guess"})
    assert wrong.status_code == 401 and "The password is not right." in wrong.get_data(as_text=True)
    assert client.post(f"/t/{token}", data={"password": "s3cret-pass"}).status_code == 302
    assert client.get(f"/t/{token}/files/{stored.public_id}").data == b"scan bytes"


def test_the_download_limit_is_honoured(client, owner):
    stored = make_file(owner, b"design", kind=FileKind.design)
    _, token = make_link(owner, [stored], max_downloads=1)
    assert client.get(f"/t/{token}/files/{stored.public_id}").data == b"design"
    # the only file reached its limit: the link is used up
    again = client.get(f"/t/{token}/files/{stored.public_id}")
    assert again.status_code == 410 and "was downloaded" in again.get_data(as_text=True)


def test_dead_links_answer_410_with_a_clear_page(client, owner):
    expiring = make_file(owner, b"a", kind=FileKind.design)
    link, token = make_link(owner, [expiring])
    link = db.session.get(ShareLink, link.id)
    link.expires_at = utcnow() - timedelta(minutes=1)
    commit()
    expired = client.get(f"/t/{token}")
    assert expired.status_code == 410 and "This transfer has expired" in expired.get_data(as_text=True)
    assert client.get(f"/t/{token}/files/{expiring.public_id}").status_code == 410
    in_french = client.get(f"/t/{token}", headers={"Accept-Language": "fr"})
    assert "Ce transfert a expiré" in in_french.get_data(as_text=True)
    assert client.get(f"/t/{token}/all.zip").status_code == 410


def test_the_owner_deletes_a_link_and_it_stops_opening(client, login, owner, stranger):
    stored = make_file(owner, b"a", kind=FileKind.design)
    link, token = make_link(owner, [stored])
    login(stranger)
    assert client.post(f"/files/links/{link.id}/delete").status_code == 404
    assert client.get(f"/files/links/{link.id}").status_code == 404
    client.post("/account/logout")
    login(owner)
    client.post(f"/files/links/{link.id}/delete")
    gone = client.get(f"/t/{token}")
    assert gone.status_code == 410 and "This transfer was deleted" in gone.get_data(as_text=True)


def test_a_patient_scan_is_deleted_only_after_a_complete_download(client, owner):
    data = payload(10_000)
    scan = make_file(owner, data, name="upper.stl", kind=FileKind.patient_scan)
    _, token = make_link(owner, [scan])
    url = f"/t/{token}/files/{scan.public_id}"
    first = client.get(url, headers={"Range": "bytes=0-3999"})
    assert first.status_code == 206 and first.data == data[:4000]
    db.session.expire_all()
    assert not db.session.get(StoredFile, scan.id).is_deleted  # a partial download keeps the file
    rest = client.get(url, headers={"Range": "bytes=4000-"})
    assert rest.status_code == 206 and first.data + rest.data == data
    db.session.expire_all()
    assert db.session.get(StoredFile, scan.id).downloaded_at is not None
    run_sweeps(now=utcnow() + timedelta(hours=25))  # after the grace window for retries
    db.session.expire_all()
    assert db.session.get(StoredFile, scan.id).is_deleted
    link = db.session.scalar(db.select(ShareLink))
    assert link.state == ShareLinkState.downloaded
    assert "This transfer was downloaded" in client.get(f"/t/{token}").get_data(as_text=True)


def test_download_all_is_a_zip_with_the_right_bytes(client, owner):
    one, two = payload(3 * 1024 * 1024 + 7), payload(1000)
    first = make_file(owner, one, name="upper.stl", kind=FileKind.design)
    second = make_file(owner, two, name="upper.stl", kind=FileKind.design)  # the same name twice
    _, token = make_link(owner, [first, second])
    response = client.get(f"/t/{token}/all.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == ["upper.stl", "upper (2).stl"]
        assert archive.read("upper.stl") == one and archive.read("upper (2).stl") == two


def test_download_all_of_patient_scans_deletes_them_once_sent(client, owner):
    scans = [make_file(owner, payload(500), name=f"scan{n}.stl") for n in range(2)]
    _, token = make_link(owner, scans)
    client.get(f"/t/{token}/all.zip").get_data()
    run_sweeps(now=utcnow() + timedelta(hours=25))
    db.session.expire_all()
    assert all(db.session.get(StoredFile, s.id).is_deleted for s in scans)


def test_link_pages_are_rate_limited(make_app, owner):
    app = make_app(RATELIMIT_LINK="3 per minute", RATELIMIT_LINK_PASSWORD="2 per minute")
    stored = make_file(owner, b"x", kind=FileKind.design)
    _, token = make_link(owner, [stored], password="s3cret-pass")
    client = app.test_client()
    codes = [client.get(f"/t/{token}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_wrong_passwords_are_limited_more_strictly(make_app, owner):
    app = make_app(RATELIMIT_LINK="100 per minute", RATELIMIT_LINK_PASSWORD="2 per minute")
    stored = make_file(owner, b"x", kind=FileKind.design)
    _, token = make_link(owner, [stored], password="s3cret-pass")
    client = app.test_client()
    codes = [client.post(f"/t/{token}", data={"password": "nope"}).status_code for _ in range(3)]
    assert codes == [401, 401, 429]
    # the right password is refused too while the address is blocked: no guessing around it
    assert client.post(f"/t/{token}", data={"password": "s3cret-pass"}).status_code == 429
