"""In a real browser: a suspended designer is refused at login, appeals from the login page, and a
moderator other than the one who suspended reinstates the account; the designer logs in again."""

from __future__ import annotations

import pytest

from extensions import commit
from models.accounts import StaffRole
from moderation.suspension import suspend_account
from tests.backoffice.factories import current_code, make_staff
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.e2e


def test_an_appeal_is_filed_from_the_login_page_and_decided_in_the_back_office(live_server, browser):
    base = live_server.url
    decider = make_staff(StaffRole.moderator, name="Maya Decider")
    designer = make_user(designer=True, name="Elena Marquez")
    suspend_account(designer, actor=decider, reason="Shared a phone number")
    commit()
    reviewer = make_staff(StaffRole.moderator, name="Rui Reviewer")

    holder = browser.new_context(viewport={"width": 390, "height": 844})
    page = holder.new_page()
    page.goto(f"{base}/account/login")
    page.fill("input[name=email]", designer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Your account is suspended")
    page.click("#appeal-link")
    page.fill("input[name=email]", designer.email)
    page.fill("input[name=password]", PASSWORD)
    page.fill("textarea[name=text]", "The number was the lab's public switchboard, already on our listing.")
    page.click("#appeal-submit")
    page.wait_for_selector("text=Your appeal is filed")

    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    bo = staff.new_page()
    log_in(bo, base, reviewer.email, PASSWORD)
    bo.goto(f"{base}/backoffice/appeals/")
    bo.fill("input[name=code]", current_code())
    bo.click("button:has-text('Continue')")
    bo.click("#appeals a")
    assert "public switchboard" in bo.inner_text("#appeal-text")
    assert bo.inner_text("#original-decider") == "Maya Decider"
    bo.fill("#reinstate-note", "A public switchboard number is allowed: the suspension is lifted.")
    bo.click("#appeal-reinstate")
    bo.wait_for_selector("text=The account is reinstated")

    log_in(page, base, designer.email, PASSWORD)
    assert "/account/login" not in page.url
    holder.close()
    staff.close()
