"""The back office at /backoffice (Flask-Admin): staff only, actions through domain operations."""
from __future__ import annotations

from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme


def init_backoffice(app: Flask) -> Admin:
    from backoffice.views import AuditLogView, DashboardView

    admin = Admin(app, name="Occlusa back office", url="/backoffice",
                  index_view=DashboardView(url="/backoffice", endpoint="backoffice"),
                  theme=Bootstrap4Theme(base_template="backoffice/layout.html", fluid=True))
    admin.add_view(AuditLogView())
    return admin
