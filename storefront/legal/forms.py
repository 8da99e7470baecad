"""Legal forms: accepting a new version of the terms, asking for a data export."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired


class AcceptTermsForm(FlaskForm):
    accept = BooleanField(
        _l("I have read and accept these versions"),
        validators=[DataRequired(message=_l("Tick the box to accept, or log out."))],
    )


class ExportForm(FlaskForm):
    """Only the CSRF token: the button is the request."""
