"""Every route that sends a stored file's bytes, tried by every role on a patient scan, an
identity document and a design.

The routes are found in the URL map by their @serves_stored_files mark; a view that opens
stored bytes without the mark fails here, and so does a marked route this walk has no rule
for. The rules (PRODUCT.md §9): a patient scan reaches the two parties of its case only;
an identity document only the back office's document page, for the verifier holding the
submission with the second factor passed, each opening audited; a design reaches the
parties, and in a dispute the resolution centre (second factor passed) through the dispute.
A share link's files go to whoever holds its token (that is the link's point), and an
identity document is never in one. Previewing in 3D follows the rules of downloading, but the
designer of a request not accepted yet may preview its scans and download none of them.
"""

from __future__ import annotations

import inspect
import re

import pytest
import sqlalchemy as sa

from extensions import commit, db
from files.links import create_share_link
from files.operations import store_file
from messaging.threads import case_thread
from models.accounts import StaffRole
from models.cases import CaseFile, CaseFileRole
from models.files import FileKind
from models.messaging import Message, MessageAttachment
from models.moderation import AuditEntry
from models.verification import DocumentType
from moderation import kyc
from support.operations import file_ticket
from tests.backoffice.factories import make_staff, png_bytes, staff_login
from tests.cases.factories import make_case, make_parties
from tests.disputes.factories import disputed, people
from tests.factories import login, make_user

PREVIEW_ROUTES = {"files.preview", "files.shared_preview"}  # the 3D viewer's: shown, never counted
PARTY_ROUTES = {"files.download", "cases.download", "messages.attachment", "files.preview"}
DISPUTE_ROUTES = {"disputes.download", "resolution.download"}
SHARE_ROUTES = {"files.shared_download", "files.shared_zip", "files.shared_preview"}
KYC_ROUTE = "verifications.document"
# Files sent with a support ticket, for support staff: never a scan, an identity paper or a case's design
# (none of this walk's files is sent with a ticket, so every try is refused; tests/support reads them).
SUPPORT_ROUTES = {"support_desk.attachment"}
# A post's 3D model (always a design), for whoever may see the post (tests/community reads them);
# none of this walk's files is in a post, so every try is refused.
COMMUNITY_ROUTES = {"community.model"}
STAFF = {
    "moderator": StaffRole.moderator,
    "verifier": StaffRole.verifier,
    "agent": StaffRole.resolution_agent,
    "support": StaffRole.support,
    "admin": StaffRole.admin,
}
OPENERS = re.compile(
    r"\b(open_file|open_shared_file|open_document|read_dispute_file|zip_stream|send_file"
    r"|send_from_directory)\b"
)
SCAN = b"solid upper_jaw_of_the_patient\nendsolid upper_jaw_of_the_patient\n"
DESIGN = b"solid crown_36_design\nendsolid crown_36_design\n"
PASSPORT = png_bytes((200, 10, 10))


def file_routes(app) -> dict[str, str]:
    """endpoint -> rule of every route marked as sending stored bytes."""
    return {
        rule.endpoint: rule.rule
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], "serves_stored_files", False)
    }


def test_every_view_that_opens_stored_bytes_is_marked_and_has_a_rule(app):
    marked = file_routes(app)
    for endpoint, view in app.view_functions.items():
        if endpoint == "static" or endpoint.endswith(".static"):
            continue  # the application's own assets, not stored files
        source = inspect.getsource(inspect.unwrap(view))
        if OPENERS.search(source):
            assert endpoint in marked, f"{endpoint} sends stored bytes without @serves_stored_files"
    routes = PARTY_ROUTES | DISPUTE_ROUTES | SHARE_ROUTES | SUPPORT_ROUTES | COMMUNITY_ROUTES | {KYC_ROUTE}
    assert set(marked) == routes, "a file route was added or removed: give it its rule in this walk"


def _allowed(endpoint: str, kind: str, role: str) -> bool:
    parties, agents = {"client", "designer"}, {"agent+2fa", "admin+2fa"}
    if endpoint in SUPPORT_ROUTES | COMMUNITY_ROUTES:
        return False
    if endpoint in SHARE_ROUTES:
        return kind != "kyc"
    if kind == "scan":
        return role in parties and endpoint in PARTY_ROUTES
    if kind == "kyc":
        return endpoint == KYC_ROUTE and role == "verifier+2fa"
    return (role in parties and endpoint in PARTY_ROUTES) or (role in agents and endpoint in DISPUTE_ROUTES)


class World:
    """A disputed case whose scan and design are attached to the case, sent in its thread and
    shared by link, and a waiting identity verification held by a verifier."""

    def __init__(self):
        self.client, self.designer, _ = people()
        self.case, self.dispute = disputed(self.client, self.designer)
        self.design, self.design_token = self.attach(
            self.designer, "crown-36.stl", DESIGN, FileKind.design, CaseFileRole.delivery
        )
        submission = kyc.submit_verification(
            self.designer,
            nationality="BR",
            as_company=False,
            uploads=[kyc.Upload(DocumentType.passport, "passport.png", [PASSPORT])],
        )
        commit()
        self.submission, self.kyc = submission, submission.documents[0].stored_file
        # A ticket of the client's: its page exists, but none of the files above was sent with it.
        self.ticket = file_ticket(user=self.client, topic="case", subject="About my case", text="Where is it?")
        commit()

    def attach(self, owner, name: str, body: bytes, kind: FileKind, role: CaseFileRole):
        stored = store_file(iter([body]), owner=owner, filename=name, kind=kind)
        db.session.add(CaseFile(case_id=self.case.id, file_id=stored.id, role=role))
        message = Message(conversation_id=case_thread(self.case.id).id, sender_id=owner.id, body="")
        db.session.add(message)
        db.session.flush()
        db.session.add(MessageAttachment(message_id=message.id, file_id=stored.id, name=name, size=stored.size))
        _link, token = create_share_link([stored], actor=owner)
        commit()
        return stored, token

    def fresh_scan(self):
        """A patient scan goes once its recipient downloaded it: each try gets its own."""
        return self.attach(self.client, "upper.stl", SCAN, FileKind.patient_scan, CaseFileRole.attachment)


def _url(rule: str, world: World, stored, token: str) -> str:
    values = {
        "reference": world.case.reference,
        "dispute_id": world.dispute.id,
        "public_id": stored.public_id,
        "token": token,
        "ticket_id": world.ticket.id,
        "post_id": 0,  # no post: the walk's files are in none
    }
    return _filled(rule, values)


def _filled(rule: str, values: dict) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), rule)


@pytest.fixture
def world():
    return World()


@pytest.fixture
def readers(app, world):
    """A signed-in test client per role; staff with a password only, and with the second factor."""
    clients = {"anonymous": app.test_client()}
    for role, user in (("client", world.client), ("designer", world.designer), ("stranger", make_user())):
        clients[role] = app.test_client()
        login(clients[role], user)
    for name, role in STAFF.items():
        clients[name] = app.test_client()
        login(clients[name], make_staff(role))
        clients[f"{name}+2fa"] = app.test_client()
        staff_login(clients[f"{name}+2fa"], make_staff(role))
    # the verifier takes the submission from the queue: its documents are theirs to open
    taken = clients["verifier+2fa"].post(f"/backoffice/verifications/{world.submission.id}/take")
    assert taken.status_code == 302
    assert clients["verifier+2fa"].get(f"/backoffice/verifications/{world.submission.id}").status_code == 200
    return clients


def _openings() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "verification.document_opened")
    )


def test_each_file_route_serves_each_kind_only_to_whom_the_rules_allow(app, world, readers, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_LINK", "10000 per minute")  # one address tries them all
    body = {"design": DESIGN, "kyc": PASSPORT, "scan": SCAN}
    served = []
    for endpoint, rule in sorted(file_routes(app).items()):
        for role, reader in readers.items():
            for kind in ("design", "kyc", "scan"):
                if kind == "scan":
                    stored, token = world.fresh_scan()
                else:
                    stored = world.design if kind == "design" else world.kyc
                    token = world.design_token
                before = _openings()
                response = reader.get(_url(rule, world, stored, token))
                got = response.status_code == 200 and body[kind] in response.data
                assert got == _allowed(endpoint, kind, role), (endpoint, kind, role, response.status_code)
                assert _openings() - before == (1 if got and kind == "kyc" else 0), (endpoint, role)
                served.append((endpoint, kind, role)) if got else None
    # the walk did reach the bytes where they are due (it is not passing on broken URLs)
    assert ("files.download", "scan", "designer") in served and ("cases.download", "scan", "client") in served
    assert (KYC_ROUTE, "kyc", "verifier+2fa") in served and ("resolution.download", "design", "agent+2fa") in served


def test_the_designer_of_a_request_not_accepted_previews_its_scans_and_downloads_none(app):
    client, designer = make_parties()
    case = make_case(client, designer)  # awaiting the designer's acceptance
    scan = store_file(iter([SCAN]), owner=client, filename="upper.stl", kind=FileKind.patient_scan)
    db.session.add(CaseFile(case_id=case.id, file_id=scan.id, role=CaseFileRole.attachment))
    message = Message(conversation_id=case_thread(case.id).id, sender_id=client.id, body="")
    db.session.add(message)
    db.session.flush()
    db.session.add(MessageAttachment(message_id=message.id, file_id=scan.id, name="upper.stl", size=scan.size))
    commit()
    reader = app.test_client()
    login(reader, designer)
    values = {"reference": case.reference, "public_id": scan.public_id}
    for endpoint, rule in sorted(file_routes(app).items()):
        if endpoint not in PARTY_ROUTES:
            continue
        response = reader.get(_filled(rule, values))
        got = response.status_code == 200 and SCAN in response.data
        assert got == (endpoint in PREVIEW_ROUTES), (endpoint, response.status_code)
    db.session.refresh(scan)
    assert scan.downloaded_at is None and not scan.is_deleted
