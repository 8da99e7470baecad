"""Payout onboarding and billing details forms: they check shape; payments.connect and payments.billing
check countries, the IBAN, VAT numbers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from payments.payout_countries import all_country_choices, supported_country_choices

OTHER_COUNTRY = "other"


class OnboardingForm(FlaskForm):
    business_type = RadioField(
        _l("I am paid as"),
        default="individual",
        choices=[
            ("individual", _l("An individual (freelance designer)")),
            ("company", _l("A company (design studio, lab)")),
        ],
        validators=[DataRequired()],
    )
    country = SelectField(_l("Country of your bank account"), validators=[DataRequired()])
    residence_country = SelectField(_l("Country you live in"), validators=[Optional()])
    iban_provider = RadioField(
        _l("Euro account provider"), choices=[("wise", "Wise"), ("payoneer", "Payoneer")], validators=[Optional()]
    )
    iban = StringField(
        _l("Euro IBAN of that account"),
        validators=[Optional(), Length(max=50)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [
            ("", _l("Choose a country")),
            *supported_country_choices(),
            (OTHER_COUNTRY, _l("Another country: use a Wise or Payoneer euro IBAN")),
        ]
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


class BillingDetailsForm(FlaskForm):
    """Shape only: payments.billing checks the country, the VAT number's check digits and the tax ID."""

    legal_name = StringField(
        _l("Legal name"), validators=[DataRequired(), Length(max=200)], render_kw={"autocomplete": "organization"}
    )
    address = TextAreaField(
        _l("Street address"),
        validators=[DataRequired(), Length(max=300)],
        render_kw={"rows": 2, "autocomplete": "street-address"},
    )
    postal_code = StringField(
        _l("Postal code"), validators=[Optional(), Length(max=20)], render_kw={"autocomplete": "postal-code"}
    )
    city = StringField(
        _l("City"), validators=[DataRequired(), Length(max=100)], render_kw={"autocomplete": "address-level2"}
    )
    country = SelectField(_l("Country"), validators=[DataRequired()], render_kw={"autocomplete": "country"})
    vat_number = StringField(
        _l("VAT number (optional)"),
        validators=[Optional(), Length(max=30)],
        render_kw={"spellcheck": "false", "autocapitalize": "characters"},
    )
    tax_id = StringField(
        _l("Other tax ID (optional)"), validators=[Optional(), Length(max=40)], render_kw={"spellcheck": "false"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choose a country")), *all_country_choices()]
