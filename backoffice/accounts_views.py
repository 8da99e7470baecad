"""Accounts (moderators and admins): find a user, read the whole account on one page (sections in
backoffice.account_sections), warn, suspend, terminate, reinstate, log out everywhere, note;
admins also grant and revoke staff roles and reset a lost second factor."""

from __future__ import annotations

from datetime import timezone

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backoffice.account_sections import SECTIONS, account_sections, state_words
from backoffice.forms import NoteForm, ReasonForm, SuspendForm, WarningForm
from backoffice.views import StaffBaseView
from extensions import db
from models.accounts import StaffRole, User
from moderation import account_actions, permissions, second_factor, staff, suspension
from moderation.violations import REPORT_REASONS
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
            query = query.where(
                sa.or_(sa.func.lower(User.email).like(like), sa.func.lower(User.display_name).like(like))
            )
        page = db.paginate(
            query, page=request.args.get("page", 1, type=page_number), per_page=PER_PAGE, error_out=False
        )
        return self.render("backoffice/accounts/index.html", page=page, search=search)

    def _user(self, user_id: int) -> User:
        return db.session.get(User, user_id) or abort(404)

    @expose("/<int:user_id>")
    def detail(self, user_id: int):
        user = self._user(user_id)
        pages = {name: request.args.get(f"{name}_page", 1, type=page_number) for name in SECTIONS}
        return self.render(
            "backoffice/accounts/detail.html",
            user=user,
            **account_sections(user, viewer=current_user, pages=pages),
            words=state_words(),
            report_reasons=REPORT_REASONS,
            suspend_form=SuspendForm(),
            reason_form=ReasonForm(),
            note_form=NoteForm(),
            warning_form=WarningForm(),
            staff_roles=list(StaffRole),
            may_change_status=permissions.can_change_status_of(current_user, user),
            may_manage_staff=permissions.can_manage_staff(current_user),
            has_second_factor=second_factor.factor_of(user) is not None,
        )

    def _refused_form(self, form, back: str):
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(back)

    @expose("/<int:user_id>/warn", methods=["POST"])
    def warn(self, user_id: int):
        user, form = self._user(user_id), WarningForm()
        back = url_for(".detail", user_id=user_id)
        if not form.validate():
            return self._refused_form(form, back)
        return self.run_decision(
            lambda: account_actions.warn_account(user, actor=current_user, note=form.note.data),
            done=_("The warning is sent."),
            back=back,
        )

    @expose("/<int:user_id>/logout", methods=["POST"])
    def force_logout(self, user_id: int):
        user = self._user(user_id)
        return self.run_decision(
            lambda: account_actions.force_logout(user, actor=current_user, reason=request.form.get("reason", "")),
            done=_("The account is logged out everywhere."),
            back=url_for(".detail", user_id=user_id),
        )

    @expose("/<int:user_id>/notes", methods=["POST"])
    def add_note(self, user_id: int):
        user, form = self._user(user_id), NoteForm()
        back = url_for(".detail", user_id=user_id) + "#notes"
        if not form.validate():
            return self._refused_form(form, back)
        return self.run_decision(
            lambda: account_actions.add_staff_note(user, actor=current_user, text=form.text.data),
            done=_("The note is added."),
            back=back,
        )

    @expose("/<int:user_id>/suspend", methods=["POST"])
    def suspend(self, user_id: int):
        user, form = self._user(user_id), SuspendForm()
        back = url_for(".detail", user_id=user_id)
        if not form.validate():
            return self._refused_form(form, back)
        until = form.until.data.replace(tzinfo=timezone.utc) if form.until.data else None
        return self.run_decision(
            lambda: suspension.suspend_account(user, actor=current_user, reason=form.reason.data, until=until),
            done=_("The account is suspended."),
            back=back,
        )

    @expose("/<int:user_id>/terminate", methods=["POST"])
    def terminate(self, user_id: int):
        user = self._user(user_id)
        return self.run_decision(
            lambda: suspension.terminate_account(user, actor=current_user, reason=request.form.get("reason", "")),
            done=_("The account is closed."),
            back=url_for(".detail", user_id=user_id),
        )

    @expose("/<int:user_id>/reinstate", methods=["POST"])
    def reinstate(self, user_id: int):
        user = self._user(user_id)
        return self.run_decision(
            lambda: suspension.reinstate_account(user, actor=current_user, reason=request.form.get("reason", "")),
            done=_("The account is active again."),
            back=url_for(".detail", user_id=user_id),
        )

    def _roles_from_form(self) -> list[StaffRole]:
        values = request.form.getlist("roles")
        try:
            return [StaffRole(v) for v in values]
        except ValueError:
            abort(400)

    @expose("/<int:user_id>/roles/grant", methods=["POST"])
    def grant_roles(self, user_id: int):
        user, roles = self._user(user_id), self._roles_from_form()
        return self.run_decision(
            lambda: staff.grant_roles(user, roles, actor=current_user),
            done=_("Roles granted."),
            back=url_for(".detail", user_id=user_id),
        )

    @expose("/<int:user_id>/roles/revoke", methods=["POST"])
    def revoke_roles(self, user_id: int):
        user, roles = self._user(user_id), self._roles_from_form()
        return self.run_decision(
            lambda: staff.revoke_staff_roles(user, roles, actor=current_user),
            done=_("Roles revoked."),
            back=url_for(".detail", user_id=user_id),
        )

    @expose("/<int:user_id>/second-factor/reset", methods=["POST"])
    def reset_second_factor(self, user_id: int):
        user = self._user(user_id)
        return self.run_decision(
            lambda: second_factor.reset_second_factor(user, actor=current_user, reason=request.form.get("reason", "")),
            done=_("The second factor is reset: the account enrols again at its next back-office visit."),
            back=url_for(".detail", user_id=user_id),
        )
