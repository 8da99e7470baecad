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
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from payments.case_money import format_money
from payments.fees import MINIMUM_FEE_CENTS
from payments.vat import rule_note

DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu/"
LOGO = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "static", "img", "icon-192.png")
INK, BRAND, MUTED, RULE, ZEBRA = (colors.HexColor(c) for c in ("#1d2a30", "#0f5c6e", "#5b6b72", "#c9d6db",
                                                             "#f2f7f8"))
_FONTS: tuple[str, str] | None = None
_LOGO: ImageReader | None = None

UNITS = {"tooth": _l("tooth"), "arch": _l("arch")}
REFUND_LINES = {
    "cancelled": _l("Refund on invoice %(number)s: the case was cancelled"),
    "resolution": _l("Refund on invoice %(number)s, as decided in the resolution centre"),
    "card_dispute": _l("Refund on invoice %(number)s: funds returned after a card dispute"),
}


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


def _logo() -> ImageReader:
    global _LOGO
    if _LOGO is None:
        _LOGO = ImageReader(LOGO)  # decoded once per process, embedded in each PDF
    return _LOGO


class _Logo(Flowable):
    """The platform's logo, drawn from the image decoded once per process."""

    def __init__(self, size: float):
        super().__init__()
        self.width = self.height = size

    def draw(self) -> None:
        self.canv.drawImage(_logo(), 0, 0, self.width, self.height, mask="auto")


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
        self.label = ParagraphStyle("label", parent=self.body, fontName=bold, fontSize=7.5, leading=10,
                                    textColor=MUTED)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=11, textColor=MUTED)
        self.title = ParagraphStyle("title", parent=self.body, fontName=bold, fontSize=20, leading=24,
                                    textColor=BRAND, alignment=2)
        self.right = ParagraphStyle("right", parent=self.body, alignment=2)
        self.right_bold = ParagraphStyle("right_bold", parent=self.bold, alignment=2)

    def money(self, cents: int) -> str:
        return format_money(cents, self.invoice.currency)

    def build(self) -> bytes:
        invoice = self.invoice
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                                bottomMargin=24 * mm, title=f"{self.heading()} {invoice.display_number}",
                                author=invoice.issuer.get("name", ""), creator="Occlusa")
        story = [self.header(), Spacer(1, 9 * mm), self.parties(), Spacer(1, 9 * mm), self.lines(),
                 Spacer(1, 4 * mm), self.totals(), Spacer(1, 8 * mm)]
        story += [Paragraph(escape(str(text)), self.small) for text in self.notes()]
        doc.build(story, onFirstPage=self.footer, onLaterPages=self.footer)
        return buffer.getvalue()

    # -- blocks ------------------------------------------------------------------------------
    def heading(self) -> str:
        if self.invoice.is_credit_note:
            return _("Credit note")
        return _("Commission invoice") if self.invoice.kind.value == "commission" else _("Invoice")

    def header(self) -> Table:
        invoice, case = self.invoice, self.invoice.case
        brand = Table([[_Logo(13 * mm),
                        Paragraph('<font size="16"><b>Occlusa</b></font><br/>'
                                  f'<font color="#5b6b72" size="8">{escape(_("Dental CAD design marketplace"))}'
                                  '</font>', ParagraphStyle("brand", parent=self.body, leading=17))]],
                      colWidths=[16 * mm, 72 * mm])
        brand.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        facts = [(_("Number"), invoice.display_number),
                 (_("Issue date"), format_date(invoice.created_at, "long"))]
        if case is not None and case.closed_at is not None:
            facts.append((_("Service date"), format_date(case.closed_at, "long")))
        if invoice.corrects is not None:
            facts.append((_("Corrects invoice"), f"{invoice.corrects.display_number} · "
                                                 f"{format_date(invoice.corrects.created_at, 'medium')}"))
        if case is not None:
            facts.append((_("Occlusa case"), case.reference))
        if invoice.recipient.get("client_case_id"):
            facts.append((_("Your case ID"), invoice.recipient["client_case_id"]))
        fact_rows = Table([[Paragraph(escape(str(k)), self.small), Paragraph(escape(str(v)), self.right)]
                           for k, v in facts], colWidths=[38 * mm, 48 * mm])
        fact_rows.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                                       ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        right = [Paragraph(escape(self.heading()), self.title), Spacer(1, 2 * mm), fact_rows]
        table = Table([[brand, right]], colWidths=[88 * mm, 86 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        return table

    def party(self, title: str, party: dict) -> list:
        rows = [Paragraph(escape(title.upper()), self.label), Spacer(1, 1.5 * mm),
                Paragraph(escape(party.get("name") or ""), self.bold)]
        lines = list(party.get("address") or [])
        city = " ".join(filter(None, (party.get("postal_code"), party.get("city"))))
        if city:
            lines.append(city)
        country = party.get("country") or ""
        if country:
            lines.append(self.territories.get(country, country))
        elif party.get("country_name"):
            lines.append(party["country_name"])
        rows += [Paragraph(escape(line), self.body) for line in lines]
        for label, key in ((_("VAT number"), "vat_number"), (_("Tax ID"), "tax_id"), (_("E-mail"), "email")):
            if party.get(key):
                rows.append(Paragraph(f'<font color="#5b6b72">{escape(label)}</font> {escape(str(party[key]))}',
                                      self.body))
        return rows

    def parties(self) -> Table:
        invoice = self.invoice
        table = Table([[self.party(_("Issued by"), invoice.issuer), self.party(_("Billed to"), invoice.recipient)]],
                      colWidths=[87 * mm, 87 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, -1), 0),
                                   ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE), ("TOPPADDING", (0, 0), (-1, -1), 6)]))
        return table

    def description(self, line: dict) -> str:
        key, params = line.get("key"), line.get("params") or {}
        if key == "design":
            return _("%(title)s (%(quantity)s × %(unit)s)", title=params["title"], quantity=params["quantity"],
                     unit=str(UNITS.get(params["unit"], params["unit"])))
        if key == "commission":
            return _("Platform commission (9%%, at least %(minimum)s) on case %(reference)s",
                     minimum=self.money(MINIMUM_FEE_CENTS), reference=params["reference"])
        if key == "refund":
            return str(REFUND_LINES.get(params["reason"], REFUND_LINES["resolution"])) % {"number": params["number"]}
        return line["description"]

    def lines(self) -> Table:
        invoice = self.invoice
        head = ParagraphStyle("head", parent=self.bold, textColor=colors.white, fontSize=8.5)
        head_right = ParagraphStyle("head_right", parent=head, alignment=2)
        rows = [[Paragraph(escape(_("Description")), head), Paragraph(escape(_("Qty")), head_right),
                 Paragraph(escape(_("Unit price")), head_right), Paragraph(escape(_("VAT")), head_right),
                 Paragraph(escape(_("Net amount")), head_right)]]
        for line in invoice.lines:
            rows.append([Paragraph(escape(self.description(line)), self.body),
                         Paragraph(format_decimal(line["quantity"]), self.right),
                         Paragraph(escape(self.money(line["unit_cents"])), self.right),
                         Paragraph(escape(self.rate()), self.right),
                         Paragraph(escape(self.money(line["amount_cents"])), self.right)])
        table = Table(rows, colWidths=[78 * mm, 14 * mm, 32 * mm, 16 * mm, 34 * mm], repeatRows=1)
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), BRAND),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
        ]))
        return table

    def rate(self) -> str:
        return format_decimal(Decimal(self.invoice.vat_rate_bp) / 100) + " %"

    def totals(self) -> Table:
        invoice = self.invoice
        credit = invoice.is_credit_note
        rows = [[_("Subtotal excl. VAT"), self.money(invoice.subtotal_cents)],
                [_("VAT %(rate)s", rate=self.rate()), self.money(invoice.vat_cents)],
                [_("Total credited") if credit else _("Total"), self.money(invoice.total_cents)],
                [_("Refunded to the customer's card") if credit else _("Paid by card through Occlusa"),
                 self.money(invoice.total_cents)],
                [_("Amount due"), self.money(0)]]
        cells = [[Paragraph(escape(str(label)), self.right_bold if i in (2, 4) else self.right),
                  Paragraph(escape(value), self.right_bold if i in (2, 4) else self.right)]
                 for i, (label, value) in enumerate(rows)]
        table = Table(cells, colWidths=[76 * mm, 34 * mm], hAlign="RIGHT")
        table.setStyle(TableStyle([
            ("LINEABOVE", (0, 2), (-1, 2), 1.2, BRAND), ("BACKGROUND", (0, 2), (-1, 2), ZEBRA),
            ("LINEABOVE", (0, 4), (-1, 4), 0.6, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (-1, 0), (-1, -1), 6),
        ]))
        return table

    def notes(self) -> list:
        invoice = self.invoice
        notes = []
        note = rule_note(invoice.vat_rule)
        if note is not None:
            notes.append(note)
        if invoice.kind.value == "service":
            notes.append(_("Dental CAD design services delivered as digital files. Issued through the Occlusa "
                           "marketplace in the name and on behalf of the seller."))
        else:
            notes.append(_("Commission of the Occlusa marketplace, deducted from the designer's earnings on this "
                           "case."))
        if invoice.is_credit_note:
            notes.append(_("This credit note cancels the amounts above on the invoice it corrects."))
        return notes

    def footer(self, canvas, doc) -> None:
        config = current_app.config
        legal = " · ".join(filter(None, [
            config["PLATFORM_LEGAL_NAME"], ", ".join(line.strip() for line in config["PLATFORM_ADDRESS"].split(";")),
            _("VAT %(number)s", number=config["PLATFORM_VAT_NUMBER"]) if config["PLATFORM_VAT_NUMBER"] else "",
            config["PLATFORM_REGISTRATION"]]))
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
