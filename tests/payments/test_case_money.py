"""The money of a case, as every page, export, invoice and mail shows it, follows the ledger:
after a ruling the designer reads what they really receive and the client their refund."""

from __future__ import annotations

import csv
import io
import re
from email.message import Message

import sqlalchemy as sa

from disputes import operations
from extensions import commit, db
from models.cases import CaseState
from models.payments import Invoice, InvoiceKind
from payments.case_money import case_money
from payments.fees import platform_fee
from tests.cases.factories import drive, make_agent, make_case, make_parties

STATEMENT = "The margins of tooth 36 are open by half a millimetre, as the photos show."
REASONING = "The delivered crown does not match the prescription on tooth 36; see the photos."


def _fact(page: str, label: str) -> str:
    """The text of the <dd> that follows the <dt> named `label` on a page."""
    found = re.search(rf"<dt[^>]*>\s*{re.escape(label)}\s*</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S)
    assert found, f"no fact {label!r} on the page"
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).replace("−", "").strip()


def _ruled(outcome: str, designer_cents: int | None = None):
    """A $27.00 case on one tooth, disputed after delivery and ruled by the resolution centre."""
    client, designer = make_parties()
    case = drive(make_case(client, designer, amount_cents=2_700, quantity=1), CaseState.delivered)
    dispute = operations.open_dispute(case, actor=client, reason="poor_quality", statement=STATEMENT)
    commit()
    operations.rule_dispute(
        dispute,
        actor=make_agent(),
        outcome=outcome,
        designer_cents=designer_cents,
        reasoning=REASONING,
        now=dispute.answer_due_at,
    )
    commit()
    return case, dispute


def _page(client, login, user, path: str) -> str:
    login(user)
    page = client.get(path).get_data(as_text=True)
    client.post("/account/logout")
    return page


def _mail_to(outbox, user, subject_part: str) -> str:
    mails: list[Message] = [m for m in outbox.read() if m["To"] == user.email and subject_part in m["Subject"]]
    assert mails, f"no mail to {user.email} about {subject_part!r}"
    return mails[-1].get_payload(decode=True).decode()


def test_a_split_shows_each_side_what_the_ledger_moved_everywhere(client, login, outbox):
    case, dispute = _ruled("split", designer_cents=1_620)
    net = 1_620 - platform_fee(1_620)
    assert (platform_fee(1_620), net) == (349, 1_271)  # fee = max(9 %, $3.49) on the designer's part

    designer_page = _page(client, login, case.designer, f"/cases/{case.reference}")
    assert _fact(designer_page, "You receive") == "$12.71"
    assert _fact(designer_page, "Platform fee") == "$3.49"
    assert "$23.51" not in designer_page
    client_page = _page(client, login, case.client, f"/cases/{case.reference}")
    assert _fact(client_page, "Refunded to you") == "$10.80"
    assert _fact(client_page, "Paid") == "$16.20"

    dispute_page = _page(client, login, case.designer, f"/disputes/{dispute.id}")
    assert _fact(dispute_page, "Refunded to the client") == "$10.80"
    assert _fact(dispute_page, "Paid to the designer") == "$12.71"

    rows = {
        row["role"]: row
        for row in csv.DictReader(io.StringIO(_page(client, login, case.designer, "/settings/transactions.csv")))
    }
    assert (rows["designer"]["fee"], rows["designer"]["net"]) == ("3.49", "12.71")
    rows = {
        row["role"]: row
        for row in csv.DictReader(io.StringIO(_page(client, login, case.client, "/settings/transactions.csv")))
    }
    assert (rows["client"]["net"], rows["client"]["refunded"]) == ("16.20", "10.80")
    transactions = _page(client, login, case.designer, "/settings/transactions")
    assert "$12.71" in transactions and "$23.51" not in transactions

    documents = list(db.session.scalars(sa.select(Invoice).where(Invoice.case_id == case.id).order_by(Invoice.id)))
    invoices = {i.kind: i for i in documents if not i.is_credit_note}
    assert (invoices[InvoiceKind.service].total_cents, invoices[InvoiceKind.commission].total_cents) == (2_700, 349)
    [credit_note] = [i for i in documents if i.is_credit_note]  # the refund corrects the invoice of the price
    assert (credit_note.corrects_id, credit_note.total_cents) == (invoices[InvoiceKind.service].id, 1_080)

    assert "$12.71" in _mail_to(outbox, case.designer, "resolved")
    assert "$10.80" in _mail_to(outbox, case.client, "resolved")


def test_a_full_refund_leaves_the_designer_nothing_and_tells_the_client(client, login, outbox):
    case, dispute = _ruled("refund")

    designer_page = _page(client, login, case.designer, f"/cases/{case.reference}")
    assert _fact(designer_page, "You receive") == "$0.00"
    client_page = _page(client, login, case.client, f"/cases/{case.reference}")
    assert _fact(client_page, "Refunded to you") == "$27.00"
    dispute_page = _page(client, login, case.client, f"/disputes/{dispute.id}")
    assert _fact(dispute_page, "Refunded to the client") == "$27.00"
    assert _fact(dispute_page, "Paid to the designer") == "$0.00"
    # The price was paid, then given back whole: its invoice and a credit note for all of it, no commission.
    documents = list(db.session.scalars(sa.select(Invoice).where(Invoice.case_id == case.id).order_by(Invoice.id)))
    assert [(i.kind, i.is_credit_note, i.total_cents) for i in documents] == [
        (InvoiceKind.service, False, 2_700),
        (InvoiceKind.service, True, 2_700),
    ]
    assert "$27.00" in _mail_to(outbox, case.client, "resolved")


def test_before_the_money_moves_the_figures_are_the_expected_ones_from_the_fee_rule(client, login):
    client_user, designer = make_parties()
    case = make_case(client_user, designer, amount_cents=2_700, quantity=1)
    money = case_money(case)
    assert money.expected and (money.held_cents, money.captured_cents) == (2_700, 0)
    assert (money.fee_cents, money.designer_net_cents) == (349, 2_351)
    drive(case, CaseState.in_progress)
    money = case_money(case)
    assert money.expected and (money.in_escrow_cents, money.held_cents) == (2_700, 0)
    page = _page(client, login, designer, f"/cases/{case.reference}")
    assert _fact(page, "You will receive") == "$23.51"


def test_money_reads_in_the_readers_language(client, login):
    case, _dispute = _ruled("split", designer_cents=1_620)
    case.designer.locale = "fr"
    commit()
    page = _page(client, login, case.designer, f"/cases/{case.reference}")
    assert _fact(page, "Vous recevez") == "12,71 $US"  # a no-break space, read as a space here
