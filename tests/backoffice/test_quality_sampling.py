"""Four-eyes quality sampling: a fixed share of each staff member's decisions, chosen from the audit
entry alone, goes to a second staff member who agrees or disagrees; agreement rate per decider."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from backoffice import quality
from errors import DomainError, NotFound
from extensions import commit, db
from models.accounts import StaffRole
from models.moderation import AuditEntry, QualityReview
from tests.backoffice.factories import make_staff, staff_login
from tests.backoffice.figure_history import NOW, entry


def _decisions(actor, count: int, action: str = "listing.approved") -> list[AuditEntry]:
    rows = [entry(action, "Listing", n, NOW, actor) for n in range(count)]
    commit()
    return rows


def _sampled(actor, wanted: int, action: str = "listing.approved") -> list[AuditEntry]:
    """Decisions by `actor` until `wanted` of them are sampled; the sampled ones."""
    found = []
    while len(found) < wanted:
        row = _decisions(actor, 1, action)[0]
        if quality.is_sampled(row.id):
            found.append(row)
    return found


def test_each_staff_members_share_is_the_configured_percent_and_sql_agrees_with_python(app):
    alice, bob = make_staff(StaffRole.moderator), make_staff(StaffRole.moderator)
    for _ in range(1000):
        entry("listing.approved", "Listing", 1, NOW, alice)
        entry("listing.rejected", "Listing", 1, NOW, bob)
    commit()
    in_sql = set(
        db.session.scalars(
            sa.select(AuditEntry.id).where(
                AuditEntry.action.in_(["listing.approved", "listing.rejected"]), quality.sampled()
            )
        )
    )
    decided = db.session.execute(
        sa.select(AuditEntry.id, AuditEntry.actor_id).where(
            AuditEntry.action.in_(["listing.approved", "listing.rejected"])
        )
    ).all()

    assert in_sql == {i for i, _a in decided if quality.is_sampled(i)}
    for person in (alice, bob):
        share = sum(1 for i, a in decided if a == person.id and i in in_sql) / 1000
        assert 0.04 <= share <= 0.06, share

    app.config["QUALITY_SAMPLE_PERCENT"] = 20
    try:
        wider = set(db.session.scalars(sa.select(AuditEntry.id).where(quality.sampled())))
    finally:
        app.config["QUALITY_SAMPLE_PERCENT"] = 5
    assert in_sql < wider and 0.18 <= len(wider & {i for i, _a in decided}) / 2000 <= 0.22


def test_sampling_is_the_same_decisions_every_time():
    assert [i for i in range(1, 200) if quality.is_sampled(i)] == [i for i in range(1, 200) if quality.is_sampled(i)]
    assert [i for i in range(1, 60) if quality.is_sampled(i, 5)] == [13, 34, 47]


def test_the_second_member_sees_others_sampled_decisions_never_their_own():
    alice, carol = make_staff(StaffRole.moderator), make_staff(StaffRole.moderator)
    alices = _sampled(alice, 2)
    carols = _sampled(carol, 1)

    total, waiting = quality.review_queue(carol)
    assert total == 2 and {e.id for e in waiting} == {e.id for e in alices}
    assert {e.id for e in quality.review_queue(alice)[1]} == {carols[0].id}
    with pytest.raises(DomainError):
        quality.review_decision(carols[0].id, reviewer=carol, agrees=True, note="")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QualityReview)) == 0


def test_a_decision_outside_the_sample_or_the_reviewers_area_cannot_be_reviewed():
    alice, carol = make_staff(StaffRole.moderator), make_staff(StaffRole.moderator)
    verifier = make_staff(StaffRole.verifier)
    unsampled = next(e for e in _decisions(alice, 5) if not quality.is_sampled(e.id))
    sampled = _sampled(alice, 1)[0]
    with pytest.raises(NotFound):
        quality.review_decision(unsampled.id, reviewer=carol, agrees=True, note="")
    with pytest.raises(NotFound):  # a listing decision is moderation's, not identity verification's
        quality.review_decision(sampled.id, reviewer=verifier, agrees=True, note="")


def test_disagreeing_needs_a_note_and_a_decision_is_reviewed_once():
    alice, carol, dan = (make_staff(StaffRole.moderator) for _ in range(3))
    decision = _sampled(alice, 1)[0]
    with pytest.raises(DomainError):
        quality.review_decision(decision.id, reviewer=carol, agrees=False, note="  ")
    quality.review_decision(decision.id, reviewer=carol, agrees=False, note="The photo shows a phone number.")
    commit()
    with pytest.raises(DomainError):
        quality.review_decision(decision.id, reviewer=dan, agrees=True, note="")
    assert quality.review_queue(dan)[0] == 0


def test_agreement_rate_per_staff_member_on_the_figures_page(client):
    alice, carol = make_staff(StaffRole.moderator, name="Alice Moderator"), make_staff(StaffRole.moderator)
    for n, decision in enumerate(_sampled(alice, 4)):
        quality.review_decision(decision.id, reviewer=carol, agrees=n < 3, note="" if n < 3 else "Too harsh.")
    commit()

    assert quality.agreement_rates(carol) == {alice.id: (4, 3)}
    staff_login(client, carol)
    html = client.get("/backoffice/figures/").get_data(as_text=True)
    row = html.split('id="agreement"')[1].split(f'<tr data-staff="{alice.id}">')[1].split("</tr>")[0]
    assert "Alice Moderator" in row and "75 %" in row


def test_a_review_through_the_page_is_recorded_and_audited(client):
    alice, carol = make_staff(StaffRole.moderator), make_staff(StaffRole.moderator)
    decision = _sampled(alice, 1)[0]
    staff_login(client, carol)
    assert f'id="sample-{decision.id}"' in client.get("/backoffice/figures/quality/").get_data(as_text=True)
    assert client.get(f"/backoffice/figures/quality/{decision.id}").status_code == 200

    refused = client.post(f"/backoffice/figures/quality/{decision.id}", data={"verdict": "disagree", "note": ""})
    assert refused.status_code == 302 and db.session.scalar(sa.select(sa.func.count()).select_from(QualityReview)) == 0

    response = client.post(f"/backoffice/figures/quality/{decision.id}", data={"verdict": "agree", "note": ""})

    assert response.status_code == 302
    db.session.expire_all()
    review = db.session.scalar(sa.select(QualityReview))
    assert (review.audit_entry_id, review.decider_id, review.reviewer_id, review.agrees) == (
        decision.id,
        alice.id,
        carol.id,
        True,
    )
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "quality.reviewed"))
    assert audit.actor_id == carol.id and audit.object_id == str(decision.id)
    assert f'id="sample-{decision.id}"' not in client.get("/backoffice/figures/quality/").get_data(as_text=True)


def test_the_decider_cannot_review_through_the_page(client):
    alice = make_staff(StaffRole.moderator)
    decision = _sampled(alice, 1)[0]
    staff_login(client, alice)
    page = client.get(f"/backoffice/figures/quality/{decision.id}").get_data(as_text=True)
    assert 'id="quality-review-form"' not in page
    client.post(f"/backoffice/figures/quality/{decision.id}", data={"verdict": "agree", "note": ""})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QualityReview)) == 0
