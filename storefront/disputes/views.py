"""The parties' side of a dispute: open it from the case, then one page for both parties."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cases.notices import case_url
from disputes import claim_checks, conversation, evidence_requests, operations, rules
from disputes.evidence_pack import export_evidence_pack
from disputes.permissions import can_download_evidence_pack, can_open_dispute, can_view_dispute, party_of
from disputes.record import read_dispute_file
from disputes.ruling_due import ruling_due
from disputes.settlement_confirmation import may_accept, proposal_split
from errors import DomainError
from extensions import commit, db
from files.permissions import serves_stored_files
from models.cases import Case, CaseState
from models.disputes import Dispute, DisputeParty, EvidenceRequest, ProposalStatus, SettlementProposal
from screening.contact_filter import ContactDetailsRefused
from models.types import utcnow
from payments.case_money import case_money
from storefront.contact_refusal import keep_refused_attempt
from storefront.disputes.conversation import conversation_context, message_form
from storefront.disputes.forms import (
    AcceptSettlementForm,
    AnswerForm,
    ConfirmForm,
    EvidenceAnswerForm,
    EvidenceForm,
    OpenDisputeForm,
    ProposalForm,
)
from storefront.files.downloads import user_file_response
from storefront.form_errors import show_domain_error

bp = Blueprint("disputes", __name__, url_prefix="/disputes")

CHUNK = 1024 * 1024


def _uploads(field) -> list:
    return [
        (f.filename, iter(lambda f=f: f.stream.read(CHUNK), b""))
        for f in (field.data or [])
        if f and getattr(f, "filename", "")
    ]


def _dispute_or_404(dispute_id: int) -> Dispute:
    dispute = db.session.get(Dispute, dispute_id)
    if dispute is None or not can_view_dispute(current_user, dispute):
        abort(404)
    return dispute


@bp.route("/new/<int:case_id>", methods=["GET", "POST"])
@login_required
def open_dispute(case_id: int):
    case = db.session.get(Case, case_id)
    if case is None or not can_open_dispute(current_user, case):
        abort(404)
    if case.state not in (CaseState.in_progress, CaseState.delivered):
        return redirect(url_for(".for_case", case_id=case.id))
    form, refusal = OpenDisputeForm(), None
    if form.validate_on_submit():
        try:
            dispute = operations.open_dispute(
                case,
                actor=current_user,
                reason=form.reason.data,
                statement=form.statement.data,
                evidence=_uploads(form.evidence),
            )
        except ContactDetailsRefused as exc:
            keep_refused_attempt(exc)
            refusal = exc
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            flash(
                _(
                    "Your dispute is open. The designer has %(days)d days to answer.",
                    days=rules.setting("DISPUTE_ANSWER_DAYS"),
                ),
                "success",
            )
            return redirect(url_for(".show", dispute_id=dispute.id))
    return render_template(
        "disputes/open.html",
        case=case,
        form=form,
        refusal=refusal,
        case_url=case_url(case),
        case_money=case_money(case),
        not_delivered_warning=claim_checks.not_delivered_warning(case),
        answer_days=rules.setting("DISPUTE_ANSWER_DAYS"),
    )


@bp.get("/case/<int:case_id>")
@login_required
def for_case(case_id: int):
    """The latest dispute of a case (the case page links here once the case is disputed)."""
    case = db.session.get(Case, case_id)
    dispute = operations.latest_dispute(case) if case is not None else None
    if dispute is None or not can_view_dispute(current_user, dispute):
        abort(404)
    return redirect(url_for(".show", dispute_id=dispute.id))


@bp.get("/<int:dispute_id>")
@login_required
def show(dispute_id: int):
    return _show(_dispute_or_404(dispute_id))


def _show(dispute: Dispute, *, status: int = 200, refusal=None, **forms):
    party = party_of(dispute.case, current_user)
    proposals = list(reversed(dispute.proposals))
    on_table = next((p for p in proposals if p.status == ProposalStatus.open), None)
    page = render_template(
        "disputes/show.html",
        dispute=dispute,
        case=dispute.case,
        party=party,
        proposals=proposals,
        on_table=on_table,
        rules=rules,
        refusal=refusal,
        case_url=case_url(dispute.case),
        case_money=case_money(dispute.case),
        answer_form=forms.get("answer_form") or AnswerForm(formdata=None),
        proposal_form=forms.get("proposal_form") or ProposalForm(formdata=None),
        evidence_form=forms.get("evidence_form") or EvidenceForm(formdata=None),
        confirm_form=ConfirmForm(formdata=None),
        Party=DisputeParty,
        **conversation_context(dispute, current_user, forms.get("message_form")),
        **_evidence_requests(dispute, party, forms.get("evidence_answer_form")),
    )
    return page, status


def _evidence_requests(dispute: Dispute, party: DisputeParty | None, posted: EvidenceAnswerForm | None) -> dict:
    """The evidence-request panel: every request, and an answer form for each open one asked of me."""
    requests = evidence_requests.requests_of(dispute)
    answer_forms = {
        r.id: posted
        if posted is not None and posted.request_id == r.id
        else EvidenceAnswerForm(formdata=None, prefix=f"request-{r.id}")
        for r in requests
        if r.party == party and r.is_open
    }
    return {
        "evidence_requests": requests,
        "answer_forms": answer_forms,
        "ruling_due": ruling_due(dispute),
        "request_overdue": evidence_requests.is_overdue,
        "party_labels": evidence_requests.PARTY_LABELS,
        "now": utcnow(),
    }


def _act(dispute: Dispute, act, *, done: str, form=None, form_name: str | None = None):
    """Run one operation for the page: commit and go back, or show why it was refused."""
    try:
        act()
    except ContactDetailsRefused as exc:
        keep_refused_attempt(exc)
        return _show(
            db.session.get(Dispute, dispute.id), status=400, refusal=exc, **({form_name: form} if form_name else {})
        )
    except DomainError as exc:
        db.session.rollback()
        if form is not None and exc.field and hasattr(form, exc.field):
            show_domain_error(form, exc)
            return _show(db.session.get(Dispute, dispute.id), status=400, **{form_name: form})
        flash(exc.message, "error")
        return redirect(url_for(".show", dispute_id=dispute.id))
    commit()
    flash(done, "success")
    return redirect(url_for(".show", dispute_id=dispute.id))


def _invalid(dispute: Dispute, form, form_name: str):
    return _show(dispute, status=400, **{form_name: form})


@bp.post("/<int:dispute_id>/answer")
@login_required
def answer(dispute_id: int):
    dispute, form = _dispute_or_404(dispute_id), AnswerForm()
    if not form.validate_on_submit():
        return _invalid(dispute, form, "answer_form")
    return _act(
        dispute,
        lambda: operations.answer_dispute(
            dispute, actor=current_user, statement=form.statement.data, evidence=_uploads(form.evidence)
        ),
        done=_("Your answer was sent to the client and the resolution centre."),
        form=form,
        form_name="answer_form",
    )


@bp.post("/<int:dispute_id>/evidence")
@login_required
def add_evidence(dispute_id: int):
    dispute, form = _dispute_or_404(dispute_id), EvidenceForm()
    if not form.validate_on_submit() or not _uploads(form.evidence):
        form.evidence.errors = [_("Choose at least one file.")]
        return _invalid(dispute, form, "evidence_form")
    return _act(
        dispute,
        lambda: operations.add_evidence(dispute, actor=current_user, evidence=_uploads(form.evidence)),
        done=_("The files were added to the dispute."),
        form=form,
        form_name="evidence_form",
    )


@bp.post("/<int:dispute_id>/evidence-requests/<int:request_id>/answer")
@login_required
def answer_evidence_request(dispute_id: int, request_id: int):
    dispute = _dispute_or_404(dispute_id)
    asked = db.session.get(EvidenceRequest, request_id)
    if asked is None or asked.dispute_id != dispute.id:
        abort(404)
    form = EvidenceAnswerForm(prefix=f"request-{asked.id}")
    form.request_id = asked.id
    if not form.validate_on_submit():
        return _invalid(dispute, form, "evidence_answer_form")
    return _act(
        dispute,
        lambda: evidence_requests.answer_evidence_request(
            asked, actor=current_user, text=form.text.data, files=_uploads(form.evidence), kind=form.kind.data
        ),
        done=_("Your answer was sent to the resolution centre."),
        form=form,
        form_name="evidence_answer_form",
    )


@bp.post("/<int:dispute_id>/proposals")
@login_required
def propose(dispute_id: int):
    dispute, form = _dispute_or_404(dispute_id), ProposalForm()
    if not form.validate_on_submit():
        return _invalid(dispute, form, "proposal_form")
    return _act(
        dispute,
        lambda: operations.propose_settlement(
            dispute, actor=current_user, designer_cents=form.designer_amount.data, note=form.note.data or ""
        ),
        done=_("Your proposal was sent to the other party."),
        form=form,
        form_name="proposal_form",
    )


@bp.post("/<int:dispute_id>/messages")
@login_required
def post_message(dispute_id: int):
    """A party writes in the dispute's conversation (the resolution centre writes from the back office)."""
    dispute = _dispute_or_404(dispute_id)
    if party_of(dispute.case, current_user) is None:
        abort(404)
    form = message_form(dispute, current_user, posted=True)
    if not form.validate_on_submit():
        return _invalid(dispute, form, "message_form")
    return _act(
        dispute,
        lambda: conversation.post_dispute_message(
            dispute, actor=current_user, body=form.body.data, audience=form.audience.data
        ),
        done=_("Your message was sent."),
        form=form,
        form_name="message_form",
    )


def _proposal_or_404(dispute: Dispute, proposal_id: int) -> SettlementProposal:
    proposal = db.session.get(SettlementProposal, proposal_id)
    if proposal is None or proposal.dispute_id != dispute.id:
        abort(404)
    return proposal


@bp.route("/<int:dispute_id>/proposals/<int:proposal_id>/accept", methods=["GET", "POST"])
@login_required
def accept_proposal(dispute_id: int, proposal_id: int):
    """The amounts each side receives, then the confirmed acceptance; unconfirmed, nothing moves."""
    dispute = _dispute_or_404(dispute_id)
    proposal = _proposal_or_404(dispute, proposal_id)
    if not may_accept(proposal, current_user):
        flash(_("This proposal is no longer on the table."), "error")
        return redirect(url_for(".show", dispute_id=dispute.id))
    form, status = AcceptSettlementForm(), 200
    if request.method == "POST":
        if form.validate_on_submit():
            return _act(
                dispute,
                lambda: operations.accept_settlement(proposal, actor=current_user),
                done=_("The dispute is settled. The money moved as agreed."),
            )
        if "csrf_token" in form.errors:
            abort(400)
        status = 400
    return render_template(
        "disputes/accept_settlement.html",
        dispute=dispute,
        case=dispute.case,
        proposal=proposal,
        split=proposal_split(proposal),
        form=form,
    ), status


@bp.post("/<int:dispute_id>/proposals/<int:proposal_id>/withdraw")
@login_required
def withdraw_proposal(dispute_id: int, proposal_id: int):
    dispute = _dispute_or_404(dispute_id)
    proposal = _proposal_or_404(dispute, proposal_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _act(
        dispute,
        lambda: operations.withdraw_settlement(proposal, actor=current_user),
        done=_("Your proposal was taken back."),
    )


@bp.post("/<int:dispute_id>/withdraw")
@login_required
def withdraw(dispute_id: int):
    dispute = _dispute_or_404(dispute_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _act(
        dispute,
        lambda: operations.withdraw_dispute(dispute, actor=current_user),
        done=_("You withdrew the dispute: the case continues where it was."),
    )


@bp.get("/<int:dispute_id>/files/<public_id>")
@login_required
@serves_stored_files
def download(dispute_id: int, public_id: str):
    dispute = _dispute_or_404(dispute_id)
    stored, chunks = read_dispute_file(dispute, public_id, actor=current_user)
    name, content_type, size = stored.original_name, stored.content_type, stored.size
    commit()
    return user_file_response(chunks, name=name, content_type=content_type, length=size)


@bp.get("/<int:dispute_id>/evidence-pack")
@login_required
def evidence_pack(dispute_id: int):
    """The pack of the dispute's record, for its parties once it is ruled (audited, like every export)."""
    dispute = db.session.get(Dispute, dispute_id)
    if dispute is None or not can_download_evidence_pack(current_user, dispute):
        abort(404)
    pack = export_evidence_pack(dispute, actor=current_user)
    commit()
    return user_file_response([pack.pdf], name=pack.filename, content_type="application/pdf", length=len(pack.pdf))
