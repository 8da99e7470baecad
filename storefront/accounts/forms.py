"""Account forms: they check shape; accounts.operations checks the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from passwords import MIN_LENGTH


def _new_password(label):
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(min=MIN_LENGTH, max=200, message=_l("Use at least %(n)d characters.", n=MIN_LENGTH)),
        ],
    )


class SignUpForm(FlaskForm):
    display_name = StringField(_l("Name shown to others"), validators=[DataRequired(), Length(max=80)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = _new_password(_l("Password"))
    role = RadioField(
        _l("I want to"),
        default="hire",
        choices=[
            ("hire", _l("Send cases to designers (lab, clinic, orthodontist)")),
            ("design", _l("Design cases for clients (CAD designer)")),
            ("both", _l("Both")),
        ],
        validators=[DataRequired()],
    )
    accept_terms = BooleanField(
        _l("I accept the terms, including the rule that all contact and payment stay on the platform"),
        validators=[DataRequired(message=_l("You must accept the terms to sign up."))],
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = _new_password(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = _new_password(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )


class ChangeEmailForm(FlaskForm):
    new_email = EmailField(
        _l("New e-mail"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class ChangeNameForm(FlaskForm):
    display_name = StringField(_l("Name shown to others"), validators=[DataRequired(), Length(max=80)])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    confirm = BooleanField(
        _l("I understand that closing my account cannot be undone"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class AppealForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    text = TextAreaField(_l("Why should the decision be changed?"), validators=[DataRequired(), Length(max=4000)])
