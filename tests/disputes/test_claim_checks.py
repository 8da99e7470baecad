"""Claim checks: each rule marks the record that contradicts the claim, and only that record."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cases import process
from disputes import claim_checks, operations
from extensions import commit, db
from files.handover import record_download
from models.accounts import StaffRole
from models.cases import CaseFile, Delivery
from models.disputes import Dispute
from models.types import utcnow
from moderation.suspension import suspend_account
from tests.backoffice.factories import make_staff, staff_login
from tests.disputes.factories import ANSWER, STATEMENT, case_in_escrow, people, reload, stored, upload
from tests.factories import login


def rules_of(dispute, **kwargs) -> list[str]:
    return [f.rule for f in claim_checks.findings(reload(dispute), **kwargs)]


def open_on(case, client, reason="poor_quality", *, now=None, evidence=()):
    dispute = operations.open_dispute(
        case, actor=client, reason=reason, statement=STATEMENT, now=now, evidence=list(evidence)
    )
    commit()
    return dispute


def delivered_twice(client, designer):
    case = case_in_escrow(client, designer)
    process.request_revision(case, actor=client, note="Close the margin on 36, please.")
    process.deliver_case(case, actor=designer, note="Second design", files=[stored(designer, "v2.stl")])
    commit()
    return case


def client_downloads_last_delivery(case, client):
    delivery = db.session.scalar(
        sa.select(Delivery).where(Delivery.case_id == case.id).order_by(Delivery.number.desc())
    )
    file = db.session.scalar(sa.select(CaseFile).where(CaseFile.delivery_id == delivery.id)).file
    record_download(file, first_byte=0, bytes_sent=file.size, reader=client)
    commit()


def test_not_delivered_on_a_case_with_deliveries_is_a_contradiction(app):
    client, designer, _ = people()
    dispute = open_on(delivered_twice(client, designer), client, "not_delivered")
    found = claim_checks.findings(reload(dispute))
    assert found[0].rule == "not_delivered_with_deliveries" and found[0].severity == claim_checks.Severity.contradiction
    assert "2 deliveries, the last on" in str(found[0].text)
    # the same delivered case, disputed for its quality: no contradiction
    other = open_on(case_in_escrow(client, designer), client, "poor_quality")
    assert "not_delivered_with_deliveries" not in rules_of(other)
    # nothing delivered: the claim is true
    undelivered = open_on(case_in_escrow(client, designer, delivered=False), client, "not_delivered")
    assert rules_of(undelivered) == []


def test_a_dispute_after_downloading_the_last_delivery_without_a_revision(app):
    client, designer, _ = people()
    case = case_in_escrow(client, designer)
    client_downloads_last_delivery(case, client)
    dispute = open_on(case, client, "other")
    assert rules_of(dispute) == ["downloaded_without_revision"]
    # not downloaded: nothing to say
    assert rules_of(open_on(case_in_escrow(client, designer), client, "other")) == []
    # downloaded, then a revision asked for: the client did ask
    asked = case_in_escrow(client, designer)
    client_downloads_last_delivery(asked, client)
    process.request_revision(asked, actor=client, note="The contacts are too light.")
    commit()
    assert "downloaded_without_revision" not in rules_of(open_on(asked, client, "other"))


def test_a_suspended_party_is_flagged_and_the_dispute_waiting_on_them_is_a_contradiction(app):
    client, designer, _ = people()
    moderator = make_staff(StaffRole.moderator, StaffRole.admin)
    dispute = open_on(case_in_escrow(client, designer), client, "other")
    assert rules_of(dispute) == []
    suspend_account(designer, actor=moderator, reason="Contact details sent in the thread")
    commit()
    found = claim_checks.findings(reload(dispute))
    assert [f.rule for f in found] == ["party_suspended"]
    assert found[0].severity == claim_checks.Severity.blocking
    assert "designer's account is suspended" in str(found[0].text) and "waiting for their answer" in str(found[0].text)
    # a suspended client, once the designer has answered: flagged, nothing waits on them
    other_client, other_designer, _ = people()
    answered = open_on(case_in_escrow(other_client, other_designer), other_client, "other")
    operations.answer_dispute(answered, actor=other_designer, statement=ANSWER)
    commit()
    suspend_account(other_client, actor=moderator, reason="Payment fraud")
    commit()
    found = claim_checks.findings(reload(answered))
    assert [(f.rule, f.severity) for f in found] == [("party_suspended", claim_checks.Severity.attention)]
    assert "client's account is suspended" in str(found[0].text)


def test_a_quality_claim_without_a_revision_while_revisions_were_left(app):
    client, designer, _ = people()
    dispute = open_on(case_in_escrow(client, designer), client, "poor_quality")
    found = claim_checks.findings(reload(dispute))
    assert [f.rule for f in found] == ["quality_without_revision"]
    assert "2 revisions were left" in str(found[0].text)
    # the revision asked for on the last delivery: the claim follows a refused or ignored revision
    asked = case_in_escrow(client, designer)
    process.request_revision(asked, actor=client, note="The margin on 36 is open.")
    commit()
    assert rules_of(open_on(asked, client, "not_per_prescription")) == []
    # every revision used: nothing more could be asked
    used = case_in_escrow(client, designer)
    for n in range(2):
        process.request_revision(used, actor=client, note=f"Round {n}: close the margin.")
        process.deliver_case(used, actor=designer, note="Again", files=[stored(designer, f"v{n}.stl")])
    commit()
    assert rules_of(open_on(used, client, "poor_quality")) == []


def test_a_dispute_opened_after_the_automatic_completion_date(app):
    client, designer, _ = people()
    late = open_on(case_in_escrow(client, designer), client, "other", now=utcnow() + timedelta(days=31))
    found = claim_checks.findings(reload(late), now=utcnow() + timedelta(days=31))
    assert "opened_after_auto_complete" in [f.rule for f in found]
    assert (
        rules_of(
            open_on(case_in_escrow(client, designer), client, "other", now=utcnow() + timedelta(days=29)),
            now=utcnow() + timedelta(days=29),
        )
        == []
    )


def test_evidence_from_one_side_only_by_the_answer_deadline(app):
    client, designer, _ = people()
    dispute = open_on(case_in_escrow(client, designer), client, "other", evidence=[upload()])
    assert rules_of(dispute) == []  # the designer may still answer
    later = utcnow() + timedelta(days=6)
    found = claim_checks.findings(reload(dispute), now=later)
    assert [f.rule for f in found] == ["one_sided_evidence"] and "Only the client" in str(found[0].text)
    both = open_on(case_in_escrow(client, designer), client, "other", evidence=[upload()])
    operations.answer_dispute(both, actor=designer, statement=ANSWER, evidence=[upload("answer.png")])
    commit()
    assert rules_of(both, now=later) == []


def test_the_agent_sees_the_checks_on_the_dispute_and_a_badge_in_the_queue(client):
    customer, designer, _ = people()
    dispute = open_on(delivered_twice(customer, designer), customer, "not_delivered")
    quiet = open_on(case_in_escrow(customer, designer, delivered=False), customer, "not_delivered")
    staff_login(client, make_staff(StaffRole.resolution_agent))
    page = client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)
    assert 'id="claim-checks"' in page and 'data-claim-check="not_delivered_with_deliveries"' in page
    assert "The claim says nothing was delivered, but the case has 2 deliveries" in page
    assert 'id="claim-checks"' not in client.get(f"/backoffice/resolution/{quiet.id}").get_data(as_text=True)
    queue = client.get("/backoffice/resolution/").get_data(as_text=True)
    assert queue.count("data-claim-checks=") == 1 and "1 check" in queue


def test_the_open_dispute_form_warns_a_not_delivered_claim_on_a_delivered_case(client):
    customer, designer, _ = people()
    case = delivered_twice(customer, designer)
    last = db.session.scalar(sa.select(sa.func.max(Delivery.delivered_at)).where(Delivery.case_id == case.id))
    login(client, customer)
    page = client.get(f"/disputes/new/{case.id}").get_data(as_text=True)
    assert 'id="not-delivered-warning"' in page and 'data-shown-for-reason="not_delivered"' in page
    assert f"This case has 2 deliveries, the last on {last:%Y-%m-%d}" in page
    assert "The design does not follow the prescription" in page.split('id="not-delivered-warning"')[1]
    # a warning, not a refusal: the client may still say so
    response = client.post(f"/disputes/new/{case.id}", data={"reason": "not_delivered", "statement": STATEMENT})
    assert response.status_code == 302 and db.session.scalar(sa.select(sa.func.count(Dispute.id))) == 1
    undelivered = case_in_escrow(customer, designer, delivered=False)
    assert "not-delivered-warning" not in client.get(f"/disputes/new/{undelivered.id}").get_data(as_text=True)


def test_the_warning_speaks_french(client):
    customer, designer, _ = people()
    case = delivered_twice(customer, designer)
    login(client, customer)
    with client.session_transaction() as session:
        session["lang"] = "fr"
    page = client.get(f"/disputes/new/{case.id}").get_data(as_text=True)
    assert "Ce cas compte 2 livraisons, la dernière le" in page
