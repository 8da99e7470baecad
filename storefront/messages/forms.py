"""Forms of the messages area: shape only; the rules are in messaging/operations.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from messaging.operations import MAX_BODY, REPORT_REASONS
from models.files import FileKind

ATTACHMENT_KINDS = [
    (FileKind.patient_scan.value, _l("Patient scans (intra-oral scans, DICOM): for the other party only")),
    (FileKind.design.value, _l("Designs, photos and documents")),
]


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[Optional(), Length(max=MAX_BODY)])
    files = MultipleFileField(_l("Attach files"))
    # The sender says what the files are: a scan stays a patient scan in the thread.
    kind = RadioField(_l("What are you attaching?"), choices=ATTACHMENT_KINDS, default=FileKind.patient_scan.value)

    @property
    def sends_patient_scans(self) -> bool:
        return self.kind.data != FileKind.design.value


class StartConversationForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[DataRequired(_l("Write your message.")), Length(max=MAX_BODY)])


class ReportForm(FlaskForm):
    reason = SelectField(_l("Reason"), choices=[(k, v) for k, v in REPORT_REASONS.items()], validators=[DataRequired()])
    note = TextAreaField(_l("What happened? (optional)"), validators=[Optional(), Length(max=2000)])
