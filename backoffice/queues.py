"""Review queues (moderators): designer profiles and listings waiting for review, oldest first.

An item is claimed when its moderator takes it ("Take this item"), so two moderators never
review the same thing; the page shows
what the public would see, the pictures, the changes since the approved version, the
contact-filter findings highlighted, and the owner's history.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backoffice.forms import RejectForm
from backoffice.views import StaffBaseView
from backoffice.workbench_views import WorkbenchRoutes
from extensions import db, translated_labels
from listings.operations import listing_images
from listings.rules import LISTING_REJECTION_REASONS
from listings.visibility import CONDITION_LABELS, missing_conditions
from models.accounts import StaffRole
from models.listings import Listing
from models.profiles import CatalogueImage, DesignerProfile, ReviewState
from moderation import claims, macros, review, workbench
from profiles.operations import live_images
from profiles.rules import PROFILE_REJECTION_REASONS

PER_PAGE = 30


def queue_figures() -> list[dict]:
    figures = []
    for name, model, endpoint in (
        (_("Profiles to review"), DesignerProfile, "profile_reviews.index_view"),
        (_("Listings to review"), Listing, "listing_reviews.index_view"),
    ):
        size, oldest = review.queue_size(model)
        figures.append(
            {"name": name, "size": size, "oldest": oldest, "url": url_for(endpoint), "roles": ReviewQueueView.roles}
        )
    return figures


class ReviewQueueView(WorkbenchRoutes, StaffBaseView):
    """One queue. `kind` names the claims and `spec` the queue (moderation.workbench); each subclass
    gives `reasons()` (rejection codes → labels), `item_context(item)` (what its page shows),
    and its approve/reject routes."""

    roles = (StaffRole.moderator,)
    extra_js = ["/static/js/workbench.js"]
    kind: str
    model: type
    template: str

    def _item(self, item_id: int):
        return db.session.get(self.model, item_id) or abort(404)

    @expose("/")
    def index_view(self):
        page = self.filtered_page(PER_PAGE)
        return self.render(
            "backoffice/review/index.html",
            page=page,
            kind=self.kind,
            claims=claims.active_claims(self.kind, [i.id for i in page.items]),
            refusals=review.bulk_refusals(self.kind, page.items),
            refusal_labels=translated_labels(review.BULK_REFUSALS),
            **self.workbench_context(page),
        )

    @expose("/<int:item_id>")
    def detail(self, item_id: int):
        item = self._item(item_id)
        claim = claims.active_claim(self.kind, item.id)
        form = RejectForm()
        form.reasons.choices = [(code, str(label)) for code, label in self.reasons().items()]
        return self.render(
            self.template,
            item=item,
            claim=claim,
            form=form,
            kind=self.kind,
            offers=macros.offers(self.kind, item),
            note_text=macros.offered_text(self.kind, item, request.args.get("macro", type=int)),
            reason_labels=self.reasons(),
            **self.item_workbench(item),
            **self.item_context(item),
            **self.resubmission(item),
        )

    def resubmission(self, item) -> dict:
        """A pending item rejected before: that decision, and what changed since the rejected version."""
        rejection = review.last_rejection(self.kind, item.id) if item.state == ReviewState.pending else None
        if rejection is None:
            return {"rejection": None, "rejected_changes": None}
        working, fields = review.working_copy(self.kind, item)
        return {
            "rejection": rejection,
            "rejected_changes": review.changes_since_approval(rejection.snapshot, working, fields),
        }

    @expose("/image/<token>")
    def image(self, token: str):
        """A picture of a pending or approved version (not public yet, so served here)."""
        image = db.session.scalar(sa.select(CatalogueImage).where(CatalogueImage.token == token)) or abort(404)
        response = Response(image.data, mimetype=image.content_type)
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @expose("/<int:item_id>/release", methods=["POST"])
    def release(self, item_id: int):
        return self.run_decision(
            lambda: claims.release_item(self.kind, item_id, actor=current_user),
            done=_("You left this item."),
            back=url_for(".index_view"),
        )

    @expose("/bulk-approve", methods=["POST"])
    def bulk_approve(self):
        ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
        outcome = {}

        def approve():
            outcome["counts"] = review.bulk_approve(self.kind, ids, actor=current_user)

        if not ids:
            flash(_("Select the small edits to approve."), "warning")
            return redirect(url_for(".index_view"))
        response = self.run_decision(approve, done=_("Approved the selected small edits."), back=url_for(".index_view"))
        if "counts" in outcome and outcome["counts"][1]:
            flash(
                _(
                    "%(n)d item(s) need a full review (first review, pictures, a larger edit, contact-filter "
                    "findings, or claimed by someone else).",
                    n=outcome["counts"][1],
                ),
                "warning",
            )
        return response


class ProfileQueueView(ReviewQueueView):
    kind, model, template = review.PROFILE, DesignerProfile, "backoffice/review/profile.html"
    spec = workbench.PROFILES

    def __init__(self):
        super().__init__(name=_l("Profiles"), endpoint="profile_reviews", url="reviews/profiles", category=_l("Review"))

    def reasons(self) -> dict:
        return PROFILE_REJECTION_REASONS

    def item_context(self, profile: DesignerProfile) -> dict:
        working = review.profile_working_copy(profile)
        texts = review.profile_texts(profile)
        return {
            "owner": profile.user,
            "images": live_images(profile),
            "texts": texts,
            "findings": review.text_findings(texts),
            "changes": review.changes_since_approval(profile.approved_snapshot, working, review.PROFILE_FIELDS),
            "history": review.owner_history(profile.user_id),
        }

    @expose("/<int:item_id>/approve", methods=["POST"])
    def approve(self, item_id: int):
        profile = self._item(item_id)
        return self.run_decision(
            lambda: review.approve_profile(profile, actor=current_user),
            done=_("Profile approved; the designer is told."),
            back=self.and_next(item_id) or url_for(".index_view"),
            refused=url_for(".detail", item_id=item_id),
        )

    @expose("/<int:item_id>/reject", methods=["POST"])
    def reject(self, item_id: int):
        profile = self._item(item_id)
        return self.run_decision(
            lambda: review.reject_profile(
                profile, actor=current_user, reasons=request.form.getlist("reasons"), note=request.form.get("note", "")
            ),
            done=_("Profile rejected; the designer is told why."),
            back=self.and_next(item_id) or url_for(".index_view"),
            refused=url_for(".detail", item_id=item_id),
        )


class ListingQueueView(ReviewQueueView):
    kind, model, template = review.LISTING, Listing, "backoffice/review/listing.html"
    spec = workbench.LISTINGS

    def __init__(self):
        super().__init__(name=_l("Listings"), endpoint="listing_reviews", url="reviews/listings", category=_l("Review"))

    def reasons(self) -> dict:
        return LISTING_REJECTION_REASONS

    def item_context(self, listing: Listing) -> dict:
        texts = review.listing_texts(listing)
        return {
            "owner": listing.designer,
            "images": listing_images(listing),
            "texts": texts,
            "findings": review.text_findings(texts),
            "changes": review.changes_since_approval(
                listing.approved_snapshot, review.listing_working_copy(listing), review.LISTING_FIELDS
            ),
            "conditions": [CONDITION_LABELS[c] for c in missing_conditions(listing) if c != "listing_not_approved"],
            "history": review.owner_history(listing.designer_id),
        }

    @expose("/<int:item_id>/approve", methods=["POST"])
    def approve(self, item_id: int):
        listing = self._item(item_id)
        return self.run_decision(
            lambda: review.approve_listing(listing, actor=current_user),
            done=_("Listing approved; the designer is told."),
            back=self.and_next(item_id) or url_for(".index_view"),
            refused=url_for(".detail", item_id=item_id),
        )

    @expose("/<int:item_id>/reject", methods=["POST"])
    def reject(self, item_id: int):
        listing = self._item(item_id)
        return self.run_decision(
            lambda: review.reject_listing(
                listing, actor=current_user, reasons=request.form.getlist("reasons"), note=request.form.get("note", "")
            ),
            done=_("Listing rejected; the designer is told why."),
            back=self.and_next(item_id) or url_for(".index_view"),
            refused=url_for(".detail", item_id=item_id),
        )
