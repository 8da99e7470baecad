"""The contract forms: shape only; contracts/ checks the rules."""

from __future__ import annotations

from datetime import datetime, time, timezone

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from contracts.terms import MAX_CASES, MAX_NOTICE_DAYS, MAX_TERM_MONTHS, ContractTerms
from storefront.form_fields import MoneyField


def _card_field():
    return StringField(
        _l("Card number"),
        validators=[Optional(), Length(max=23)],
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )


class ContractOfferForm(FlaskForm):
    title = StringField(_l("Service(s)"), validators=[DataRequired(), Length(min=3, max=120)])
    cases_per_month = IntegerField(
        _l("Cases per month"), default=20, validators=[DataRequired(), NumberRange(min=1, max=MAX_CASES)]
    )
    month_price = MoneyField(_l("Price per month ($)"), validators=[DataRequired()], max_cents=10_000_000)
    extra_case_price = MoneyField(_l("Price per extra case ($)"), validators=[DataRequired()], max_cents=1_000_000)
    turnaround_days = IntegerField(
        _l("Turnaround (days)"), default=2, validators=[DataRequired(), NumberRange(min=1, max=60)]
    )
    revisions_included = IntegerField(
        _l("Revisions included per case"), default=2, validators=[InputRequired(), NumberRange(min=0, max=10)]
    )
    starts_on = DateField(_l("Start date"), validators=[DataRequired()])
    duration = RadioField(
        _l("Duration"),
        default="rolling",
        choices=[("rolling", _l("rolling, month after month")), ("term", _l("a fixed term"))],
    )
    term_months = IntegerField(_l("Term (months)"), validators=[Optional(), NumberRange(min=1, max=MAX_TERM_MONTHS)])
    auto_renew = BooleanField(_l("Renew for another term unless notice is given"))
    notice_days = IntegerField(
        _l("Notice period (days)"), default=30, validators=[InputRequired(), NumberRange(min=0, max=MAX_NOTICE_DAYS)]
    )
    rollover = BooleanField(_l("Unused cases carry over to the next month"))

    def terms(self) -> ContractTerms:
        term = self.term_months.data if self.duration.data == "term" else None
        return ContractTerms(
            title=self.title.data,
            cases_per_month=self.cases_per_month.data,
            month_price_cents=self.month_price.data,
            extra_case_cents=self.extra_case_price.data,
            turnaround_days=self.turnaround_days.data,
            revisions_included=self.revisions_included.data,
            starts_at=datetime.combine(self.starts_on.data, time(0, 0), tzinfo=timezone.utc),
            term_months=term,
            auto_renew=bool(self.auto_renew.data) and term is not None,
            notice_days=self.notice_days.data,
            rollover=bool(self.rollover.data),
        )


class AcceptForm(FlaskForm):
    card_number = _card_field()


class CardForm(FlaskForm):
    card_number = _card_field()


class ActionForm(FlaskForm):
    """The buttons (decline, pause, notice …): a CSRF token only."""


class SendCaseForm(FlaskForm):
    instructions = TextAreaField(_l("Instructions"), validators=[DataRequired(), Length(max=5000)])
    client_case_id = StringField(_l("Your case ID"), validators=[Optional(), Length(max=64)])
    extra_confirmed = BooleanField(_l("Send it as an extra case at the contract's extra price"))
