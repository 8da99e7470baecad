"""Payout onboarding form: it checks shape; payments.connect checks countries and the IBAN."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from payments.payout_countries import all_country_choices, supported_country_choices

OTHER_COUNTRY = "other"


class OnboardingForm(FlaskForm):
    business_type = RadioField(_l("I am paid as"), default="individual", choices=[
        ("individual", _l("An individual (freelance designer)")),
        ("company", _l("A company (design studio, lab)")),
    ], validators=[DataRequired()])
    country = SelectField(_l("Country of your bank account"), validators=[DataRequired()])
    residence_country = SelectField(_l("Country you live in"), validators=[Optional()])
    iban_provider = RadioField(_l("Euro account provider"), choices=[
        ("wise", "Wise"), ("payoneer", "Payoneer")], validators=[Optional()])
    iban = StringField(_l("Euro IBAN of that account"), validators=[Optional(), Length(max=50)],
                       render_kw={"autocomplete": "off", "spellcheck": "false"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choose a country")), *supported_country_choices(),
                                (OTHER_COUNTRY, _l("Another country: use a Wise or Payoneer euro IBAN"))]
        self.residence_country.choices = [("", _l("Choose a country")), *all_country_choices()]

    @property
    def uses_iban_route(self) -> bool:
        return self.country.data == OTHER_COUNTRY

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.uses_iban_route:
            required = _l("Required for the Wise or Payoneer route.")
            for name in ("residence_country", "iban_provider", "iban"):
                field = getattr(self, name)
                if not field.data:
                    field.errors = [*field.errors, required]
                    valid = False
        return valid
