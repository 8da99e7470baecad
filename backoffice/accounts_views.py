"""Accounts (moderators and admins): find a user, read their history, suspend or reinstate;
admins also grant and revoke staff roles and reset a lost second factor."""
from __future__ import annotations

from datetime import timezone

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backoffice.forms import ReasonForm, SuspendForm
from backoffice.views import StaffBaseView
from extensions import db
from models.accounts import StaffRole, User
from models.moderation import AuditEntry, Violation
from moderation import permissions, second_factor, staff, suspension, violations
from moderation.audit_areas import visible_to
from url_numbers import page_number

PER_PAGE = 40


class AccountsView(StaffBaseView):
    roles = (StaffRole.moderator,)

    def __init__(self):
        super().__init__(name=_l("Accounts"), endpoint="staff_accounts", url="accounts")

    @expose("/")
    def index_view(self):
        search = request.args.get("q", "").strip()
        query = sa.select(User).order_by(User.created_at.desc())
        if search:
            like = f"%{search.lower()}%"
            query = query.where(sa.or_(sa.func.lower(User.email).like(like), sa.func.lower(User.display_name).like(like)))
        page = db.paginate(query, page=request.args.get("page", 1, type=page_number), per_page=PER_PAGE, error_out=False)
        return self.render("backoffice/accounts/index.html", page=page, search=search)

    def _user(self, user_id: int) -> User:
        return db.session.get(User, user_id) or abort(404)

    @expose("/<int:user_id>")
    def detail(self, user_id: int):
        user = self._user(user_id)
        history = db.session.scalars(sa.select(AuditEntry).where(
            sa.or_(sa.and_(AuditEntry.object_type == "User", AuditEntry.object_id == str(user.id)),
                   AuditEntry.actor_id == user.id), visible_to(current_user))
            .order_by(AuditEntry.at.desc()).limit(50)).all()
        user_violations = db.session.scalars(sa.select(Violation).where(Violation.user_id == user.id)
                                             .order_by(Violation.created_at.desc()).limit(50)).all()
        return self.render("backoffice/accounts/detail.html", user=user, history=history,
                           violations=user_violations, strikes=violations.strike_count(user.id),
                           suspend_form=SuspendForm(), reason_form=ReasonForm(), staff_roles=list(StaffRole),
                           may_change_status=permissions.can_change_status_of(current_user, user),
                           may_manage_staff=permissions.can_manage_staff(current_user),
                           has_second_factor=second_factor.factor_of(user) is not None)

    @expose("/<int:user_id>/suspend", methods=["POST"])
    def suspend(self, user_id: int):
        user, form = self._user(user_id), SuspendForm()
        back = url_for(".detail", user_id=user_id)
        if not form.validate():
            flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
            return redirect(back)
        until = form.until.data.replace(tzinfo=timezone.utc) if form.until.data else None
        return self.run_decision(lambda: suspension.suspend_account(user, actor=current_user, reason=form.reason.data,
                                                                    until=until),
                                 done=_("The account is suspended."), back=back)

    @expose("/<int:user_id>/terminate", methods=["POST"])
    def terminate(self, user_id: int):
        user = self._user(user_id)
        return self.run_decision(lambda: suspension.terminate_account(user, actor=current_user,
                                                                      reason=request.form.get("reason", "")),
                                 done=_("The account is closed."), back=url_for(".detail", user_id=user_id))

    @expose("/<int:user_id>/reinstate", methods=["POST"])
    def reinstate(self, user_id: int):
        user = self._user(user_id)
        return self.run_decision(lambda: suspension.reinstate_account(user, actor=current_user,
                                                                      reason=request.form.get("reason", "")),
                                 done=_("The account is active again."), back=url_for(".detail", user_id=user_id))

    def _roles_from_form(self) -> list[StaffRole]:
        values = request.form.getlist("roles")
        try:
            return [StaffRole(v) for v in values]
        except ValueError:
            abort(400)

    @expose("/<int:user_id>/roles/grant", methods=["POST"])
    def grant_roles(self, user_id: int):
        user, roles = self._user(user_id), self._roles_from_form()
        return self.run_decision(lambda: staff.grant_roles(user, roles, actor=current_user),
                                 done=_("Roles granted."), back=url_for(".detail", user_id=user_id))

    @expose("/<int:user_id>/roles/revoke", methods=["POST"])
    def revoke_roles(self, user_id: int):
        user, roles = self._user(user_id), self._roles_from_form()
        return self.run_decision(lambda: staff.revoke_staff_roles(user, roles, actor=current_user),
                                 done=_("Roles revoked."), back=url_for(".detail", user_id=user_id))

    @expose("/<int:user_id>/second-factor/reset", methods=["POST"])
    def reset_second_factor(self, user_id: int):
        user = self._user(user_id)
        return self.run_decision(lambda: second_factor.reset_second_factor(user, actor=current_user,
                                                                           reason=request.form.get("reason", "")),
                                 done=_("The second factor is reset: the account enrols again at its next "
                                               "back-office visit."), back=url_for(".detail", user_id=user_id))
