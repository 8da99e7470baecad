"""Help centre forms: they check shape; helpcentre.feedback stores the vote."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length


class VoteForm(FlaskForm):
    helpful = RadioField(
        _l("Was this article helpful?"), choices=[("yes", _l("Yes")), ("no", _l("No"))], validators=[DataRequired()]
    )
    comment = TextAreaField(_l("What was missing? (optional)"), validators=[Length(max=500)])
