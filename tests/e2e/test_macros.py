"""In a real browser: picking a canned response fills the rejection note with the text filled in for the
owner, in the owner's language; the moderator edits it and rejects. No CSP errors."""

from __future__ import annotations

import pytest

from extensions import commit
from models.accounts import StaffRole
from moderation import macros
from tests.backoffice.factories import current_code, make_pending_listing, make_ready_designer, make_staff
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_a_moderator_picks_a_canned_response_and_edits_it(live_server, browser, tmp_path, locale):
    admin = make_staff(StaffRole.admin)
    macros.create_macro(
        actor=admin,
        queue="listing",
        language="fr",
        title="Photos floues",
        body="Bonjour {user_name}, les images de « {listing_title} » sont floues.",
    )
    macros.create_macro(
        actor=admin,
        queue="listing",
        language="en",
        title="Blurred pictures",
        body='Hello {user_name}, the pictures of "{listing_title}" are blurred.',
    )
    commit()
    listing = make_pending_listing(make_ready_designer(name="Élodie Martin", locale="fr"), title="Couronnes zircone")
    moderator = make_staff(StaffRole.moderator, locale=locale)
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    log_in(page, live_server.url, moderator.email, PASSWORD)
    page.goto(f"{live_server.url}/backoffice/reviews/listings/{listing.id}")
    page.fill("input[name=code]", current_code())
    page.press("input[name=code]", "Enter")
    page.wait_for_selector("#take-item")
    page.click("#take-item")  # opening alone claims nothing: the moderator takes the listing
    page.wait_for_selector("#note-macro")
    page.wait_for_load_state("load")  # the page's scripts have run
    assert page.locator("#note-macro option").all_inner_texts()[1:] == ["Photos floues"]  # the owner's language

    page.select_option("#note-macro", label="Photos floues")
    assert page.input_value("#note") == "Bonjour Élodie Martin, les images de « Couronnes zircone » sont floues."
    page.fill("#note", page.input_value("#note") + " Merci.")
    page.screenshot(path=str(tmp_path / f"macro-pick-{locale}.png"), full_page=True)
    page.check("#reason-missing_images")
    page.click("form[action$='/reject'] button[type=submit].btn-danger")
    page.wait_for_url(lambda url: url.rstrip("/").endswith("/backoffice/reviews/listings"))
    assert not problems, problems
    context.close()


def test_an_admin_sees_why_a_macro_is_refused(live_server, browser, tmp_path):
    admin = make_staff(StaffRole.admin, locale="fr")
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    log_in(page, live_server.url, admin.email, PASSWORD)
    page.goto(f"{live_server.url}/backoffice/macros/new")
    page.fill("input[name=code]", current_code())
    page.press("input[name=code]", "Enter")
    page.wait_for_selector("#macro-form")
    page.select_option("#queue", "violation")
    page.select_option("#language", "fr")
    page.fill("#title", "Coordonnées")
    page.fill("#body", "Bonjour {user_name}, {listing_title}")
    page.click("#macro-form button[type=submit]")
    page.wait_for_selector(".invalid-feedback")
    assert "{listing_title}" in page.inner_text(".invalid-feedback")
    page.screenshot(path=str(tmp_path / "macro-refused-fr.png"), full_page=True)
    page.fill("#body", "Bonjour {user_name}, ceci est un avertissement pour : {rule_broken}.")
    page.click("#macro-form button[type=submit]")
    page.wait_for_selector("text=Coordonnées")
    page.screenshot(path=str(tmp_path / "macro-list-fr.png"), full_page=True)
    context.close()
