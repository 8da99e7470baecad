"""Who answers each extension point (hooks.py): the one list, run by create_app().

A lower package calls the functions of a hook without importing the packages above it; this
top-floor module imports those packages and says, in order, which of their functions each hook
calls. To find who may read a case file, what the minute sweep runs or what a suspension does
to cases, read the hook's entry here.
"""

from __future__ import annotations

from flask import Flask

import hooks
from backoffice import (
    appeals_views,
    chargebacks_views,
    disputes_views,
    kyc_views,
    payouts_views,
    post_queue,
    queues,
    support_views,
    violations_views,
)
from backoffice import views as backoffice_views
from backoffice.figures import record_decision_days
from cases import permissions as case_permissions
from cases import sweeps as case_sweeps
from contracts import months as contract_months
from demo.accounts import seed_accounts
from demo.cases import seed_cases
from demo.catalogue import seed_catalogue
from demo.community import seed_community
from demo.contracts import seed_contracts
from demo.disputes import seed_disputes
from demo.messaging import seed_messaging
from demo.moderation import seed_moderation
from demo.payments import seed_payments
from disputes import deadlines as dispute_deadlines
from disputes.evidence_requests import flag_overdue_requests
from disputes.suspended_accounts import close_cases_of_suspended_account
from files import handover, links, uploads
from files import operations as file_operations
from listings.search import refresh_designer_entries
from messaging.attachments import can_read_message_file
from messaging.digest import send_due_digests
from messaging.mail import resend_unsent_mails
from moderation.kyc import abandon_stale_submissions
from offers.operations import expire_offers
from payments import refused_payouts
from payments.reconciliation import reconcile_payments
from privacy.exports import sweep_expired_exports
from profiles.operations import set_payouts_ready
from support.operations import drop_unconfirmed_tickets


def register_hooks(app: Flask) -> None:
    hooks.sweeps.register(
        app,
        file_operations.sweep_expired_files,
        handover.delete_received_files,
        links.sweep_expired_links,  # after the files: a link whose files are all gone ends
        uploads.sweep_stale_uploads,
        abandon_stale_submissions,
        case_sweeps.expire_requests,
        case_sweeps.auto_complete_delivered,
        dispute_deadlines.escalate_undelivered,
        expire_offers,
        contract_months.apply_due,  # monthly contracts: offers expire, months charged, paid out, ended
        case_sweeps.remind_due_soon,
        send_due_digests,
        resend_unsent_mails,
        dispute_deadlines.open_missing_disputes,
        dispute_deadlines.mark_unanswered,
        dispute_deadlines.escalate_near_limit,
        flag_overdue_requests,
        reconcile_payments,
        sweep_expired_exports,
        drop_unconfirmed_tickets,
        record_decision_days,  # the figures page's closed days, once each
    )
    hooks.file_read_rules.register(app, case_permissions.can_read_case_file, can_read_message_file)
    hooks.file_receive_rules.register(app, case_permissions.unaccepted_request_obstacle)
    hooks.conversation_read_rules.register(app, case_permissions.teammate_reads_case_thread)
    hooks.closing_checks.register(app, case_permissions.closing_obstacle)
    hooks.account_suspended.register(app, close_cases_of_suspended_account)
    hooks.profile_published.register(app, refresh_designer_entries)
    hooks.payouts_readiness_changed.register(
        app,
        set_payouts_ready,  # audited there, on the profile
        refused_payouts.payout_account_ready,
    )
    hooks.queue_figures.register(
        app,
        queues.queue_figures,
        post_queue.queue_figures,
        kyc_views.queue_figures,
        violations_views.queue_figures,
        appeals_views.queue_figures,
        support_views.queue_figures,
        disputes_views.queue_figures,
        chargebacks_views.queue_figures,
        payouts_views.queue_figures,
        backoffice_views.payment_figures,
    )
    hooks.demo_seeders.register(
        app,
        seed_accounts,
        seed_catalogue,
        seed_payments,
        seed_messaging,
        seed_moderation,
        seed_cases,
        seed_disputes,
        seed_community,
        seed_contracts,
    )
