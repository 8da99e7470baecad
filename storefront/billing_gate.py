"""Billing details before the first order or payout set-up: invoices need to know who the parties are."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from payments.billing import billing_details_of

REASONS = {
    "order": _l("Before your first order, tell us who to invoice: your invoices carry these billing details."),
    "payout": _l("Before you set up payouts, give the billing details your invoices to clients will carry."),
}


def billing_details_first(reason: str, *, back_to: str):
    """A redirect to Settings > Billing (coming back to `back_to`, a path of ours) when the signed-in
    user has no billing details yet; None when they have them."""
    if billing_details_of(current_user) is not None:
        return None
    flash(str(REASONS[reason]), "info")
    return redirect(url_for("payments.billing_details", next=back_to))
