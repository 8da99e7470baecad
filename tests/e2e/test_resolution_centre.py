"""The resolution centre end to end in a browser: the client disputes, the agent asks the designer
for evidence, the designer answers it, the agent previews a 40 % split and rules it, and both
parties read the same figures on their dispute and case pages as the ledger holds."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from extensions import db
from models.accounts import StaffRole
from models.disputes import Dispute, EvidenceRequest
from payments.case_money import case_money
from tests.backoffice.factories import current_code, make_staff
from tests.disputes.factories import ANSWER, STATEMENT, case_in_escrow, reload
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD, make_user

PNG = b"\x89PNG\r\n\x1a\n screenshot"


def _as(browser, base: str, email: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    log_in(page, base, email, PASSWORD)
    return context, page


def _agent_page(browser, base: str, agent, dispute_id: int):
    context, page = _as(browser, base, agent.email)
    page.goto(f"{base}/backoffice/resolution/{dispute_id}")
    if page.locator("input[name=code]").count():
        page.fill("input[name=code]", current_code())
        page.click("form:has(input[name=code]) button[type=submit]")
        page.wait_for_load_state("networkidle")
        if f"/backoffice/resolution/{dispute_id}" not in page.url:
            page.goto(f"{base}/backoffice/resolution/{dispute_id}")
    page.click("#take-item")  # opening a dispute claims nothing: the agent takes it
    page.wait_for_load_state("networkidle")
    return context, page


def test_dispute_evidence_request_previewed_split_and_the_same_figures_for_both(live_server, browser):
    base = live_server.url
    customer = make_user(email="lab@example.com", name="Lab North")
    designer = make_user(email="dana@example.com", name="Dana Designer", client=False, designer=True)
    agent = make_staff(StaffRole.resolution_agent, email="agent@example.com", name="Alex Agent")
    case = case_in_escrow(customer, designer, amount_cents=12_000)

    # the client opens a dispute
    context, page = _as(browser, base, customer.email)
    page.goto(f"{base}/disputes/new/{case.id}")
    page.select_option("#reason", "not_per_prescription")
    page.fill("#statement", STATEMENT)
    page.click("button[type=submit].btn-danger")
    page.wait_for_load_state("networkidle")
    assert "Your dispute is open" in page.inner_text("body")
    dispute_url = page.url
    context.close()
    dispute_id = db.session.scalar(sa.select(Dispute.id))

    # the designer answers the dispute
    context, page = _as(browser, base, designer.email)
    page.goto(dispute_url)
    page.fill("#statement", ANSWER)
    page.click("text=Send my answer")
    page.wait_for_load_state("networkidle")
    context.close()

    # the agent (one session: a second-factor code is accepted once) asks the designer for a screenshot
    desk, agent_page = _agent_page(browser, base, agent, dispute_id)
    agent_page.select_option("#evidence-request-party", "designer")
    agent_page.fill("#evidence-request-what", "A screenshot of the margin line on 36 in your CAD software.")
    agent_page.click("text=Send the evidence request")
    agent_page.wait_for_load_state("networkidle")
    expect(agent_page.locator("#evidence-requests li[data-state=open]")).to_have_count(1)
    request_id = db.session.scalar(sa.select(EvidenceRequest.id))

    # the designer answers it with a screenshot
    context, page = _as(browser, base, designer.email)
    page.goto(dispute_url)
    page.fill(f"#request-{request_id}-text", "Here is the margin line as designed; it follows the scan.")
    page.set_input_files(
        f"#request-{request_id}-evidence", files=[{"name": "margin-36.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.click(f"#answer-request-{request_id} button[type=submit]")
    page.wait_for_load_state("networkidle")
    context.close()

    # the agent sees the answer, previews a 40 % split and rules it
    page = agent_page
    page.goto(f"{base}/backoffice/resolution/{dispute_id}")
    expect(page.locator(f"#evidence-request-{request_id}")).to_have_attribute("data-state", "answered")
    assert "margin-36.png" in page.inner_text("#evidence-requests")
    page.get_by_label("Percentage to the designer, before the fee (%)").fill("40")
    expect(page.locator("#preview-net")).to_have_text("$43.68")
    previewed = {name: page.inner_text(f"#preview-{name}") for name in ("refund", "gross", "fee", "net")}
    assert previewed == {"refund": "$72.00", "gross": "$48.00", "fee": "$4.32", "net": "$43.68"}
    page.select_option("#canned_reasoning", "split-partly-usable-en")
    page.click("#ruling-submit")
    page.wait_for_load_state("networkidle")
    assert "The ruling is recorded" in page.inner_text("body")
    desk.close()

    # the ledger holds what was previewed, and both parties read it
    money = case_money(reload(case))
    assert (money.refunded_cents, money.designer_gross_cents, money.fee_cents, money.designer_net_cents) == (
        7_200,
        4_800,
        432,
        4_368,
    )
    for email, figures in ((customer.email, ["$72.00"]), (designer.email, ["$48.00", "$4.32", "$43.68"])):
        context, page = _as(browser, base, email)
        page.goto(dispute_url)
        ruling = page.inner_text("body")
        page.goto(f"{base}/cases/{case.reference}")
        case_page = page.inner_text("body")
        for figure in figures:
            assert figure in ruling and figure in case_page, (email, figure)
        context.close()
