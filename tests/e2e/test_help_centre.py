"""In a browser: a visitor searches the help centre and votes; a user whose terms changed accepts
them before going on, and downloads their data."""

from __future__ import annotations

import legal.operations
from legal.documents import current_versions
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD, make_user


def test_a_visitor_finds_an_article_and_says_it_helped(live_server, page):
    base = live_server.url
    page.goto(base + "/")
    page.click("footer >> text=Help centre")
    page.fill("#help-q", "payoneer")
    page.press("#help-q", "Enter")
    page.click("text=Payouts through Payoneer (country not supported)")
    assert "Receiving accounts" in page.inner_text("article")
    page.check("input[name=helpful][value=yes]")
    page.click("#feedback button[type=submit]")
    assert "your answer helps us improve this article" in page.inner_text("body")
    assert page.is_checked("input[name=helpful][value=yes]")


def test_new_terms_are_accepted_before_going_on_then_the_data_export_downloads(live_server, page, monkeypatch):
    base = live_server.url
    user = make_user(email="terms@example.com")
    raised = {**current_versions(), "terms": current_versions()["terms"] + 1}
    monkeypatch.setattr(legal.operations, "current_versions", lambda: raised)
    log_in(page, base, user.email, PASSWORD)
    page.goto(base + "/cases/")
    assert "/legal/accept" in page.url and "Our terms have changed" in page.inner_text("h1")
    page.check("#accept")
    page.click("text=Accept and continue")
    page.wait_for_url(base + "/cases/")
    page.goto(base + "/account/data")
    page.click("text=Prepare my data export")
    with page.expect_download() as download:
        page.click("a[href$='.zip']")
    assert download.value.suggested_filename.startswith("occlusa-data-") and download.value.path().stat().st_size > 0
