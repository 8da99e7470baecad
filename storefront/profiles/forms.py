"""Designer profile forms: they check shape; profiles.operations checks the rules."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from listings.taxonomy import software_choices
from profiles.rules import LANGUAGES
from storefront.form_fields import Sent

_NOT_COUNTRIES = {"EU", "EZ", "QO", "UN", "ZZ", "XA", "XB", "XK"}


def country_choices() -> list[tuple[str, str]]:
    """Every country, named in the reader's language, sorted by name."""
    names = get_locale().territories
    countries = [
        (code, name) for code, name in names.items() if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]
    return [("", str(_l("Choose your country")))] + sorted(countries, key=lambda c: c[1])


def language_choices() -> list[tuple[str, str]]:
    """The languages a designer may list, named in the reader's language."""
    names = get_locale().languages
    return [(code, names.get(code, code).capitalize()) for code in LANGUAGES]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProfileForm(FlaskForm):
    real_name = StringField(_l("Real name"), validators=[Sent(), Length(max=120)])
    country = SelectField(_l("Country"), validators=[Optional()])
    tax_id = StringField(_l("Tax ID (VAT, PAN, national ID)"), validators=[Sent(), Length(max=40)])
    headline = StringField(_l("Headline"), validators=[Sent(), Length(max=120)])
    bio = TextAreaField(_l("Bio"), validators=[Sent(), Length(max=4000)])
    skills = StringField(_l("Skills and keywords"), validators=[Length(max=600)])
    software = MultiCheckboxField(_l("CAD software you use"), choices=software_choices(), validate_choice=True)
    languages = MultiCheckboxField(_l("Languages you work in"), validate_choice=True)
    experience = TextAreaField(_l("Experience"), validators=[Sent(), Length(max=4000)])
    education = TextAreaField(_l("Education"), validators=[Sent(), Length(max=4000)])
    photo = FileField(_l("Professional photo"))
    banner = FileField(_l("Banner"))
    portfolio = MultipleFileField(_l("Add portfolio images"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()
        self.languages.choices = language_choices()

    def skill_list(self) -> list[str]:
        return [s.strip() for s in (self.skills.data or "").split(",") if s.strip()]


class AvailabilityForm(FlaskForm):
    unavailable = BooleanField(_l("Unavailable for work"))
