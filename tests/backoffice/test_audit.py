"""The audit log: read-only, filterable by date range, exportable to CSV; staff roles are audited too."""

from __future__ import annotations

import csv as csv_module
import io
from datetime import datetime, timezone

import sqlalchemy as sa

from audit.trail import record_action
from extensions import commit, db
from models.accounts import StaffRole, User
from models.moderation import AuditEntry
from tests.backoffice.factories import make_staff, staff_login
from tests.factories import make_user


def test_date_range_filter_and_csv_export(app, client):
    user = make_user()
    old = record_action("demo.old", user, actor=None, reason="long ago")
    new = record_action("demo.new", user, actor=None, reason="today")
    commit()
    old.at = datetime(2024, 1, 10, 12, tzinfo=timezone.utc)
    commit()
    staff_login(client, make_staff(StaffRole.admin))
    page = client.get("/backoffice/audit-log/?since=2024-01-01&until=2024-01-31").get_data(as_text=True)
    assert "demo.old" in page and "demo.new" not in page
    csv = client.get("/backoffice/audit-log/export/csv/").get_data(as_text=True)
    assert "demo.old" in csv and "demo.new" in csv and "platform" in csv
    assert db.session.get(AuditEntry, new.id) is not None


def test_audit_rows_survive_delete_attempts(client):
    entry = record_action("demo.kept", make_user(), actor=None)
    commit()
    staff_login(client, make_staff(StaffRole.admin))
    client.post("/backoffice/audit-log/delete/", data={"id": str(entry.id)})
    client.post("/backoffice/audit-log/action/", data={"action": "delete", "rowid": [str(entry.id)]})
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "demo.kept"))
        == 1
    )


def test_admin_grants_and_revokes_staff_roles(client):
    admin = make_staff(StaffRole.admin)
    user = make_user()
    staff_login(client, admin)
    client.post(f"/backoffice/accounts/{user.id}/roles/grant", data={"roles": ["verifier"]})
    db.session.expire_all()
    assert db.session.get(User, user.id).staff_roles == {StaffRole.verifier}
    client.post(f"/backoffice/accounts/{user.id}/roles/revoke", data={"roles": ["verifier"]})
    db.session.expire_all()
    assert db.session.get(User, user.id).staff_roles == set()
    actions = db.session.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.actor_id == admin.id, AuditEntry.action.like("staff.roles%"))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["staff.roles_granted", "staff.roles_revoked"]


def test_moderators_cannot_manage_staff(client):
    user = make_user()
    staff_login(client, make_staff(StaffRole.moderator))
    assert "Grant roles" not in client.get(f"/backoffice/accounts/{user.id}").get_data(as_text=True)
    client.post(f"/backoffice/accounts/{user.id}/roles/grant", data={"roles": ["admin"]})
    db.session.expire_all()
    assert db.session.get(User, user.id).staff_roles == set()


def test_revoking_roles_closes_the_back_office_at_once(app, client):
    admin, verifier = make_staff(StaffRole.admin), make_staff(StaffRole.verifier)
    staff_login(client, verifier)
    assert client.get("/backoffice/verifications/").status_code == 200
    from moderation.staff import revoke_staff_roles

    revoke_staff_roles(verifier, [StaffRole.verifier], actor=admin)
    commit()
    assert client.get("/backoffice/verifications/").status_code == 404


def test_dashboard_shows_queues_and_decisions_by_name(client):
    moderator = make_staff(StaffRole.moderator, name="Maya Moderator")
    staff_login(client, moderator)
    record_action("violation.dismissed", moderator, actor=moderator)
    commit()
    page = client.get("/backoffice/").get_data(as_text=True)
    assert "Listings to review" in page and "Open violations" in page
    assert "Identity verifications" not in page  # the verifiers' queue is not a moderator's
    assert "Maya Moderator" in page


def test_the_csv_export_neutralises_formulas(client):
    user = make_user()
    record_action("demo.formula", user, actor=make_user(name="=1+1"), reason="-2+3+cmd|' /C calc'!A0")
    commit()
    staff_login(client, make_staff(StaffRole.admin))

    export = client.get("/backoffice/audit-log/export/csv/").get_data(as_text=True)

    row = next(r for r in csv_module.DictReader(io.StringIO(export)) if r["Action"] == "demo.formula")
    assert row["Who"] == "'=1+1" and row["Reason"] == "'-2+3+cmd|' /C calc'!A0"
