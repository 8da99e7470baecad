"""The back office at /backoffice (Flask-Admin): staff only, actions through domain operations.

Three guards stand in front of every page: `backoffice.second_factor.guard_backoffice`
(404 for everyone but active staff; the TOTP second factor for staff), each view's
`is_accessible` (its staff roles; 404 otherwise), and the operations' own permission checks.
Flask-Admin's templates carry inline scripts: they get a per-response nonce, which app.py's
security headers add to the CSP, so `script-src 'self'` holds without 'unsafe-inline'.
"""

from __future__ import annotations

import secrets

from flask import Flask, g
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from backoffice import second_factor
from backoffice.appeals_views import AppealsView
from backoffice.accounts_views import AccountsView
from backoffice.audit_views import AuditLogView
from backoffice.chargebacks_views import register_card_dispute_views
from backoffice.disputes_views import register_dispute_views
from backoffice.figures_views import FiguresView
from backoffice.kyc_views import VerificationQueueView
from backoffice.macros_views import MacrosView
from backoffice.layout import check_menu_inputs, staff_menu, static_block
from backoffice.payouts_views import RefusedPayoutsView
from backoffice.post_queue import PostQueueView
from backoffice.queue_cells import claim_cell, due_cell, item_links, when_cell
from backoffice.queue_rows import post_rows, review_rows, ticket_rows, verification_rows, violation_rows
from backoffice.queues import ListingQueueView, ProfileQueueView
from backoffice.search_views import SearchView, may_search
from backoffice.support_views import SupportDeskView
from backoffice.views import DashboardView
from backoffice.violations_views import ViolationsView


def csp_nonce() -> str:
    """One nonce per response, shared by every inline script and style of the page."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def init_backoffice(app: Flask) -> Admin:
    app.register_blueprint(second_factor.bp)
    app.before_request(second_factor.guard_backoffice)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.jinja_env.globals["may_search_backoffice"] = may_search
    app.jinja_env.globals.update(staff_menu=staff_menu, static_block=static_block)
    app.jinja_env.globals.update(when_cell=when_cell, due_cell=due_cell, claim_cell=claim_cell, item_links=item_links)
    app.jinja_env.globals.update(
        review_rows=review_rows,
        post_rows=post_rows,
        verification_rows=verification_rows,
        violation_rows=violation_rows,
        ticket_rows=ticket_rows,
    )
    admin = Admin(
        app,
        name="Occlusa back office",
        url="/backoffice",
        index_view=DashboardView(url="/backoffice", endpoint="backoffice"),
        theme=Bootstrap4Theme(base_template="backoffice/layout.html", fluid=True),
        csp_nonce_generator=csp_nonce,
    )
    admin.add_view(ProfileQueueView())
    admin.add_view(ListingQueueView())
    admin.add_view(PostQueueView())
    admin.add_view(VerificationQueueView())
    admin.add_view(ViolationsView())
    admin.add_view(AppealsView())
    admin.add_view(SupportDeskView())
    admin.add_view(AccountsView())
    admin.add_view(SearchView())
    admin.add_view(AuditLogView())
    admin.add_view(MacrosView())
    admin.add_view(FiguresView())
    register_dispute_views(admin)
    register_card_dispute_views(app, admin)
    admin.add_view(RefusedPayoutsView())
    check_menu_inputs(admin)
    return admin
