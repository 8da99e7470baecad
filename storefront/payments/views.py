"""Settings > Payments (payout onboarding), Settings > Billing, Settings > Transactions, invoice PDFs,
Stripe webhooks."""

from __future__ import annotations

import logging
from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from errors import DomainError
from extensions import commit, csrf, db
from models.payments import BusinessType, IbanProvider
from payments import billing, connect, invoices, month_invoices, statements
from storefront.payments import webhooks
from payments.gateways.base import GatewayError
from payments.invoice_pdf import render_invoice_pdf
from payments.payout_countries import country_name
from storefront.form_errors import show_domain_error
from storefront.billing_gate import billing_details_first
from storefront.next_page import next_page
from storefront.payments.forms import BillingDetailsForm, OnboardingForm
from url_numbers import page_number

bp = Blueprint("payments", __name__)
log = logging.getLogger(__name__)


def _designer_only() -> None:
    if not current_user.is_designer:
        abort(404)


@bp.route("/settings/payments", methods=["GET", "POST"])
@login_required
def settings():
    _designer_only()
    account = connect.account_of(current_user)
    form = OnboardingForm()
    needs_billing = account is None and billing.billing_details_of(current_user) is None
    if needs_billing and request.method == "POST":
        return billing_details_first("payout", back_to=url_for("payments.settings"))
    if account is None and form.validate_on_submit():
        try:
            account = connect.start_onboarding(
                current_user,
                actor=current_user,
                business_type=BusinessType(form.business_type.data),
                country=form.residence_country.data if form.uses_iban_route else form.country.data,
                iban=form.iban.data if form.uses_iban_route else None,
                iban_provider=IbanProvider(form.iban_provider.data) if form.uses_iban_route else None,
            )
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        except GatewayError:
            db.session.rollback()
            flash(_("Stripe did not answer. Nothing was changed; please try again in a moment."), "error")
        else:
            commit()
            if account.payouts_ready:
                flash(_("Your payouts are set up: you will be paid on every completed case."), "success")
                return redirect(url_for("payments.settings"))
            return _to_stripe(account)
    return render_template(
        "payments/settings.html",
        account=account,
        form=form,
        country_name=country_name,
        stripe_enabled=connect.stripe_enabled(),
        needs_billing=needs_billing,
    )


@bp.route("/settings/billing", methods=["GET", "POST"])
@login_required
def billing_details():
    """Settings > Billing: the legal name, address and tax numbers printed on the user's invoices."""
    details = billing.billing_details_of(current_user)
    form = BillingDetailsForm(obj=details)
    if form.validate_on_submit():
        try:
            billing.save_billing_details(
                current_user,
                actor=current_user,
                legal_name=form.legal_name.data,
                address=form.address.data,
                postal_code=form.postal_code.data,
                city=form.city.data,
                country=form.country.data,
                vat_number=form.vat_number.data,
                tax_id=form.tax_id.data,
            )
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            flash(_("Your billing details are saved. Invoices issued from now on carry them."), "success")
            return redirect(next_page(url_for("payments.billing_details")))
    return render_template("payments/billing.html", form=form, details=details, coming_back=request.args.get("next"))


def _to_stripe(account):
    try:
        link = connect.onboarding_link(
            account,
            refresh_url=url_for("payments.onboarding_refresh", _external=True),
            return_url=url_for("payments.onboarding_return", _external=True),
        )
    except GatewayError:
        flash(_("Stripe did not answer. Please try again in a moment."), "error")
        return redirect(url_for("payments.settings"))
    return redirect(link)


@bp.post("/settings/payments/continue")
@login_required
def onboarding_continue():
    _designer_only()
    account = connect.account_of(current_user)
    if account is None:
        return redirect(url_for("payments.settings"))
    return _to_stripe(account)


@bp.get("/settings/payments/refresh")
@login_required
def onboarding_refresh():
    """Stripe sends the designer here when an onboarding link expired: give them a fresh one."""
    return onboarding_continue()


@bp.get("/settings/payments/return")
@login_required
def onboarding_return():
    """Back from Stripe's pages: ask Stripe where the account stands (the webhook may be later)."""
    _designer_only()
    account = connect.account_of(current_user)
    if account is not None:
        try:
            account = connect.refresh_account(account)
            commit()
        except GatewayError:
            db.session.rollback()
        if account.payouts_ready:
            flash(_("Your payouts are set up: you will be paid on every completed case."), "success")
        else:
            flash(_("Stripe still needs some information before it can pay you."), "warning")
    return redirect(url_for("payments.settings"))


@bp.get("/settings/transactions")
@login_required
def transactions():
    page = request.args.get("page", 1, type=page_number)
    rows, pages = statements.transactions_of(current_user, page=page)
    return render_template(
        "payments/transactions.html",
        transactions=rows,
        pages=pages,
        totals=statements.totals_of(current_user),
        invoiced_months=month_invoices.months_invoiced_to(current_user) if page == 1 else [],
    )


@bp.get("/settings/transactions.csv")
@login_required
def transactions_csv():
    return Response(
        statements.transactions_csv(current_user),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="occlusa-transactions.csv"'},
    )


@bp.get("/invoices/<int:invoice_id>.pdf")
@login_required
def invoice_pdf(invoice_id: int):
    invoice = invoices.invoice_for(invoice_id, viewer=current_user)
    # Drawn again from the frozen invoice in the reader's language and number conventions.
    pdf = render_invoice_pdf(invoice, locale=str(get_locale() or "en"))
    name = "credit-note" if invoice.is_credit_note else "invoice"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}-{invoice.display_number}.pdf"'},
    )


@bp.post("/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    """Stripe's deliveries: 400 for anything not signed by Stripe just now, 200 once stored and
    processed (or already processed), 500 when processing failed so that Stripe retries."""
    payload = request.get_data()
    try:
        event = webhooks.verify(payload, request.headers.get("Stripe-Signature"))
    except webhooks.InvalidWebhook as exc:
        log.warning("refused webhook: %s", exc)
        return jsonify(error="invalid signature"), 400
    stored = webhooks.record_event(event)
    if stored is None:
        commit()
        return jsonify(received=True, duplicate=True)
    try:
        webhooks.process_event(stored)
        commit()
    except Exception as exc:  # kept on the event and retried by Stripe
        db.session.rollback()
        log.exception("webhook %s (%s) failed", event["id"], event["type"])
        webhooks.record_failure(event, repr(exc))
        commit()
        return jsonify(error="processing failed"), 500
    return jsonify(received=True)
