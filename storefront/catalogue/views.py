"""Find a designer, the public listing page, favourites, and the catalogue's pictures."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from cases.reviews import listing_reviews
from extensions import commit, db
from listings import pricing, taxonomy
from listings import search as finder
from listings.operations import toggle_favourite as toggle
from listings.permissions import can_favourite
from listings.visibility import CONDITION_LABELS, can_order, can_view, missing_conditions
from models.listings import Favourite, Listing
from models.profiles import CatalogueImage, DesignerProfile
from profiles import is_pro
from reputation.figures import designer_record
from models.catalogue_generations import PAGES, SEARCH
from storefront.catalogue import card_cache, page_cache
from storefront.catalogue.forms import SearchForm
from storefront.next_page import next_page
from url_numbers import page_number

bp = Blueprint("catalogue", __name__)

MEDIA_MAX_AGE = 365 * 24 * 3600  # a token names one encoding of one picture forever

# Every page showing result cards (search, favourites, a designer's profile) renders them here.
bp.add_app_template_global(card_cache.listing_card, "listing_card")


@bp.app_template_global()
def category_label(code: str) -> str:
    return taxonomy.category_label(code)


@bp.app_template_global()
def subcategory_label(category: str, code: str) -> str:
    return taxonomy.subcategory_label(category, code)


@bp.app_template_global()
def software_label(code: str) -> str:
    return taxonomy.SOFTWARE.get(code, code)


@bp.app_template_global()
def country_name(code: str) -> str:
    return get_locale().territories.get(code, code)


@bp.get("/find")
@page_cache.for_visitors(SEARCH)
def search():
    form = SearchForm(request.args)
    # A refused filter is shown with its message and left out of the search (400: the link was wrong).
    status = 200 if form.validate() else 400
    results = finder.search(form.to_query(), current_user)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "catalogue/search.html",
        form=form,
        results=results,
        args=args,
        can_heart=can_favourite(current_user),
        filtered=bool(args),
    ), status


@bp.get("/listings/<int:listing_id>")
@page_cache.for_visitors(PAGES)
def listing(listing_id: int):
    found = db.session.execute(
        sa.select(Listing, DesignerProfile)
        .outerjoin(DesignerProfile, DesignerProfile.user_id == Listing.designer_id)
        .where(Listing.id == listing_id)
    ).first()
    if found is None:
        abort(404)
    item, profile = found
    if not can_view(item, current_user, profile):
        abort(404)
    if item.approved_snapshot is None:
        return redirect(url_for("listings.show", listing_id=item.id))  # only its designer gets here
    own = current_user.is_authenticated and current_user.id == item.designer_id
    missing = missing_conditions(item, profile) if own else []
    public = item.approved_snapshot
    favourite = bool(current_user.is_authenticated and db.session.get(Favourite, (current_user.id, item.id)))
    tiers = pricing.public_tiers(item)
    record = designer_record(item.designer)
    page_cache.hold_until(record.changes_at)
    return render_template(
        "catalogue/listing.html",
        listing=item,
        public=public,
        profile=profile,
        designer=item.designer,
        pro=is_pro(profile),
        tiers=tiers,
        own=own,
        missing=[CONDITION_LABELS[c] for c in missing],
        favourite=favourite,
        can_heart=can_favourite(current_user) and not own,
        orderable=can_order(item, current_user, profile),
        full=bool(profile and profile.unavailable),
        record=record,
        reviews=listing_reviews(item.id),
        can_message=current_user.is_authenticated and not own,
    )


@bp.get("/favourites")
@login_required
def favourites():
    if not can_favourite(current_user):
        abort(404)
    page = request.args.get("page", 1, type=page_number)
    return render_template("catalogue/favourites.html", results=finder.favourite_cards(current_user, page))


@bp.post("/listings/<int:listing_id>/favourite")
@login_required
def toggle_favourite(listing_id: int):
    item = db.session.get(Listing, listing_id)
    if item is None:
        abort(404)
    on = toggle(item, actor=current_user)
    commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(favourite=on)
    return redirect(next_page(url_for("catalogue.listing", listing_id=listing_id)))


def _picture(token: str, column):
    row = db.session.execute(
        sa.select(column, CatalogueImage.content_type).where(CatalogueImage.token == token)
    ).first()
    if row is None:
        abort(404)
    # The token never names other bytes, so a cached copy is always right.
    response = Response(status=304) if request.if_none_match.contains(token) else Response(row[0], mimetype=row[1])
    response.headers["Cache-Control"] = f"public, max-age={MEDIA_MAX_AGE}, immutable"
    response.set_etag(token)
    return response


@bp.get("/media/<token>")
def media(token: str):
    return _picture(token, CatalogueImage.data)


@bp.get("/media/<token>/thumb")
def media_thumb(token: str):
    return _picture(token, CatalogueImage.thumb)
