"""The search form of "Find a designer" (a GET form: no CSRF, shareable URLs)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SearchField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from listings import taxonomy
from listings.search import SearchQuery
from storefront.form_fields import MoneyField


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional()])
    category = SelectField(_l("Category"), validators=[Optional()], validate_choice=False)
    subcategory = SelectField(_l("Subcategory"), validators=[Optional()], validate_choice=False)
    software = SelectField(_l("Software"), validators=[Optional()], validate_choice=False)
    min_price = MoneyField(_l("Min. price per unit ($)"), validators=[Optional()])
    max_price = MoneyField(_l("Max. price per unit ($)"), validators=[Optional()])
    turnaround = SelectField(
        _l("Turnaround"),
        validators=[Optional()],
        coerce=str,
        choices=[
            ("", _l("Any")),
            ("1", _l("1 day")),
            ("2", _l("2 days or less")),
            ("3", _l("3 days or less")),
            ("5", _l("5 days or less")),
            ("7", _l("7 days or less")),
        ],
    )
    rating = SelectField(
        _l("Minimum rating"),
        validators=[Optional()],
        choices=[("", _l("Any")), ("4", "★ 4+"), ("4.5", "★ 4.5+"), ("5", "★ 5")],
    )
    pro = BooleanField(_l("Pro"))
    verified = BooleanField(_l("Verified"))
    available = BooleanField(_l("Available now"))
    private = BooleanField(_l("Private (made for me)"))
    favourites = BooleanField(_l("Favourites"))
    sort = SelectField(
        _l("Sort by"),
        default="relevance",
        choices=[
            ("relevance", _l("Best match")),
            ("rating", _l("Rating")),
            ("price", _l("Price, lowest first")),
            ("turnaround", _l("Turnaround, fastest first")),
        ],
    )
    page = IntegerField(validators=[Optional(), NumberRange(min=1)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", _l("All categories"))] + taxonomy.category_choices()
        chosen = taxonomy.CATEGORIES.get(self.category.data or "")
        self.subcategory.choices = [("", _l("All subcategories"))] + (
            [(code, str(label)) for code, label in chosen[1].items()] if chosen else []
        )
        self.software.choices = [("", _l("Any software"))] + taxonomy.software_choices()

    def validate_max_price(self, field) -> None:
        low = None if self.min_price.errors else self.min_price.data
        if field.data is not None and low is not None and field.data < low:
            raise ValidationError(_l("The maximum price must be at least the minimum price."))

    def to_query(self) -> SearchQuery:
        """The query these (already validated) fields ask for; unknown codes and refused fields are ignored."""

        def valid(field):
            return None if field.errors else field.data

        category = self.category.data if self.category.data in taxonomy.CATEGORIES else None
        subcategory = (
            self.subcategory.data
            if category and taxonomy.is_subcategory(category, self.subcategory.data or "")
            else None
        )
        return SearchQuery(
            text=(self.q.data or "")[:200],
            category=category,
            subcategory=subcategory,
            software=self.software.data if self.software.data in taxonomy.SOFTWARE else None,
            min_price_cents=valid(self.min_price),
            max_price_cents=valid(self.max_price),
            max_turnaround_days=int(valid(self.turnaround)) if valid(self.turnaround) else None,
            min_rating=float(valid(self.rating)) if valid(self.rating) else None,
            pro=self.pro.data,
            verified=self.verified.data,
            available=self.available.data,
            private=self.private.data,
            favourites=self.favourites.data,
            sort=self.sort.data if self.sort.data in ("relevance", "rating", "price", "turnaround") else "relevance",
            page=valid(self.page) or 1,
        )
