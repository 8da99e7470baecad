"""Forms of the back office's own pages (the admin's model forms use SecureForm)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=32)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RejectForm(FlaskForm):
    reasons = MultiCheckboxField(_l("Reasons"), validators=[DataRequired(_l("Choose at least one reason."))])
    note = TextAreaField(_l("Note to the owner"), validators=[Optional(), Length(max=2000)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class SuspendForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    until = DateTimeLocalField(
        _l("Suspended until (UTC, empty = until reinstated)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Note for staff"), validators=[DataRequired(), Length(max=4000)])


class WarningForm(FlaskForm):
    note = TextAreaField(_l("Warning the user reads"), validators=[DataRequired(), Length(max=2000)])


class QualityReviewForm(FlaskForm):
    verdict = RadioField(
        _l("Your verdict"),
        choices=[("agree", _l("I agree with this decision")), ("disagree", _l("I disagree with this decision"))],
        validators=[DataRequired(_l("Say whether you agree."))],
    )
    note = TextAreaField(_l("Note (required when you disagree)"), validators=[Optional(), Length(max=2000)])
