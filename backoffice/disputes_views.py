"""The resolution centre's queue (resolution agents): disputes by age or amount, claimed one
at a time, read on the whole written record of the case, and ruled."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, request, url_for
from flask_admin import Admin, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backoffice.dispute_conversation import DisputeConversationViews
from backoffice.ruling_views import RulingForm, RulingRoutes
from backoffice.evidence_requests_views import EvidenceRequestActions, evidence_requests_context
from backoffice.views import StaffBaseView
from disputes import claim_checks, operations, rules
from disputes.escalation import escalation_of, escalations_of
from disputes.evidence_pack import export_evidence_pack
from disputes.four_eyes import disputes_awaiting_second_agent
from disputes.queue_due import dispute_due
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
from moderation import claims, service_levels
from storefront.files.downloads import user_file_response
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


class DisputeQueueView(DisputeConversationViews, RulingRoutes, EvidenceRequestActions, StaffBaseView):
    roles = (StaffRole.resolution_agent,)
    extra_js = ["/static/js/backoffice.js", "/static/js/ruling.js"]

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
        now = utcnow()
        return self.render("backoffice/disputes/index.html", page=page, tab=tab, tabs=TABS, sort=sort, rules=rules,
                           claims=claims.active_claims(operations.CLAIM_TYPE, [d.id for d in page.items]),
                           awaiting_second_agent=disputes_awaiting_second_agent([d.id for d in page.items]),
                           now=now, checks=claim_checks.findings_of(page.items, now=now),
                           escalations=escalations_of(page.items, now=now),
                           dues={d.id: dispute_due(d, now) for d in page.items if d.is_active},
                           workload=claims.workload(operations.CLAIM_TYPE), duration=service_levels.duration_words)

    def _dispute(self, dispute_id: int) -> Dispute:
        dispute = db.session.get(Dispute, dispute_id)
        if dispute is None or not can_rule(current_user, dispute):
            abort(404)  # also hides an agent's own case from them
        return dispute

    @expose("/<int:dispute_id>")
    def detail(self, dispute_id: int, form: RulingForm | None = None, preview: dict | None = None,
               conversation: dict | None = None):
        dispute = self._dispute(dispute_id)
        claim = claims.active_claim(operations.CLAIM_TYPE, dispute.id)  # taken on "Take this item" only
        record = written_record(dispute, viewer=current_user)
        now = utcnow()
        return self.render("backoffice/disputes/detail.html", dispute=dispute, case=dispute.case, record=record,
                           claim=claim, rules=rules, **self.ruling_context(dispute, form, preview),
                           escrow_limit=rules.escrow_limit(dispute.case), patient=FileKind.patient_scan,
                           action_label=case_action_label, now=now, case_money=case_money(dispute.case),
                           findings=claim_checks.findings(dispute, now=now),
                           escalation=escalation_of(dispute, now=now),
                           **(conversation or self.conversation_context(dispute)),
                           **evidence_requests_context(dispute))

    @expose("/<int:dispute_id>/take", methods=["POST"])
    def take(self, dispute_id: int):
        self._dispute(dispute_id)
        return self.run_decision(lambda: claims.claim_item(operations.CLAIM_TYPE, dispute_id, actor=current_user),
                                 done=_("You hold this item now."), back=url_for(".detail", dispute_id=dispute_id))

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

    @expose("/<int:dispute_id>/evidence-pack")
    def evidence_pack(self, dispute_id: int):
        dispute = self._dispute(dispute_id)
        pack = export_evidence_pack(dispute, actor=current_user)
        commit()  # the export's audit row is kept before the pack leaves
        return user_file_response([pack.pdf], name=pack.filename, content_type="application/pdf",
                                  length=len(pack.pdf))


def register_dispute_views(admin: Admin) -> None:
    admin.add_view(DisputeQueueView())
