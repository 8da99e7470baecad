"""The violations queue (moderators): contact-filter hits and user reports, decided one by one or
per group of repeated attempts (moderation.violation_groups)."""

from __future__ import annotations

from datetime import timezone

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backoffice.forms import SuspendForm
from backoffice.views import StaffBaseView
from backoffice.workbench_views import WorkbenchRoutes
from extensions import commit, db, translated_labels
from models.accounts import StaffRole
from models.moderation import Violation, ViolationStatus
from models.types import utcnow
from moderation import claims, macros, violation_groups, violations, workbench

PER_PAGE = 30


def queue_figures() -> list[dict]:
    """Dashboard: open violations, and the oldest one's age."""
    size, oldest = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(Violation.created_at)).where(Violation.status == ViolationStatus.open)
    ).one()
    return [
        {
            "name": _("Open violations"),
            "size": size,
            "oldest": oldest,
            "url": url_for("violations.index_view"),
            "roles": ViolationsView.roles,
        }
    ]


class ViolationsView(WorkbenchRoutes, StaffBaseView):
    roles = (StaffRole.moderator,)
    spec, item_arg = workbench.VIOLATIONS, "violation_id"
    extra_js = ["/static/js/workbench.js"]

    def __init__(self):
        super().__init__(name=_l("Violations"), endpoint="violations", url="violations")

    @expose("/")
    def index_view(self):
        page = self.filtered_page(PER_PAGE)
        ids = [v.id for v in page.items]
        groups = violation_groups.groups_for(page.items)
        # One row per group on the page: the other attempts of a group shown are folded into it.
        folded, shown = set(), set()
        for v in page.items:
            if v.id in folded:
                continue
            shown.add(v.id)
            folded |= {a.id for a in groups[v.id] if a.id != v.id}
        return self.render(
            "backoffice/violations/index.html",
            page=page,
            groups=groups,
            folded=folded - shown,
            claims=claims.active_claims("violation", ids),
            strikes=violations.strike_counts(v.user_id for v in page.items),
            source_words=translated_labels(violations.SOURCE_WORDS),
            report_reasons=translated_labels(violations.REPORT_REASONS),
            **self.workbench_context(page),
        )

    @expose("/<int:violation_id>")
    def detail(self, violation_id: int):
        violation = db.session.get(Violation, violation_id) or abort(404)
        claim = claims.active_claim("violation", violation.id)
        violations.record_reading(violation, actor=current_user)
        commit()
        group = violation_groups.group_of(violation)
        history = db.session.scalars(
            sa.select(Violation)
            .where(Violation.user_id == violation.user_id, Violation.id.not_in([a.id for a in group]))
            .order_by(Violation.created_at.desc())
            .limit(20)
        ).all()
        return self.render(
            "backoffice/violations/detail.html",
            violation=violation,
            claim=claim,
            spans=violations.findings_in_text(violation),
            history=history,
            group=group,
            group_open=[a for a in group if a.status == ViolationStatus.open],
            thread=violation_groups.thread_around(group),
            findings=violations.findings_in_text,
            standing=violation_groups.strike_standing(violation.user_id),
            suspend_form=SuspendForm(),
            report_reasons=violations.REPORT_REASONS,
            now=utcnow(),
            offers=macros.offers(macros.VIOLATION, violation),
            note_text=macros.offered_text(macros.VIOLATION, violation, request.args.get("macro", type=int)),
            **self.item_workbench(violation),
        )

    def _violation(self, violation_id: int) -> Violation:
        return db.session.get(Violation, violation_id) or abort(404)

    @expose("/<int:violation_id>/dismiss", methods=["POST"])
    def dismiss(self, violation_id: int):
        violation = self._violation(violation_id)
        return self.run_decision(
            lambda: violations.dismiss_violation(violation, actor=current_user, note=request.form.get("note", "")),
            done=_("Violation dismissed."),
            back=self.and_next(violation_id) or url_for(".index_view"),
        )

    @expose("/<int:violation_id>/warn", methods=["POST"])
    def warn(self, violation_id: int):
        violation = self._violation(violation_id)
        return self.run_decision(
            lambda: violations.warn_user(violation, actor=current_user, note=request.form.get("note", "")),
            done=_("The user is warned."),
            back=self.and_next(violation_id) or url_for(".index_view"),
            refused=url_for(".detail", violation_id=violation_id),
        )

    @expose("/<int:violation_id>/suspend", methods=["POST"])
    def suspend(self, violation_id: int):
        violation = self._violation(violation_id)
        form = SuspendForm()
        back = url_for(".detail", violation_id=violation_id)
        if not form.validate():
            flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
            return redirect(back)
        until = form.until.data.replace(tzinfo=timezone.utc) if form.until.data else None
        return self.run_decision(
            lambda: violations.suspend_for_violation(violation, actor=current_user, note=form.reason.data, until=until),
            done=_("The account is suspended."),
            back=url_for(".index_view"),
            refused=back,
        )

    @expose("/<int:violation_id>/release", methods=["POST"])
    def release(self, violation_id: int):
        return self.run_decision(
            lambda: claims.release_item("violation", violation_id, actor=current_user),
            done=_("You left this item."),
            back=url_for(".index_view"),
        )

    @expose("/<int:violation_id>/group/dismiss", methods=["POST"])
    def dismiss_group(self, violation_id: int):
        violation = self._violation(violation_id)
        return self.run_decision(
            lambda: violation_groups.dismiss_group(violation, actor=current_user, note=request.form.get("note", "")),
            done=_("Every attempt of the group is dismissed."),
            back=url_for(".index_view"),
            refused=url_for(".detail", violation_id=violation_id),
        )

    @expose("/<int:violation_id>/group/warn", methods=["POST"])
    def warn_group(self, violation_id: int):
        violation = self._violation(violation_id)
        return self.run_decision(
            lambda: violation_groups.warn_group(violation, actor=current_user, note=request.form.get("note", "")),
            done=_("The user is warned once for the whole group."),
            back=url_for(".index_view"),
            refused=url_for(".detail", violation_id=violation_id),
        )
