"""The terms a designer offers: shape checked by the form, rules checked here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from errors import DomainError
from payments.fees import MINIMUM_ORDER_CENTS

OFFER_DAYS = 14  # an offer not accepted within this many days expires
MAX_CASES = 500
MAX_TERM_MONTHS = 36
MAX_NOTICE_DAYS = 90
MAX_START_DAYS = 90


@dataclass
class ContractTerms:
    """Copied onto the contract at offer time: what was agreed stays what was agreed."""

    title: str
    cases_per_month: int
    month_price_cents: int
    extra_case_cents: int
    turnaround_days: int
    starts_at: datetime
    term_months: int | None  # None: rolling
    notice_days: int
    auto_renew: bool = False
    rollover: bool = False
    revisions_included: int = 2
    currency: str = "usd"

    def offer_expires_at(self, now: datetime) -> datetime:
        return now + timedelta(days=OFFER_DAYS)


def _range(value: int, low: int, high: int, message, field: str) -> None:
    if not isinstance(value, int) or not low <= value <= high:
        raise DomainError(message, field=field)


def check_terms(terms: ContractTerms, now: datetime) -> None:
    """Raise DomainError (with the form field) for terms the platform does not accept."""
    terms.title = (terms.title or "").strip()
    if not 3 <= len(terms.title) <= 120:
        raise DomainError(_l("Name the service in 3 to 120 characters."), field="title")
    _range(terms.cases_per_month, 1, MAX_CASES, _l("Between 1 and 500 cases a month."), "cases_per_month")
    _range(
        terms.month_price_cents,
        MINIMUM_ORDER_CENTS,
        10_000_000,
        _l("The monthly price is at least $7."),
        "month_price",
    )
    if terms.month_price_cents // terms.cases_per_month < 1:
        raise DomainError(_l("The monthly price is too low for that many cases."), field="month_price")
    _range(
        terms.extra_case_cents,
        MINIMUM_ORDER_CENTS,
        1_000_000,
        _l("An extra case costs at least $7."),
        "extra_case_price",
    )
    _range(terms.turnaround_days, 1, 60, _l("Turnaround between 1 and 60 days."), "turnaround_days")
    _range(terms.revisions_included, 0, 10, _l("Between 0 and 10 revisions."), "revisions_included")
    _range(terms.notice_days, 0, MAX_NOTICE_DAYS, _l("A notice period of 0 to 90 days."), "notice_days")
    if terms.term_months is not None:
        _range(terms.term_months, 1, MAX_TERM_MONTHS, _l("A term of 1 to 36 months."), "term_months")
    elif terms.auto_renew:
        raise DomainError(_l("A rolling contract renews by itself every month."), field="auto_renew")
    if terms.starts_at.tzinfo is None:
        raise ValueError("naive start date")
    if terms.starts_at < now - timedelta(days=1) or terms.starts_at > now + timedelta(days=MAX_START_DAYS):
        raise DomainError(_l("The start date is between today and 90 days from now."), field="starts_on")
