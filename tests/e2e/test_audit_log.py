"""In a real browser: the audit log reads in the viewer's zone, fits 1440 px and a phone without a cut-off
column, and its filter form sends the viewer's zone along. No CSP errors."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from extensions import commit
from models.accounts import StaffRole
from audit.trail import record_action
from tests.backoffice.factories import current_code, make_staff
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.e2e

LONG_NOTE = "The designer wrote an e-mail address in the description and a phone number in the title " * 3


def _seed() -> None:
    moderator = make_staff(StaffRole.moderator, name="Maya Moderator")
    agent = make_staff(StaffRole.resolution_agent, StaffRole.verifier, name="Alex Agent")
    designer = make_user(name="Elena Marquez, Crown and Bridge Design Studio Barcelona")
    entries = [
        record_action(
            "account.suspended",
            designer,
            actor=moderator,
            reason=LONG_NOTE,
            before={"status": "active"},
            after={"status": "suspended", "until": "2027-01-01T00:00:00+00:00"},
        ),
        record_action(
            "listing.rejected",
            ("Listing", 12),
            actor=moderator,
            before={"state": "pending"},
            after={"state": "rejected", "reasons": ["contact_details", "missing_images"], "note": LONG_NOTE},
        ),
        record_action(
            "dispute.ruled",
            ("Dispute", 3),
            actor=agent,
            before={"state": "awaiting_ruling"},
            after={"state": "ruled", "outcome": "split", "designer_cents": 5000},
        ),
        record_action(
            "case.auto_complete", ("Case", 41), actor=None, before={"state": "delivered"}, after={"state": "completed"}
        ),
        record_action(
            "verification.document_opened", ("VerificationSubmission", 8), actor=agent, reason="passport front"
        ),
    ]
    commit()
    entries[0].at = datetime(2026, 12, 6, 14, 5, tzinfo=timezone.utc)
    commit()


def _open_audit_log(browser, base: str, width: int, problems: list[str], *, locale: str = "en"):
    """A fresh admin (a TOTP code is accepted once per person) opens the log in New York."""
    admin = make_staff(StaffRole.admin, locale=locale)
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="en-US", timezone_id="America/New_York"
    )
    page = context.new_page()
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    log_in(page, base, admin.email, PASSWORD)
    page.goto(f"{base}/backoffice/audit-log/")
    page.fill("input[name=code]", current_code())
    page.press("input[name=code]", "Enter")
    page.wait_for_selector("#audit-entries")
    page.wait_for_load_state()
    return context, page


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_audit_log_reads_in_the_viewers_zone_and_fits_wide_and_narrow_screens(live_server, browser, tmp_path):
    _seed()
    problems: list[str] = []
    for width in (1440, 390):
        context, page = _open_audit_log(browser, live_server.url, width, problems)
        when = page.locator("#audit-entries time").last
        assert when.get_attribute("title") == "2026-12-06 14:05 UTC"
        assert "9:05" in when.inner_text() and "EST" in when.inner_text()  # New York, not UTC
        assert page.locator("[data-zone-name]").inner_text() == "America/New_York"
        assert page.is_visible("#audit-entries >> text=suspended the account")
        assert page.is_visible("#audit-entries >> text=the platform")
        assert _fits(page), f"the page is wider than {width} px"
        page.screenshot(path=str(tmp_path / f"audit-{width}.png"), full_page=True)
        page.screenshot(path=str(tmp_path / f"audit-{width}-top.png"))
        if width == 1440:
            page.select_option("#f-action", "dispute.*")
            page.click("#audit-filter")
            page.wait_for_url(lambda url: "action=dispute" in url)
            assert "tz=America%2FNew_York" in page.url
            assert page.is_visible("#audit-entries >> text=ruled on the dispute")
            assert not page.is_visible("#audit-entries >> text=suspended the account")
        context.close()

    context, page = _open_audit_log(browser, live_server.url, 1440, problems, locale="fr")
    assert page.is_visible("#audit-entries >> text=a suspendu le compte") and _fits(page)
    assert "déc." in page.locator("#audit-entries time").last.inner_text()  # the page's language, not the browser's
    page.screenshot(path=str(tmp_path / "audit-1440-fr.png"), full_page=True)
    context.close()
    assert problems == [], problems
