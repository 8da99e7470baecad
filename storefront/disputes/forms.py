"""Dispute forms: they check shape (lengths, numbers); disputes.operations checks the rest."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, MultipleFileField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from disputes.rules import CLIENT_REASONS, REASON_LABELS
from storefront.form_fields import MoneyField

STATEMENT_MAX = 5000


class OpenDisputeForm(FlaskForm):
    reason = SelectField(
        _l("Reason"), choices=[(r.value, REASON_LABELS[r]) for r in CLIENT_REASONS], validators=[DataRequired()]
    )
    statement = TextAreaField(
        _l("Your statement"), validators=[DataRequired(), Length(min=20, max=STATEMENT_MAX)], render_kw={"rows": 8}
    )
    evidence = MultipleFileField(_l("Evidence files (photos, screenshots, reports)"))
    submit = SubmitField(_l("Open the dispute"))


class AnswerForm(FlaskForm):
    statement = TextAreaField(
        _l("Your answer"), validators=[DataRequired(), Length(min=20, max=STATEMENT_MAX)], render_kw={"rows": 8}
    )
    evidence = MultipleFileField(_l("Files supporting your answer"))
    submit = SubmitField(_l("Send my answer"))


class EvidenceForm(FlaskForm):
    evidence = MultipleFileField(_l("Add evidence files"), validators=[DataRequired()])
    submit = SubmitField(_l("Add the files"))


class EvidenceAnswerForm(FlaskForm):
    """The answer to one evidence request; prefixed with the request ("request-<id>") so that
    several on one page keep their own fields."""

    text = TextAreaField(
        _l("Your answer to this request"),
        validators=[DataRequired(), Length(min=10, max=STATEMENT_MAX)],
        render_kw={"rows": 5},
    )
    kind = RadioField(
        _l("What are you attaching?"),
        default="evidence",
        validators=[DataRequired()],
        choices=[
            ("evidence", _l("Designs, screenshots, photos or documents")),
            ("patient_scan", _l("Patient scans (intra-oral scans, DICOM)")),
        ],
    )
    evidence = MultipleFileField(_l("Files (optional)"))
    submit = SubmitField(_l("Send my answer to the resolution centre"))


class ProposalForm(FlaskForm):
    designer_amount = MoneyField(_l("Amount to the designer ($)"), validators=[InputRequired()])
    note = TextAreaField(
        _l("Note to the other party (optional)"), validators=[Optional(), Length(max=1000)], render_kw={"rows": 3}
    )
    submit = SubmitField(_l("Propose this settlement"))


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (accept, withdraw)."""

    submit = SubmitField(_l("Confirm"))


MESSAGE_PREFIX = "message"  # the fields are message-audience and message-body on the page


class DisputeMessageForm(FlaskForm):
    """A party's message in the dispute's conversation; the audiences offered are set per reader."""

    audience = SelectField(_l("Who reads it"), validators=[DataRequired()])
    body = TextAreaField(
        _l("Your message"), validators=[DataRequired(), Length(max=STATEMENT_MAX)], render_kw={"rows": 4}
    )
    submit = SubmitField(_l("Send the message"))


class AcceptSettlementForm(FlaskForm):
    """Accepting a proposal moves the money at once: the party confirms the amounts first."""

    confirmed = BooleanField(
        _l("I have read these amounts and accept this settlement"),
        validators=[DataRequired(_l("Tick the box to confirm these amounts. Nothing was changed."))],
    )
    submit = SubmitField(_l("Accept and settle"))
