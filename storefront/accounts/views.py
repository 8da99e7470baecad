"""Sign up, log in and out, confirm an address, reset a password, account settings."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from accounts import devices, operations
from accounts.tokens import TokenInvalid
from errors import DomainError
from listings.search import refresh_designer_entries
from extensions import commit, db, limiter
from screening.contact_filter import ContactDetailsRefused
from moderation import appeals
from storefront.accounts.forms import (
    AppealForm,
    ChangeEmailForm,
    ChangeNameForm,
    ChangePasswordForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SignUpForm,
)
from storefront.contact_refusal import keep_refused_attempt
from storefront.form_errors import show_domain_error
from storefront.legal.views import note_pending_terms
from storefront.next_page import next_page, referring_page

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _limit(name: str):
    return limiter.limit(lambda: current_app.config[name], methods=["POST"])


@bp.route("/signup", methods=["GET", "POST"])
@_limit("RATELIMIT_SIGNUP")
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = SignUpForm()
    refusal = None
    if form.validate_on_submit():
        try:
            operations.sign_up(
                email=form.email.data,
                password=form.password.data,
                display_name=form.display_name.data,
                hires=form.role.data in ("hire", "both"),
                designs=form.role.data in ("design", "both"),
                locale=session.get("lang"),
            )
        except ContactDetailsRefused as exc:
            keep_refused_attempt(exc)  # no account yet: nothing is recorded, the name is refused
            refusal = exc
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            # The same answer whether or not the address already had an account (its owner got
            # a mail instead): nobody learns from this page who is registered.
            flash(
                _(
                    "We sent a mail to %(email)s: follow its link to confirm your address, and log in.",
                    email=operations.normalise_email(form.email.data),
                ),
                "success",
            )
            return redirect(url_for("accounts.login"))
    return render_template("accounts/signup.html", form=form, refusal=refusal)


@bp.route("/login", methods=["GET", "POST"])
@_limit("RATELIMIT_LOGIN")
def login():
    if current_user.is_authenticated:
        return redirect(next_page(url_for("pages.home")))
    form = LoginForm()
    barred = False
    if form.validate_on_submit():
        try:
            user = operations.authenticate(form.email.data, form.password.data)
        except DomainError as exc:
            commit()  # an expired suspension lifted on the way is kept
            flash(exc.message, "error")
            barred = isinstance(exc, operations.AccountBarred)  # right password: the holder may appeal
        else:
            devices.record_sign_in(user, user_agent=request.headers.get("User-Agent"), address=request.remote_addr)
            commit()
            login_user(user, remember=form.remember.data)
            note_pending_terms(user)  # a new version of the terms is accepted before anything else
            if user.locale:
                session["lang"] = user.locale
            return redirect(next_page(url_for("pages.home")))
    return render_template("accounts/login.html", form=form, barred=barred)


@bp.route("/appeal", methods=["GET", "POST"])
@_limit("RATELIMIT_APPEAL")
def appeal():
    """A suspended or terminated account holder appeals once per decision, proving it by the password."""
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = AppealForm()
    refusal = None
    if form.validate_on_submit():
        try:
            appeals.file_appeal(email=form.email.data, password=form.password.data, text=form.text.data)
        except ContactDetailsRefused as exc:
            db.session.rollback()  # nothing to record against: the account is already barred
            refusal = exc
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            flash(
                _("Your appeal is filed. A moderator who did not take the decision reads it and answers by e-mail."),
                "success",
            )
            return redirect(url_for("accounts.login"))
    return render_template("accounts/appeal.html", form=form, refusal=refusal)


@bp.post("/logout")
@login_required
def logout():
    operations.end_sessions(current_user)
    commit()
    logout_user()
    flash(_("You are logged out on all your devices."), "info")
    return redirect(url_for("pages.home"))


@bp.get("/confirm/<token>")
def confirm_email(token: str):
    try:
        operations.confirm_email(token)
    except TokenInvalid as exc:
        db.session.rollback()
        flash(
            _("This confirmation link has expired. Log in and ask for a new one.")
            if exc.expired
            else _("This confirmation link is not valid."),
            "error",
        )
        return redirect(url_for("pages.home"))
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("pages.home"))
    commit()
    flash(_("Your e-mail address is confirmed."), "success")
    return redirect(url_for("accounts.settings") if current_user.is_authenticated else url_for("accounts.login"))


@bp.post("/confirm/resend")
@login_required
@_limit("RATELIMIT_RESET")
def resend_confirmation():
    if current_user.email_confirmed_at is None:
        operations.send_confirmation(current_user)
        commit()
    flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email), "info")
    return redirect(referring_page(url_for("pages.home")))


@bp.route("/password/forgot", methods=["GET", "POST"])
@_limit("RATELIMIT_RESET")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        operations.request_password_reset(form.email.data)
        commit()
        flash(_("If an account uses this address, a reset link is on its way. It works once, for two hours."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@_limit("RATELIMIT_RESET")
def reset_password(token: str):
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            operations.reset_password(token, form.password.data)
        except TokenInvalid as exc:
            db.session.rollback()
            flash(
                _("This reset link has expired. Ask for a new one.")
                if exc.expired
                else _("This reset link is not valid or was already used. Ask for a new one."),
                "error",
            )
            return redirect(url_for("accounts.forgot_password"))
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            logout_user()
            flash(_("Your password is changed. You can log in with it now."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    password_form = ChangePasswordForm(prefix="pw")
    email_form = ChangeEmailForm(prefix="em")
    delete_form = DeleteAccountForm(prefix="del")
    name_form = ChangeNameForm(prefix="nm", data={"display_name": current_user.display_name})
    refusal = None
    action = request.form.get("action")
    if request.method == "POST":
        form = {"password": password_form, "email": email_form, "delete": delete_form, "name": name_form}.get(action)
        if form is not None and form.validate_on_submit():
            try:
                if action == "name":
                    operations.change_display_name(current_user, name=form.display_name.data)
                    # Clients search designers by name: the catalogue rows carry it (accounts
                    # cannot call listings, which already calls accounts).
                    refresh_designer_entries(current_user.id)
                elif action == "password":
                    operations.change_password(
                        current_user, current_password=form.current_password.data, new_password=form.new_password.data
                    )
                elif action == "email":
                    operations.request_email_change(
                        current_user, new_email=form.new_email.data, password=form.password.data
                    )
                else:
                    operations.delete_account(current_user, password=form.password.data)
            except ContactDetailsRefused as exc:
                keep_refused_attempt(exc)
                refusal = exc
            except DomainError as exc:
                db.session.rollback()
                show_domain_error(form, exc)
            else:
                commit()
                if action == "name":
                    flash(_("Others now see you as %(name)s.", name=current_user.display_name), "success")
                elif action == "password":
                    # This session goes on under the new version, and stays remembered if it was.
                    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
                    login_user(current_user._get_current_object(), remember=remembered)
                    flash(_("Your password is changed. Your other sessions are logged out."), "success")
                elif action == "email":
                    flash(
                        _("Follow the link we sent to %(email)s to confirm the change.", email=form.new_email.data),
                        "info",
                    )
                else:
                    logout_user()
                    flash(_("Your account is closed. Thank you for working with us."), "info")
                    return redirect(url_for("pages.home"))
                return redirect(url_for("accounts.settings"))
    return render_template(
        "accounts/settings.html",
        password_form=password_form,
        email_form=email_form,
        delete_form=delete_form,
        name_form=name_form,
        refusal=refusal,
        obstacles=operations.closing_obstacles(current_user),
    )
