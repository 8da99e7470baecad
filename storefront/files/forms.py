"""File transfer forms: they check shape; files/ checks the domain (limits, expiry, ownership)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import IntegerField, PasswordField, RadioField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from files.links import MAX_LINK_DAYS, MIN_PASSWORD_LENGTH
from models.files import FileKind

KIND_CHOICES = [
    (FileKind.patient_scan.value, _l("Patient data (intra-oral scans, DICOM): deleted once downloaded")),
    (FileKind.design.value, _l("Designs and other files: kept until the link expires")),
]


class TransferForm(FlaskForm):
    """A new transfer. With JavaScript the files arrive beforehand through the resumable
    upload API and only their ids come here (`file_id`, read by the view); without it they
    come in this form's `files` field."""

    files = MultipleFileField(_l("Files"))
    kind = RadioField(
        _l("What are you sending?"),
        choices=KIND_CHOICES,
        default=FileKind.patient_scan.value,
        validators=[DataRequired()],
    )
    days = IntegerField(
        _l("Link expires after (days)"),
        validators=[Optional(), NumberRange(min=1, max=MAX_LINK_DAYS)],
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_LINK_DAYS},
    )
    max_downloads = IntegerField(
        _l("Download limit per file"),
        validators=[Optional(), NumberRange(min=1, max=1000)],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    password = PasswordField(
        _l("Password (optional)"),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=128)],
        render_kw={"autocomplete": "new-password"},
    )


class LinkPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=128)], render_kw={"autocomplete": "current-password"}
    )


class ConfirmForm(FlaskForm):
    """A button that changes something (delete a link, a file): CSRF only."""
