"""A client follows a designer from the profile page; the designer shares a post; the client finds it
in the community feed, likes it and comments on it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.community.factories import established_designer
from tests.factories import PASSWORD, make_user
from tests.fixtures.browser import log_in


@pytest.mark.e2e
def test_a_client_follows_a_designer_and_sees_the_designers_new_post_in_the_feed(live_server, browser):
    designer = established_designer(name="Elena CAD")
    clinic = make_user(name="Smile Clinic")
    base = live_server.url

    client_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    client_page = client_context.new_page()
    log_in(client_page, base, clinic.email, PASSWORD)
    client_page.click("nav >> text=Community")
    expect(client_page.locator(".empty-state")).to_contain_text("Your feed is empty")
    client_page.click(".suggestions >> text=Elena CAD")
    client_page.click("button[data-follow]")
    expect(client_page.locator(".flash")).to_contain_text("You follow Elena CAD")
    expect(client_page.locator("[data-followers]")).to_have_text("1 follower")

    designer_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    designer_page = designer_context.new_page()
    log_in(designer_page, base, designer.email, PASSWORD)
    designer_page.goto(base + "/community")
    designer_page.click("text=Share your work")
    designer_page.fill("textarea[name=body]", "Full-arch zirconia bridge on six implants, designed in exocad.")
    designer_page.check("input[name=categories][value=bridges]")
    designer_page.check("input[name=software][value=exocad]")
    designer_page.click("main button[type=submit]")
    expect(designer_page.locator(".flash")).to_contain_text("Your post is published.")
    designer_context.close()

    client_page.goto(base + "/community")
    post = client_page.locator("[data-post]").first
    expect(post).to_contain_text("Full-arch zirconia bridge on six implants")
    expect(post).to_contain_text("Elena CAD")
    post.locator("button.like").click()
    expect(client_page.locator("[data-post] button.like").first).to_contain_text("1 like")
    client_page.locator("[data-post]").first.locator("text=Open and share").click()
    client_page.fill("textarea[name=body]", "Lovely emergence profiles.")
    client_page.click("#comments button[type=submit]")
    expect(client_page.locator("#comments")).to_contain_text("Lovely emergence profiles.")
    assert client_page.input_value("#share-link").startswith(base + "/community/posts/")
    client_context.close()
