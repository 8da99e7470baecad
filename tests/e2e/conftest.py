"""Browser fixtures: the app served on loopback in a thread, and Debian's Chromium via Playwright."""
from __future__ import annotations

import os
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]


# A loaded CI machine (two cores, two databases' suites) can take a while to answer a page:
# wait for what a person would see for up to 20 s before calling it missing.
expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


class LiveServer:
    """The app, with CSRF on as in production, served by werkzeug on 127.0.0.1:<free port>."""

    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> "LiveServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, PUBLIC_URL="http://127.0.0.1")


@pytest.fixture
def live_server(live_app):
    server = LiveServer(live_app).start()
    live_app.config["PUBLIC_URL"] = server.url
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    with sync_playwright() as playwright:
        yield playwright


class Chromium:
    """The launched browser, whose new contexts leave service workers out unless a test asks
    for them (`service_workers="allow"`): the worker sits between every navigation and the
    server, and its start-up on a loaded machine is a wait no page under test is about."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("service_workers", "block")
        return self._browser.new_context(**options)

    def close(self) -> None:
        self._browser.close()


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = Chromium(playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                           headless=True))
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


def log_in(page, base_url: str, email: str, password: str) -> None:
    """Log in through the real form, as a person would."""
    page.goto(f"{base_url}/account/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/account/login" not in url)
