"""Back-office base views: role checked in is_accessible, read-only unless a view says otherwise."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable

import sqlalchemy as sa
from flask import Response, flash, redirect, stream_with_context, url_for
from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import DateTimeBetweenFilter
from flask_admin.form import SecureForm
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.utils import secure_filename

from backoffice.permissions import hide, is_staff_with
from csv_export import CsvWriter
from errors import DomainError, NotFound
from extensions import commit, db
from models.accounts import StaffRole
from models.moderation import AuditEntry


class StaffAccess:
    """Mixin: the staff roles that may use a view. Everyone else gets 404."""

    roles: tuple[StaffRole, ...] = (StaffRole.admin,)

    def is_accessible(self) -> bool:
        return is_staff_with(*self.roles)

    def inaccessible_callback(self, name, **kwargs):
        hide()


class StaffModelView(StaffAccess, ModelView):
    """A read-only list of rows; state changes go through domain operations, never row edits."""

    form_base_class = SecureForm
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True
    page_size = 50
    list_template = "backoffice/model_list.html"
    extra_js = ["/static/js/backoffice.js"]
    export_types = ["csv"]

    def _export_csv(self, return_url):
        """Flask-Admin's CSV export, written through the one writer that neutralises formulas."""
        _count, rows = self._export_data()
        writer = CsvWriter(_Echo())
        columns = self._export_columns

        def generate():
            yield writer.writerow(label for _name, label in columns)
            for row in rows:
                yield writer.writerow(self.get_export_value(row, name) for name, _label in columns)

        filename = secure_filename(self.get_export_name(export_type="csv"))
        return Response(stream_with_context(generate()), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment;filename={filename}"})


class _Echo:
    """A file whose write hands the line back, so that the export streams row by row."""

    def write(self, line: str) -> str:
        return line


class DashboardView(StaffAccess, AdminIndexView):
    roles = tuple(StaffRole)

    @expose("/")
    def index(self):
        from backoffice.dashboard import dashboard_figures

        return self.render("backoffice/dashboard.html", figures=dashboard_figures())


class UTCBetweenFilter(DateTimeBetweenFilter):
    """"Between" on a UTCDateTime column: the picker's naive times are read as UTC."""

    def clean(self, value: str):
        return [moment.replace(tzinfo=timezone.utc) for moment in super().clean(value)]


class AuditLogView(StaffModelView):
    """The audit log: filterable (date range, action, object, actor) and exportable, never editable."""

    roles = (StaffRole.admin, StaffRole.moderator, StaffRole.resolution_agent, StaffRole.verifier)
    can_export = True
    export_types = ["csv"]
    action_disallowed_list = ["delete"]
    column_default_sort = ("at", True)
    column_list = ("at", "actor", "action", "object_type", "object_id", "reason", "before", "after")
    column_labels = {"at": _l("When (UTC)"), "actor": _l("Who"), "action": _l("Action"),
                     "object_type": _l("Object"), "object_id": _l("Id"), "reason": _l("Reason"),
                     "before": _l("Before"), "after": _l("After")}
    column_formatters = {"actor": lambda v, c, m, n: m.actor.display_name if m.actor else "platform"}
    column_formatters_export = column_formatters
    column_filters = (UTCBetweenFilter(AuditEntry.at, _l("When (UTC)")), "action", "object_type", "object_id",
                      "actor_id")
    column_searchable_list = ("action", "object_type", "object_id", "reason")

    def __init__(self):
        super().__init__(AuditEntry, db, name=_l("Audit log"), endpoint="audit_log", url="audit-log")


PAYMENT_MISMATCH = "payment.mismatch"  # written by payments.reconciliation


def payment_figures() -> list[dict]:
    """Dashboard: cases whose ledger and payment provider disagreed this week (audit log entries)."""
    week = datetime.now(timezone.utc) - timedelta(days=7)
    size, oldest = db.session.execute(sa.select(sa.func.count(sa.distinct(AuditEntry.object_id)),
                                                sa.func.min(AuditEntry.at))
                                      .where(AuditEntry.action == PAYMENT_MISMATCH, AuditEntry.at >= week)).one()
    return [{"name": _("Payments to check against the provider"), "size": size, "oldest": oldest,
             "url": url_for("audit_log.index_view", search=PAYMENT_MISMATCH),
             "roles": (StaffRole.admin,)}]


class StaffBaseView(StaffAccess, BaseView):
    """A custom back-office page (queues, decisions) guarded like the others."""

    def run_decision(self, decide: Callable[[], object], *, done: str, back: str, refused: str | None = None):
        """Call one domain operation, commit, and go back to `back` saying what happened.

        A refusal (already decided, claimed by someone else, missing reason) changes nothing
        and is shown above the page at `refused` (default `back`); NotFound goes on to the 404.
        """
        try:
            decide()
        except NotFound:
            raise
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(refused or back)
        commit()
        flash(done, "success")
        return redirect(back)
