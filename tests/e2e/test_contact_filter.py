"""Issue #17's proof in a browser: a lab's message full of tooth numbers, implant positions and
a UDI code goes through untouched; an STL whose header carries a phone number is refused as
it is uploaded, with the place named, and a violation is recorded."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from extensions import db
from models.moderation import Violation, ViolationSource
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD, make_user
from tests.files.mesh_samples import CUBE_FACES, CUBE_VERTICES, binary_stl
from tests.messaging.factories import make_conversation

DENTAL_MESSAGE = (
    "Full arch: teeth 18 17 16 15 14 13 12 11 21 22 23 24 25 26 27 28. "
    "Implants at 16 14 12 22 24 26, UDI (01)04012345678901(17)260331(10)LOT4521. "
    "Case 2024118345, delivery 06 12 2024."
)


def test_dental_talk_goes_through_and_a_phone_number_in_an_stl_header_is_refused(live_server, browser, tmp_path):
    base = live_server.url
    lab = make_user(name="Northside Lab", email="lab-filter@example.com")
    designer = make_user(name="Elena CAD", email="elena-filter@example.com", designer=True)
    conversation = make_conversation(lab, designer)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, lab.email, PASSWORD)
    page.goto(f"{base}/messages/{conversation.id}")

    page.fill("#composer-body", DENTAL_MESSAGE)
    page.click("[data-composer] button[type=submit]")
    expect(page.locator(".msg-mine .msg-body")).to_have_text(DENTAL_MESSAGE)
    expect(page.locator("[data-composer-refusal] mark")).to_have_count(0)

    scan = tmp_path / "upper-arch.stl"
    scan.write_bytes(binary_stl(CUBE_VERTICES, CUBE_FACES, header=b"exported by Anna, call +33 6 12 34 56 78"))
    page.check("[data-composer] input[name=kind][value=design]")
    page.set_input_files("#composer-files", str(scan))
    state = page.locator("[data-composer] .upload-state")
    expect(state).to_contain_text("STL header")
    expect(state).to_contain_text("+33 6 12 34 56 78")
    expect(page.locator("[data-composer] .upload-done")).to_have_count(0)

    violation = db.session.scalar(sa.select(Violation).where(Violation.user_id == lab.id))
    assert violation.source == ViolationSource.file
    assert [f["field"] for f in violation.findings] == ["stl_header"]
    context.close()
