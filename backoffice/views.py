"""Back-office base views: role checked in is_accessible, read-only unless a view says otherwise."""
from __future__ import annotations

from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.form import SecureForm

from backoffice.permissions import hide, is_staff_with
from extensions import db
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


class DashboardView(StaffAccess, AdminIndexView):
    roles = tuple(StaffRole)

    @expose("/")
    def index(self):
        from backoffice.dashboard import dashboard_figures

        return self.render("backoffice/dashboard.html", figures=dashboard_figures())


class AuditLogView(StaffModelView):
    """The audit log: filterable and exportable, never editable or deletable."""

    roles = (StaffRole.admin, StaffRole.moderator, StaffRole.resolution_agent, StaffRole.verifier)
    can_export = True
    export_types = ["csv"]
    column_default_sort = ("at", True)
    column_list = ("at", "actor", "action", "object_type", "object_id", "reason", "before", "after")
    column_filters = ("action", "object_type", "object_id", "actor_id")
    column_searchable_list = ("action", "object_type", "object_id", "reason")

    def __init__(self):
        super().__init__(AuditEntry, db.session, name="Audit log", endpoint="audit_log", url="audit-log")


class StaffBaseView(StaffAccess, BaseView):
    """A custom back-office page (queues, decisions) guarded like the others."""
