"""Handing patient data over: one download at a time, complete only at the stream's end,
again for its recipient within the grace window, deleted after it or at expiry — wherever
the scan was sent."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from errors import PermissionDenied
from extensions import commit, db
from files.handover import (
    CLAIM_LAPSES_AFTER,
    DownloadInProgress,
    claim_download,
    delete_received_files,
    record_download,
)
from files.operations import FileUnavailable, store_file, sweep_expired_files
from messaging.threads import case_thread
from models.cases import CaseState
from models.files import FileKind, StoredFile
from models.messaging import MessageAttachment
from models.types import utcnow
from tests.cases.factories import drive, make_case
from tests.messaging.factories import add_message


def _store(owner, data: bytes, kind: FileKind = FileKind.patient_scan, name: str = "upper.stl") -> StoredFile:
    stored = store_file([data], owner=owner, filename=name, kind=kind)
    commit()
    return stored


def _receive(stored, reader, data: bytes, start: int = 0, *, finished: bool = True):
    claim = claim_download(stored, recipient=f"user:{reader.id}", reader=reader)
    row = record_download(
        stored, first_byte=start, bytes_sent=len(data) - start, finished=finished, reader=reader, claim=claim
    )
    commit()
    return row


def test_patient_data_goes_once_the_other_party_downloaded_it_and_the_grace_ended(local_storage, owner, designer):
    data = os.urandom(3000)
    scan = _store(owner, data)

    _receive(scan, owner, data)  # its owner looking
    assert scan.downloaded_at is None
    claim = claim_download(scan, recipient=f"user:{designer.id}", reader=designer)
    record_download(scan, first_byte=0, bytes_sent=1000, reader=designer, claim=claim)
    row = _receive(scan, designer, data, start=1000)  # the rest, resumed

    assert row.completed and scan.downloaded_by == f"user:{designer.id}" and not scan.is_deleted
    assert delete_received_files(utcnow() + timedelta(hours=23)) == 0
    assert delete_received_files(utcnow() + timedelta(hours=25)) == 1
    commit()
    assert scan.is_deleted and not local_storage.exists(scan.storage_key)


def test_one_download_at_a_time_until_it_ends_or_its_claim_lapses(local_storage, owner, designer):
    data = os.urandom(3000)
    scan = _store(owner, data)
    first = claim_download(scan, recipient="visitor:a", reader=None)
    commit()

    with pytest.raises(DownloadInProgress, match="being downloaded"):
        claim_download(scan, recipient="visitor:b")
    # a server that died mid-download leaves a claim nobody renews: it lapses
    assert claim_download(scan, recipient="visitor:b", now=utcnow() + CLAIM_LAPSES_AFTER + timedelta(seconds=1)).holds
    db.session.rollback()

    record_download(scan, first_byte=0, bytes_sent=3000, finished=False, reader=designer, claim=first)
    commit()
    assert scan.downloaded_at is None and scan.claimed_by is None  # an aborted stream counts for nothing
    second = claim_download(scan, recipient="visitor:b")
    record_download(scan, first_byte=0, bytes_sent=3000, reader=designer, claim=second)
    commit()
    assert scan.downloaded_by == "visitor:b"

    assert not claim_download(scan, recipient="visitor:b").holds  # its recipient again: a retry
    with pytest.raises(FileUnavailable, match="downloaded by its recipient"):
        claim_download(scan, recipient="visitor:a")
    with pytest.raises(FileUnavailable):
        claim_download(scan, recipient="visitor:b", now=utcnow() + timedelta(hours=25))


def test_other_files_are_never_claimed_nor_deleted(local_storage, owner, designer):
    design = _store(owner, b"solid crown\nendsolid crown\n", kind=FileKind.design, name="crown.stl")
    claim_download(design, recipient="visitor:a")
    assert not claim_download(design, recipient="visitor:b").holds
    _receive(design, designer, b"solid crown\nendsolid crown\n")
    assert design.downloaded_at is None
    assert delete_received_files(utcnow() + timedelta(days=30)) == 0


def test_expiry_follows_the_kind_not_how_the_file_was_filed(local_storage, owner, monkeypatch):
    """A file filed as patient data after its row was made (by the message it went with) has no
    expiry of its own: it is due SHARE_LINK_DAYS after it was stored. A file filed as something
    else keeps no patient expiry either."""
    refiled_scan = _store(owner, b"scan", kind=FileKind.design)
    refiled_scan.kind = FileKind.patient_scan
    refiled_design = _store(owner, b"design")
    refiled_design.kind = FileKind.design
    commit()
    assert refiled_scan.expires_at is None and refiled_design.expires_at is not None

    assert sweep_expired_files(utcnow() + timedelta(days=6)) == 0
    sweep_expired_files(utcnow() + timedelta(days=8))
    commit()
    assert refiled_scan.is_deleted and not refiled_design.is_deleted


@pytest.mark.usefixtures("local_storage")
def test_the_designer_of_a_request_receives_its_scans_only_once_accepted():
    case = make_case()
    client, designer = case.client, case.designer
    thread_message = add_message(case_thread(case.id), client, "the lower arch")
    scan = _store(client, b"solid lower\nendsolid lower\n", name="lower.stl")
    db.session.add(MessageAttachment(message_id=thread_message.id, file_id=scan.id, name="lower.stl", size=scan.size))
    commit()

    with pytest.raises(PermissionDenied, match="Accept the request"):
        claim_download(scan, recipient=f"user:{designer.id}", reader=designer)
    db.session.rollback()
    drive(case, CaseState.in_progress)
    assert claim_download(scan, recipient=f"user:{designer.id}", reader=designer).holds
