"""Settings > Team (create, invite, members, leave) and the invitation landing page.
Rules live in teams/; views translate them to pages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from errors import DomainError, NotFound
from extensions import commit, db
from models.teams import TeamRole
from models.types import utcnow
from storefront.form_errors import show_domain_error
from storefront.teams.forms import CreateTeamForm, InviteForm
from teams import operations

bp = Blueprint("teams", __name__)


def _page(create_form: CreateTeamForm | None = None, invite_form: InviteForm | None = None, status: int = 200):
    membership = operations.membership_of(current_user.id)
    org = membership.organisation if membership else None
    now = utcnow()
    return render_template(
        "teams/settings.html",
        membership=membership,
        organisation=org,
        is_owner=membership is not None and membership.role == TeamRole.owner,
        members=operations.members(org) if org else [],
        invitations=operations.pending_invitations(org, now) if org else [],
        create_form=create_form or CreateTeamForm(prefix="create"),
        invite_form=invite_form or InviteForm(prefix="invite"),
        button_form=FlaskForm(),
    ), status


@bp.get("/settings/team")
@login_required
def settings():
    return _page()


@bp.post("/settings/team")
@login_required
def create():
    form = CreateTeamForm(prefix="create")
    if form.validate_on_submit():
        try:
            operations.create_organisation(current_user, form.name.data)
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            flash(_("Your team is created. Invite the people you work with."), "success")
            return redirect(url_for("teams.settings"))
    return _page(create_form=form, status=422)


@bp.post("/settings/team/invitations")
@login_required
def invite():
    form = InviteForm(prefix="invite")
    if form.validate_on_submit():
        try:
            invitation = operations.invite(current_user, form.email.data, utcnow())
        except NotFound:
            db.session.rollback()
            abort(404)
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return redirect(url_for("teams.settings"))
    return _page(invite_form=form, status=422)


def _act(perform, done: str):
    """A button of the team page: checked CSRF, the operation, a flash, back to the page."""
    if not FlaskForm().validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return redirect(url_for("teams.settings"))
    try:
        perform()
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        commit()
        flash(done, "success")
    return redirect(url_for("teams.settings"))


@bp.post("/settings/team/invitations/<int:invitation_id>/revoke")
@login_required
def revoke(invitation_id: int):
    return _act(lambda: operations.revoke(current_user, invitation_id, utcnow()), _("Invitation revoked."))


@bp.post("/settings/team/members/<int:membership_id>/remove")
@login_required
def remove(membership_id: int):
    return _act(lambda: operations.remove_member(current_user, membership_id), _("Member removed from the team."))


@bp.post("/settings/team/members/<int:membership_id>/owner")
@login_required
def make_owner(membership_id: int):
    return _act(lambda: operations.make_owner(current_user, membership_id), _("This member is now an owner too."))


@bp.post("/settings/team/leave")
@login_required
def leave():
    return _act(lambda: operations.leave(current_user), _("You left the team."))


@bp.route("/team/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """The mailed link: shows the invitation; the signed-in account of the invited address accepts it."""
    try:
        invitation = operations.read_invitation(token)
    except NotFound:
        abort(404)
    now = utcnow()
    form = FlaskForm()
    if current_user.is_authenticated and form.validate_on_submit():
        try:
            operations.accept(current_user, invitation, now)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            commit()
            flash(_("Welcome to %(team)s.", team=invitation.organisation.name), "success")
            return redirect(url_for("teams.settings"))
    return render_template(
        "teams/invitation.html",
        invitation=invitation,
        token=token,
        form=form,
        open=invitation.is_pending(now),
        addressed_to_me=current_user.is_authenticated and current_user.email.lower() == invitation.email,
    )
