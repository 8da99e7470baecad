"""A lab searches, filters, opens a listing, hearts it without a reload, and finds it in Favourites."""

from __future__ import annotations

import pytest

from listings.pricing import Tier
from tests.catalogue.factories import make_designer, make_listing
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD, make_user


@pytest.mark.e2e
def test_a_client_finds_filters_opens_and_favourites_a_listing(live_server, page):
    about = "Send the scans and the prescription; receive the STL and the project file, revisions included."
    make_listing(
        make_designer(name="Elena CAD"), title="Zirconia crowns in exocad", tiers=[Tier(1, 900)], description=about
    )
    make_listing(
        make_designer(name="Karim Bars"),
        title="Implant bars with passive fit",
        category="implants",
        subcategory="implant_bar",
        tiers=[Tier(1, 6000)],
        software=["3shape"],
        description=about,
    )
    make_listing(
        make_designer(name="Sofia Guards"),
        title="Night guards ready to print",
        category="night_guards",
        subcategory="night_guard",
        tiers=[Tier(1, 1500)],
        description=about,
    )
    lab = make_user(name="Northside Lab")
    base = live_server.url
    log_in(page, base, lab.email, PASSWORD)

    page.click("nav >> text=Find a designer")
    assert "3 services found" in page.inner_text(".results-count")
    page.fill("input[name=q]", "crowns")
    page.click(".search-bar button")
    assert "1 service found" in page.inner_text(".results-count")

    page.goto(base + "/find")
    page.select_option("select[name=category]", "implants")  # filters apply on change
    page.wait_for_load_state("networkidle")
    assert page.locator(".listing-card").count() == 1
    page.click("text=Implant bars with passive fit")
    assert page.locator("h1").inner_text() == "Implant bars with passive fit"

    heart = page.locator(".listing-main button.heart")
    url_before = page.url
    heart.click()
    page.wait_for_selector(".listing-main button.heart[aria-pressed='true']")
    assert page.url == url_before  # toggled in place, no reload

    page.click("nav >> text=Favourites")
    assert "Implant bars with passive fit" in page.inner_text("main")
    assert "Zirconia crowns" not in page.inner_text("main")
