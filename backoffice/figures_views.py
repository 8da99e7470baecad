"""The figures page (each queue's backlog, delays, decisions and quality) and the quality sample queue.

Every staff role opens it and sees the queues of its own areas (audit.areas), like
the audit log. Figures are computed on each request (backoffice.figures: a fixed number of queries).
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from audit.areas import readable_areas
from backoffice import audit_words as words
from backoffice import quality
from backoffice.figures import QUEUES, figures
from backoffice.forms import QualityReviewForm
from backoffice.views import StaffBaseView
from models.accounts import StaffRole
from moderation.service_levels import SERVICE_LEVEL_HOURS


class FiguresView(StaffBaseView):
    roles = tuple(StaffRole)

    def __init__(self):
        super().__init__(name=_l("Figures"), endpoint="figures", url="figures")

    @expose("/")
    def index(self):
        areas = readable_areas(current_user)
        agreement = quality.agreement_rates(current_user)
        result = figures([q.key for q in QUEUES if q.area in areas], people=set(agreement))
        return self.render(
            "backoffice/figures/index.html",
            figures=result,
            agreement=agreement,
            sample_percent=quality.sample_percent(),
            service_hours={key: SERVICE_LEVEL_HOURS[key] for key in SERVICE_LEVEL_HOURS},
        )

    @expose("/quality/")
    def quality_queue(self):
        total, entries = quality.review_queue(current_user)
        return self.render(
            "backoffice/figures/quality.html",
            total=total,
            entries=entries,
            words=words,
            sample_percent=quality.sample_percent(),
        )

    @expose("/quality/<int:entry_id>", methods=("GET", "POST"))
    def review(self, entry_id: int):
        entry = quality.entry_to_review(entry_id, current_user)
        form = QualityReviewForm()
        if request.method == "POST":
            if not form.validate():
                for problems in form.errors.values():
                    for problem in problems:
                        flash(problem, "error")
                return redirect(url_for(".review", entry_id=entry.id))
            return self.run_decision(
                lambda: quality.review_decision(
                    entry.id, reviewer=current_user, agrees=form.verdict.data == "agree", note=form.note.data or ""
                ),
                done=_("Your review is recorded."),
                back=url_for(".quality_queue"),
                refused=url_for(".review", entry_id=entry.id),
            )
        return self.render(
            "backoffice/figures/review.html",
            entry=entry,
            form=form,
            words=words,
            own=entry.actor_id == current_user.id,
            changes=words.field_changes(entry.before, entry.after),
        )
