"""A whole case in Chromium: the client picks teeth on the chart and sends a scan, the designer
accepts and delivers, the client asks a revision, the designer delivers again, the client
completes, and both review. The keyboard works on the tooth chart."""

from __future__ import annotations

import re
import subprocess

from playwright.sync_api import expect

from tests.catalogue.factories import make_designer, make_listing
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD, make_user


def _log_out(page):
    page.click("form[action$='/account/logout'] button")


def test_a_case_from_order_to_reviews(live_server, browser, tmp_path):
    base = live_server.url
    designer = make_designer(email="elena@example.com", name="Elena CAD")
    listing = make_listing(designer)  # $9.00 a unit
    lab = make_user(email="lab@example.com", name="Northside Lab")
    scan = tmp_path / "upper-scan.stl"
    scan.write_bytes(b"solid scan\nendsolid scan\n")
    design = tmp_path / "crowns-v1.stl"
    design.write_bytes(b"solid crowns\nendsolid crowns\n")

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, base, lab.email, PASSWORD)
    page.goto(f"{base}/cases/new?listing_id={listing.id}")

    # the chart: a click on 11, the keyboard on 21 (Tab-reachable, Space toggles, aria-pressed follows)
    page.click('[data-svg-tooth="11"]')
    tooth_21 = page.locator('[data-svg-tooth="21"]')
    tooth_21.focus()
    page.keyboard.press("Space")
    expect(tooth_21).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-quantity]")).to_have_text("2")
    expect(page.locator("[data-total]")).to_have_text("$18.00")
    page.select_option("#restoration_21", "veneer")
    page.select_option("#material", "zirconia")
    page.fill("#shade", "A2")
    page.fill("#instructions", "Light contacts, please.")
    page.fill("#client_case_id", "LAB-2026-14")
    page.set_input_files("#attachments", str(scan))
    # the scan goes up at once, and what its check found shows before paying: no triangles here
    expect(page.locator(".upload-list .upload-done .mesh-warnings")).to_contain_text("no triangles")
    page.fill("#card_number", "4242 4242 4242 4242")
    page.click("button:has-text('Confirm payment')")
    expect(page.locator(".flash-success")).to_contain_text("was sent")
    case_url = page.url
    reference = re.search(r"/cases/(OC-\w+)", case_url).group(1)
    expect(page.get_by_role("button", name="Cancel request")).to_be_visible()
    _log_out(page)

    # the designer accepts and delivers
    log_in(page, base, designer.email, PASSWORD)
    page.goto(case_url)
    expect(page.locator("body")).to_contain_text("upper-scan.stl")
    expect(page.locator(".case-files .mesh-warnings")).to_contain_text("no triangles")  # the designer sees it too
    page.click("button:has-text('Accept case')")
    expect(page.locator(".flash-success")).to_contain_text("escrow")
    page.set_input_files("#deliver-files", str(design))
    expect(page.locator(".deliver-form .upload-done")).to_contain_text("crowns-v1.stl")
    page.fill("#deliver-note", "First proposal attached.")
    page.click(".deliver-form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("Delivered")
    _log_out(page)

    # the client asks for a revision
    log_in(page, base, lab.email, PASSWORD)
    page.goto(case_url)
    page.click("summary:has-text('Request a revision')")
    page.fill("#revision-note", "Please close the distal margin on 21.")
    page.click("button:has-text('Request revision')")
    expect(page.locator(".flash-success")).to_contain_text("Revision requested")
    _log_out(page)

    # the designer delivers again
    log_in(page, base, designer.email, PASSWORD)
    page.goto(case_url)
    page.set_input_files("#deliver-files", str(design))
    expect(page.locator(".deliver-form .upload-done")).to_have_count(1)
    page.fill("#deliver-note", "Margin closed.")
    page.click(".deliver-form button[type=submit]")
    expect(page.locator(".deliveries > li")).to_have_count(2)
    _log_out(page)

    # the client completes and reviews
    log_in(page, base, lab.email, PASSWORD)
    page.goto(case_url)
    page.click("button:has-text('Transaction complete')")
    expect(page.locator("[role=alertdialog]")).to_contain_text("This releases $18.00 to Elena CAD")
    page.click("button:has-text('Release the payment')")
    expect(page.locator("h1 .badge")).to_have_text("Completed")
    page.check("input[name='review-stars'][value='5']")
    page.fill("#review-text", "Precise margins and quick answers.")
    page.click("button:has-text('Publish review')")
    expect(page.locator(".review")).to_contain_text("Precise margins")
    # the designer's invoice was rendered on completion: it downloads and opens as a PDF
    invoice_link = page.locator(".invoice-links a").first
    expect(invoice_link).to_be_visible()
    pdf = page.request.get(base + invoice_link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.body(), capture_output=True, check=True
    ).stdout.decode()
    assert "Invoice" in text and invoice_link.inner_text().strip() in text and reference in text
    page.goto(f"{base}/cases/?side=client&state=completed")
    expect(page.locator(".case-table")).to_contain_text(reference)
    _log_out(page)

    # the designer reviews the client
    log_in(page, base, designer.email, PASSWORD)
    page.goto(case_url)
    page.check("input[name='review-stars'][value='4']")
    page.click("button:has-text('Publish review')")
    expect(page.locator(".review")).to_have_count(2)


def test_on_a_phone_the_tooth_chart_is_round_and_every_tooth_takes_a_finger(live_server, browser):
    designer = make_designer(email="elena@example.com", name="Elena CAD")
    listing = make_listing(designer)  # $9.00 a unit
    lab = make_user(email="lab@example.com", name="Northside Lab")
    context = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server.url, lab.email, PASSWORD)
    page.goto(f"{live_server.url}/cases/new?listing_id={listing.id}")

    teeth = page.locator("[data-svg-tooth]")
    expect(teeth).to_have_count(32)
    sizes = [teeth.nth(i).bounding_box() for i in range(32)]
    # WCAG 2.2 target size: at least 24 × 24 CSS pixels on a 360-pixel-wide phone
    assert min(min(box["width"], box["height"]) for box in sizes) >= 24, sizes
    page.locator('[data-svg-tooth="46"]').tap()
    page.locator('[data-svg-tooth="47"]').tap()
    expect(page.locator('[data-svg-tooth="46"]')).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-quantity]")).to_have_text("2")
    expect(page.locator("[data-total]")).to_have_text("$18.00")
    context.close()
