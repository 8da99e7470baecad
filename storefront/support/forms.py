"""Support desk forms: they check shape; support.operations checks the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from support.operations import SUBJECT_MAX, TEXT_MAX
from support.topics import TOPICS


class ContactForm(FlaskForm):
    topic = SelectField(_l("Topic"), choices=TOPICS, validators=[DataRequired()])
    related = SelectField(_l("Related case or payout (optional)"), choices=[], validate_choice=False)
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=SUBJECT_MAX)])
    text = TextAreaField(_l("Your message"), validators=[DataRequired(), Length(max=TEXT_MAX)])
    files = MultipleFileField(_l("Screenshots or papers (optional: pictures, PDF or text; never a patient scan)"))


class VisitorContactForm(FlaskForm):
    email = EmailField(
        _l("Your e-mail address"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    topic = SelectField(_l("Topic"), choices=TOPICS, validators=[DataRequired()])
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=SUBJECT_MAX)])
    text = TextAreaField(_l("Your message"), validators=[DataRequired(), Length(max=TEXT_MAX)])


class AnswerForm(FlaskForm):
    text = TextAreaField(_l("Your answer"), validators=[DataRequired(), Length(max=TEXT_MAX)])
    files = MultipleFileField(_l("Screenshots or papers (optional)"))
