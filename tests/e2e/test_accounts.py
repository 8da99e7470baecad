"""A person signs up, logs in, is told to confirm, switches to French, logs out and back in."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.fixtures.browser import log_in


def test_sign_up_switch_language_log_out_and_in(live_server, page):
    base = live_server.url
    page.goto(base + "/")
    page.click("text=Sign up")
    page.fill("#display_name", "Laboratoire Nord")
    page.fill("#email", "nord@example.com")
    page.fill("#password", "a long password")
    page.check("input[name=role][value=both]")
    page.check("#accept_terms")
    page.click("main button[type=submit]")
    expect(page.locator("main")).to_contain_text("We sent a mail to nord@example.com")
    log_in(page, base, "nord@example.com", "a long password")
    expect(page.locator(".banner-warning")).to_contain_text("confirm your e-mail")

    # the switch submits on change once the page's scripts have run (deferred: before DOMContentLoaded)
    page.wait_for_load_state("domcontentloaded")
    page.select_option("#lang-select", "fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.click("form[action='/account/logout'] button")
    expect(page.locator("a.account-link")).to_have_count(0)
    log_in(page, base, "nord@example.com", "a long password")
    expect(page.locator("a.account-link")).to_have_text("Laboratoire Nord")
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # the choice is remembered


def test_phone_layout_has_a_working_menu(live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert not page.is_visible("#main-nav")
    page.click("[data-nav-toggle]")
    assert page.is_visible("#main-nav")
    assert page.is_visible("text=Log in")
    context.close()
