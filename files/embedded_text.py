"""Text that travels inside uploaded files, screened for contact details before anyone sees it.

A mesh or a photo carries words its sender typed somewhere: the 80-byte header of a binary
STL and the name after `solid`, PLY `comment`/`obj_info` lines, OBJ `#` comments and object
names, ZIP entry names and comments, EXIF/XMP/IPTC fields of an image (author, copyright,
comments), a PDF's metadata and its text. `FileText` is fed the file's bytes as they arrive
(beside the SHA-256 and the mesh check, so nothing is read or decoded twice: meshes are
not decoded at all here, only their text lines and header), keeps the first and last
`EDGE_BYTES` and the comment lines of OBJ files, and `texts()` returns (location, text)
pairs. `screen_file_text` runs the contact filter on them: a hit refuses the file like a
message (ContactDetailsInFile, with the location in the message) and the caller records a
violation holding the findings and their locations, not the file's text.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from files.content_kinds import ContentRefused
from models.accounts import User
from models.moderation import ViolationSource
from screening.contact_filter import ContactDetailsRefused, screen_text

EDGE_BYTES = 64 * 1024  # head and tail kept: metadata lives at a file's ends (an EXIF block
# is at most 64 KiB, a ZIP's central directory and a PDF's trailer sit in its last bytes)
_OBJ_TEXT_LIMIT = 64 * 1024  # comment characters kept from an OBJ file
_MAX_INFLATED = 1024 * 1024  # a PDF stream is inflated up to this size, no further

LOCATIONS = {
    "stl_header": _l("STL header"),
    "stl_solid": _l("STL solid name"),
    "ply_comment": _l("PLY comments"),
    "obj_comment": _l("OBJ comments and names"),
    "zip_name": _l("names of the files in the ZIP"),
    "zip_comment": _l("ZIP comments"),
    "exif": _l("image EXIF data (author, copyright, comments)"),
    "xmp": _l("XMP metadata"),
    "iptc": _l("IPTC metadata"),
    "png_text": _l("PNG text fields"),
    "pdf_metadata": _l("PDF metadata"),
    "pdf_text": _l("PDF text"),
    "text": _l("text of the file"),
}

_PRINTABLE_RUN = re.compile(rb"[\x20-\x7e\xc0-\xff][\x20-\x7e\x80-\xff]{3,}")
_UTF16_RUN = re.compile(rb"(?:[\x20-\x7e]\x00){4,}")
# Readable runs of a binary STL header: exporters pad with NULs or spaces, and some write
# colour or material bytes there, so undecodable bytes and control characters end a run.
_HEADER_RUN = re.compile(r"[^\x00-\x1f\x7f-\x9f\ufffd]{5,}")
_XML_TAG = re.compile(r"<[^>]*>")
_XML_ATTRIBUTE = re.compile(r"\s[\w:]+=\"([^\"]*)\"")


class ContactDetailsInFile(ContentRefused):
    """The file's text carries contact details; nothing of the file is kept."""

    def __init__(self, filename: str, refusal: ContactDetailsRefused):
        where = ", ".join(str(LOCATIONS[name]) for name in refusal.findings)
        found = "; ".join(f.text for findings in refusal.findings.values() for f in findings)
        super().__init__(
            _l(
                "%(name)s carries contact details in its %(where)s (%(found)s). Contact details "
                "may not be shared on Occlusa: remove them and send the file again.",
                name=filename,
                where=where,
                found=found,
            ),
            field="file",
        )
        self.refusal = refusal


class FileText:
    """Feed a file's bytes in order; `texts()` then lists the text it carries."""

    def __init__(self, family: str):
        self.family = family
        self.head = bytearray()
        self.tail = bytearray()
        self.size = 0
        self._obj_text: list[str] = []
        self._obj_kept = 0
        self._obj_line = b""

    def feed(self, data: bytes | memoryview) -> None:
        size = len(data)
        self.size += size
        if len(self.head) < EDGE_BYTES:
            self.head += data[: EDGE_BYTES - len(self.head)]
        if size >= EDGE_BYTES:
            self.tail[:] = data[size - EDGE_BYTES :]
        else:
            self.tail += data
            del self.tail[:-EDGE_BYTES]
        if self.family == "obj" and self._obj_kept < _OBJ_TEXT_LIMIT:
            self._obj_lines(bytes(data))

    def texts(self) -> list[tuple[str, str]]:
        """(location, text) pairs, location a key of LOCATIONS."""
        head = bytes(self.head)
        whole = head if self.size <= len(head) else None
        tail = bytes(self.tail) if whole is None else head
        if self.family == "obj":
            self._obj_lines(b"\n")
            return [("obj_comment", "\n".join(self._obj_text))] if self._obj_text else []
        reader = _READERS.get(self.family)
        if reader is None:
            return []
        return [(location, text) for location, text in reader(head, tail, whole) if text.strip()]

    def _obj_lines(self, data: bytes) -> None:
        lines = (self._obj_line + data).split(b"\n")
        self._obj_line = lines.pop()[-4096:]  # a line still arriving (kept short)
        for line in lines:
            if line[:1] == b"#" or line[:2] in (b"o ", b"g ") or line[:7] in (b"mtllib ", b"usemtl "):
                text = line.decode("utf-8", "replace").strip("# \r\t")
                self._obj_text.append(text)
                self._obj_kept += len(text)


def screen_file_text(
    texts: Iterable[tuple[str, str]], *, filename: str, author: User | None, source_ref: str | None = None
) -> None:
    """Run the contact filter on a file's texts. Raises ContactDetailsInFile on a hit; the
    refusal it carries records only the findings and where they were (`record_file_refusal`)."""
    fields: dict[str, str] = {}
    for location, text in texts:
        fields[location] = (fields[location] + "\n" + text) if location in fields else text
    if not fields:
        return  # most files carry no text: the filter is not even loaded
    try:
        screen_text(fields, author=author, source=ViolationSource.file, source_ref=source_ref)
    except ContactDetailsRefused as exc:
        # The file's text is not kept: the violation holds the findings and their places.
        exc.texts = {location: str(LOCATIONS[location]) for location in exc.texts}
        raise ContactDetailsInFile(filename, exc) from None


# --- readers, per content family ---------------------------------------------------------


def _stl(head: bytes, tail: bytes, whole: bytes | None):
    if head[:5].lower() == b"solid" and b"facet" in head[:4096]:
        first_line = head.split(b"\n", 1)[0][5:]
        yield "stl_solid", _decode(first_line)
        last = tail.rstrip().rsplit(b"\n", 1)[-1]
        if last.lower().startswith(b"endsolid"):
            yield "stl_solid", _decode(last[8:])
        return
    yield "stl_header", _header_text(head[:80])


def _ply(head: bytes, tail: bytes, whole: bytes | None):
    header = head.split(b"end_header", 1)[0]
    lines = [
        line[len(word) :] for line in header.split(b"\n") for word in (b"comment", b"obj_info") if line.startswith(word)
    ]
    yield "ply_comment", _decode(b"\n".join(lines))


def _zip(head: bytes, tail: bytes, whole: bytes | None):
    names, comments = [], []
    for data in (head, tail) if whole is None else (whole,):
        at = 0
        while (at := data.find(b"PK\x03\x04", at)) >= 0 and at + 30 <= len(data):
            name_length, extra_length = struct.unpack_from("<HH", data, at + 26)
            names.append(data[at + 30 : at + 30 + name_length])
            at += 30 + name_length + extra_length
        at = 0
        while (at := data.find(b"PK\x01\x02", at)) >= 0 and at + 46 <= len(data):
            name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, at + 28)
            names.append(data[at + 46 : at + 46 + name_length])
            start = at + 46 + name_length + extra_length
            comments.append(data[start : start + comment_length])
            at = start + comment_length
        end = data.rfind(b"PK\x05\x06")
        if end >= 0 and end + 22 <= len(data):
            (comment_length,) = struct.unpack_from("<H", data, end + 20)
            comments.append(data[end + 22 : end + 22 + comment_length])
    yield "zip_name", "\n".join(dict.fromkeys(_decode(n) for n in names))
    yield "zip_comment", "\n".join(_decode(c) for c in comments if c)


def _jpeg(head: bytes, tail: bytes, whole: bytes | None):
    at = 2
    while at + 4 <= len(head) and head[at] == 0xFF:
        marker = head[at + 1]
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no more metadata
            break
        (length,) = struct.unpack_from(">H", head, at + 2)
        segment = head[at + 4 : at + 2 + length]
        if marker == 0xE1 and segment.startswith(b"http://ns.adobe.com/xap/"):
            yield "xmp", _xmp_text(segment)
        elif marker == 0xE1:
            yield "exif", _binary_text(segment)
        elif marker == 0xED:
            yield "iptc", _binary_text(segment)
        elif marker == 0xFE:
            yield "exif", _decode(segment)
        at += 2 + length


def _png(head: bytes, tail: bytes, whole: bytes | None):
    at = 8
    while at + 8 <= len(head):
        length, kind = struct.unpack_from(">I4s", head, at)
        data = head[at + 8 : at + 8 + length]
        if kind == b"tEXt":
            yield "png_text", _decode(data.replace(b"\x00", b": "))
        elif kind == b"zTXt" and b"\x00" in data:
            keyword, _, packed = data.partition(b"\x00")
            yield "png_text", _decode(keyword) + ": " + _decode(_inflate(packed[1:]))
        elif kind == b"iTXt":
            yield ("xmp" if data.startswith(b"XML:com.adobe.xmp") else "png_text"), _xmp_text(data)
        elif kind == b"eXIf":
            yield "exif", _binary_text(data)
        elif kind == b"IDAT":
            break
        at += 12 + length


def _pdf(head: bytes, tail: bytes, whole: bytes | None):
    data = whole if whole is not None else head + b"\n" + tail
    info = re.findall(
        rb"/(?:Title|Author|Subject|Keywords|Creator|Producer)\s*(\((?:[^()\\]|\\.)*\)|<[0-9a-fA-F]*>)", data
    )
    yield "pdf_metadata", "\n".join(_pdf_string(value) for value in info)
    for packet in re.findall(rb"<x:xmpmeta.*?</x:xmpmeta>", data, re.S):
        yield "xmp", _xmp_text(packet)
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        content = _inflate(stream) or stream
        texts += [_pdf_string(s) for s in re.findall(rb"\((?:[^()\\]|\\.)*\)", content)]
    yield "pdf_text", " ".join(texts)


def _text(head: bytes, tail: bytes, whole: bytes | None):
    yield "text", _decode(whole if whole is not None else head + b"\n" + tail)


_READERS = {"stl": _stl, "ply": _ply, "zip": _zip, "jpeg": _jpeg, "png": _png, "pdf": _pdf, "text": _text}


# --- helpers -----------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8").strip()
    except UnicodeDecodeError:
        return data.decode("latin-1").strip()


def _header_text(header: bytes) -> str:
    """The words typed into a binary header, not its binary bytes read as letters (which
    would let noise pass for a phone number and refuse an ordinary design): a header whose
    readable runs are not most of it, padding aside, is binary and carries no words."""
    text = header.decode("utf-8", "replace").rstrip("\x00 ")
    runs = _HEADER_RUN.findall(text)
    if sum(map(len, runs)) * 2 < len(text):
        return ""
    return "\n".join(run.strip() for run in runs)


def _binary_text(segment: bytes) -> str:
    """Printable runs of a binary block (EXIF, IPTC): ASCII/UTF-8 fields and UTF-16 ones
    (Windows' XPAuthor, XPComment)."""
    runs = [_decode(run) for run in _PRINTABLE_RUN.findall(segment)]
    runs += [run.decode("utf-16-le") for run in _UTF16_RUN.findall(segment)]
    return "\n".join(runs)


def _xmp_text(packet: bytes) -> str:
    """Attribute values and text between the tags of an XMP packet."""
    text = _decode(packet)
    parts = _XML_ATTRIBUTE.findall(text) + _XML_TAG.sub("\n", text).split("\n")
    return "\n".join(part.strip() for part in parts if part.strip())


def _pdf_string(value: bytes) -> str:
    if value.startswith(b"<"):
        raw = bytes.fromhex(value[1:-1].decode() + "0" * (len(value) % 2))
    else:
        raw = re.sub(rb"\\([()\\])", rb"\1", value[1:-1])
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    return _decode(raw)


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, _MAX_INFLATED)
    except zlib.error:
        return b""
