"""A client disputes a case with a photo, the designer answers, an agent rules a split:
both parties read the ruling, and the ledger holds exactly what the ruling says."""

from __future__ import annotations

import sqlalchemy as sa

from extensions import db
from models.accounts import StaffRole
from models.disputes import Dispute
from payments.ledger import PLATFORM_FEES, balance, client_account, designer_account, invariant_violations
from tests.backoffice.factories import current_code, make_staff
from tests.disputes.factories import ANSWER, STATEMENT, case_in_escrow
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD, make_user

REASONING = "The margins on 36 are open as the photo shows, but the occlusion and contacts follow the prescription."


def _as(browser, base: str, email: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    log_in(page, base, email, PASSWORD)
    return context, page


def test_dispute_answer_split_ruling_and_balances(live_server, browser):
    base = live_server.url
    customer = make_user(email="lab@example.com", name="Lab North")
    designer = make_user(email="dana@example.com", name="Dana Designer", client=False, designer=True)
    agent = make_staff(StaffRole.resolution_agent, email="agent@example.com", name="Alex Agent")
    case = case_in_escrow(customer, designer, amount_cents=12_000)

    # the client disputes the case with a photo
    context, page = _as(browser, base, customer.email)
    page.goto(f"{base}/disputes/new/{case.id}")
    page.select_option("#reason", "not_delivered")  # the case has a delivery: the form points it out
    assert page.is_visible("#not-delivered-warning")
    assert "This case has 1 delivery" in page.inner_text("#not-delivered-warning")
    page.select_option("#reason", "not_per_prescription")
    assert not page.is_visible("#not-delivered-warning")
    page.fill("#statement", STATEMENT)
    page.set_input_files(
        "#evidence",
        files=[{"name": "margin-36.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n margin photo"}],
    )
    page.click("button[type=submit].btn-danger")
    page.wait_for_load_state("networkidle")
    assert "Your dispute is open" in page.inner_text("body")
    assert "margin-36.png" in page.inner_text("body")
    dispute_url = page.url
    context.close()

    # the designer answers
    context, page = _as(browser, base, designer.email)
    page.goto(dispute_url)
    page.fill("#statement", ANSWER)
    page.click("text=Send my answer")
    page.wait_for_load_state("networkidle")
    assert "Your answer was sent" in page.inner_text("body")
    context.close()

    # the agent passes the second factor, reads the record and rules a split
    context, page = _as(browser, base, agent.email)
    dispute_id = db.session.scalar(sa.select(Dispute.id))
    page.goto(f"{base}/backoffice/resolution/{dispute_id}")
    page.fill("input[name=code]", current_code())
    page.click("form:has(input[name=code]) button[type=submit]")
    page.wait_for_load_state("networkidle")
    if f"/backoffice/resolution/{dispute_id}" not in page.url:
        page.goto(f"{base}/backoffice/resolution/{dispute_id}")
    page.click("#take-item")  # opening a dispute claims nothing: the agent takes it
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert STATEMENT in body and ANSWER in body and "margin-36.png" in body
    page.check("input[name=outcome][value=split]")
    page.fill("#designer_amount", "70.00")
    page.fill("#reasoning", REASONING)
    page.click("text=Rule and move the money")
    page.wait_for_load_state("networkidle")
    assert "The ruling is recorded" in page.inner_text("body")
    context.close()

    # both parties read the same ruling
    for email in (customer.email, designer.email):
        context, page = _as(browser, base, email)
        page.goto(dispute_url)
        ruling = page.inner_text("#ruling")
        assert REASONING in ruling
        assert page.inner_text("[data-refund]") == "$50.00"
        assert page.inner_text("[data-earnings]") == "$63.70"  # $70.00 minus the 9 % fee ($6.30)
        context.close()

    db.session.expire_all()
    assert balance(client_account(customer.id)) == -7_000
    assert balance(designer_account(designer.id)) == 6_370
    assert balance(PLATFORM_FEES) == 630
    assert invariant_violations() == []
