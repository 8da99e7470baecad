"""Invoices: real PDFs on completion, numbered per issuer without gaps, only for the two parties."""
from __future__ import annotations

import subprocess
import threading
import time

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from extensions import db
from models.cases import CaseState
from models.payments import Invoice, InvoiceKind
from payments.invoices import render_case_invoices
from tests.cases.factories import drive, make_case
from tests.factories import make_user
from tests.payments.factories import make_designer


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def completed_case(designer=None, client=None, amount_cents: int = 12_000):
    designer = designer or make_designer()
    client = client or make_user(name="Atelier Lumière")
    return drive(make_case(client, designer, amount_cents=amount_cents), CaseState.completed)


def test_completion_invoices_are_real_pdfs_in_the_designers_name():
    case = completed_case()

    ids = render_case_invoices(case.id)

    service, commission = (db.session.get(Invoice, i) for i in ids)
    assert (service.kind, commission.kind) == (InvoiceKind.service, InvoiceKind.commission)
    text = pdf_text(service.pdf)
    for expected in ("Elena Márquez Ruiz", "ES-X1234567L", "Spain", "Atelier Lumière", "LAB-1", case.reference,
                     service.display_number, "Zirconia crowns", "$120.00"):
        assert expected in text, expected
    assert service.total_cents == 12_000
    fee_text = pdf_text(commission.pdf)
    assert "Commission invoice" in fee_text and "Occlusa" in fee_text and "ES-X1234567L" in fee_text
    assert commission.total_cents == case.fee_cents == 1080 and "$10.80" in fee_text


def test_running_the_job_twice_creates_nothing_new():
    case = completed_case()
    first = render_case_invoices(case.id)
    assert render_case_invoices(case.id) == first
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invoice)) == 2


def test_no_invoice_before_completion():
    case = drive(make_case(make_user(), make_designer()), CaseState.delivered)
    assert render_case_invoices(case.id) == []


def test_numbers_follow_each_other_per_issuer():
    designer, other = make_designer(), make_designer(real_name="Karim Haddad", country="MA", tax_id="MA-99")
    for d in (designer, designer, other):
        render_case_invoices(completed_case(d).id)
    numbers = db.session.execute(sa.select(Invoice.issuer_key, Invoice.number).order_by(Invoice.id)).all()
    assert [n for key, n in numbers if key == f"designer:{designer.id}"] == [1, 2]
    assert [n for key, n in numbers if key == f"designer:{other.id}"] == [1]
    assert [n for key, n in numbers if key == "platform"] == [1, 2, 3]


def test_two_completions_at_once_take_consecutive_numbers(app):
    designer = make_designer()
    cases = [completed_case(designer).id for _ in range(2)]
    db.session.commit()
    errors = []
    barrier = threading.Barrier(2)

    def run(case_id):
        with app.app_context():
            barrier.wait(5)
            for attempt in range(3):  # as the job queue does: SQLite refuses a second writer, RQ retries
                try:
                    render_case_invoices(case_id)
                    break
                except OperationalError as exc:
                    db.session.rollback()
                    time.sleep(0.2)
                    if attempt == 2:
                        errors.append(exc)
                except Exception as exc:  # noqa: BLE001 - reported below
                    errors.append(exc)
                    break
            db.session.remove()

    threads = [threading.Thread(target=run, args=(case_id,)) for case_id in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert errors == []
    db.session.expire_all()
    rows = db.session.execute(sa.select(Invoice.issuer_key, Invoice.number)).all()
    assert sorted(n for key, n in rows if key == f"designer:{designer.id}") == [1, 2]
    assert sorted(n for key, n in rows if key == "platform") == [1, 2]


def test_only_the_parties_download_an_invoice(client, login):
    case = completed_case()
    service_id, commission_id = render_case_invoices(case.id)

    login(case.client)
    response = client.get(f"/invoices/{service_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert client.get(f"/invoices/{commission_id}.pdf").status_code == 404  # between platform and designer
    client.post("/account/logout")

    login(case.designer)
    assert client.get(f"/invoices/{service_id}.pdf").status_code == 200
    assert client.get(f"/invoices/{commission_id}.pdf").status_code == 200
    client.post("/account/logout")

    login(make_user())
    assert client.get(f"/invoices/{service_id}.pdf").status_code == 404
