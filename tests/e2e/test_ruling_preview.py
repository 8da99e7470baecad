"""An agent previews a 40 % split as they type, starts from a standard reasoning, and rules:
the figures the page showed are the ones the ledger holds."""

from __future__ import annotations

from playwright.sync_api import expect

from disputes import operations
from extensions import commit
from models.accounts import StaffRole
from payments.case_money import case_money
from tests.backoffice.factories import current_code, make_staff
from tests.disputes.factories import ANSWER, disputed, people, reload
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD


def test_the_agent_previews_a_percentage_split_and_the_ledger_matches(live_server, browser):
    base = live_server.url
    customer, designer, _agent = people()
    case, dispute = disputed(customer, designer, amount_cents=12_000)
    operations.answer_dispute(dispute, actor=designer, statement=ANSWER)
    commit()
    agent = make_staff(StaffRole.resolution_agent, email="agent@example.com")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    log_in(page, base, agent.email, PASSWORD)
    page.goto(f"{base}/backoffice/resolution/{dispute.id}")
    page.fill("input[name=code]", current_code())
    page.click("form:has(input[name=code]) button[type=submit]")
    page.wait_for_load_state("networkidle")
    if f"/backoffice/resolution/{dispute.id}" not in page.url:
        page.goto(f"{base}/backoffice/resolution/{dispute.id}")
    page.click("#take-item")  # opening a dispute claims nothing: the agent takes it
    page.wait_for_load_state("networkidle")

    page.get_by_label("Percentage to the designer, before the fee (%)").fill("40")
    expect(page.locator("#preview-net")).to_have_text("$43.68")
    shown = {name: page.inner_text(f"#preview-{name}") for name in ("refund", "gross", "fee", "net")}
    assert shown == {"refund": "$72.00", "gross": "$48.00", "fee": "$4.32", "net": "$43.68"}
    assert page.is_checked("#outcome-2") and page.is_checked("#split_by-0")  # split, by percentage
    page.get_by_label("Percentage to the designer, before the fee (%)").fill("33.333")
    expect(page.locator("#preview-error")).to_contain_text("at most two decimals")
    page.get_by_label("Percentage to the designer, before the fee (%)").fill("40")
    expect(page.locator("#preview-net")).to_have_text("$43.68")

    page.select_option("#canned_reasoning", "split-partly-usable-en")
    assert page.input_value("#reasoning").startswith("The design was delivered, but only part of it")
    page.click("#ruling-submit")
    page.wait_for_load_state("networkidle")
    assert "The ruling is recorded" in page.inner_text("body")
    context.close()

    money = case_money(reload(case))
    assert (money.refunded_cents, money.designer_gross_cents, money.fee_cents, money.designer_net_cents) == (
        7_200,
        4_800,
        432,
        4_368,
    )
