"""Two people in two browsers: one writes, the other sees it arrive, answers with a file,
and the first one's unread count changes without a reload."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from extensions import db
from models.files import FileKind, StoredFile
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD, make_user
from tests.messaging.factories import make_conversation


def test_messages_arrive_live_and_unread_counts_follow(live_server, browser, tmp_path):
    base = live_server.url
    lab = make_user(name="Northside Lab", email="lab@example.com")
    designer = make_user(name="Elena CAD", email="elena@example.com", designer=True)
    conversation = make_conversation(lab, designer)
    lab_context, designer_context = browser.new_context(), browser.new_context()
    lab_page, designer_page = lab_context.new_page(), designer_context.new_page()
    log_in(lab_page, base, lab.email, PASSWORD)
    log_in(designer_page, base, designer.email, PASSWORD)
    designer_page.goto(f"{base}/messages/{conversation.id}")

    # the lab writes; the designer's open page shows it without a reload
    lab_page.goto(f"{base}/messages/{conversation.id}")
    lab_page.fill("#composer-body", "Hello Elena, crown on 36 in zirconia?")
    lab_page.click("[data-composer] button[type=submit]")
    expect(lab_page.locator(".msg-mine .msg-body")).to_have_text("Hello Elena, crown on 36 in zirconia?")
    assert lab_page.url.endswith(f"/messages/{conversation.id}")  # sent by fetch: no navigation
    expect(designer_page.locator(".msg .msg-body")).to_have_text("Hello Elena, crown on 36 in zirconia?", timeout=10000)

    # the lab goes to the inbox; the designer answers with a file
    lab_page.goto(f"{base}/messages/")
    unread = lab_page.locator(f'[data-unread-conversation="{conversation.id}"]')
    expect(unread).to_be_hidden()
    design = tmp_path / "crown-36.stl"
    design.write_bytes(b"solid crown\nendsolid crown\n")
    designer_page.fill("#composer-body", "Yes, here is a first proposal.")
    designer_page.check("[data-composer] input[name=kind][value=design]")  # not a patient scan
    designer_page.set_input_files("#composer-files", str(design))
    # the file goes up at once, with its check; the composer is empty again once the message is sent
    expect(designer_page.locator("[data-composer] .upload-done .mesh-warnings")).to_contain_text("no triangles")
    designer_page.click("[data-composer] button[type=submit]")
    expect(designer_page.locator(".msg-mine .msg-files a[download]")).to_have_text("crown-36.stl")
    expect(designer_page.locator("[data-composer] .upload")).to_have_count(0)

    expect(unread).to_be_visible(timeout=10000)
    expect(unread).to_contain_text("1")
    expect(lab_page.locator('[data-unread-tab="general"]')).to_contain_text("1")
    lab_page.click(f'[data-conversation-row="{conversation.id}"] a')
    expect(lab_page.locator(".msg .msg-files a[download]")).to_have_text("crown-36.stl")
    with lab_page.expect_download() as download:
        lab_page.click(".msg .msg-files a[download]")
    assert download.value.suggested_filename == "crown-36.stl"
    # sent as a design: kept as one (a scan would be handed over and deleted)
    assert (
        db.session.scalar(db.select(StoredFile.kind).where(StoredFile.original_name == "crown-36.stl"))
        == FileKind.design
    )
    lab_context.close()
    designer_context.close()


def test_a_message_with_a_phone_number_is_flagged_in_place(live_server, page):
    base = live_server.url
    lab, designer = make_user(email="lab2@example.com"), make_user(email="d2@example.com", designer=True)
    conversation = make_conversation(lab, designer)
    log_in(page, base, lab.email, PASSWORD)
    page.goto(f"{base}/messages/{conversation.id}")
    page.fill("#composer-body", "Call me at +33 6 12 34 56 78")
    page.click("[data-composer] button[type=submit]")
    expect(page.locator("[data-composer-refusal] mark.contact-finding", has_text="+33 6 12 34 56 78")).to_be_visible()
    expect(page.locator(".msg")).to_have_count(0)
    page.fill("#composer-body", "Let us keep everything here.")
    page.click("[data-composer] button[type=submit]")
    expect(page.locator(".msg-mine .msg-body")).to_have_text("Let us keep everything here.")
    expect(page.locator("[data-composer-refusal] mark")).to_have_count(0)
    assert re.search(r"/messages/\d+$", page.url)
