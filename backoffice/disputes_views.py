"""The resolution centre's queue (resolution agents): disputes by age or amount, claimed one
at a time, read on the whole written record of the case, and ruled."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_admin import Admin, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from backoffice.views import StaffBaseView
from disputes import operations, rules
from disputes.permissions import can_rule
from disputes.record import read_dispute_file, written_record
from extensions import commit, db
from files.permissions import serves_stored_files
from messaging.events import case_action_label
from models.accounts import StaffRole
from models.cases import Case
from models.disputes import ACTIVE_DISPUTE_STATES, Dispute
from models.files import FileKind
from models.types import utcnow
from moderation import claims
from storefront.files.downloads import user_file_response
from storefront.form_fields import MoneyField
from url_numbers import page_number
from payments.case_money import case_money

PER_PAGE = 30
TABS = ("active", "escalated", "closed")


def queue_figures() -> list[dict]:
    """Dashboard: disputes waiting for the resolution centre, and the escalated ones."""
    active = sa.select(sa.func.count(), sa.func.min(Dispute.opened_at)).where(Dispute.state.in_(ACTIVE_DISPUTE_STATES))
    size, oldest = db.session.execute(active).one()
    esc_size, esc_oldest = db.session.execute(active.where(Dispute.escalated.is_(True))).one()
    return [{"name": _("Disputes"), "size": size, "oldest": oldest, "url": url_for("resolution.index_view"),
             "roles": DisputeQueueView.roles},
            {"name": _("Disputes near the 90-day payment limit"), "size": esc_size, "oldest": esc_oldest,
             "url": url_for("resolution.index_view", tab="escalated"), "roles": DisputeQueueView.roles}]


class RulingForm(FlaskForm):
    outcome = RadioField(_l("Outcome"), choices=[(o.value, label) for o, label in rules.OUTCOME_LABELS.items()],
                         validators=[DataRequired(_l("Choose an outcome."))])
    designer_amount = MoneyField(_l("For a split: amount to the designer ($), before the fee"), validators=[Optional()])
    reasoning = TextAreaField(_l("Reasoning (both parties read it)"),
                              validators=[DataRequired(), Length(min=operations.MIN_REASONING, max=5000)])


class DisputeQueueView(StaffBaseView):
    roles = (StaffRole.resolution_agent,)

    def __init__(self):
        super().__init__(name=_l("Disputes"), endpoint="resolution", url="resolution")

    @expose("/")
    def index_view(self):
        tab = request.args.get("tab", "active")
        tab = tab if tab in TABS else "active"
        sort = "amount" if request.args.get("sort") == "amount" else "age"
        query = sa.select(Dispute).join(Case, Case.id == Dispute.case_id)
        if tab == "closed":
            query = query.where(Dispute.state.not_in(ACTIVE_DISPUTE_STATES)).order_by(Dispute.closed_at.desc())
        else:
            query = query.where(Dispute.state.in_(ACTIVE_DISPUTE_STATES))
            if tab == "escalated":
                query = query.where(Dispute.escalated.is_(True))
            # Escalated first: their payment must leave escrow within days.
            query = query.order_by(Dispute.escalated.desc(), Case.amount_cents.desc() if sort == "amount"
                                   else Dispute.opened_at.asc())
        page = db.paginate(query, page=request.args.get("page", 1, type=page_number), per_page=PER_PAGE, error_out=False)
        return self.render("backoffice/disputes/index.html", page=page, tab=tab, tabs=TABS, sort=sort, rules=rules,
                           claims=claims.active_claims(operations.CLAIM_TYPE, [d.id for d in page.items]),
                           now=utcnow())

    def _dispute(self, dispute_id: int) -> Dispute:
        dispute = db.session.get(Dispute, dispute_id)
        if dispute is None or not can_rule(current_user, dispute):
            abort(404)  # also hides an agent's own case from them
        return dispute

    @expose("/<int:dispute_id>")
    def detail(self, dispute_id: int, form: RulingForm | None = None):
        dispute = self._dispute(dispute_id)
        claim = claims.active_claim(operations.CLAIM_TYPE, dispute.id)
        if dispute.is_active and (claim is None or claim.moderator_id == current_user.id):
            claim = claims.claim_item(operations.CLAIM_TYPE, dispute.id, actor=current_user)
            commit()
        record = written_record(dispute, viewer=current_user)
        return self.render("backoffice/disputes/detail.html", dispute=dispute, case=dispute.case, record=record,
                           claim=claim, form=form or RulingForm(formdata=None), rules=rules,
                           escrow_limit=rules.escrow_limit(dispute.case), patient=FileKind.patient_scan,
                           action_label=case_action_label, now=utcnow(), case_money=case_money(dispute.case))

    @expose("/<int:dispute_id>/rule", methods=["POST"])
    def rule(self, dispute_id: int):
        dispute = self._dispute(dispute_id)
        form = RulingForm()
        if not form.validate():
            flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
            return redirect(url_for(".detail", dispute_id=dispute_id))
        return self.run_decision(
            lambda: operations.rule_dispute(dispute, actor=current_user, outcome=form.outcome.data,
                                            designer_cents=form.designer_amount.data,
                                            reasoning=form.reasoning.data),
            done=_("The ruling is recorded and the money moved."),
            back=url_for(".detail", dispute_id=dispute_id), refused=url_for(".detail", dispute_id=dispute_id))

    @expose("/<int:dispute_id>/release", methods=["POST"])
    def release(self, dispute_id: int):
        self._dispute(dispute_id)
        return self.run_decision(lambda: claims.release_item(operations.CLAIM_TYPE, dispute_id, actor=current_user),
                                 done=_("You left this dispute."), back=url_for(".index_view"))

    @expose("/<int:dispute_id>/files/<public_id>")
    @serves_stored_files
    def download(self, dispute_id: int, public_id: str):
        dispute = self._dispute(dispute_id)
        stored, chunks = read_dispute_file(dispute, public_id, actor=current_user)
        name, content_type, size = stored.original_name, stored.content_type, stored.size
        commit()  # the download and its audit row are kept before the bytes leave
        return user_file_response(chunks, name=name, content_type=content_type, length=size)


def register_dispute_views(admin: Admin) -> None:
    admin.add_view(DisputeQueueView())
