"""Drawing an invoice or credit note as a PDF with ReportLab, from the document's frozen fields.

Pure layout: what the invoice says was fixed when it was issued (payments/invoices.py); this
module only prints it, in the reader's language and number conventions (`locale`), so the
same invoice downloads as "€1,234.50" for one reader and "1 234,50 €" for another. The copy
kept at issue is drawn in English. Names in any script print correctly when the DejaVu font
is installed (Debian's fonts-dejavu); otherwise the PDF falls back to Helvetica.
"""

from __future__ import annotations

import io
import os
from decimal import Decimal
from xml.sax.saxutils import escape

from babel import Locale
from flask import current_app
from flask_babel import force_locale, format_date, format_decimal, gettext as _
from flask_babel import lazy_gettext as _l
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from payments.case_money import format_money
from payments.fees import MINIMUM_FEE_CENTS
from payments.vat import rule_note

DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu/"
INK, BRAND, MUTED, RULE, ZEBRA = (colors.HexColor(c) for c in ("#1d2a30", "#0f5c6e", "#5b6b72", "#c9d6db", "#f2f7f8"))
_FONTS: tuple[str, str] | None = None

UNITS = {"tooth": _l("tooth"), "arch": _l("arch")}
REFUND_LINES = {
    "cancelled": _l("Refund on invoice %(number)s: the case was cancelled"),
    "resolution": _l("Refund on invoice %(number)s, as decided in the resolution centre"),
    "card_dispute": _l("Refund on invoice %(number)s: funds returned after a card dispute"),
    "contract_cancelled": _l("Refund on invoice %(number)s: the unused cases of a cancelled contract"),
}


def _fonts() -> tuple[str, str]:
    """(regular, bold) font names, registering DejaVu once per process when it is there."""
    global _FONTS
    if _FONTS is None:
        regular, bold = os.path.join(DEJAVU_DIR, "DejaVuSans.ttf"), os.path.join(DEJAVU_DIR, "DejaVuSans-Bold.ttf")
        if os.path.exists(regular) and os.path.exists(bold):
            pdfmetrics.registerFont(TTFont("InvoiceSans", regular))
            pdfmetrics.registerFont(TTFont("InvoiceSans-Bold", bold))
            # So that <b> inside a paragraph picks the bold face.
            pdfmetrics.registerFontFamily(
                "InvoiceSans",
                normal="InvoiceSans",
                bold="InvoiceSans-Bold",
                italic="InvoiceSans",
                boldItalic="InvoiceSans-Bold",
            )
            _FONTS = ("InvoiceSans", "InvoiceSans-Bold")
        else:
            _FONTS = ("Helvetica", "Helvetica-Bold")
    return _FONTS


# The tooth of static/img/icon.svg (a 64-unit square), as absolute cubic segments, y pointing down.
TOOTH = [
    ((15, 18), (12, 22), (12, 28)),
    ((12, 36), (15, 40), (17, 48)),
    ((18, 51), (22, 51), (23, 48)),
    (None, None, (26, 38)),
    ((27, 35), (31, 35), (32, 38)),
    (None, None, (35, 48)),
    ((36, 51), (40, 51), (41, 48)),
    ((43, 40), (46, 36), (46, 28)),
    ((46, 22), (43, 18), (38, 18)),
    ((34, 18), (32, 20), (29, 20)),
    ((26, 20), (24, 18), (20, 18)),
]


class _Logo(Flowable):
    """The platform's logo drawn as vectors: sharp at any zoom, and nothing to encode per document."""

    def __init__(self, size: float):
        super().__init__()
        self.width = self.height = size

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.scale(self.width / 64, self.height / 64)
        canvas.setFillColor(BRAND)
        canvas.roundRect(0, 0, 64, 64, 14, stroke=0, fill=1)
        path = canvas.beginPath()
        path.moveTo(20, 64 - 18)
        for first, second, end in TOOTH:
            if first is None:
                path.lineTo(end[0], 64 - end[1])
            else:
                path.curveTo(first[0], 64 - first[1], second[0], 64 - second[1], end[0], 64 - end[1])
        path.close()
        canvas.setFillColor(colors.white)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()


def render_invoice_pdf(invoice, *, locale: str) -> bytes:
    """The PDF bytes of one invoice or credit note (a models.payments.Invoice), in `locale`."""
    with force_locale(locale):
        return _Drawing(invoice, locale).build()


class _Drawing:
    def __init__(self, invoice, locale: str):
        self.invoice, self.locale = invoice, locale
        self.territories = Locale.parse(locale).territories
        regular, bold = _fonts()
        self.fonts = (regular, bold)
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13, textColor=INK)
        self.bold = ParagraphStyle("bold", parent=self.body, fontName=bold)
        self.label = ParagraphStyle("label", parent=self.body, fontName=bold, fontSize=7.5, leading=10, textColor=MUTED)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=11, textColor=MUTED)
        self.title = ParagraphStyle(
            "title", parent=self.body, fontName=bold, fontSize=18, leading=22, textColor=BRAND, alignment=2
        )

    def money(self, cents: int) -> str:
        return format_money(cents, self.invoice.currency)

    def build(self) -> bytes:
        invoice = self.invoice
        buffer = io.BytesIO()
        # The frame pads its content by 6 pt: margins of 18 mm less that give blocks 174 mm, edge to edge.
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm - 6,
            rightMargin=18 * mm - 6,
            topMargin=16 * mm,
            bottomMargin=24 * mm,
            title=f"{self.heading()} {invoice.display_number}",
            author=invoice.issuer.get("name", ""),
            creator="Occlusa",
        )
        story = [
            self.header(),
            Spacer(1, 9 * mm),
            self.parties(),
            Spacer(1, 9 * mm),
            self.lines(),
            Spacer(1, 4 * mm),
            self.totals(),
            Spacer(1, 8 * mm),
        ]
        story.append(Paragraph("<br/>".join(escape(str(text)) for text in self.notes()), self.small))
        doc.build(story, onFirstPage=self.footer, onLaterPages=self.footer)
        return buffer.getvalue()

    # -- blocks ------------------------------------------------------------------------------
    def heading(self) -> str:
        if self.invoice.is_credit_note:
            return _("Credit note")
        return _("Commission invoice") if self.invoice.kind.value == "commission" else _("Invoice")

    def header(self) -> Table:
        invoice, case = self.invoice, self.invoice.case
        brand = Table(
            [
                [
                    _Logo(13 * mm),
                    Paragraph(
                        '<font size="16"><b>Occlusa</b></font><br/>'
                        f'<font color="#5b6b72" size="8">{escape(_("Dental CAD design marketplace"))}'
                        "</font>",
                        ParagraphStyle("brand", parent=self.body, leading=17),
                    ),
                ]
            ],
            colWidths=[16 * mm, 72 * mm],
        )
        brand.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        facts = [(_("Number"), invoice.display_number), (_("Issue date"), format_date(invoice.created_at, "long"))]
        if case is not None and case.closed_at is not None:
            facts.append((_("Service date"), format_date(case.closed_at, "long")))
        if invoice.corrects is not None:
            facts.append(
                (
                    _("Corrects invoice"),
                    f"{invoice.corrects.display_number} · {format_date(invoice.corrects.created_at, 'medium')}",
                )
            )
        if case is not None:
            facts.append((_("Occlusa case"), case.reference))
        month = invoice.contract_month
        if month is not None:
            facts.append((_("Monthly contract"), month.contract.reference))
            facts.append(
                (
                    _("Month %(number)s", number=month.number),
                    f"{format_date(month.starts_at, 'medium')} – {format_date(month.ends_at, 'medium')}",
                )
            )
        if invoice.recipient.get("client_case_id"):
            facts.append((_("Your case ID"), invoice.recipient["client_case_id"]))
        # Plain strings in table cells: one line each, and far cheaper to lay out than paragraphs.
        regular, _bold = self.fonts
        fact_rows = Table([[str(k), str(v)] for k, v in facts], colWidths=[38 * mm, 48 * mm])
        fact_rows.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), regular),
                    ("FONTSIZE", (0, 0), (0, -1), 8),
                    ("FONTSIZE", (1, 0), (1, -1), 9.5),
                    ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
                    ("TEXTCOLOR", (1, 0), (1, -1), INK),
                    ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        right = [Paragraph(escape(self.heading()), self.title), Spacer(1, 2 * mm), fact_rows]
        table = Table([[brand, right]], colWidths=[88 * mm, 86 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    def party(self, title: str, party: dict) -> list:
        lines = list(party.get("address") or [])
        city = " ".join(filter(None, (party.get("postal_code"), party.get("city"))))
        if city:
            lines.append(city)
        country = party.get("country") or ""
        if country:
            lines.append(self.territories.get(country, country))
        elif party.get("country_name"):
            lines.append(party["country_name"])
        text = [f"<b>{escape(party.get('name') or '')}</b>", *(escape(line) for line in lines)]
        for label, key in ((_("VAT number"), "vat_number"), (_("Tax ID"), "tax_id"), (_("E-mail"), "email")):
            if party.get(key):
                text.append(f'<font color="#5b6b72">{escape(label)}</font> {escape(str(party[key]))}')
        return [
            Paragraph(escape(title.upper()), self.label),
            Spacer(1, 1.5 * mm),
            Paragraph("<br/>".join(text), self.body),
        ]

    def parties(self) -> Table:
        invoice = self.invoice
        table = Table(
            [[self.party(_("Issued by"), invoice.issuer), self.party(_("Billed to"), invoice.recipient)]],
            colWidths=[87 * mm, 87 * mm],
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                    ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        return table

    def description(self, line: dict) -> str:
        key, params = line.get("key"), line.get("params") or {}
        if key == "design":
            return _(
                "%(title)s (%(quantity)s × %(unit)s)",
                title=params["title"],
                quantity=params["quantity"],
                unit=str(UNITS.get(params["unit"], params["unit"])),
            )
        if key == "commission":
            return _(
                "Platform commission (9%%, at least %(minimum)s) on case %(reference)s",
                minimum=self.money(MINIMUM_FEE_CENTS),
                reference=params["reference"],
            )
        if key == "contract_month":
            return _(
                "%(title)s: monthly contract %(reference)s, month %(number)s (up to %(allowance)s cases)",
                title=params["title"],
                reference=params["reference"],
                number=params["number"],
                allowance=params["allowance"],
            )
        if key == "month_commission":
            return _(
                "Platform commission (9%%, at least %(minimum)s) on month %(number)s of contract %(reference)s",
                minimum=self.money(MINIMUM_FEE_CENTS),
                number=params["number"],
                reference=params["reference"],
            )
        if key == "refund":
            return str(REFUND_LINES.get(params["reason"], REFUND_LINES["resolution"])) % {"number": params["number"]}
        return line["description"]

    def lines(self) -> Table:
        invoice = self.invoice
        regular, bold = self.fonts
        rows = [[_("Description"), _("Qty"), _("Unit price"), _("VAT"), _("Net amount")]]
        for line in invoice.lines:
            rows.append(
                [
                    Paragraph(escape(self.description(line)), self.body),
                    format_decimal(line["quantity"]),
                    self.money(line["unit_cents"]),
                    self.rate(),
                    self.money(line["amount_cents"]),
                ]
            )
        table = Table(rows, colWidths=[78 * mm, 14 * mm, 32 * mm, 16 * mm, 34 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), bold),
                    ("FONTSIZE", (0, 0), (-1, 0), 8.5),
                    ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                    ("FONTNAME", (1, 1), (-1, -1), regular),
                    ("FONTSIZE", (1, 1), (-1, -1), 9.5),
                    ("TEXTCOLOR", (1, 1), (-1, -1), INK),
                    ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                    ("BACKGROUND", (0, 0), (-1, 0), BRAND),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                    ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
                ]
            )
        )
        return table

    def rate(self) -> str:
        return format_decimal(Decimal(self.invoice.vat_rate_bp) / 100) + " %"

    def totals(self) -> Table:
        invoice = self.invoice
        credit = invoice.is_credit_note
        rows = [
            [_("Subtotal excl. VAT"), self.money(invoice.subtotal_cents)],
            [_("VAT %(rate)s", rate=self.rate()), self.money(invoice.vat_cents)],
            [_("Total credited") if credit else _("Total"), self.money(invoice.total_cents)],
            [self.settled_by(), self.money(invoice.total_cents)],
            [_("Amount due"), self.money(0)],
        ]
        regular, bold = self.fonts
        table = Table([[str(label), value] for label, value in rows], colWidths=[76 * mm, 34 * mm], hAlign="RIGHT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), regular),
                    ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                    ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                    ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                    ("FONTNAME", (0, 2), (-1, 2), bold),
                    ("FONTNAME", (0, 4), (-1, 4), bold),
                    ("LINEABOVE", (0, 2), (-1, 2), 1.2, BRAND),
                    ("BACKGROUND", (0, 2), (-1, 2), ZEBRA),
                    ("LINEABOVE", (0, 4), (-1, 4), 0.6, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (-1, 0), (-1, -1), 6),
                ]
            )
        )
        return table

    def settled_by(self) -> str:
        """How the amount was settled: nothing is ever left to pay on an Occlusa invoice."""
        if self.invoice.is_credit_note:
            return _("Refunded to the customer's card")
        if self.invoice.kind.value == "commission":
            return _("Deducted from the designer's earnings")
        return _("Paid by card through Occlusa")

    def notes(self) -> list:
        invoice = self.invoice
        notes = []
        note = rule_note(invoice.vat_rule)
        if note is not None:
            notes.append(note)
        if invoice.kind.value == "service":
            notes.append(
                _(
                    "Dental CAD design services delivered as digital files. Issued through the Occlusa "
                    "marketplace in the name and on behalf of the seller."
                )
            )
        else:
            notes.append(
                _("Commission of the Occlusa marketplace, deducted from the designer's earnings on this month.")
                if invoice.contract_month_id
                else _("Commission of the Occlusa marketplace, deducted from the designer's earnings on this case.")
            )
        if invoice.is_credit_note:
            notes.append(_("This credit note cancels the amounts above on the invoice it corrects."))
        return notes

    def footer(self, canvas, doc) -> None:
        config = current_app.config
        legal = " · ".join(
            filter(
                None,
                [
                    config["PLATFORM_LEGAL_NAME"],
                    ", ".join(line.strip() for line in config["PLATFORM_ADDRESS"].split(";")),
                    _("VAT %(number)s", number=config["PLATFORM_VAT_NUMBER"]) if config["PLATFORM_VAT_NUMBER"] else "",
                    config["PLATFORM_REGISTRATION"],
                ],
            )
        )
        regular, _bold = self.fonts
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(18 * mm, 17 * mm, A4[0] - 18 * mm, 17 * mm)
        canvas.setFont(regular, 7)
        canvas.setFillColor(MUTED)
        canvas.drawString(18 * mm, 12.5 * mm, legal[:160])
        canvas.drawRightString(A4[0] - 18 * mm, 8.5 * mm, _("Page %(number)s", number=doc.page))
        canvas.drawString(18 * mm, 8.5 * mm, config["PLATFORM_BILLING_EMAIL"])
        canvas.restoreState()
