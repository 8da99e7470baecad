"""A whole case through a running deployment's HTTP interface, as people would do it.

    python deploy/smoke_walk.py http://127.0.0.1:8000 --outbox INSTANCE/outbox \
        --staff moderator@… --staff-password …

A designer and a client sign up and confirm their address from the mail; the designer fills
in the profile, verifies identity, sets up payouts (the sandbox gateway) and publishes a
listing, each approved by a staff member who logs in with the second factor; the client
orders and pays, the designer accepts and delivers, the client completes; the worker pays
the designer out and renders the invoices, which both parties download. Staff enrolment and
every step go through the pages' own forms, CSRF tokens included. Exits non-zero, naming the
step, at the first thing that does not happen. Needs only the standard library and pyotp
(a runtime dependency), and Pillow for the pictures.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import html
import io
import re
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pyotp
from PIL import Image

PASSWORD = "smoke walk password 2026"


class StepFailed(Exception):
    pass


def picture(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "PNG")
    return buffer.getvalue()


def multipart(fields: list[tuple[str, object]]) -> tuple[bytes, str]:
    boundary = "smoke" + secrets.token_hex(12)
    out = io.BytesIO()
    for name, value in fields:
        out.write(f"--{boundary}\r\n".encode())
        if isinstance(value, tuple):  # (filename, bytes, content type)
            filename, data, kind = value
            out.write(
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {kind}\r\n\r\n".encode()
            )
            out.write(data)
        else:
            out.write(f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
            out.write(str(value).encode())
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's session: cookies kept, redirects followed by hand (to see where they lead)."""

    def __init__(self, base: str, who: str):
        self.base, self.who = base.rstrip("/"), who
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)
        self.url, self.text = "", ""

    def request(self, path: str, *, data: bytes | None = None, kind: str | None = None, follow: bool = True):
        url = path if path.startswith("http") else self.base + path
        for _ in range(10):
            req = urllib.request.Request(url, data=data, headers={"Content-Type": kind} if kind else {})
            try:
                response = self.opener.open(req, timeout=60)
                status, headers, body = response.status, response.headers, response.read()
            except urllib.error.HTTPError as error:
                status, headers, body = error.code, error.headers, error.read()
            if status in (301, 302, 303, 307, 308) and follow:
                url, data, kind = urllib.parse.urljoin(url, headers["Location"]), None, None
                continue
            self.url = url
            self.status, self.headers, self.body = status, headers, body
            self.text = body.decode("utf-8", "replace")
            if status >= 500:
                raise StepFailed(f"{self.who}: {url} answered {status}")
            return self
        raise StepFailed(f"{self.who}: too many redirects from {path}")

    def get(self, path: str, **kwargs):
        return self.request(path, **kwargs)

    def csrf(self) -> str:
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.text) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', self.text
        )
        if not found:
            raise StepFailed(f"{self.who}: no CSRF token on {self.url}")
        return html.unescape(found.group(1))

    def post(
        self, path: str, fields: list[tuple[str, object]] | dict, *, token_from: str | None = None, follow: bool = True
    ):
        """Post a form like the page does: its CSRF token is read from the page at token_from
        (by default the page shown now)."""
        if token_from:
            self.get(token_from)
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        body, kind = multipart([("csrf_token", self.csrf()), *pairs])
        return self.request(path, data=body, kind=kind, follow=follow)

    def expect(self, text: str, step: str):
        if text not in self.text:
            flashes = re.findall(r'class="flash[^"]*"[^>]*>(.*?)</', self.text, re.S)
            errors = re.findall(
                r'class="[^"]*(?:field-error|invalid-feedback|error)[^"]*"[^>]*>(.*?)</', self.text, re.S
            )
            raise StepFailed(
                f"{self.who}: {step}: {text!r} not on {self.url} ({self.status}); "
                f"flashes {[' '.join(f.split()) for f in flashes][:3]}, "
                f"errors {[' '.join(e.split()) for e in errors][:3]}"
            )
        return self


def read_mail(outbox: Path, to: str, subject_part: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if outbox.is_dir():
            for path in sorted(outbox.iterdir()):
                message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                if to in str(message["To"]) and subject_part.lower() in str(message["Subject"]).lower():
                    part = message.get_body(("plain",)) or message
                    return part.get_content()
        time.sleep(0.5)
    raise StepFailed(f"no mail to {to} about {subject_part!r} in {outbox}")


def sign_up(base: str, outbox: Path, name: str, address: str, role: str) -> Browser:
    person = Browser(base, name)
    person.post(
        "/account/signup",
        {
            "display_name": name,
            "email": address,
            "password": PASSWORD,
            "confirm": PASSWORD,
            "role": role,
            "accept_terms": "y",
        },
        token_from="/account/signup",
    )
    mail = read_mail(outbox, address, "confirm")
    link = re.search(r"https?://\S+/account/confirm/\S+", mail)
    if not link:
        raise StepFailed(f"{name}: no confirmation link in the mail")
    person.get(urllib.parse.urlsplit(link.group(0)).path)
    log_in(person, address)
    return person


def log_in(person: Browser, address: str, password: str = PASSWORD) -> None:
    person.post("/account/login", {"email": address, "password": password}, token_from="/account/login")
    if "/account/login" in person.url:
        person.expect("__logged in__", "log in")
    if "/legal/accept" in person.url:  # an account made by the CLI accepts the terms at its first login
        person.post(urllib.parse.urlsplit(person.url).path, {"accept": "y"})
        person.expect("You accepted the new versions", "accept the terms in force")


def staff_session(base: str, address: str, password: str) -> Browser:
    """Log in, enrol the second factor from the page's key (first visit) or answer it."""
    staff = Browser(base, "staff")
    log_in(staff, address, password)
    staff.get("/backoffice/")
    secret = re.search(r'class="secret-key">([A-Z2-7 ]+)<', staff.text)
    if secret is None:
        raise StepFailed(f"staff: no enrolment key on {staff.url}")
    code = pyotp.TOTP(secret.group(1).replace(" ", "")).now()
    staff.post(staff.url, {"code": code})  # the enrolment form posts back to its own page
    if "/backoffice" not in staff.url or "secret-key" in staff.text:
        staff.expect("__enrolled__", "second factor enrolment")
    return staff


def case_state(person: Browser, case: str, label: str, step: str) -> None:
    """The case page's state badge reads `label`."""
    person.get(case)
    if not re.search(r'<span class="badge [^"]*">' + re.escape(label) + "</span>", person.text):
        person.expect(f"badge {label}", step)


def item_id(text: str, pattern: str, step: str) -> int:
    found = re.search(pattern, text)
    if not found:
        raise StepFailed(f"{step}: nothing matching {pattern!r}")
    return int(found.group(1))


def staff_decides(staff: Browser, queue: str, pattern: str, decision: str = "approve") -> None:
    staff.get(f"/backoffice/{queue}/")
    number = item_id(staff.text, pattern, f"staff: {queue} queue")
    staff.post(f"/backoffice/{queue}/{number}/take", {})
    staff.post(f"/backoffice/{queue}/{number}/{decision}", {}, token_from=f"/backoffice/{queue}/{number}")


def walk(base: str, outbox: Path, staff_address: str, staff_password: str) -> None:
    run = secrets.token_hex(3)
    step = lambda text: print(f"-- {text}", flush=True)

    step("sign-up: a designer and a client, each confirming the address from the mail")
    designer = sign_up(base, outbox, "Smoke Designer", f"designer-{run}@example.com", "design")
    client = sign_up(base, outbox, "Smoke Lab", f"lab-{run}@example.com", "hire")
    staff = staff_session(base, staff_address, staff_password)

    step("the designer's profile, sent for review and approved")
    designer.post(
        "/settings/profile",
        [
            ("real_name", "Smoke Designer"),
            ("country", "BR"),
            ("tax_id", "123.456.789-00"),
            ("headline", "Crowns and bridges in exocad"),
            ("bio", "Ten years of crown and bridge design for labs, delivered as STL."),
            ("skills", "crowns, bridges"),
            ("software", "exocad"),
            ("experience", "Ten years in a lab."),
            ("education", "CDT"),
            ("photo", ("photo.png", picture((40, 90, 160)), "image/png")),
            ("action", "submit"),
        ],
        token_from="/settings/profile",
    )
    designer.expect("sent for review", "profile submission")
    staff_decides(staff, "reviews/profiles", r"/backoffice/reviews/profiles/(\d+)")

    step("identity verification, approved by a verifier")
    designer.get("/settings/payments")
    designer.post(
        "/settings/verification/",
        [("nationality", "BR"), ("passport", ("passport.png", picture((200, 10, 10)), "image/png"))],
    )
    staff_decides(staff, "verifications", r"/backoffice/verifications/(\d+)")

    step("billing details, asked before payouts and before a first order")
    for person, name, city in ((designer, "Smoke Designer Ltda", "Sao Paulo"), (client, "Smoke Lab SAS", "Lyon")):
        person.post(
            "/settings/billing",
            {
                "legal_name": name,
                "address": "1 Smoke Street",
                "postal_code": "69002",
                "city": city,
                "country": "BR" if person is designer else "FR",
            },
            token_from="/settings/billing",
        )
        person.expect("billing details are saved", f"{name}: billing details")

    step("payouts set up (sandbox gateway)")
    designer.post(
        "/settings/payments", {"business_type": "individual", "country": "US"}, token_from="/settings/payments"
    )
    designer.expect("payouts are set up", "payout onboarding")

    step("a listing, approved by a moderator")
    designer.post(
        "/listings/mine/new",
        [
            ("title", "Zirconia crowns designed in exocad"),
            ("subcategory", "crowns/anatomic_crown"),
            (
                "description",
                "Full-contour anatomic zirconia crowns with tight contacts and a functional occlusion, "
                "delivered as STL with the exocad project.",
            ),
            ("software", "exocad"),
            ("revisions_included", "2"),
            ("turnaround_days", "2"),
            ("unit", "unit"),
            ("min_quantity", "1"),
            ("basis", "client"),
            ("tiers-0-min_quantity", "1"),
            ("tiers-0-price", "9.00"),
            ("images", ("crown.png", picture((230, 230, 220)), "image/png")),
            ("action", "save"),
        ],
        token_from="/listings/mine/new",
    )
    designer.expect("Saved.", "listing creation")
    listing = item_id(designer.url, r"/listings/mine/(\d+)", "listing creation")
    designer.post(f"/listings/mine/{listing}/submit", {}, token_from=f"/listings/mine/{listing}")
    staff_decides(staff, "reviews/listings", r"/backoffice/reviews/listings/(\d+)")
    client.get(f"/listings/{listing}").expect("$9.00", "the approved listing in the catalogue")

    step("the client orders two crowns and pays $18.00 into escrow")
    client.get(f"/cases/new?listing_id={listing}")
    order_url = client.url
    client.post(
        order_url,
        [
            ("teeth", "11"),
            ("teeth", "21"),
            ("restoration_11", "crown"),
            ("restoration_21", "crown"),
            ("material", "zirconia"),
            ("shade", "A2"),
            ("instructions", "Light contacts, please."),
            ("client_case_id", f"SMOKE-{run}"),
            ("card_number", "4242 4242 4242 4242"),
            ("attachments", ("upper.stl", b"solid scan\nendsolid scan\n", "model/stl")),
        ],
    )
    reference = re.search(r"/cases/(OC-[\w-]+)", client.url)
    if not reference:
        client.expect("__case page__", "order")
    case = f"/cases/{reference.group(1)}"
    case_state(client, case, "Awaiting designer acceptance", "order")

    step(f"the designer accepts and delivers {reference.group(1)}")
    designer.post(f"{case}/accept", {}, token_from=case)
    case_state(designer, case, "In progress", "accept")
    designer.post(
        f"{case}/deliver",
        [
            ("deliver-note", "Crowns 11 and 21."),
            ("deliver-files", ("crowns.stl", b"solid a\nendsolid a\n", "model/stl")),
        ],
        token_from=case,
    )
    case_state(designer, case, "Delivered", "delivery")

    step("the client completes: the escrow goes to the designer")
    client.post(f"{case}/complete", {"confirm": "release"}, token_from=f"{case}/complete")
    case_state(client, case, "Completed", "completion")

    step("the worker pays out and renders the invoices; both parties download theirs")
    for person in (designer, client):
        deadline = time.monotonic() + 120
        while True:
            person.get("/settings/transactions")
            invoices = re.findall(r'href="(/invoices/\d+\.pdf)"', person.text)
            paid = person is client or "Paid to the designer" in person.text
            if invoices and paid:
                break
            if time.monotonic() > deadline:
                person.expect("/invoices/", "payout and invoices (waited 120 s for the worker)")
            time.sleep(2)
        for link in set(invoices):
            person.get(link)
            if person.status != 200 or not person.body.startswith(b"%PDF"):
                raise StepFailed(f"{person.who}: {link} is not a PDF ({person.status})")
    step("walk done")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("--outbox", type=Path, required=True)
    parser.add_argument("--staff", required=True)
    parser.add_argument("--staff-password", required=True)
    args = parser.parse_args()
    try:
        walk(args.base, args.outbox, args.staff, args.staff_password)
    except StepFailed as failure:
        print(f"smoke walk FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
