"""The listing editor: it checks shape; listings.operations and listings.pricing check the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import FieldList, Form, FormField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from listings import taxonomy
from listings.rules import MAX_TIERS
from storefront.form_fields import MoneyField
from storefront.profiles.forms import MultiCheckboxField


class TierForm(Form):
    min_quantity = IntegerField(_l("From quantity"), validators=[Optional(), NumberRange(min=1, max=10000)])
    price = MoneyField(_l("Price per unit ($)"), validators=[Optional()], max_cents=1_000_000)


class ListingForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=10, max=120)])
    subcategory = SelectField(_l("Category"), validators=[DataRequired()])
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=6000)])
    software = MultiCheckboxField(_l("Software used"), choices=taxonomy.software_choices(), validate_choice=True)
    revisions_included = IntegerField(
        _l("Revisions included"), default=2, validators=[InputRequired(), NumberRange(min=0, max=20)]
    )
    turnaround_days = IntegerField(
        _l("Turnaround (days)"), default=2, validators=[DataRequired(), NumberRange(min=1, max=60)]
    )
    unit = RadioField(_l("Price"), default="unit", choices=[("unit", _l("per unit / tooth")), ("arch", _l("per arch"))])
    min_quantity = IntegerField(
        _l("Minimum quantity"), default=1, validators=[DataRequired(), NumberRange(min=1, max=1000)]
    )
    basis = RadioField(
        _l("The prices I type are"),
        default="client",
        choices=[("client", _l("what the client pays")), ("earnings", _l("what I want to receive"))],
    )
    tiers = FieldList(FormField(TierForm), min_entries=MAX_TIERS, max_entries=MAX_TIERS)
    private_client = StringField(_l("Private listing for (optional)"), validators=[Optional(), Length(max=254)])
    images = MultipleFileField(_l("Add CAD design images"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.subcategory.choices = {
            str(label): [(f"{cat}/{sub}", str(sublabel)) for sub, sublabel in subs.items()]
            for cat, (label, subs) in taxonomy.CATEGORIES.items()
        }

    def category_pair(self) -> tuple[str, str]:
        category, _sep, subcategory = (self.subcategory.data or "").partition("/")
        return category, subcategory

    def entered_tiers(self) -> list[tuple[int, int]]:
        """[(from quantity, cents)] as typed; the first row's quantity is the minimum quantity."""
        rows = []
        for index, row in enumerate(self.tiers):
            price = row.form.price.data
            quantity = row.form.min_quantity.data or (self.min_quantity.data or 1 if index == 0 else None)
            if price is None and not row.form.min_quantity.data:
                continue
            rows.append((quantity or 0, price or 0))
        return rows
