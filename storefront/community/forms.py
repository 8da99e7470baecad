"""Community forms: they check shape; community.operations checks the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from community.operations import MAX_BODY, MAX_COMMENT
from listings import taxonomy
from moderation.violations import REPORT_REASONS
from storefront.profiles.forms import MultiCheckboxField


class PostForm(FlaskForm):
    body = TextAreaField(_l("What did you design?"), validators=[DataRequired(), Length(max=MAX_BODY)])
    categories = MultiCheckboxField(_l("Categories"), validate_choice=True)
    software = MultiCheckboxField(_l("Software"), choices=taxonomy.software_choices(), validate_choice=True)
    pictures = MultipleFileField(_l("Pictures (JPEG, PNG or WebP)"))
    model = FileField(_l("3D model of your design (STL, PLY or OBJ, optional)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels in the reader's language, so built per request.
        self.categories.choices = taxonomy.category_choices()


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[DataRequired(), Length(max=MAX_COMMENT)])


class ReportForm(FlaskForm):
    reason = SelectField(_l("Reason"), choices=list(REPORT_REASONS.items()), validators=[DataRequired()])
    note = TextAreaField(_l("What is wrong? (optional)"), validators=[Optional(), Length(max=2000)])
