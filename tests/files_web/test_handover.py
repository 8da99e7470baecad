"""A patient scan reaches its recipient once, wherever it was sent (share link, case, thread):
one download at a time, a grace window in which the same recipient may fetch it again, then
deletion. Previewing in 3D, HEAD requests and link-preview bots never count."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from datetime import timedelta

from extensions import commit, db
from jobs.sweep import run_sweeps
from models.cases import CaseFile, CaseFileRole, CaseState
from models.files import StoredFile
from models.messaging import Message, MessageAttachment
from models.types import utcnow
from tests.cases.factories import drive, make_case, make_parties
from tests.files_web.factories import make_file, make_link, payload
from tests.messaging.factories import make_conversation

MIB = 1024 * 1024
FACEBOOK = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"
SLACK = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"


def _file(file_id: int) -> StoredFile:
    db.session.expire_all()
    return db.session.get(StoredFile, file_id)


def _sweep_after(hours: float) -> None:
    run_sweeps(now=utcnow() + timedelta(hours=hours))


def _meshes(page) -> list[dict]:
    """The meshes a viewer page hands to its script (each with the URL it loads)."""
    found = re.search(r'data-meshes="([^"]*)"', page.get_data(as_text=True))
    return json.loads(html.unescape(found.group(1)))


def test_two_parallel_downloads_of_a_one_download_link_only_one_gets_the_scan(app, owner):
    data = payload(3 * MIB)
    scan = make_file(owner, data)
    _, token = make_link(owner, [scan], max_downloads=1)
    url = f"/t/{token}/files/{scan.public_id}"
    first, second = app.test_client(), app.test_client()

    streaming = first.get(url, buffered=False)
    pieces = iter(streaming.response)
    received = next(pieces)  # the first download is under way …
    parallel = second.get(url)  # … when a second one asks for the same scan
    assert parallel.status_code == 409 and "being downloaded" in parallel.get_data(as_text=True)
    assert second.get(f"/t/{token}/all.zip").status_code == 409
    received += b"".join(pieces)
    streaming.close()

    assert received == data
    late = second.get(url)
    assert late.status_code == 410 and data[:1000] not in late.data
    assert second.get(f"/t/{token}/all.zip").status_code == 410


def test_the_recipient_may_fetch_again_within_the_grace_window_then_the_scan_is_deleted(app, client, owner):
    data = payload(MIB)
    scan = make_file(owner, data)
    _, token = make_link(owner, [scan])
    url = f"/t/{token}/files/{scan.public_id}"

    assert client.get(url).data == data
    assert not _file(scan.id).is_deleted  # a download the browser lost can be retried …
    assert client.get(url, headers={"Range": "bytes=1000-"}).data == data[1000:]
    assert client.get(url).data == data
    assert app.test_client().get(url).status_code == 410  # … by its recipient only

    _sweep_after(23)
    assert not _file(scan.id).is_deleted
    _sweep_after(25)  # PATIENT_FILE_GRACE_HOURS (24) after the first complete download
    assert _file(scan.id).is_deleted
    assert client.get(url).status_code == 410


def test_the_grace_window_is_configurable(app, client, owner, monkeypatch):
    monkeypatch.setitem(app.config, "PATIENT_FILE_GRACE_HOURS", 2)
    scan = make_file(owner, payload(1000))
    _, token = make_link(owner, [scan])
    client.get(f"/t/{token}/files/{scan.public_id}").get_data()
    _sweep_after(3)
    assert _file(scan.id).is_deleted


def test_an_aborted_download_does_not_count(app, client, owner):
    data = payload(3 * MIB)
    scan = make_file(owner, data)
    _, token = make_link(owner, [scan], max_downloads=1)
    url = f"/t/{token}/files/{scan.public_id}"

    aborted = client.get(url, buffered=False)
    next(iter(aborted.response))
    aborted.close()  # the recipient's connection broke off

    _sweep_after(48)
    assert not _file(scan.id).is_deleted
    assert app.test_client().get(url).data == data  # nothing was used up: a new try gets it all


def test_head_requests_and_link_preview_bots_never_count(app, client, owner):
    data = payload(5000)
    scan = make_file(owner, data)
    _, token = make_link(owner, [scan], max_downloads=1)
    url = f"/t/{token}/files/{scan.public_id}"

    head = client.head(url)
    assert head.status_code == 200 and head.headers["Content-Length"] == "5000" and head.data == b""
    for agent in (FACEBOOK, SLACK, "TelegramBot (like TwitterBot)", "WhatsApp/2.23.20.0"):
        for path in (url, f"/t/{token}/all.zip"):
            unfurled = client.get(path, headers={"User-Agent": agent})
            assert unfurled.status_code == 200 and data[:1000] not in unfurled.data
            assert unfurled.mimetype == "text/html"

    _sweep_after(48)
    assert not _file(scan.id).is_deleted
    assert app.test_client().get(url).data == data


def test_viewing_a_link_in_3d_does_not_consume_its_scan(app, client, owner):
    data = b"solid upper\nendsolid upper\n"
    scan = make_file(owner, data, name="upper.stl")
    _, token = make_link(owner, [scan], max_downloads=1)

    meshes = _meshes(client.get(f"/t/{token}/3d"))
    assert [m["name"] for m in meshes] == ["upper.stl"]
    for _ in range(2):  # opened twice: still a preview
        assert client.get(meshes[0]["url"]).data == data

    _sweep_after(48)
    assert not _file(scan.id).is_deleted
    assert app.test_client().get(f"/t/{token}/files/{scan.public_id}").data == data


def test_once_downloaded_a_scan_is_no_longer_previewed_by_others(app, client, owner):
    data = b"solid upper\nendsolid upper\n"
    scan = make_file(owner, data, name="upper.stl")
    _, token = make_link(owner, [scan])
    preview_url = _meshes(client.get(f"/t/{token}/3d"))[0]["url"]
    client.get(f"/t/{token}/files/{scan.public_id}").get_data()

    other = app.test_client()
    assert other.get(preview_url).status_code == 410
    assert client.get(preview_url).data == data  # its recipient, within the grace window


def _case_with_scan(data: bytes):
    client_user, designer = make_parties()
    case = make_case(client_user, designer)
    scan = make_file(client_user, data, name="upper_arch.stl")
    db.session.add(CaseFile(case_id=case.id, file_id=scan.id, role=CaseFileRole.attachment))
    commit()
    return case, scan, designer


def test_the_designer_previews_a_request_but_downloads_its_scans_only_once_accepted(client, login):
    data = b"solid upper_arch\nendsolid upper_arch\n"
    case, scan, designer = _case_with_scan(data)
    login(designer)
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "downloadable once you accept the request" in page
    assert f"/cases/{case.reference}/files/{scan.public_id}" not in page

    meshes = _meshes(client.get(f"/files/3d/case/{case.reference}"))
    assert meshes[0]["download"] is None
    assert client.get(meshes[0]["url"]).data == data
    refused = client.get(f"/cases/{case.reference}/files/{scan.public_id}")
    assert refused.status_code == 403 and data not in refused.data
    assert "Accept the request" in refused.get_data(as_text=True)
    assert client.get(f"/files/{scan.public_id}/download").status_code == 403
    _sweep_after(48)
    assert not _file(scan.id).is_deleted

    drive(case, CaseState.in_progress)
    assert client.get(f"/cases/{case.reference}/files/{scan.public_id}").data == data
    assert _file(scan.id).downloaded_at is not None
    client.post("/account/logout")
    login(case.client)
    assert client.get(meshes[0]["url"]).data == data  # its owner still sees it in 3D
    _sweep_after(25)
    assert _file(scan.id).is_deleted


def test_parallel_case_downloads_only_one_gets_the_scan(app, make_app):
    from tests.factories import login as log_in

    data = payload(3 * MIB)
    case, scan, designer = _case_with_scan(data)
    drive(case, CaseState.in_progress)
    first, second = app.test_client(), app.test_client()
    log_in(first, designer)
    log_in(second, designer)
    url = f"/cases/{case.reference}/files/{scan.public_id}"

    streaming = first.get(url, buffered=False)
    pieces = iter(streaming.response)
    received = next(pieces)
    assert second.get(url).status_code == 409
    received += b"".join(pieces)
    streaming.close()
    assert received == data
    assert second.get(url).data == data  # the same recipient, within the grace window


def test_a_patient_scan_sent_in_a_thread_follows_the_same_rules(client, login):
    sender, recipient = make_parties()
    conversation = make_conversation(sender, recipient)
    message = Message(conversation_id=conversation.id, sender_id=sender.id, body="the scans")
    db.session.add(message)
    db.session.flush()
    read = make_file(sender, b"solid read\nendsolid read\n", name="upper.stl")
    unread = make_file(sender, b"solid unread\nendsolid unread\n", name="lower.stl")
    attached = [
        MessageAttachment(message_id=message.id, file_id=f.id, name=f.original_name, size=f.size)
        for f in (read, unread)
    ]
    db.session.add_all(attached)
    commit()

    login(recipient)
    assert client.head(f"/messages/attachments/{read.public_id}").data == b""
    assert client.get(f"/messages/attachments/{read.public_id}").data == b"solid read\nendsolid read\n"
    _sweep_after(25)
    assert _file(read.id).is_deleted and not _file(unread.id).is_deleted
    assert client.get(f"/messages/attachments/{read.public_id}").status_code in (404, 410)

    _sweep_after(8 * 24)  # SHARE_LINK_DAYS (7): an unread scan expires too
    assert _file(unread.id).is_deleted


def test_a_zip_broken_off_early_leaves_every_scan_in_it_for_the_next_try(app, client, owner):
    scans = [make_file(owner, payload(2 * MIB), name=f"scan{n}.stl") for n in range(2)]
    _, token = make_link(owner, scans, max_downloads=1)

    assert client.head(f"/t/{token}/all.zip").data == b""
    aborted = client.get(f"/t/{token}/all.zip", buffered=False)
    next(iter(aborted.response))  # within the first scan …
    aborted.close()  # … the connection broke: neither scan was received, neither stays claimed

    retry = app.test_client().get(f"/t/{token}/all.zip")
    assert retry.status_code == 200
    with zipfile.ZipFile(io.BytesIO(retry.data)) as archive:
        assert archive.namelist() == ["scan0.stl", "scan1.stl"]
