"""Evidence requests: the agent asks a party for evidence by a date, the party answers with a
text and files, an unanswered request is flagged on its date, and the ruling waits for it."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from disputes import evidence_requests, operations
from disputes.ruling_due import ruling_due
from errors import DomainError, NotFound, PermissionDenied
from extensions import commit, db
from jobs.sweep import run_sweeps
from models.disputes import DisputeEvidence, EvidenceRequest
from models.accounts import StaffRole
from models.files import StoredFile
from models.messaging import Notification
from models.moderation import AuditEntry
from models.types import utcnow
from tests.backoffice.factories import make_staff, staff_login
from tests.disputes.factories import disputed, people, reload
from tests.factories import login, make_user

WHAT = "A screenshot of the margin line as you traced it on tooth 36."
ANSWER_TEXT = "Here is the margin as traced, before the crown was designed."
PNG = b"\x89PNG\r\n\x1a\n margin line"
DICOM = b"\x00" * 128 + b"DICM" + b"\x02\x00" * 40


def _ask(dispute, agent, party="designer", days=5, **kwargs):
    request = evidence_requests.request_evidence(dispute, actor=agent, party=party, what=WHAT, due_days=days, **kwargs)
    commit()
    return request


def _notified(user, event) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Notification.title).where(Notification.user_id == user.id, Notification.event == event)
        )
    )


def _audited(action: str) -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == action))


def test_the_agent_asks_the_designer_who_is_told_and_answers_with_a_file_the_agent_reads(app, client):
    customer, designer, _agent = people()
    _case, dispute = disputed(customer, designer)
    agent = make_staff(StaffRole.resolution_agent)
    staff_login(client, agent)
    response = client.post(
        f"/backoffice/resolution/{dispute.id}/evidence-requests",
        data={"evidence-request-party": "designer", "evidence-request-what": WHAT, "evidence-request-due_days": "5"},
    )
    assert response.status_code == 302
    request = db.session.scalar(sa.select(EvidenceRequest))
    assert request.party.value == "designer" and request.due_at - request.asked_at == timedelta(days=5)
    assert _notified(designer, "evidence_requested") and not _notified(customer, "evidence_requested")
    assert _audited("dispute.evidence_requested") == 1

    party = app.test_client()
    login(party, designer)
    page = party.get(f"/disputes/{dispute.id}").get_data(as_text=True)
    assert WHAT in page and f'id="answer-request-{request.id}"' in page
    response = party.post(
        f"/disputes/{dispute.id}/evidence-requests/{request.id}/answer",
        data={
            f"request-{request.id}-text": ANSWER_TEXT,
            f"request-{request.id}-kind": "evidence",
            f"request-{request.id}-evidence": [(io.BytesIO(PNG), "margin.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    request = reload(request)
    assert request.answer == ANSWER_TEXT and [f.file.original_name for f in request.files] == ["margin.png"]
    assert _notified(agent, "evidence_answered")

    page = client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)
    assert ANSWER_TEXT in page and "margin.png" in page
    file_id = db.session.get(StoredFile, request.files[0].file_id).public_id
    download = client.get(f"/backoffice/resolution/{dispute.id}/files/{file_id}")
    assert download.status_code == 200 and download.data == PNG


@pytest.mark.parametrize(
    "files, kind",
    [
        ([("upper.stl", b"solid scan\nendsolid scan\n")], "patient_scan"),  # said to be a scan
        ([("upper.dcm", DICOM)], "evidence"),  # a scanner's export by name
        ([("photo.bin", DICOM)], "evidence"),  # DICOM bytes under another name
    ],
)
def test_a_patient_scan_in_an_answer_is_refused_and_nothing_is_kept(files, kind):
    customer, designer, agent = people()
    _case, dispute = disputed(customer, designer)
    request = _ask(dispute, agent)
    with pytest.raises(DomainError, match="Patient scans cannot be given as evidence"):
        evidence_requests.answer_evidence_request(
            request, actor=designer, text=ANSWER_TEXT, kind=kind, files=[(name, iter([body])) for name, body in files]
        )
    db.session.rollback()
    assert reload(request).answered_at is None
    assert db.session.scalar(sa.select(sa.func.count(DisputeEvidence.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(StoredFile.id)).where(StoredFile.owner_id == designer.id)) == 1


def test_a_scanner_export_is_refused_as_any_dispute_evidence_too():
    customer, designer, _agent = people()
    _case, dispute = disputed(customer, designer)
    with pytest.raises(DomainError, match="Patient scans cannot be given as evidence"):
        operations.add_evidence(dispute, actor=customer, evidence=[("lower.dcm", iter([DICOM]))])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(DisputeEvidence.id))) == 0


def test_the_patient_scan_refusal_is_said_on_the_page(client):
    customer, designer, agent = people()
    _case, dispute = disputed(customer, designer)
    request = _ask(dispute, agent)
    login(client, designer)
    response = client.post(
        f"/disputes/{dispute.id}/evidence-requests/{request.id}/answer",
        data={
            f"request-{request.id}-text": ANSWER_TEXT,
            f"request-{request.id}-kind": "patient_scan",
            f"request-{request.id}-evidence": [(io.BytesIO(b"solid s\nendsolid s\n"), "upper.stl")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Patient scans cannot be given as evidence" in response.get_data(as_text=True)
    assert reload(request).answered_at is None


def test_an_unanswered_request_is_flagged_by_the_sweep_on_its_due_date_not_before():
    customer, designer, agent = people()
    _case, dispute = disputed(customer, designer)
    request = _ask(dispute, agent, party="client", days=3)
    answered = _ask(dispute, agent, party="designer", days=3)
    evidence_requests.answer_evidence_request(answered, actor=designer, text=ANSWER_TEXT)
    commit()
    due = reload(request).due_at
    assert run_sweeps(now=due - timedelta(minutes=1))["disputes.evidence_requests:flag_overdue_requests"] == 0
    assert reload(request).overdue_flagged_at is None
    assert run_sweeps(now=due)["disputes.evidence_requests:flag_overdue_requests"] == 1
    assert reload(request).overdue_flagged_at == due and reload(answered).overdue_flagged_at is None
    assert run_sweeps(now=due + timedelta(days=1))["disputes.evidence_requests:flag_overdue_requests"] == 0
    assert _audited("dispute.evidence_overdue") == 1


def test_the_ruling_due_date_is_extended_by_the_request_and_capped_by_the_escrow_limit():
    customer, designer, agent = people()
    case, dispute = disputed(customer, designer)
    base = ruling_due(dispute)
    assert base.at == dispute.answer_due_at + timedelta(days=14) and not base.extended
    asked = utcnow()
    _ask(dispute, agent, days=7, now=asked)
    _ask(dispute, agent, party="client", days=7, now=asked + timedelta(days=2))  # overlapping: counted once
    due = ruling_due(reload(dispute))
    assert due.extended_days == 9 and due.at == base.at + timedelta(days=9) and not due.capped

    # Accepted long ago: the escrow limit comes first, and the ruling may not pass it.
    case = reload(case)
    limit = base.at + timedelta(days=3)
    case.accepted_at, case.escrow_limit_at = limit - timedelta(days=90), limit
    commit()
    due = ruling_due(reload(dispute))
    assert due.at == limit and due.capped and due.extended_days == 3


def test_the_pages_show_the_extended_ruling_due_date(client):
    customer, designer, agent = people()
    case, dispute = disputed(customer, designer)
    request = _ask(dispute, agent, days=4)
    due = ruling_due(reload(dispute))
    login(client, customer)
    extension = f"extended by 4 days for the evidence request of {request.asked_at.strftime('%Y-%m-%d')}"
    for url in (f"/disputes/{dispute.id}", f"/cases/{case.reference}"):  # the dispute and the case page alike
        page = client.get(url).get_data(as_text=True)
        assert f"Ruling due by {due.at.strftime('%Y-%m-%d %H:%M UTC')}" in page and extension in page, url


def test_only_a_resolution_agent_with_the_second_factor_asks_for_evidence(client):
    customer, designer, agent = people()
    _case, dispute = disputed(customer, designer)
    for actor in (customer, designer, make_user()):
        with pytest.raises(PermissionDenied):
            evidence_requests.request_evidence(dispute, actor=actor, party="designer", what=WHAT, due_days=3)
    agent.second_factor_passed = False  # signed in with the password only
    with pytest.raises(PermissionDenied):
        evidence_requests.request_evidence(dispute, actor=agent, party="designer", what=WHAT, due_days=3)
    agent.second_factor_passed = None
    for bad in ({"due_days": 0}, {"due_days": 15}, {"party": "agent"}, {"what": "short"}):
        with pytest.raises(DomainError):
            evidence_requests.request_evidence(
                dispute, actor=agent, **{"party": "designer", "what": WHAT, "due_days": 3, **bad}
            )
        db.session.rollback()
    staff = make_staff(StaffRole.resolution_agent)
    login(client, staff)  # password only: the back office asks for the code first
    response = client.post(
        f"/backoffice/resolution/{dispute.id}/evidence-requests",
        data={"evidence-request-party": "designer", "evidence-request-what": WHAT, "evidence-request-due_days": "5"},
    )
    assert response.status_code == 302 and "/second-factor" in response.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(EvidenceRequest.id))) == 0


def test_the_other_party_cannot_answer_a_request_addressed_to_someone_else(client):
    customer, designer, agent = people()
    _case, dispute = disputed(customer, designer)
    request = _ask(dispute, agent, party="designer")
    with pytest.raises(PermissionDenied):
        evidence_requests.answer_evidence_request(request, actor=customer, text=ANSWER_TEXT)
    db.session.rollback()
    with pytest.raises(NotFound):
        evidence_requests.answer_evidence_request(request, actor=make_user(), text=ANSWER_TEXT)
    db.session.rollback()
    login(client, customer)
    assert f'id="answer-request-{request.id}"' not in client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
    client.post(
        f"/disputes/{dispute.id}/evidence-requests/{request.id}/answer",
        data={f"request-{request.id}-text": ANSWER_TEXT, f"request-{request.id}-kind": "evidence"},
    )
    assert reload(request).answered_at is None
    _other_case, other_dispute = disputed(make_user(), make_user(client=False, designer=True))
    response = client.post(
        f"/disputes/{other_dispute.id}/evidence-requests/{request.id}/answer",
        data={f"request-{request.id}-text": ANSWER_TEXT},
    )
    assert response.status_code == 404
