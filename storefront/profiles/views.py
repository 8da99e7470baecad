"""Settings > Designer profile (the editor) and the public profile page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from errors import DomainError
from extensions import commit, db
from cases.reviews import reviews_of
from community import feed as community_feed
from community.permissions import can_follow
from listings.search import designer_cards
from models.accounts import AccountStatus, User
from models.catalogue_generations import PAGES
from models.profiles import ImagePurpose
from screening.contact_filter import ContactDetailsRefused
from profiles import is_pro, operations
from profiles.permissions import can_design
from profiles.rules import PROFILE_REJECTION_REASONS
from reputation.figures import client_record, designer_record, may_see_client
from storefront.catalogue import page_cache
from storefront.contact_refusal import keep_refused_attempt
from storefront.form_errors import show_domain_error
from storefront.profiles.forms import AvailabilityForm, ProfileForm
from url_numbers import page_number

bp = Blueprint("profiles", __name__)


@bp.app_template_global()
def language_name(code: str) -> str:
    return get_locale().languages.get(code, code).capitalize()


def _own_profile():
    if not can_design(current_user):
        abort(404)
    profile = operations.profile_for(current_user)
    if profile is None:
        # Kept at once, so that an edit refused later in this request does not take it away.
        profile = operations.profile_for(current_user, create=True)
        commit()
    return profile


def _uploads(form: ProfileForm) -> list[tuple[str, ImagePurpose, bytes]]:
    files = [("photo", ImagePurpose.photo, form.photo.data), ("banner", ImagePurpose.banner, form.banner.data)]
    files += [("portfolio", ImagePurpose.portfolio, f) for f in form.portfolio.data or []]
    return [(name, purpose, f.read()) for name, purpose, f in files if f and getattr(f, "filename", "")]


@bp.route("/settings/profile", methods=["GET", "POST"])
@login_required
def edit():
    profile = _own_profile()
    form = ProfileForm(obj=profile if request.method == "GET" else None)
    if request.method == "GET":
        form.skills.data = ", ".join(profile.skills)
    refusal = None
    if form.validate_on_submit():
        try:
            operations.update_profile(
                profile,
                actor=current_user,
                real_name=form.real_name.data.strip(),
                country=form.country.data or "",
                tax_id=form.tax_id.data.strip(),
                headline=form.headline.data.strip(),
                bio=form.bio.data.strip(),
                skills=form.skill_list(),
                software=form.software.data,
                experience=form.experience.data.strip(),
                education=form.education.data.strip(),
            )
            operations.set_languages(profile, actor=current_user, languages=form.languages.data or [])
            for name, purpose, raw in _uploads(form):
                try:
                    operations.add_profile_image(profile, actor=current_user, purpose=purpose, raw=raw)
                except DomainError as exc:
                    exc.field = exc.field or name
                    raise
        except ContactDetailsRefused as exc:
            keep_refused_attempt(exc)
            refusal = exc
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            if request.form.get("action") == "submit":
                try:
                    operations.submit_profile(profile, actor=current_user)
                except DomainError as exc:
                    db.session.rollback()
                    flash(_("Your changes are saved.") + " " + exc.message, "warning")
                    return redirect(url_for("profiles.edit"))
                commit()
                flash(_("Your profile is saved and sent for review. We will e-mail you the decision."), "success")
            else:
                flash(_("Your changes are saved. Send the profile for review when it is ready."), "success")
            return redirect(url_for("profiles.edit"))
    profile = operations.profile_for(current_user)
    return render_template(
        "profiles/edit.html",
        form=form,
        profile=profile,
        refusal=refusal,
        images=operations.live_images(profile),
        availability=AvailabilityForm(obj=profile),
        reasons=PROFILE_REJECTION_REASONS,
    )


@bp.post("/settings/profile/images/<token>/remove")
@login_required
def remove_image(token: str):
    operations.remove_profile_image(_own_profile(), actor=current_user, token=token)
    commit()
    flash(_("The picture is removed."), "success")
    return redirect(url_for("profiles.edit"))


@bp.post("/settings/profile/submit")
@login_required
def submit():
    try:
        operations.submit_profile(_own_profile(), actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        commit()
        flash(_("Your profile is sent for review. We will e-mail you the decision."), "success")
    return redirect(url_for("profiles.edit"))


@bp.post("/settings/profile/availability")
@login_required
def availability():
    form = AvailabilityForm()
    if form.validate_on_submit():
        operations.set_availability(_own_profile(), actor=current_user, unavailable=form.unavailable.data)
        commit()
        flash(
            _("You are marked as unavailable: your listings show “Full”.")
            if form.unavailable.data
            else _("You are available for work again."),
            "success",
        )
    return redirect(url_for("profiles.edit"))


@bp.get("/designers/<int:user_id>")
@page_cache.for_visitors(PAGES)
def show(user_id: int):
    user = db.session.get(User, user_id)
    profile = operations.profile_for(user) if user is not None else None
    if profile is None or not profile.has_approved_version or user.status != AccountStatus.active:
        abort(404)
    record = designer_record(user)
    page_cache.hold_until(record.changes_at)
    return render_template(
        "profiles/show.html",
        user=user,
        profile=profile,
        public=profile.approved_snapshot,
        pro=is_pro(profile),
        cards=designer_cards(user_id, current_user),
        reviews=reviews_of(user_id),
        record=record,
        can_message=current_user.is_authenticated and current_user.id != user_id,
        followers=community_feed.follower_count(user_id),
        following=community_feed.is_following(current_user, user_id),
        can_follow=can_follow(current_user, user),
        posts=community_feed.posts_of(user, request.args.get("page", 1, type=page_number), reader=current_user),
    )


@bp.get("/clients/<int:user_id>")
@login_required
def client(user_id: int):
    """A client's track record, for designers who received a request or a message from them."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_client or not may_see_client(current_user, user_id):
        abort(404)
    return render_template("profiles/client.html", user=user, record=client_record(user))
