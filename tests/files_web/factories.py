"""Stored files and share links for the web tests, made through the files/ operations."""

from __future__ import annotations

import os

from extensions import commit
from files.links import create_share_link
from files.operations import store_file
from models.files import FileKind, ShareLink, StoredFile


def payload(size: int) -> bytes:
    """Bytes that differ everywhere, so a wrong offset shows as wrong bytes."""
    return os.urandom(size)


def make_file(owner, data: bytes, *, name: str = "upper.stl", kind: FileKind = FileKind.patient_scan) -> StoredFile:
    stored = store_file([data], owner=owner, filename=name, kind=kind)
    commit()
    return stored


def make_link(owner, files, **options) -> tuple[ShareLink, str]:
    link, token = create_share_link(files, actor=owner, **options)
    commit()
    return link, token


def upload_through_api(client, data: bytes, name: str, kind: str = "patient_scan") -> str:
    """A file sent through the upload API in one request, as a form's page does before it is
    posted; the public id the API answers for it (what the page posts as `file_id`)."""
    started = client.post("/files/uploads", json={"filename": name, "size": len(data), "kind": kind}).get_json()
    return client.put(f"{started['url']}?offset=0", data=data, content_type="application/octet-stream").get_json()[
        "file_id"
    ]
