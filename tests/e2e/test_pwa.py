"""The installable app: manifest, a service worker that controls the page, the offline page."""

from __future__ import annotations

from tests.fixtures.browser import log_in
from tests.factories import PASSWORD, make_user


def test_manifest_service_worker_and_offline_page(live_server, browser):
    base = live_server.url
    user = make_user(email="pwa@example.com")
    context = browser.new_context(service_workers="allow")
    page = context.new_page()
    log_in(page, base, user.email, PASSWORD)

    manifest_url = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.evaluate("url => fetch(url).then(r => r.json())", manifest_url)
    assert manifest["display"] == "standalone" and manifest["name"] == "Occlusa"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}

    # the service worker installs, caches the shell and takes control of the page
    page.goto(base + "/")
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)") == base + "/"
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=10000)
    assert page.evaluate("caches.keys().then(k => k.some(n => n.startsWith('occlusa-shell-')))")

    # offline: a navigation that fails shows the offline page
    context.set_offline(True)
    page.goto(base + "/messages/", wait_until="domcontentloaded")
    assert page.locator("[data-offline-page]").is_visible()
    assert "You are offline" in page.inner_text("h1")
    context.set_offline(False)
    context.close()
