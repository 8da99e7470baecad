"""Benchmark: invoice and credit-note PDFs per second on one core, against a bare ReportLab page.

    .venv/bin/python bench/invoices.py [--seconds 5] [--write DIR]

Draws the PDFs a download draws (payments/invoice_pdf.py, from an invoice's frozen fields) in
one process and one thread, in English and in French, and the simplest ReportLab document (one
paragraph, same fonts) as the baseline of the same run; prints documents per second of CPU time
(per core) and the ratio to the baseline. Issue #21 asks for at least 30 invoice PDFs per second per core. With
--write, also writes one invoice, commission invoice and credit note in each language to DIR
(to render with pdftoppm and look at). Needs no database. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))


def samples():
    """A service invoice (domestic VAT), a commission invoice (reverse charge) and a credit note."""
    from models.cases import Case, CaseUnit
    from models.payments import Invoice, InvoiceKind

    closed = datetime(2026, 12, 4, 15, 30, tzinfo=timezone.utc)
    case = Case(
        reference="C-7Q4K2M",
        listing_title="Zirconia crowns, full contour",
        quantity=3,
        unit=CaseUnit.tooth,
        closed_at=closed,
    )
    designer = {
        "name": "Élodie Marchand Design SARL",
        "address": ["18 avenue Jean Médecin", "Bâtiment B"],
        "postal_code": "06000",
        "city": "Nice",
        "country": "FR",
        "vat_number": "FR65912345675",
        "tax_id": "SIRET 912 345 675 00018",
        "email": "elodie@example.com",
    }
    client = {
        "name": "Laboratoire Dentaire Lumière",
        "address": ["4 rue de la République"],
        "postal_code": "69002",
        "city": "Lyon",
        "country": "FR",
        "vat_number": "FR19812345676",
        "tax_id": "",
        "email": "compta@lumiere.example",
        "client_case_id": "LAB-2026-0412",
    }
    platform = {
        "name": "Occlusa SAS",
        "address": ["12 rue des Dentellières", "75002 Paris"],
        "country": "FR",
        "vat_number": "FR65912345675",
        "tax_id": "",
        "email": "billing@occlusa.local",
    }
    service = Invoice(
        kind=InvoiceKind.service,
        display_number="D12-00042",
        issuer=designer,
        recipient=client,
        lines=[
            {
                "key": "design",
                "params": {"title": case.listing_title, "quantity": 3, "unit": "tooth"},
                "quantity": 3,
                "unit_cents": 5000,
                "amount_cents": 15000,
                "description": "",
            }
        ],
        subtotal_cents=15000,
        vat_cents=3000,
        total_cents=18000,
        vat_rule="domestic",
        vat_rate_bp=2000,
        currency="eur",
        created_at=closed,
    )
    service.case = case
    commission = Invoice(
        kind=InvoiceKind.commission,
        display_number="OCC-000318",
        issuer=platform,
        recipient={**designer, "country": "BE", "vat_number": "BE0567812363"},
        lines=[
            {
                "key": "commission",
                "params": {"reference": case.reference},
                "quantity": 1,
                "unit_cents": 1620,
                "amount_cents": 1620,
                "description": "",
            }
        ],
        subtotal_cents=1620,
        vat_cents=0,
        total_cents=1620,
        vat_rule="reverse_charge",
        vat_rate_bp=0,
        currency="eur",
        created_at=closed,
    )
    commission.case = case
    credit = Invoice(
        kind=InvoiceKind.service,
        display_number="D12-00043",
        issuer=designer,
        recipient=client,
        lines=[
            {
                "key": "refund",
                "params": {"number": "D12-00042", "reason": "resolution"},
                "quantity": 1,
                "unit_cents": 5000,
                "amount_cents": 5000,
                "description": "",
            }
        ],
        subtotal_cents=5000,
        vat_cents=1000,
        total_cents=6000,
        vat_rule="domestic",
        vat_rate_bp=2000,
        currency="eur",
        created_at=closed,
        corrects_id=1,
    )
    credit.case, credit.corrects = case, service
    return {"invoice": service, "commission": commission, "credit-note": credit}


def baseline_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from payments.invoice_pdf import _fonts

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(
        [Paragraph("Invoice D12-00042 · 180,00 €", ParagraphStyle("p", fontName=_fonts()[0]))]
    )
    return buffer.getvalue()


def rate(draw, seconds: float) -> float:
    """Documents per second of this process's CPU time: the figure per core, whatever else the machine
    runs at the same moment (wall time on a shared machine counts other processes' turns too)."""
    draw()  # fonts and logo loaded once per process, as in a web worker
    count, started = 0, time.process_time()
    while time.process_time() - started < seconds:
        draw()
        count += 1
    return count / (time.process_time() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("INSTANCE_PATH", tempfile.mkdtemp(prefix="occlusa-bench-"))
    from app import create_app
    from payments.invoice_pdf import render_invoice_pdf

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "REDIS_URL": None, "TESTING": True})
    with app.app_context():
        documents = samples()
        if args.write:
            args.write.mkdir(parents=True, exist_ok=True)
            for name, invoice in documents.items():
                for locale in ("en", "fr"):
                    (args.write / f"{name}-{locale}.pdf").write_bytes(render_invoice_pdf(invoice, locale=locale))
            print(f"wrote {len(documents) * 2} PDFs to {args.write}")
        base = rate(baseline_pdf, args.seconds)
        print(f"baseline (one-paragraph ReportLab page): {base:8.1f} PDFs/s")
        for locale in ("en", "fr"):
            for name, invoice in documents.items():
                per_second = rate(
                    lambda invoice=invoice, locale=locale: render_invoice_pdf(invoice, locale=locale), args.seconds
                )
                print(
                    f"{name:12s} {locale}: {per_second:8.1f} PDFs/s per core  "
                    f"({per_second / base:.2f} × baseline; issue #21 asks ≥ 30)"
                )


if __name__ == "__main__":
    main()
