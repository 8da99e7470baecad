"""Share links: tokens, passwords, limits, expiry by the sweep, and download-then-delete."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import commit, db
from files.crypto import CHUNK_BYTES
from files.links import (
    LinkUnavailable,
    check_link_password,
    create_share_link,
    delete_share_link,
    downloads_left,
    open_shared_file,
    record_link_download,
    resolve_share_link,
)
from files.handover import claim_download
from files.operations import FileUnavailable, store_file
from jobs.sweep import run_sweeps
from models.files import FileKind, ShareLinkState
from models.types import utcnow


def _file(owner, data: bytes = b"", kind: FileKind = FileKind.patient_scan, name: str = "scan.stl"):
    stored = store_file([data or os.urandom(3000)], owner=owner, filename=name, kind=kind)
    commit()
    return stored


def _share(owner, *files, **options):
    link, token = create_share_link(files, actor=owner, **options)
    commit()
    return link, token


def _download(link, stored, start: int = 0, end: int | None = None) -> bytes:
    """What the download view does: open the range, send it, record what was sent."""
    stored, pieces = open_shared_file(link, stored.id, start=start, end=end)
    body = b"".join(pieces)
    record_link_download(link, stored, first_byte=start, bytes_sent=len(body))
    commit()
    return body


def test_a_token_opens_its_link_and_only_its_hash_is_kept(local_storage, owner):
    stored = _file(owner)
    link, token = _share(owner, stored)

    assert len(token) >= 43 and token not in link.token_hash
    assert resolve_share_link(token) == link
    assert link.expires_at - utcnow() > timedelta(days=6, hours=23)  # SHARE_LINK_DAYS by default
    with pytest.raises(NotFound):
        resolve_share_link(token[:-1] + ("A" if token[-1] != "A" else "B"))
    with pytest.raises(NotFound):
        resolve_share_link("")


def test_only_the_owner_shares_and_never_identity_documents(local_storage, owner, designer):
    scan = _file(owner)
    passport = _file(designer, b"%PDF-1.7 passport", kind=FileKind.identity_document, name="passport.pdf")

    with pytest.raises(PermissionDenied):
        create_share_link([scan], actor=designer)
    with pytest.raises(PermissionDenied):
        create_share_link([passport], actor=designer)
    with pytest.raises(DomainError):
        create_share_link([], actor=owner)
    with pytest.raises(DomainError):
        create_share_link([scan], actor=owner, expires_at=utcnow() + timedelta(days=400))


def test_a_password(local_storage, owner):
    link, token = _share(owner, _file(owner), password="molar-2024")

    link = resolve_share_link(token)
    for wrong in (None, "", "molar-2025"):
        with pytest.raises(PermissionDenied):
            check_link_password(link, wrong)
    check_link_password(link, "molar-2024")
    with pytest.raises(DomainError):
        create_share_link([_file(owner)], actor=owner, password="123")


def test_the_download_limit_counts_complete_downloads(local_storage, owner):
    data = os.urandom(5000)
    design = _file(owner, data, kind=FileKind.design, name="bridge.stl")
    link, token = _share(owner, design, max_downloads=2)

    assert _download(link, design, 0, 100) == data[:100]  # a partial download does not count
    assert downloads_left(link, design) == 2
    assert _download(link, design) == data
    assert _download(link, design) == data
    assert link.downloads == 2

    with pytest.raises(LinkUnavailable, match="used up") as dead:
        resolve_share_link(token)
    assert dead.value.state == ShareLinkState.downloaded
    assert not design.is_deleted  # a design is not patient data: it stays with its owner


def test_patient_data_is_deleted_only_once_the_whole_file_was_sent(storage, owner):
    data = os.urandom(2 * CHUNK_BYTES + 500)
    scan = _file(owner, data)
    link, token = _share(owner, scan)

    # given a download that broke off halfway
    _download(link, scan, 0, CHUNK_BYTES)
    assert not scan.is_deleted and storage.exists(scan.storage_key)

    # when the browser resumes with a Range request and gets the rest
    _download(link, scan, CHUNK_BYTES)

    # then every byte went out once: the scan is downloaded, kept for the grace window only …
    db.session.refresh(scan)
    assert scan.downloaded_at is not None and not scan.is_deleted
    assert run_sweeps(now=utcnow() + timedelta(hours=23))["files.handover:delete_received_files"] == 0

    # … after which it is gone: key, bytes, and the link with it
    run_sweeps(now=utcnow() + timedelta(hours=25))
    db.session.refresh(scan)
    db.session.refresh(link)
    assert scan.is_deleted and scan.wrapped_key is None
    assert not storage.exists(scan.storage_key)
    assert link.state == ShareLinkState.downloaded
    with pytest.raises(LinkUnavailable):
        resolve_share_link(token)


def test_a_range_that_skips_bytes_is_no_complete_download(local_storage, owner):
    data = os.urandom(10_000)
    scan = _file(owner, data)
    link, _ = _share(owner, scan)

    _download(link, scan, 0, 1000)
    _download(link, scan, 2000)  # reached the end, but 1000..2000 were never sent

    assert scan.downloaded_at is None
    _download(link, scan, 500, 2500)
    assert scan.downloaded_at is not None


def test_other_files_of_the_link_stay_available(local_storage, owner):
    scan, photo = (
        _file(owner),
        _file(owner, b"\xff\xd8\xff\xe0" + os.urandom(3000), kind=FileKind.image, name="smile.jpg"),
    )
    link, token = _share(owner, scan, photo)

    _download(link, scan)

    assert resolve_share_link(token) == link
    with pytest.raises(FileUnavailable, match="no longer available"):
        claim_download(scan, recipient="visitor:someone-else", link=link)
    assert _download(link, photo)
    with pytest.raises(NotFound):
        open_shared_file(link, 10_000)


def test_expiry_by_the_sweep_ends_the_link_and_deletes_its_patient_data(storage, owner):
    scan, photo = (
        _file(owner),
        _file(owner, b"\xff\xd8\xff\xe0" + os.urandom(3000), kind=FileKind.image, name="smile.jpg"),
    )
    expires_at = utcnow() + timedelta(days=10)
    link, token = _share(owner, scan, photo, expires_at=expires_at)
    assert scan.expires_at == expires_at  # kept as long as its link needs it
    assert photo.expires_at is None

    assert run_sweeps(now=utcnow() + timedelta(days=9))["files.links:sweep_expired_links"] == 0
    with pytest.raises(LinkUnavailable, match="expired"):
        resolve_share_link(token, now=expires_at)  # overdue reads as expired before any sweep

    done = run_sweeps(now=expires_at + timedelta(minutes=1))

    assert done["files.links:sweep_expired_links"] == 1
    assert done["files.operations:sweep_expired_files"] == 1
    db.session.refresh(link)
    db.session.refresh(scan)
    db.session.refresh(photo)
    assert link.state == ShareLinkState.expired
    assert scan.is_deleted and not storage.exists(scan.storage_key)
    assert not photo.is_deleted
    with pytest.raises(LinkUnavailable, match="expired"):
        resolve_share_link(token)


def test_the_owner_deletes_a_link_at_any_time(local_storage, owner, designer):
    link, token = _share(owner, _file(owner))

    with pytest.raises(PermissionDenied):
        delete_share_link(link, actor=designer)
    delete_share_link(link, actor=owner)
    commit()

    with pytest.raises(LinkUnavailable, match="deleted") as dead:
        resolve_share_link(token)
    assert dead.value.state == ShareLinkState.deleted
    with pytest.raises(InvalidTransition):
        delete_share_link(link, actor=owner)
