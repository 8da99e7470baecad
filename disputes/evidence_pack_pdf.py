"""Drawing an evidence pack with ReportLab, and reading its pages' text back with pdftotext.

Pure layout: the pages arrive already cut (disputes/evidence_pack.py decides what is on each
page and hashes it). Every line is drawn whole at a fixed place in a monospaced font, so a
line never wraps inside the PDF and pdftotext gives back the same words, line for line. A
character the font cannot draw is printed as "?" by `printable`, before it is hashed, so
what the chain covers is exactly what the page shows.
"""

from __future__ import annotations

import io
import os
import subprocess
import unicodedata
from typing import Iterable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from payments.invoice_pdf import DEJAVU_DIR

LINE_WIDTH = 92  # characters of content per line
LINES_PER_PAGE = 62  # content lines per page, headings and gaps included
HEADING = "\x01"  # marks a heading line, drawn bold; never in printed text (controls print as spaces)

_MARGIN = 18 * mm
_BODY_SIZE, _LEADING = 8.4, 11.2
_FONTS: tuple[str, str] | None = None
_GLYPHS: frozenset[int] | None = None


def _fonts() -> tuple[str, str]:
    """(regular, bold) monospaced fonts, DejaVu Sans Mono when installed (as for invoices)."""
    global _FONTS, _GLYPHS
    if _FONTS is None:
        regular = os.path.join(DEJAVU_DIR, "DejaVuSansMono.ttf")
        bold = os.path.join(DEJAVU_DIR, "DejaVuSansMono-Bold.ttf")
        if os.path.exists(regular) and os.path.exists(bold):
            pdfmetrics.registerFont(TTFont("PackMono", regular))
            pdfmetrics.registerFont(TTFont("PackMono-Bold", bold))
            _GLYPHS = frozenset(pdfmetrics.getFont("PackMono").face.charToGlyph)
            _FONTS = ("PackMono", "PackMono-Bold")
        else:
            _GLYPHS = frozenset(range(32, 127))
            _FONTS = ("Courier", "Courier-Bold")
    return _FONTS


def printable(text: str) -> str:
    """`text` as the pack prints it: NFC, controls and separators as spaces, characters the font
    lacks (or that read right to left) as "?"."""
    _fonts()
    out = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if category[0] in "CZ":
            out.append(" ")
        elif ord(char) not in _GLYPHS or unicodedata.bidirectional(char) in ("R", "AL"):
            out.append("?")
        else:
            out.append(char)
    return "".join(out)


def draw_pack(*, title: str, header: str, pages: Iterable[list[str]], footers: list[tuple[str, str]]) -> bytes:
    """The PDF of `pages` (lists of content lines), each with the header line on top and its two
    footer lines (page hash, pack fingerprint) at the bottom."""
    regular, bold = _fonts()
    width, height = A4
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(title)
    pdf.setAuthor("Occlusa")
    pdf.setSubject(footers[-1][1] if footers else "")
    for (page_line, fingerprint_line), lines in zip(footers, pages):
        # Shrunk to fit when long: a line past the page's edge is cut from the text read back.
        pdf.setFont(bold, min(8.0, (width - 2 * _MARGIN) / max(pdfmetrics.stringWidth(header, bold, 1), 1)))
        pdf.drawString(_MARGIN, height - _MARGIN, header)
        pdf.setStrokeColor(colors.HexColor("#0f5c6e"))
        pdf.line(_MARGIN, height - _MARGIN - 5, width - _MARGIN, height - _MARGIN - 5)
        y = height - _MARGIN - 5 - 2 * _LEADING
        for line in lines:
            heading = line.startswith(HEADING)
            pdf.setFont(bold if heading else regular, _BODY_SIZE)
            pdf.drawString(_MARGIN, y, line[1:] if heading else line)
            y -= _LEADING
        pdf.line(_MARGIN, _MARGIN + 22, width - _MARGIN, _MARGIN + 22)
        pdf.setFont(regular, 7)
        pdf.drawString(_MARGIN, _MARGIN + 11, page_line)
        pdf.drawString(_MARGIN, _MARGIN, fingerprint_line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


class TextUnreadable(Exception):
    """pdftotext is missing or could not read the file as a PDF."""


def page_texts(pdf_bytes: bytes) -> list[list[str]]:
    """Each page's non-blank lines as pdftotext -layout reads them, runs of spaces made one."""
    try:
        done = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
            input=pdf_bytes,
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TextUnreadable(str(exc)) from exc
    if done.returncode != 0:
        raise TextUnreadable(done.stderr.decode("utf-8", "replace").strip())
    pages = done.stdout.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends the last page with a form feed too
    return [[canonical(line) for line in page.splitlines() if line.strip()] for page in pages]


def canonical(line: str) -> str:
    """A line as the chain hashes it: NFC, words separated by one space, no heading mark."""
    line = unicodedata.normalize("NFC", line)
    if line.startswith(HEADING):
        line = line[1:]
    return " ".join(line.split())
