"""What an uploaded file really is, from its first bytes and its name, and where it may go.

A browser's Content-Type and a file's name are the sender's word: an HTML page renamed
`upper.stl` or a program renamed `scan.dcm` must not be kept, and what a file is served as
later comes from its bytes. Each kind of file (where it is sent: case scans, designs,
images, documents, identity papers) accepts some content families; content a browser or a
computer would run (HTML, SVG, script-bearing XML, programs, shell scripts, JavaScript) is
refused everywhere, by its bytes or by its name.

Only the head of a file (HEAD_BYTES) is read: enough for every signature here and for
the markup a browser would sniff. A file is never served as what it claims anyway
(storefront/files/downloads.py sends an exact safe type or application/octet-stream,
as an attachment, in a sandbox).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterable, Iterator

from flask_babel import lazy_gettext as _l

from errors import DomainError
from models.files import FileKind

HEAD_BYTES = 8192
OCTET_STREAM = "application/octet-stream"

# Names a browser or an operating system would run, whatever their bytes.
ACTIVE_SUFFIXES = frozenset(
    """
    .html .htm .shtml .xhtml .xht .mht .mhtml .svg .svgz .xsl .xslt .hta
    .js .mjs .cjs .jsx .vbs .vbe .jse .wsf .wsh .ps1 .psm1 .bat .cmd .sh .bash .zsh .csh .command
    .exe .dll .com .scr .msi .cpl .jar .apk .app .elf .so .dylib .php .phtml .cgi .pl .py .rb .swf .wasm
""".split()
)

# family → the exact type it is served as (every type here is one no browser runs).
CONTENT_TYPES = {
    "stl": "model/stl",
    "ply": "model/x-ply",
    "obj": "model/obj",
    "dicom": "application/dicom",
    "zip": "application/zip",
    "archive": OCTET_STREAM,
    "office": OCTET_STREAM,
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "heic": "image/heic",
    "xml": OCTET_STREAM,
    "text": "text/plain; charset=utf-8",
    "data": OCTET_STREAM,
}
SERVED_TYPES = frozenset(CONTENT_TYPES.values())

_IMAGES = frozenset({"png", "jpeg", "gif", "webp", "heic"})
_MESHES = frozenset({"stl", "ply", "obj"})
# Scanner and CAD exports beyond the open formats: DICOM, 3Shape's XML (.dcm, .dentalProject),
# archives of a scan set, and proprietary binaries no signature names.
_SCANS = _MESHES | {"dicom", "xml", "zip", "archive", "data"} | _IMAGES
ALLOWED: dict[FileKind, frozenset[str]] = {
    FileKind.patient_scan: _SCANS,
    FileKind.design: _SCANS | {"pdf", "text"},
    FileKind.image: _IMAGES,
    FileKind.document: frozenset(CONTENT_TYPES),
    FileKind.identity_document: frozenset({"jpeg", "png", "pdf"}),
}
# (A document may be any inert family: it is never refused for what it is.)
REFUSED_MESSAGES = {
    FileKind.patient_scan: _l("%(name)s is not a scan: send STL, PLY, OBJ, DICOM, a ZIP of them, or photos."),
    FileKind.design: _l("%(name)s is not a design file: send STL, PLY, OBJ, DICOM, a ZIP of them, or a PDF."),
    FileKind.image: _l("%(name)s is not an image: send JPEG, PNG, WebP, GIF or HEIC."),
    FileKind.identity_document: _l("%(name)s: send a JPEG, PNG or PDF file."),
}

# What a name promises about the bytes (a name outside this list promises nothing).
_NAME_FAMILIES = {
    ".stl": {"stl"},
    ".ply": {"ply"},
    ".obj": {"obj"},
    ".dcm": {"dicom", "xml", "data"},
    ".pdf": {"pdf"},
    ".png": {"png"},
    ".jpg": {"jpeg"},
    ".jpeg": {"jpeg"},
    ".gif": {"gif"},
    ".webp": {"webp"},
    ".heic": {"heic"},
    ".heif": {"heic"},
    ".zip": {"zip"},
    ".3oxz": {"zip"},
    ".txt": {"text"},
    ".xml": {"xml"},
    ".dentalproject": {"xml"},
    ".constructioninfo": {"xml"},
}
# Text and unrecognised binary take the family their (mesh) name gives them.
_NAMED_BY_SUFFIX = {".stl": {"text": "stl", "data": "stl"}, ".obj": {"text": "obj"}}

_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\x1f\x8b", "archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"Rar!\x1a\x07", "archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "office"),
    (b"ply\n", "ply"),
    (b"ply\r\n", "ply"),
)
_PROGRAMS = (
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"\x00asm",
    b"#!/",
    b"#! /",
)
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"}
# Markup a browser would render or run: HTML, SVG, XHTML, XSLT, script URLs.
_ACTIVE_MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|frame|frameset|object|embed|applet|svg|math|meta"
    rb"|link|base|form|style|img|xsl:stylesheet)\b|<\?xml-stylesheet|javascript\s*:|vbscript\s*:"
    rb"|xmlns(?::\w+)?\s*=\s*[\"']http://www\.w3\.org/(?:1999/xhtml|2000/svg|1999/XSL)",
    re.IGNORECASE,
)


class ContentRefused(DomainError):
    """The file's bytes or name are not what this place accepts; nothing of it is kept."""


@dataclass(frozen=True)
class Content:
    family: str
    content_type: str  # what it is stored and served as: never the browser's word


def identify(head: bytes, filename: str) -> Content:
    """The content family of a file from its first bytes and its name.

    Raises ContentRefused for active content (by bytes or by name) and for bytes that are
    not what the name says (a `.png` that is not a PNG).
    """
    suffix = PurePosixPath(filename.lower()).suffix
    family = "active" if suffix in ACTIVE_SUFFIXES or _is_program(head) else _family(head)
    if family == "active":
        raise _refused_as_active(filename)
    family = _NAMED_BY_SUFFIX.get(suffix, {}).get(family, family)
    promised = _NAME_FAMILIES.get(suffix)
    if promised is not None and family not in promised:
        raise ContentRefused(
            _l("The content of %(name)s is not what its name says (%(suffix)s).", name=filename, suffix=suffix),
            field="file",
        )
    return Content(family, CONTENT_TYPES[family])


def accept(head: bytes, filename: str, kind: FileKind) -> Content:
    """identify(), and the family must be one that `kind` accepts. Raises ContentRefused."""
    content = identify(head, filename)
    if content.family not in ALLOWED[kind]:
        raise ContentRefused(REFUSED_MESSAGES[kind] % {"name": filename}, field="file")
    return content


def accept_name(filename: str) -> None:
    """Refuse at once a name that is active whatever its bytes (before any byte arrives)."""
    if PurePosixPath(filename.lower()).suffix in ACTIVE_SUFFIXES:
        raise _refused_as_active(filename)


def accept_stream(pieces: Iterable[bytes], filename: str, kind: FileKind) -> tuple[Content, Iterator[bytes]]:
    """Check a stream's head (read ahead, then handed on with the rest unread)."""
    iterator = iter(pieces)
    taken: list[bytes] = []
    head = b""
    while len(head) < HEAD_BYTES:
        piece = next(iterator, None)
        if piece is None:
            break
        piece = bytes(piece)
        taken.append(piece)
        head += piece[: HEAD_BYTES - len(head)]
    return accept(head, filename, kind), itertools.chain(taken, iterator)


def family_of(content_type: str, filename: str) -> str:
    """The family a stored type and a name stand for (several families share octet-stream)."""
    families = {family for family, served in CONTENT_TYPES.items() if served == content_type}
    if len(families) == 1:
        return families.pop()
    promised = _NAME_FAMILIES.get(PurePosixPath(filename.lower()).suffix, set()) & families
    return promised.pop() if len(promised) == 1 else "data"


def served_type(content_type: str | None) -> str:
    """The type a stored file is sent as: its own when it is one of ours, else octet-stream
    (rows stored before this check kept the browser's word, e.g. text/html)."""
    return content_type if content_type in SERVED_TYPES else OCTET_STREAM


def _refused_as_active(filename: str) -> ContentRefused:
    return ContentRefused(
        _l("%(name)s is a program, a script or a web page: such files cannot be sent.", name=filename), field="file"
    )


def _is_program(head: bytes) -> bool:
    if head.startswith(_PROGRAMS):
        return True
    if head.startswith(b"MZ"):  # DOS/Windows: a PE header where the DOS stub points, or too short to tell
        if len(head) < 64:
            return True
        at = int.from_bytes(head[0x3C:0x40], "little")
        return at + 4 > len(head) or head[at : at + 4] == b"PE\x00\x00"
    return False


def _family(head: bytes) -> str:
    for signature, family in _SIGNATURES:
        if head.startswith(signature):
            return family
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return "heic"
    if head[128:132] == b"DICM":
        return "dicom"
    text = _as_text(head)
    if text is None:
        return "data"
    if _ACTIVE_MARKUP.search(text):
        return "active"
    return "xml" if text.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else "text"


def _as_text(head: bytes) -> bytes | None:
    """The head when it reads as UTF-8 text (a cut last character allowed), else None."""
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            return None
    return head
