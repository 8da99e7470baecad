"""Every back-office POST route leaves an audit row: each is driven as the staff member who may use it.

The table below says which audit action each route must write, and which function of
audit_drivers.py drives it with a valid action. A route added to the back office without a line here (or in NOT_AUDITED, with the reason it
writes nothing) fails `test_every_back_office_post_route_is_in_the_table`. Pages that open private
content (a flagged thread, an identity document, a dispute's file) are written down on each opening too.
"""

from __future__ import annotations

from typing import Callable

import pytest
import sqlalchemy as sa

from extensions import db
from models.moderation import AuditEntry
from tests.backoffice import audit_drivers as drivers
from tests.backoffice import audit_drivers_community as community_drivers
from tests.backoffice import audit_drivers_resolution as resolution_drivers

# Routes that change nothing worth an entry, each with its reason.
NOT_AUDITED = {
    "profile_reviews.release": "leaving a claimed item hands back the lock; the profile does not change",
    "listing_reviews.release": "leaving a claimed item hands back the lock; the listing does not change",
    "post_reviews.release": "leaving a claimed item hands back the lock; the post does not change",
    "violations.release": "leaving a claimed item hands back the lock; the violation does not change",
    "resolution.release": "leaving a claimed dispute hands back the lock; the dispute does not change",
    **{
        f"{queue}.{route}": "taking an item locks it for its reviewer; the item does not change"
        for queue in ("profile_reviews", "listing_reviews", "post_reviews", "verifications", "violations")
        for route in ("take", "take_next")
    },
    "resolution.take": "taking a dispute locks it for its agent; the dispute does not change",
    "resolution.take_next": "taking the next dispute locks it for its agent; the dispute does not change",
    "support_desk.take": "taking a ticket locks it for its answerer; the ticket does not change",
    "support_desk.take_next": "taking a ticket locks it for its answerer; the ticket does not change",
    "support_desk.release": "leaving a claimed ticket hands back the lock; the ticket does not change",
}


# endpoint → (the audit action it must write, how to drive it)
AUDITED: dict[str, tuple[str, Callable]] = {
    "profile_reviews.approve": ("profile.approved", drivers.profile_approve),
    "profile_reviews.reject": ("profile.rejected", drivers.profile_reject),
    "profile_reviews.bulk_approve": ("profile.approved", drivers.profile_bulk_approve),
    "listing_reviews.approve": ("listing.approved", drivers.listing_approve),
    "listing_reviews.reject": ("listing.rejected", drivers.listing_reject),
    "listing_reviews.bulk_approve": ("listing.approved", drivers.listing_bulk_approve),
    "verifications.approve": ("verification.approved", drivers.verification_approve),
    "verifications.reject": ("verification.rejected", drivers.verification_reject),
    "violations.dismiss": ("violation.dismissed", drivers.violation_dismiss),
    "violations.warn": ("violation.warned", drivers.violation_warn),
    "violations.suspend": ("violation.suspended", drivers.violation_suspend),
    "violations.dismiss_group": ("violation.dismissed", drivers.violation_group_dismiss),
    "violations.warn_group": ("violation.warned", drivers.violation_group_warn),
    "appeals.uphold": ("appeal.upheld", drivers.appeal_uphold),
    "appeals.reinstate": ("appeal.reinstated", drivers.appeal_reinstate),
    "profile_reviews.assign": ("profile.assigned", drivers.profile_assign),
    "listing_reviews.assign": ("listing.assigned", drivers.listing_assign),
    "verifications.assign": ("verification.assigned", drivers.verification_assign),
    "violations.assign": ("violation.assigned", drivers.violation_assign),
    "resolution.assign": ("dispute.assigned", drivers.dispute_assign),
    "staff_accounts.suspend": ("account.suspended", drivers.account_suspend),
    "staff_accounts.terminate": ("account.terminated", drivers.account_terminate),
    "staff_accounts.reinstate": ("account.reinstated", drivers.account_reinstate),
    "staff_accounts.warn": ("account.warned", drivers.account_warn),
    "staff_accounts.force_logout": ("account.sessions_ended", drivers.account_force_logout),
    "staff_accounts.add_note": ("account.note_added", drivers.account_add_note),
    "staff_accounts.grant_roles": ("staff.roles_granted", drivers.roles_grant),
    "staff_accounts.revoke_roles": ("staff.roles_revoked", drivers.roles_revoke),
    "staff_accounts.reset_second_factor": ("staff.second_factor_reset", drivers.second_factor_reset),
    "resolution.rule": ("dispute.ruled", resolution_drivers.dispute_rule),
    "resolution.post_message": ("dispute.message", resolution_drivers.dispute_message),
    "resolution.request_evidence": ("dispute.evidence_requested", resolution_drivers.dispute_request_evidence),
    "resolution.approve_draft": ("dispute.ruling_approved", resolution_drivers.draft_approve),
    "resolution.send_back_draft": ("dispute.ruling_sent_back", resolution_drivers.draft_send_back),
    "resolution.withdraw_draft": ("dispute.ruling_draft_withdrawn", resolution_drivers.draft_withdraw),
    "backoffice_auth.verify": ("staff.recovery_code_used", drivers.second_factor_with_recovery_code),
    "backoffice_auth.enrol": ("staff.second_factor_enrolled", drivers.second_factor_enrol),
    "macros.new": ("macro.created", drivers.macro_new),
    "macros.edit": ("macro.updated", drivers.macro_edit),
    "macros.retire": ("macro.retired", drivers.macro_retire),
    "figures.review": ("quality.reviewed", drivers.quality_review),
    "support_desk.answer": ("ticket.replied", drivers.ticket_answer),
    "support_desk.solve": ("ticket.solved", drivers.ticket_solve),
    "support_desk.assign": ("ticket.assigned", drivers.ticket_assign),
    "post_reviews.approve": ("post.approved", community_drivers.post_approve),
    "post_reviews.reject": ("post.rejected", community_drivers.post_reject),
    "post_reviews.take_down": ("post.taken_down", community_drivers.post_take_down),
    "post_reviews.assign": ("post.assigned", community_drivers.post_assign),
    "refused_payouts.ask_again": ("payment.payout_asked_again", resolution_drivers.refused_payout_ask_again),
}


OPENINGS: dict[str, tuple[str, Callable]] = {
    "violations.detail": ("violation.read", drivers.open_violation),
    "verifications.document": ("verification.document_opened", drivers.open_identity_document),
    "resolution.download": ("dispute.file_read", resolution_drivers.open_dispute_file),
    "support_desk.attachment": ("ticket.file_read", drivers.open_ticket_file),
}


def back_office_post_endpoints(app) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/backoffice") and "POST" in rule.methods
    }


def test_every_back_office_post_route_is_in_the_table(app):
    routes = back_office_post_endpoints(app)
    missing = routes - set(AUDITED) - set(NOT_AUDITED)
    assert not missing, f"POST routes with no line in the audit coverage table: {sorted(missing)}"
    assert not (set(AUDITED) | set(NOT_AUDITED)) - routes, "the table names routes that no longer exist"
    assert not set(AUDITED) & set(NOT_AUDITED)


@pytest.mark.parametrize("endpoint", sorted(AUDITED) + sorted(OPENINGS))
def test_each_back_office_post_route_and_each_opening_writes_an_audit_row(app, client, request_context, endpoint):
    action, drive = AUDITED.get(endpoint) or OPENINGS[endpoint]
    post = drive(app, client)
    last = db.session.scalar(sa.select(sa.func.max(AuditEntry.id))) or 0

    response = client.open(post.url, method=post.method.upper(), data=post.data)

    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
    db.session.expire_all()
    written = db.session.execute(sa.select(AuditEntry.action, AuditEntry.actor_id).where(AuditEntry.id > last)).all()
    assert (action, post.staff.id) in written, (endpoint, written)
