"""A lab sends a scan with a link: chunked upload with progress, the 3D viewer and its ruler,
the recipient's download in another browser, and the link's expiry."""

from __future__ import annotations

import math
import re
import struct
import time
from datetime import timedelta

import numpy as np
from playwright.sync_api import expect

from extensions import commit, db
from files.links import create_share_link, sweep_expired_links
from files.operations import store_file
from models.cases import CaseFile, CaseFileRole, CaseState
from models.files import FileKind, ShareLink
from models.types import utcnow
from tests.cases.factories import drive, make_case, make_parties
from tests.fixtures.browser import log_in
from tests.factories import PASSWORD, make_user


def wavy_plate_stl(path, cells: int = 480, width_mm: float = 40.0, depth_mm: float = 30.0) -> int:
    """A binary STL height field (an arch-sized wavy plate) of 2·cells² triangles; its size."""
    xs, ys = np.linspace(0, width_mm, cells + 1), np.linspace(0, depth_mm, cells + 1)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    gz = 2.0 + 1.5 * np.sin(gx / 6.0) * np.cos(gy / 5.0)
    v = np.stack([gx, gy, gz], axis=-1).astype("<f4")
    a, b, c, d = v[:-1, :-1], v[1:, :-1], v[1:, 1:], v[:-1, 1:]
    triangles = np.concatenate(
        [np.stack([a, b, c], axis=2).reshape(-1, 3, 3), np.stack([a, c, d], axis=2).reshape(-1, 3, 3)]
    )
    records = np.zeros(len(triangles), dtype=[("normal", "<f4", 3), ("corners", "<f4", (3, 3)), ("attr", "<u2")])
    records["corners"] = triangles
    with open(path, "wb") as out:
        out.write(b"occlusa e2e plate".ljust(80, b" ") + struct.pack("<I", len(triangles)))
        out.write(records.tobytes())
    return path.stat().st_size


def test_a_scan_goes_out_by_link_is_viewed_measured_downloaded_and_expires(live_server, browser, tmp_path):
    base = live_server.url
    lab = make_user(name="Northside Lab", email="lab-files@example.com")
    scan = tmp_path / "upper_scan.stl"
    size = wavy_plate_stl(scan)
    assert size > 21 * 1024 * 1024

    sender = browser.new_context(viewport={"width": 1280, "height": 900})
    page = sender.new_page()
    log_in(page, base, lab.email, PASSWORD)
    page.goto(f"{base}/files/new")
    page.check("input[name=kind][value=design]")
    # a line of 8 MiB/s up: the scan takes a few seconds, all in one request
    line = sender.new_cdp_session(page)
    line.send("Network.enable")
    line.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 8 * 1024 * 1024},
    )
    page.set_input_files("input[type=file]", str(scan))

    # the overall bar climbs to 100%, moving while the request's bytes go up
    seen, deadline = [], time.monotonic() + 60
    while time.monotonic() < deadline:
        seen.append(page.eval_on_selector("[data-overall-bar]", "bar => bar.value"))
        if seen[-1] == 100 and page.locator(".upload-done").count():
            break
        time.sleep(0.05)
    line.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    assert seen[-1] == 100 and seen == sorted(seen)
    assert len({value for value in seen if 0 < value < 100}) >= 3
    expect(page.locator(".upload-state")).to_have_text("Uploaded")

    # the link, with its URL to copy
    page.fill("input[name=days]", "5")
    page.click("[data-create-link]")
    expect(page.locator("h1")).to_contain_text("Share link")
    url = page.input_value("#share-url")
    assert re.fullmatch(rf"{re.escape(base)}/t/[\w-]{{40,}}", url)

    # the viewer draws the mesh; two clicks on it give a distance in millimetres
    page.click("text=View in 3D")
    expect(page.locator("[data-viewer]")).to_have_attribute("data-state", "ready", timeout=30000)
    page.click("[data-measure]")
    canvas = page.locator("canvas").bounding_box()
    middle_x, middle_y = canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2
    page.mouse.click(middle_x - 60, middle_y)
    page.mouse.click(middle_x + 60, middle_y + 20)
    expect(page.locator("[data-distance]")).to_have_text(re.compile(r"Distance: \d+\.\d\d mm"))
    distance = float(re.search(r"[\d.]+", page.text_content("[data-distance]")).group())
    assert 1 < distance < math.hypot(40, 30)

    # the recipient, in another browser, downloads the file
    recipient = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = recipient.new_page()
    phone.goto(url)
    expect(phone.locator(".file-name")).to_have_text("upper_scan.stl")
    with phone.expect_download() as caught:
        phone.click("text=Download")
    assert caught.value.suggested_filename == "upper_scan.stl"
    assert open(caught.value.path(), "rb").read() == scan.read_bytes()

    # five days later the link has expired, and says so
    link = db.session.scalar(db.select(ShareLink).where(ShareLink.owner_id == lab.id))
    link.expires_at = utcnow() - timedelta(minutes=1)
    sweep_expired_links(utcnow())
    commit()
    response = phone.goto(url)
    assert response.status == 410
    expect(phone.locator("h1")).to_have_text("This transfer has expired")
    sender.close()
    recipient.close()


def test_viewing_in_3d_is_a_preview_and_the_scan_stays_for_its_download(live_server, browser, tmp_path):
    """Opening "View in 3D" on a share link, and on a case by the designer before accepting it,
    never counts as the download: the scan is still there for the real one afterwards."""
    base = live_server.url
    plate = tmp_path / "upper_arch.stl"
    wavy_plate_stl(plate, cells=24)
    data = plate.read_bytes()
    lab = make_user(name="Northside Lab", email="lab-preview@example.com")
    shared = store_file([data], owner=lab, filename="upper_arch.stl", kind=FileKind.patient_scan)
    _, token = create_share_link([shared], actor=lab, max_downloads=1)
    commit()

    recipient = browser.new_context(viewport={"width": 1280, "height": 900})
    page = recipient.new_page()
    page.goto(f"{base}/t/{token}")
    page.click("text=View in 3D")
    expect(page.locator("[data-viewer]")).to_have_attribute("data-state", "ready", timeout=30000)
    expect(page.locator("[role=note]")).to_contain_text("Viewing in 3D is a preview")
    page.goto(f"{base}/t/{token}")
    expect(page.locator(".file-name")).to_have_text("upper_arch.stl")
    with page.expect_download() as caught:
        page.click(".file-actions a[download]")
    assert open(caught.value.path(), "rb").read() == data
    recipient.close()

    client, designer = make_parties()
    case = make_case(client, designer)
    scan = store_file([data], owner=client, filename="upper_arch.stl", kind=FileKind.patient_scan)
    db.session.add(CaseFile(case_id=case.id, file_id=scan.id, role=CaseFileRole.attachment))
    commit()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, designer.email, PASSWORD)
    page.goto(f"{base}/cases/{case.reference}")
    expect(page.locator(".case-files").first).to_contain_text("downloadable once you accept the request")
    page.click("text=View in 3D")
    expect(page.locator("[data-viewer]")).to_have_attribute("data-state", "ready", timeout=30000)

    drive(case, CaseState.in_progress)
    page.goto(f"{base}/cases/{case.reference}")
    with page.expect_download() as caught:
        page.click(".case-files a[download]")
    assert open(caught.value.path(), "rb").read() == data
    context.close()
