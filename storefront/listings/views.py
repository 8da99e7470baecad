"""My listings: the designer's list, the editor, their own listing page and its actions."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from errors import DomainError
from extensions import commit, db
from listings import operations, pricing
from listings.permissions import can_design
from listings.rules import LISTING_REJECTION_REASONS
from listings.visibility import CONDITION_LABELS, missing_conditions
from models.listings import Listing, PricingUnit
from profiles.operations import profile_for
from screening.contact_filter import ContactDetailsRefused
from storefront.contact_refusal import keep_refused_attempt
from storefront.form_errors import show_domain_error
from storefront.listings.forms import ListingForm

bp = Blueprint("listings", __name__, url_prefix="/listings/mine")


def _designer():
    if not can_design(current_user):
        abort(404)


def _own(listing_id: int) -> Listing:
    _designer()
    listing = db.session.get(Listing, listing_id)
    if listing is None or listing.designer_id != current_user.id:
        abort(404)
    return listing


@bp.get("/")
@login_required
def mine():
    _designer()
    listings = db.session.scalars(
        sa.select(Listing).where(Listing.designer_id == current_user.id).order_by(Listing.updated_at.desc())
    ).all()
    profile = profile_for(current_user)
    offline = {listing.id: missing_conditions(listing, profile) for listing in listings}
    return render_template(
        "listings/mine.html", listings=listings, offline=offline, profile=profile, labels=CONDITION_LABELS
    )


def _draft(form: ListingForm) -> operations.ListingDraft:
    category, subcategory = form.category_pair()
    tiers = pricing.normalise_tiers(form.entered_tiers(), min_quantity=form.min_quantity.data, basis=form.basis.data)
    return operations.ListingDraft(
        title=form.title.data.strip(),
        category=category,
        subcategory=subcategory,
        description=form.description.data.strip(),
        software=form.software.data,
        revisions_included=form.revisions_included.data,
        turnaround_days=form.turnaround_days.data,
        unit=PricingUnit(form.unit.data),
        min_quantity=form.min_quantity.data,
        tiers=tiers,
    )


def _preview(form: ListingForm) -> tuple[list, str | None]:
    """The fee table for what the form holds, or why it cannot be computed."""
    try:
        tiers = pricing.normalise_tiers(
            form.entered_tiers(), min_quantity=form.min_quantity.data or 1, basis=form.basis.data
        )
    except DomainError as exc:
        return [], exc.message
    return pricing.fee_table(tiers, form.min_quantity.data or 1), None


def _editor(listing: Listing | None):
    form = ListingForm()
    if request.method == "GET" and listing is not None:
        form.process(obj=listing)
        form.subcategory.data = f"{listing.category}/{listing.subcategory}"
        form.unit.data = listing.unit.value
        for row, tier in zip(form.tiers, listing.tiers):
            row.form.min_quantity.data = tier.min_quantity
            row.form.price.data = tier.unit_price_cents
    refusal, tier_error = None, None
    existing_id = listing.id if listing is not None else None
    if form.validate_on_submit():
        try:
            draft = _draft(form)
            if listing is None:
                client = operations.private_client_named(form.private_client.data) if form.private_client.data else None
                listing = operations.create_listing(
                    current_user, actor=current_user, draft=draft, private_client=client
                )
            else:
                operations.update_listing(listing, actor=current_user, draft=draft)
            for upload in form.images.data or []:
                if upload and upload.filename:
                    operations.add_listing_image(listing, actor=current_user, raw=upload.read())
        except ContactDetailsRefused as exc:
            keep_refused_attempt(exc)
            refusal = exc
            listing = db.session.get(Listing, existing_id) if existing_id else None
        except DomainError as exc:
            db.session.rollback()
            if exc.field == "tiers":
                tier_error = exc.message
            else:
                show_domain_error(form, exc)
            listing = db.session.get(Listing, existing_id) if existing_id else None
        else:
            commit()
            flash(_("Saved. Send the listing for review when it is ready."), "success")
            return redirect(url_for("listings.show", listing_id=listing.id))
    rows, preview_error = _preview(form) if request.method == "POST" or listing else ([], None)
    return render_template(
        "listings/edit.html",
        form=form,
        listing=listing,
        refusal=refusal,
        tier_error=tier_error,
        rows=rows,
        preview_error=preview_error,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    _designer()
    return _editor(None)


@bp.route("/<int:listing_id>/edit", methods=["GET", "POST"])
@login_required
def edit(listing_id: int):
    return _editor(_own(listing_id))


@bp.post("/price-preview")
@login_required
def price_preview():
    """The fee table for the editor's current prices, computed here (the truth), shown live by JS."""
    _designer()
    form = ListingForm()
    rows, error = _preview(form)
    return jsonify(
        html=render_template("listings/_fee_table.html", rows=rows, preview_error=error, unit=form.unit.data)
    )


@bp.get("/<int:listing_id>")
@login_required
def show(listing_id: int):
    listing = _own(listing_id)
    profile = profile_for(current_user)
    missing = missing_conditions(listing, profile)
    return render_template(
        "listings/show.html",
        listing=listing,
        profile=profile,
        images=operations.listing_images(listing),
        missing=[CONDITION_LABELS[c] for c in missing],
        reasons=LISTING_REJECTION_REASONS,
        rows=pricing.fee_table(pricing.tiers_of(listing), listing.min_quantity) if listing.tiers else [],
    )


def _act(listing_id: int, action, done: str):
    listing = _own(listing_id)
    try:
        action(listing)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        commit()
        flash(done, "success")
    return redirect(url_for("listings.show", listing_id=listing_id))


@bp.post("/<int:listing_id>/submit")
@login_required
def submit(listing_id: int):
    return _act(
        listing_id,
        lambda item: operations.submit_listing(item, actor=current_user),
        _("Your listing is sent for review. We will e-mail you the decision."),
    )


@bp.post("/<int:listing_id>/pause")
@login_required
def pause(listing_id: int):
    return _act(
        listing_id,
        lambda item: operations.set_listing_paused(item, actor=current_user, paused=True),
        _("Your listing is paused: clients no longer see it."),
    )


@bp.post("/<int:listing_id>/resume")
@login_required
def resume(listing_id: int):
    return _act(
        listing_id,
        lambda item: operations.set_listing_paused(item, actor=current_user, paused=False),
        _("Your listing is published again."),
    )


@bp.post("/<int:listing_id>/images")
@login_required
def add_images(listing_id: int):
    uploads = [f for f in request.files.getlist("images") if f and f.filename]
    if not uploads:
        flash(_("Choose one or more images first."), "error")
        return redirect(url_for("listings.show", listing_id=listing_id))

    def add_all(listing):
        for upload in uploads:
            operations.add_listing_image(listing, actor=current_user, raw=upload.read())

    return _act(listing_id, add_all, _("Pictures added. Send the listing for review to publish them."))


@bp.post("/<int:listing_id>/images/<token>/remove")
@login_required
def remove_image(listing_id: int, token: str):
    return _act(
        listing_id,
        lambda item: operations.remove_listing_image(item, actor=current_user, token=token),
        _("The picture is removed."),
    )
