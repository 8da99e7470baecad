"""Back-office base views: role checked in is_accessible, read-only unless a view says otherwise."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable

import sqlalchemy as sa
from flask import flash, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView, expose
from flask_babel import gettext as _

from backoffice.dashboard import dashboard_figures
from backoffice.permissions import hide, is_staff_with
from errors import DomainError, NotFound
from extensions import commit, db
from models.accounts import StaffRole
from models.moderation import AuditEntry


# (endpoint, application root, arguments) → URL of a file the layout links (Flask-Admin's stylesheets
# and scripts): a dozen on every page, and url_for costs far more than the string. Bounded by the
# layout's own links (the templates name them; no request does).
_static_urls: dict[tuple, str] = {}


class StaffAccess:
    """Mixin: the staff roles that may use a view. Everyone else gets 404."""

    roles: tuple[StaffRole, ...] = (StaffRole.admin,)

    def is_accessible(self) -> bool:
        return is_staff_with(*self.roles)

    def inaccessible_callback(self, name, **kwargs):
        hide()

    def get_url(self, endpoint: str, **kwargs) -> str:
        """url_for, as Flask-Admin's templates ask it; a static file's URL is built once per root."""
        if not endpoint.endswith(".static"):
            return super().get_url(endpoint, **kwargs)
        key = (endpoint, request.script_root, tuple(sorted(kwargs.items())))
        url = _static_urls.get(key)
        if url is None:
            url = _static_urls[key] = super().get_url(endpoint, **kwargs)
        return url


class DashboardView(StaffAccess, AdminIndexView):
    roles = tuple(StaffRole)

    @expose("/")
    def index(self):
        return self.render("backoffice/dashboard.html", figures=dashboard_figures())


PAYMENT_MISMATCH = "payment.mismatch"  # written by payments.reconciliation


def payment_figures() -> list[dict]:
    """Dashboard: cases whose ledger and payment provider disagreed this week (audit log entries)."""
    week = datetime.now(timezone.utc) - timedelta(days=7)
    size, oldest = db.session.execute(
        sa.select(sa.func.count(sa.distinct(AuditEntry.object_id)), sa.func.min(AuditEntry.at)).where(
            AuditEntry.action == PAYMENT_MISMATCH, AuditEntry.at >= week
        )
    ).one()
    return [
        {
            "name": _("Payments to check against the provider"),
            "size": size,
            "oldest": oldest,
            "url": url_for("audit_log.index_view", action=PAYMENT_MISMATCH),
            "roles": (StaffRole.admin,),
        }
    ]


class StaffBaseView(StaffAccess, BaseView):
    """A custom back-office page (queues, decisions) guarded like the others."""

    def run_decision(
        self,
        decide: Callable[[], object],
        *,
        done: str | Callable[[object], tuple[str, str]],
        back: str | Callable[[], str],
        refused: str | None = None,
    ):
        """Call one domain operation, commit, and go back to `back` saying what happened
        (`back` may be a function, asked after the decision: the next item of a queue; `done` may
        be one too, given the operation's result, for an outcome that is kept but is not a success,
        returning the message and its category).

        A refusal (already decided, claimed by someone else, missing reason) changes nothing
        and is shown above the page at `refused` (default `back`); NotFound goes on to the 404.
        """
        try:
            result = decide()
        except NotFound:
            raise
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(refused or (back if isinstance(back, str) else url_for(".index_view")))
        target = back if isinstance(back, str) else back()
        commit()
        message, category = done(result) if callable(done) else (done, "success")
        flash(message, category)
        return redirect(target)
