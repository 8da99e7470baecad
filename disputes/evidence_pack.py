"""The evidence pack: a dispute's written record as a PDF whose every page proves its text.

What it holds is in disputes/evidence_pack_content.py; how it is drawn in
disputes/evidence_pack_pdf.py. This module cuts the content into pages, chains their hashes,
records the export in the audit log and checks a copy later.

The chain (version 1)
---------------------
- Canonical form of a line: Unicode NFC, every run of white space made one space, leading and
  trailing space removed; blank lines do not count. Canonical bytes of a page: its non-blank
  content lines in canonical form, each followed by "\\n", in UTF-8. The content is what sits
  between the page's header line and its two footer lines.
- The header line, printed on top of every page, names the pack (a random number of its own),
  the dispute, its case and the generation time (UTC, to the second). h_0 = SHA-256(UTF-8 of the canonical header line).
- For page i = 1..n: h_i = SHA-256(h_{i-1} as 32 raw bytes || canonical bytes of page i).
- The pack's fingerprint is h_n. Page i's footer prints "page hash" h_i and, on the last line,
  the fingerprint (both 64 lowercase hex digits).
- Each export writes the audit row "dispute.pack_exported" on the Dispute, with
  after = {"fingerprint": h_n, "pages": n, "pack": number, "version": 1}; every download is a
  new export, hence a new pack.

Checking a copy (`verify_pack`, or `flask verify-evidence-pack FILE`): pdftotext -layout reads
every page back; the first non-blank line is the header, the last two are the footer, the rest
is the content. The chain is recomputed from the header; every page's printed hash and
fingerprint must equal the recomputed ones, and an audit row must record that fingerprint
with that number of pages. A changed word on any page changes its h_i, hence every later
hash and the fingerprint, which no longer matches what the page prints nor the audit row;
printing new hashes gives a fingerprint the audit log never recorded. The pack holds no
secret: the audit row is what makes a copy checkable.

Memory stays bounded for long threads: the content is read in batches, hashed page by page
and spooled to a temporary file (the fingerprint must be known before page 1 is drawn), then
drawn from it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Iterator

import sqlalchemy as sa
from flask_babel import gettext as _

from audit.trail import record_action
from disputes.evidence_pack_content import pack_lines, printable_paragraphs
from disputes.evidence_pack_pdf import LINES_PER_PAGE, TextUnreadable, canonical, draw_pack, page_texts
from extensions import db
from models.accounts import User
from models.disputes import Dispute
from models.moderation import AuditEntry
from models.types import utcnow

ACTION = "dispute.pack_exported"
VERSION = 1
_HEX = re.compile(r"\b([0-9a-f]{64})\b")


@dataclass(frozen=True)
class EvidencePack:
    pdf: bytes
    fingerprint: str
    pages: int
    filename: str


def page_bytes(lines: Iterable[str]) -> bytes:
    """The canonical bytes of one page's content lines."""
    return "".join(f"{text}\n" for text in (canonical(line) for line in lines) if text).encode("utf-8")


def first_hash(header: str) -> bytes:
    return hashlib.sha256(canonical(header).encode("utf-8")).digest()


def next_hash(previous: bytes, lines: Iterable[str]) -> bytes:
    return hashlib.sha256(previous + page_bytes(lines)).digest()


def _pages(lines: Iterator[str]) -> Iterator[list[str]]:
    """Content lines cut into pages; at least one page, never one that starts with a gap."""
    page: list[str] = []
    cut = False
    for line in lines:
        if not page and not line.strip():
            continue
        page.append(line)
        if len(page) == LINES_PER_PAGE:
            yield page
            page, cut = [], True
    if page or not cut:
        yield page


def _header(dispute: Dispute, number: str, at: datetime) -> str:
    return printable_paragraphs(
        _(
            "Occlusa evidence pack %(number)s · dispute %(id)d · case %(ref)s · generated %(at)s",
            number=number,
            id=dispute.id,
            ref=dispute.case.reference,
            at=at.strftime("%Y-%m-%d %H:%M:%S UTC"),
        )
    )[0]


def _footers(hashes: list[bytes]) -> list[tuple[str, str]]:
    total, fingerprint = len(hashes), hashes[-1].hex()
    return [
        (
            _("Page %(page)d of %(pages)d · page hash %(hash)s", page=number, pages=total, hash=digest.hex()),
            _("Pack fingerprint %(fingerprint)s", fingerprint=fingerprint),
        )
        for number, digest in enumerate(hashes, start=1)
    ]


def export_evidence_pack(dispute: Dispute, *, actor: User) -> EvidencePack:
    """Draw the pack of `dispute` for `actor` (whose access the caller checked) and write the
    export to the audit log, in the current unit of work."""
    # Its own number: two exports in the same second are two packs, each with its audit row.
    number = secrets.token_hex(4)
    header = _header(dispute, number, utcnow().replace(microsecond=0))
    hashes: list[bytes] = []
    previous = first_hash(header)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for page in _pages(pack_lines(dispute)):
            previous = next_hash(previous, page)
            hashes.append(previous)
            spool.write(str(len(page)) + "\n" + "".join(line + "\n" for line in page))
        spool.seek(0)
        pdf = draw_pack(
            title=_("Evidence pack, dispute %(id)d", id=dispute.id),
            header=header,
            pages=_spooled(spool, len(hashes)),
            footers=_footers(hashes),
        )
    fingerprint = hashes[-1].hex()
    record_action(
        ACTION,
        dispute,
        actor=actor,
        reason=f"case {dispute.case.reference}",
        after={"fingerprint": fingerprint, "pages": len(hashes), "pack": number, "version": VERSION},
    )
    return EvidencePack(
        pdf=pdf,
        fingerprint=fingerprint,
        pages=len(hashes),
        filename=f"evidence-pack-{dispute.case.reference}-dispute-{dispute.id}.pdf",
    )


def _spooled(spool, count: int) -> Iterator[list[str]]:
    for _page in range(count):
        size = int(spool.readline())
        yield [spool.readline().rstrip("\n") for _line in range(size)]


@dataclass
class PackCheck:
    """What checking a copy of a pack found: `valid` only when the chain holds on every page
    and the audit log recorded the fingerprint."""

    fingerprint: str | None = None
    pages: int = 0
    audit: AuditEntry | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems and self.audit is not None


def verify_pack(pdf_bytes: bytes) -> PackCheck:
    """Check a copy of an evidence pack against its own chain and the audit log."""
    check = PackCheck()
    try:
        pages = page_texts(pdf_bytes)
    except TextUnreadable:
        check.problems.append(_("This file cannot be read as a PDF."))
        return check
    if not pages or any(len(page) < 3 for page in pages):
        check.problems.append(_("This file is not an evidence pack: a page has no header or footer."))
        return check
    check.pages = len(pages)
    header = pages[0][0]
    previous = first_hash(header)
    for number, page in enumerate(pages, start=1):
        printed_hash, printed_fingerprint = _HEX.search(page[-2]), _HEX.search(page[-1])
        previous = next_hash(previous, page[1:-2])
        if page[0] != header or printed_hash is None or printed_fingerprint is None:
            check.problems.append(_("Page %(page)d has no pack header or footer.", page=number))
        elif printed_hash.group(1) != previous.hex():
            check.problems.append(_("The text of page %(page)d does not match its hash.", page=number))
    check.fingerprint = previous.hex()
    printed = {match.group(1) for page in pages if (match := _HEX.search(page[-1]))}
    if printed != {check.fingerprint}:
        check.problems.append(_("The fingerprint printed on the pages is not the pack's."))
    check.audit = db.session.scalar(
        sa.select(AuditEntry)
        .where(AuditEntry.action == ACTION, AuditEntry.after["fingerprint"].as_string() == check.fingerprint)
        .order_by(AuditEntry.id)
        .limit(1)
    )
    if check.audit is None:
        check.problems.append(_("No export of this pack is recorded in the audit log."))
    elif (check.audit.after or {}).get("pages") != check.pages:
        check.problems.append(_("The audit log recorded this pack with another number of pages."))
    return check
