"""Ordering a case: the order page (prescription, files, card hold) and the payment confirmation."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cases.ordering import (
    ORDER_FORM_EXPIRED,
    DesignerUnavailable,
    DuplicateClientCaseId,
    OrderAlreadyPlaced,
    confirm_order,
    is_order_token,
    new_order_token,
    order_with_token,
    place_order,
    terms_of,
)
from cases.prescription import ARCH_LABELS, QUADRANTS, RESTORATIONS
from errors import DomainError
from extensions import commit, db
from listings.pricing import public_tiers
from listings.visibility import can_order
from models.cases import Case, CaseOrder, OrderStatus
from models.files import FileKind
from models.listings import Listing
from payments.escrow import client_secret_of
from profiles import is_available
from screening.contact_filter import ContactDetailsRefused
from storefront.billing_gate import billing_details_first
from storefront.cases.forms import (
    OrderForm,
)
from storefront.contact_refusal import keep_refused_attempt
from storefront.files.posted import carried_files, form_files, uploaded_files
from storefront.form_errors import show_domain_error
from url_numbers import row_id
from storefront.cases.blueprint import bp


def _listing_or_404(listing_id: int | None):
    listing = db.session.get(Listing, listing_id) if listing_id else None
    if listing is None:
        abort(404)
    return listing


def _prescription_from(form: OrderForm) -> dict:
    teeth = {t: request.form.get(f"restoration_{t}") or "crown" for t in request.form.getlist("teeth")}
    return {
        "teeth": teeth,
        "arches": request.form.getlist("arches"),
        "material": form.material.data,
        "shade": form.shade.data,
        "parameters": {
            "cement_gap_um": form.cement_gap_um.data,
            "min_thickness_mm": form.min_thickness_mm.data,
            "contacts": form.contacts.data,
        },
    }


# -- ordering ----------------------------------------------------------------------------------
@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_case():
    listing = _listing_or_404(request.args.get("listing_id", type=row_id))
    if not can_order(listing, current_user):
        abort(404)
    gate = billing_details_first(
        "order",
        back_to=request.full_path if request.method == "GET" else url_for("cases.new_case", listing_id=listing.id),
    )
    if gate is not None:
        return gate
    terms = terms_of(listing)
    full = not is_available(listing.designer_id)
    confirmed_full = request.values.get("confirm_full") == "1" or request.form.get("accept_unavailable") == "1"
    if full and not confirmed_full:
        return render_template("cases/designer_full.html", listing=listing, terms=terms)
    # The page's one-time token is in its address, so the back button returns to the same order.
    token = request.args.get("order")
    if not is_order_token(token):
        if request.method == "POST":
            flash(str(ORDER_FORM_EXPIRED), "error")
        return redirect(url_for("cases.new_case", **{**request.args.to_dict(), "order": new_order_token()}), 303)
    form = OrderForm()
    refused, duplicate = None, None
    if form.validate_on_submit():
        try:
            # Scans and photos of a patient are patient data: deleted once the designer has them.
            attachments = uploaded_files() + form_files(form.attachments.name, FileKind.patient_scan)
            order, hold = place_order(
                listing,
                actor=current_user,
                order_token=token,
                prescription=_prescription_from(form),
                instructions=form.instructions.data,
                client_case_id=form.client_case_id.data,
                attachments=attachments,
                payment_method=form.card_number.data,
                accept_unavailable=confirmed_full,
                accept_duplicate=form.send_anyway.data,
            )
        except ContactDetailsRefused as exc:
            keep_refused_attempt(exc)
            refused = exc
        except DesignerUnavailable:
            db.session.rollback()
            return render_template("cases/designer_full.html", listing=listing, terms=terms)
        except OrderAlreadyPlaced as exc:
            db.session.rollback()
            return _placed_order(exc.order, listing)
        except DuplicateClientCaseId as exc:
            db.session.rollback()
            duplicate = exc.message
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            if order.case_id is None:
                return redirect(url_for("cases.confirm_payment", token=order.token))
            case = db.session.get(Case, order.case_id)
            flash(
                _(
                    "Your case %(ref)s was sent. The amount is held on your card until the designer accepts.",
                    ref=case.reference,
                ),
                "success",
            )
            return redirect(url_for("cases.show", reference=case.reference))
    tiers = [[t.min_quantity, t.unit_price_cents] for t in public_tiers(listing)]
    placed = order_with_token(token, actor=current_user)
    return render_template(
        "cases/new.html",
        form=form,
        listing=listing,
        terms=terms,
        tiers=tiers,
        refused=refused,
        duplicate=duplicate,
        quadrants=QUADRANTS,
        restorations=RESTORATIONS,
        placed_case=db.session.get(Case, placed.case_id) if placed and placed.case_id else None,
        arch_labels=ARCH_LABELS,
        chosen_teeth=set(request.form.getlist("teeth")),
        chosen_arches=set(request.form.getlist("arches")),
        confirmed_full=confirmed_full,
        sandbox=not current_app.config.get("STRIPE_SECRET_KEY"),
        carried=carried_files(),
        upload_limit=current_app.config["UPLOAD_LIMIT_BYTES"],
    )


def _placed_order(order: CaseOrder, listing):
    """The order page was submitted again: show what its first submission placed, hold nothing."""
    if order.status == OrderStatus.sent:
        case = db.session.get(Case, order.case_id)
        flash(
            _("This case was already sent as %(ref)s; nothing more was held on your card.", ref=case.reference), "info"
        )
        return redirect(url_for("cases.show", reference=case.reference))
    if order.status == OrderStatus.awaiting_payment:
        return redirect(url_for("cases.confirm_payment", token=order.token))
    flash(_("The payment of this order was declined, so it was not sent. Check it and try another card."), "error")
    return redirect(url_for("cases.new_case", listing_id=listing.id, order=new_order_token()))


@bp.route("/orders/<token>/payment", methods=["GET", "POST"])
@login_required
def confirm_payment(token: str):
    """Stripe: the browser confirms the hold in the Payment Element, then returns here."""
    order = db.session.scalar(sa.select(CaseOrder).where(CaseOrder.token == token))
    if order is None or order.client_id != current_user.id:
        abort(404)
    if request.method == "POST" or request.args.get("payment_intent") or order.status == OrderStatus.sent:
        try:
            case = confirm_order(order, actor=current_user)
        except DomainError as exc:
            commit()  # a declined order is recorded as such
            flash(exc.message, "error")
        else:
            commit()
            flash(_("Your case %(ref)s was sent.", ref=case.reference), "success")
            return redirect(url_for("cases.show", reference=case.reference))
    return render_template(
        "cases/confirm_payment.html",
        order=order,
        client_secret=client_secret_of(order),
        publishable_key=current_app.config.get("STRIPE_PUBLISHABLE_KEY"),
        return_url=url_for("cases.confirm_payment", token=token, _external=True),
    )
