"""The resolution centre's queue (resolution agents): disputes by age or amount, claimed one
at a time, read on the whole written record of the case, and ruled."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, request, url_for
from flask_admin import Admin, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backoffice.dispute_cells import claim_checks_cell, escalation_cell
from backoffice.dispute_conversation import DisputeConversationViews
from backoffice.ruling_views import RulingForm, RulingRoutes
from backoffice.evidence_requests_views import EvidenceRequestActions, evidence_requests_context
from backoffice.views import StaffBaseView
from backoffice.workbench_views import WorkbenchRoutes
from disputes import claim_checks, operations, queue, rules
from disputes.escalation import escalation_of, escalations_of
from disputes.evidence_pack import export_evidence_pack
from disputes.four_eyes import disputes_awaiting_second_agent
from disputes.queue_due import dispute_due, dispute_dues
from disputes.permissions import can_rule
from disputes.record import read_dispute_file, written_record
from extensions import commit, db, translated_labels
from files.permissions import serves_stored_files
from messaging.events import case_action_label
from models.accounts import StaffRole
from models.disputes import ACTIVE_DISPUTE_STATES, Dispute
from models.files import FileKind
from models.types import utcnow
from moderation import claims, macros, permissions, service_levels, workbench
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
    return [
        {
            "name": _("Disputes"),
            "size": size,
            "oldest": oldest,
            "url": url_for("resolution.index_view"),
            "roles": DisputeQueueView.roles,
        },
        {
            "name": _("Disputes near the 90-day payment limit"),
            "size": esc_size,
            "oldest": esc_oldest,
            "url": url_for("resolution.index_view", tab="escalated"),
            "roles": DisputeQueueView.roles,
        },
    ]


class DisputeQueueView(DisputeConversationViews, RulingRoutes, EvidenceRequestActions, WorkbenchRoutes, StaffBaseView):
    roles = (StaffRole.resolution_agent,)
    extra_js = ["/static/js/backoffice.js", "/static/js/ruling.js", "/static/js/workbench.js", "/static/js/macros.js"]
    spec, item_arg = queue.DISPUTES, "dispute_id"

    def __init__(self):
        super().__init__(name=_l("Disputes"), endpoint="resolution", url="resolution")

    @expose("/")
    def index_view(self):
        tab = request.args.get("tab", "active")
        tab = tab if tab in TABS else "active"
        sort = request.args.get("sort", "due")
        sort = sort if sort in queue.SORTS else "due"
        filters = queue.filters_from(request.args)
        page = queue.tab_page(
            filters,
            actor=current_user,
            tab=tab,
            sort=sort,
            page=request.args.get("page", 1, type=page_number),
            per_page=PER_PAGE,
        )
        now = utcnow()
        ids = [d.id for d in page.items]
        staff, workload = workbench.staff_and_workload(self.spec)  # the spec's kind is operations.CLAIM_TYPE
        return self.render(
            "backoffice/disputes/index.html",
            page=page,
            tab=tab,
            tabs=TABS,
            sort=sort,
            rules=rules,
            claims=claims.active_claims(operations.CLAIM_TYPE, ids),
            awaiting_second_agent=disputes_awaiting_second_agent(ids),
            now=now,
            checks=claim_checks.findings_of(page.items, now=now),
            escalations=escalations_of(page.items, now=now),
            dues=dispute_dues(page.items, now),
            filters=filters,
            spec=self.spec,
            staff=staff,
            languages=current_app.config["LANGUAGES"],
            states=queue.STATES,
            state_labels={s.value: label for s, label in rules.STATE_LABELS.items()},
            reason_labels=translated_labels(rules.REASON_LABELS),
            dispute_state_labels=translated_labels(rules.STATE_LABELS),
            workload=workload,
            duration=service_levels.duration_words,
            escalation_cell=escalation_cell,
            claim_checks_cell=claim_checks_cell,
        )

    def _queue_item(self, item_id: int) -> Dispute:
        return self._dispute(item_id)

    def next_due_item(self, after: int | None):
        return queue.next_due(actor=current_user, after=after)

    def _dispute(self, dispute_id: int) -> Dispute:
        dispute = db.session.get(Dispute, dispute_id)
        if dispute is None or not can_rule(current_user, dispute):
            abort(404)  # also hides an agent's own case from them
        return dispute

    @expose("/<int:dispute_id>")
    def detail(
        self,
        dispute_id: int,
        form: RulingForm | None = None,
        preview: dict | None = None,
        conversation: dict | None = None,
    ):
        dispute = self._dispute(dispute_id)
        claim = claims.active_claim(operations.CLAIM_TYPE, dispute.id)  # taken on "Take this item" only
        record = written_record(dispute, viewer=current_user)
        now = utcnow()
        offers = macros.offers(macros.DISPUTE, dispute)
        picked = self._picked(offers, "reasoning")
        if form is None and picked is not None:
            form = RulingForm(formdata=None, reasoning=picked)
        return self.render(
            "backoffice/disputes/detail.html",
            dispute=dispute,
            case=dispute.case,
            record=record,
            claim=claim,
            rules=rules,
            **self.ruling_context(dispute, form, preview),
            escrow_limit=rules.escrow_limit(dispute.case),
            patient=FileKind.patient_scan,
            action_label=case_action_label,
            now=now,
            case_money=case_money(dispute.case),
            findings=claim_checks.findings(dispute, now=now),
            escalation=escalation_of(dispute, now=now),
            **(conversation or self.conversation_context(dispute, macro=self._picked(offers, "message-body"))),
            offers=offers,
            due=dispute_due(dispute, now) if dispute.is_active else None,
            is_lead=permissions.can_lead(current_user),
            staff=workbench.queue_staff(self.spec),
            duration=service_levels.duration_words,
            **evidence_requests_context(dispute),
        )

    @staticmethod
    def _picked(offers: list, target: str) -> str | None:
        """The text of the canned response picked for `target` without script ("Use"), if any."""
        if request.args.get("macro_for") != target:
            return None
        return next((o.text for o in offers if o.id == request.args.get("macro", type=int)), None)

    @expose("/<int:dispute_id>/release", methods=["POST"])
    def release(self, dispute_id: int):
        self._dispute(dispute_id)
        return self.run_decision(
            lambda: claims.release_item(operations.CLAIM_TYPE, dispute_id, actor=current_user),
            done=_("You left this dispute."),
            back=url_for(".index_view"),
        )

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
        return user_file_response([pack.pdf], name=pack.filename, content_type="application/pdf", length=len(pack.pdf))


def register_dispute_views(admin: Admin) -> None:
    admin.add_view(DisputeQueueView())
