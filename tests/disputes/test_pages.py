"""The dispute pages as the parties and the resolution centre use them."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from extensions import db
from models.accounts import StaffRole
from models.cases import CaseFile, CaseState
from models.disputes import Dispute, DisputeState
from models.files import FileKind, StoredFile
from models.moderation import AuditEntry, Violation
from payments.ledger import balance, client_account, designer_account
from tests.backoffice.factories import make_staff, staff_login
from tests.disputes.factories import ANSWER, STATEMENT, case_in_escrow, disputed, people, reload, state, stored
from tests.factories import login, make_user


def public_id(file_id: int) -> str:
    return db.session.get(StoredFile, file_id).public_id


REASONING = "The crown on 36 ignores the margin line in the prescription; the occlusion is right."


def test_the_client_opens_a_dispute_with_a_file_from_the_case(client):
    customer, designer, _agent = people()
    case = case_in_escrow(customer, designer)
    login(client, customer)
    page = client.get(f"/disputes/new/{case.id}")
    assert page.status_code == 200 and "Why are you disputing this case?" in page.get_data(as_text=True)
    response = client.post(
        f"/disputes/new/{case.id}",
        data={
            "reason": "poor_quality",
            "statement": STATEMENT,
            "evidence": [(io.BytesIO(b"\x89PNG\r\n\x1a\n margin"), "margin.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    dispute = db.session.scalar(sa.select(Dispute))
    assert response.headers["Location"].endswith(f"/disputes/{dispute.id}")
    assert state(case) == CaseState.disputed
    body = client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
    assert STATEMENT in body and "margin.png" in body and "Withdraw my dispute" in body
    download = client.get(f"/disputes/{dispute.id}/files/{public_id(dispute.evidence[0].file_id)}")
    assert download.status_code == 200 and download.data == b"\x89PNG\r\n\x1a\n margin"
    assert (
        download.mimetype == "image/png"
        and download.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    )


def test_a_statement_with_contact_details_is_refused_and_kept_for_moderators(client):
    customer, designer, _agent = people()
    case = case_in_escrow(customer, designer)
    login(client, customer)
    response = client.post(
        f"/disputes/new/{case.id}",
        data={"reason": "other", "statement": "Please just email me at lab.north@gmail.com and we sort it out"},
    )
    assert response.status_code == 200 and "contact-finding" in response.get_data(as_text=True)
    assert state(case) == CaseState.delivered
    assert db.session.scalar(sa.select(sa.func.count(Violation.id))) == 1


def test_only_the_parties_see_a_dispute_and_only_the_client_opens_one(client):
    customer, designer, _agent = people()
    case, dispute = disputed(customer, designer)
    login(client, designer)
    assert client.get(f"/disputes/new/{case.id}").status_code == 404
    assert "Send my answer" in client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
    assert client.get(f"/disputes/case/{case.id}").headers["Location"].endswith(f"/disputes/{dispute.id}")
    client.post("/account/logout")
    login(client, customer)  # the case is disputed: "open a dispute" leads to the open one
    assert client.get(f"/disputes/new/{case.id}").headers["Location"].endswith(f"/disputes/case/{case.id}")
    client.post("/account/logout")
    login(client, make_user())
    assert client.get(f"/disputes/{dispute.id}").status_code == 404
    assert client.get(f"/disputes/case/{case.id}").status_code == 404
    assert client.get(f"/disputes/new/{case.id}").status_code == 404


def test_the_designer_answers_and_the_parties_settle_on_the_page(client):
    customer, designer, _agent = people()
    case, dispute = disputed(customer, designer, amount_cents=10_000)
    login(client, designer)
    assert client.post(f"/disputes/{dispute.id}/answer", data={"statement": ANSWER}).status_code == 302
    assert (
        client.post(
            f"/disputes/{dispute.id}/proposals", data={"designer_amount": "60.00", "note": "I keep the work on 36"}
        ).status_code
        == 302
    )
    assert reload(dispute).state == DisputeState.awaiting_ruling
    client.post("/account/logout")
    login(client, customer)
    proposal = reload(dispute).proposals[0]
    response = client.post(
        f"/disputes/{dispute.id}/proposals/{proposal.id}/accept", data={"confirmed": "y"}, follow_redirects=True
    )
    assert "Settled by agreement" in response.get_data(as_text=True)
    assert state(case) == CaseState.resolved
    assert balance(designer_account(designer.id)) == 6_000 - 540
    assert balance(client_account(customer.id)) == -6_000


def test_the_resolution_centre_rules_a_split_and_both_parties_read_it(client):
    customer, designer, _agent = people()
    case, dispute = disputed(customer, designer, amount_cents=10_001)
    agent = make_staff(StaffRole.resolution_agent)
    staff_login(client, agent)
    queue = client.get("/backoffice/resolution/").get_data(as_text=True)
    assert case.reference in queue
    record = client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)
    assert STATEMENT in record and "Anatomic crown on 36" in record and "First design" in record
    # the answer time has not passed and the designer has not answered: the ruling waits
    early = client.post(
        f"/backoffice/resolution/{dispute.id}/rule",
        data={"outcome": "split", "designer_amount": "50.00", "reasoning": REASONING},
    )
    assert early.status_code == 302 and state(case) == CaseState.disputed
    db.session.execute(
        sa.update(Dispute)
        .where(Dispute.id == dispute.id)
        .values(state=DisputeState.awaiting_ruling, answer_due_at=dispute.opened_at)
    )
    db.session.commit()
    for _ in range(2):  # a double submit moves the money once
        client.post(
            f"/backoffice/resolution/{dispute.id}/rule",
            data={"outcome": "split", "designer_amount": "50.00", "reasoning": REASONING},
        )
    assert state(case) == CaseState.resolved
    assert balance(designer_account(designer.id)) == 5_000 - 450
    assert balance(client_account(customer.id)) == -5_000
    client.post("/account/logout")
    for party in (customer, designer):
        login(client, party)
        body = client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
        assert REASONING in body and "$45.50" in body and "$50.01" in body
        client.post("/account/logout")


@pytest.mark.parametrize("roles", [(StaffRole.moderator,), (StaffRole.verifier,)])
def test_other_staff_do_not_find_the_resolution_centre(client, roles):
    customer, designer, _agent = people()
    _case, dispute = disputed(customer, designer)
    staff_login(client, make_staff(*roles))
    assert client.get("/backoffice/resolution/").status_code == 404
    assert client.get(f"/backoffice/resolution/{dispute.id}").status_code == 404
    assert (
        client.post(
            f"/backoffice/resolution/{dispute.id}/rule", data={"outcome": "refund", "reasoning": REASONING}
        ).status_code
        == 404
    )
    assert reload(dispute).state == DisputeState.open


def test_the_agent_reads_case_files_for_the_dispute_only_logged_and_never_patient_data(client):
    customer, designer, _agent = people()
    case, dispute = disputed(customer, designer)
    scan = stored(customer, "jaw.stl", b"solid jaw\n", kind=FileKind.patient_scan)
    db.session.add(CaseFile(case_id=case.id, file_id=scan.id, role="attachment"))
    db.session.commit()
    delivery = db.session.scalar(
        sa.select(CaseFile).where(CaseFile.case_id == case.id, CaseFile.delivery_id.isnot(None))
    )
    agent = make_staff(StaffRole.resolution_agent)
    staff_login(client, agent)
    got = client.get(f"/backoffice/resolution/{dispute.id}/files/{delivery.file.public_id}")
    assert got.status_code == 200 and got.data == b"solid crown\n"
    assert (
        got.headers["Content-Disposition"].startswith("attachment")
        and got.headers["X-Content-Type-Options"] == "nosniff"
    )
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "dispute.file_read"))
    assert entry.actor_id == agent.id and entry.object_id == str(delivery.file_id)
    assert client.get(f"/backoffice/resolution/{dispute.id}/files/{scan.public_id}").status_code == 404
    other_case = case_in_escrow(make_user(), designer)
    other_file = db.session.scalar(sa.select(CaseFile.file_id).where(CaseFile.case_id == other_case.id))
    assert client.get(f"/backoffice/resolution/{dispute.id}/files/{public_id(other_file)}").status_code == 404
    assert reload(scan).deleted_at is None
