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
