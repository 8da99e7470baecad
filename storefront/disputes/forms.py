"""Dispute forms: they check shape (lengths, numbers); disputes.operations checks the rest."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, MultipleFileField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from disputes.rules import CLIENT_REASONS, REASON_LABELS

STATEMENT_MAX = 5000


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class OpenDisputeForm(FlaskForm):
    reason = SelectField(_l("Reason"), choices=[(r.value, REASON_LABELS[r]) for r in CLIENT_REASONS],
                         validators=[DataRequired()])
    statement = TextAreaField(_l("Your statement"), validators=[DataRequired(), Length(min=20, max=STATEMENT_MAX)],
                              render_kw={"rows": 8})
    evidence = MultipleFileField(_l("Evidence files (photos, screenshots, reports)"))
    submit = SubmitField(_l("Open the dispute"))


class AnswerForm(FlaskForm):
    statement = TextAreaField(_l("Your answer"), validators=[DataRequired(), Length(min=20, max=STATEMENT_MAX)],
                              render_kw={"rows": 8})
    evidence = MultipleFileField(_l("Files supporting your answer"))
    submit = SubmitField(_l("Send my answer"))


class EvidenceForm(FlaskForm):
    evidence = MultipleFileField(_l("Add evidence files"), validators=[DataRequired()])
    submit = SubmitField(_l("Add the files"))


class ProposalForm(FlaskForm):
    designer_amount = DecimalField(_l("Amount to the designer ($)"), places=2,
                                   validators=[InputRequired(), NumberRange(min=0)])
    note = TextAreaField(_l("Note to the other party (optional)"), validators=[Optional(), Length(max=1000)],
                         render_kw={"rows": 3})
    submit = SubmitField(_l("Propose this settlement"))


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (accept, withdraw)."""

    submit = SubmitField(_l("Confirm"))
