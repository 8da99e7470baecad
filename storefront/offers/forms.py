"""The custom offer form: shape only; offers.operations checks the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from listings.rules import MAX_TIERS
from offers.operations import MAX_EXPIRY_DAYS, MAX_NOTE, MAX_REVISIONS, MAX_TURNAROUND_DAYS, MAX_UNITS, OfferTerms
from models.offers import OfferPricing
from storefront.form_fields import MoneyField
from storefront.listings.forms import TierForm


class OfferForm(FlaskForm):
    source_listing_id = SelectField(_l("Service"), coerce=int, validators=[DataRequired()])
    units = IntegerField(
        _l("Units or arches"), default=1, validators=[DataRequired(), NumberRange(min=1, max=MAX_UNITS)]
    )
    pricing = RadioField(
        _l("Price"),
        default=OfferPricing.total.value,
        choices=[
            (OfferPricing.total.value, _l("one total for these units")),
            (OfferPricing.tiers.value, _l("a price per unit, lower from a quantity on")),
        ],
    )
    total = MoneyField(_l("Total ($)"), validators=[Optional()], max_cents=100_000_000)
    tiers = FieldList(FormField(TierForm), min_entries=MAX_TIERS, max_entries=MAX_TIERS)
    turnaround_days = IntegerField(
        _l("Turnaround (days)"), default=2, validators=[DataRequired(), NumberRange(min=1, max=MAX_TURNAROUND_DAYS)]
    )
    revisions_included = IntegerField(
        _l("Revisions included"), default=2, validators=[InputRequired(), NumberRange(min=0, max=MAX_REVISIONS)]
    )
    expires_in_days = IntegerField(
        _l("Open for (days)"), default=7, validators=[DataRequired(), NumberRange(min=1, max=MAX_EXPIRY_DAYS)]
    )
    note = TextAreaField(_l("Note to the client (optional)"), validators=[Optional(), Length(max=MAX_NOTE)])

    def terms(self) -> OfferTerms:
        tiers = []
        for index, row in enumerate(self.tiers):
            price, quantity = row.form.price.data, row.form.min_quantity.data
            if price is None and not quantity:
                continue
            tiers.append(((quantity or (self.units.data if index == 0 else 0)) or 0, price or 0))
        pricing = OfferPricing(self.pricing.data)
        return OfferTerms(
            source_listing_id=self.source_listing_id.data,
            units=self.units.data,
            pricing=pricing,
            tiers=tiers,
            total_cents=self.total.data if pricing == OfferPricing.total else None,
            turnaround_days=self.turnaround_days.data,
            revisions_included=self.revisions_included.data,
            expires_in_days=self.expires_in_days.data,
            note=self.note.data or "",
        )
