"""Drawing an invoice as a PDF with ReportLab: pure layout, from the invoice's frozen data.

Invoices are legal documents in the issuer's name, so they are printed in English with
amounts in a fixed format, whatever language the reader browses in. Names in any script
print correctly when the DejaVu font is installed (Debian's fonts-dejavu); otherwise the
PDF falls back to Helvetica.
"""
from __future__ import annotations

import io
import os

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

from payments.case_money import format_money

DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu/"
_FONTS: tuple[str, str] | None = None


def _fonts() -> tuple[str, str]:
    """(regular, bold) font names, registering DejaVu once per process when it is there."""
    global _FONTS
    if _FONTS is None:
        regular, bold = os.path.join(DEJAVU_DIR, "DejaVuSans.ttf"), os.path.join(DEJAVU_DIR, "DejaVuSans-Bold.ttf")
        if os.path.exists(regular) and os.path.exists(bold):
            pdfmetrics.registerFont(TTFont("InvoiceSans", regular))
            pdfmetrics.registerFont(TTFont("InvoiceSans-Bold", bold))
            _FONTS = ("InvoiceSans", "InvoiceSans-Bold")
        else:
            _FONTS = ("Helvetica", "Helvetica-Bold")
    return _FONTS


def money(cents: int, currency: str) -> str:
    # Invoices are written in English, whoever downloads them.
    return format_money(cents, currency, locale="en_US")


def _party(title: str, party: dict, style: ParagraphStyle, bold: ParagraphStyle) -> list:
    rows = [Paragraph(escape(title), bold), Paragraph(escape(party.get("name") or ""), style)]
    for label, key in (("Country", "country_name"), ("Tax ID", "tax_id"), ("Client case ID", "client_case_id"),
                       ("E-mail", "email")):
        if party.get(key):
            rows.append(Paragraph(f"{label}: {escape(str(party[key]))}", style))
    return rows


def render_invoice_pdf(*, title: str, display_number: str, issued_on: str, case_reference: str,
                       issuer: dict, recipient: dict, lines: list[dict], total_cents: int, currency: str,
                       note: str) -> bytes:
    """The PDF bytes of one invoice."""
    regular, bold_font = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=14)
    bold = ParagraphStyle("bold", parent=body, fontName=bold_font)
    heading = ParagraphStyle("heading", parent=body, fontName=bold_font, fontSize=18, leading=24)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=12, textColor=colors.HexColor("#555555"))

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=f"{title} {display_number}", author=issuer.get("name", ""))
    story: list = [
        Paragraph(escape(title), heading),
        Paragraph(f"Invoice number: {escape(display_number)}", bold),
        Paragraph(f"Date: {escape(issued_on)}", body),
        Paragraph(f"Occlusa case: {escape(case_reference)}", body),
        Spacer(1, 8 * mm),
    ]
    parties = Table([[_party("From", issuer, body, bold), _party("To", recipient, body, bold)]],
                    colWidths=[87 * mm, 87 * mm])
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [parties, Spacer(1, 8 * mm)]

    rows = [["Description", "Quantity", "Unit price", "Amount"]]
    for line in lines:
        rows.append([Paragraph(escape(line["description"]), body), str(line["quantity"]),
                     money(line["unit_cents"], currency), money(line["amount_cents"], currency)])
    rows.append(["", "", "Total", money(total_cents, currency)])
    table = Table(rows, colWidths=[92 * mm, 22 * mm, 30 * mm, 30 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("FONTNAME", (0, 0), (-1, 0), bold_font),
        ("FONTNAME", (0, -1), (-1, -1), bold_font),
        ("FONTSIZE", (0, 0), (-1, -1), 10),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#0f5c6e")),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.HexColor("#0f5c6e")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    story += [table, Spacer(1, 10 * mm), Paragraph(escape(note), small)]
    doc.build(story)
    return buffer.getvalue()
