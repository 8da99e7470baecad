"""The ruling routes of the resolution centre's dispute page: the form with its preview (a JSON
endpoint the page's script calls, and a "Preview" button without script), adopting a party's
proposal, and the second agent's approval of a draft. The figures come from
disputes.ruling_money, the function the money movement uses."""

from __future__ import annotations

from flask import flash, jsonify, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from disputes import rules
from disputes import ruling as rulings
from disputes.four_eyes import above_cents, pending_draft, reason_texts, second_agent_reasons
from disputes.ruling_money import ruling_money
from disputes.ruling_texts import canned_reasonings
from errors import DomainError, NotFound
from extensions import db
from models.disputes import Dispute, ProposalStatus, RulingDraft, RulingOutcome, SettlementProposal
from payments.case_money import format_money
from storefront.form_fields import MoneyField, PercentField

SPLIT_BY = (("percent", _l("Percentage of the amount")), ("amount", _l("Amount in dollars")))


class RulingForm(FlaskForm):
    outcome = RadioField(
        _l("Outcome"),
        choices=[(o.value, label) for o, label in rules.OUTCOME_LABELS.items()],
        validators=[DataRequired(_l("Choose an outcome."))],
    )
    split_by = RadioField(_l("Split by"), choices=SPLIT_BY, default="percent", validators=[Optional()])
    designer_percent = PercentField(_l("Percentage to the designer, before the fee (%)"), validators=[Optional()])
    designer_amount = MoneyField(_l("Amount to the designer ($), before the fee"), validators=[Optional()])
    reasoning = TextAreaField(_l("Reasoning (both parties read it)"), validators=[Optional(), Length(max=5000)])


class SendBackForm(FlaskForm):
    note = TextAreaField(_l("Note to the author"), validators=[DataRequired(), Length(max=2000)])


def _split_of(form: RulingForm) -> dict:
    """The split as the form gives it: a percentage or cents to the designer (an amount alone
    is read as an amount, whatever the choice says)."""
    if form.split_by.data == "amount" or form.designer_percent.data is None:
        return {"designer_cents": form.designer_amount.data}
    return {"percent": form.designer_percent.data}


def _errors(form: RulingForm, *, ignore=()) -> list[str]:
    return [str(e) for name, errors in form.errors.items() if name not in ignore for e in errors]


def preview_of(dispute: Dispute, form: RulingForm) -> dict:
    """What the ruling in the form would give: the four figures (cents and text) and whether it
    needs a second agent; or the errors that stop it."""
    errors = _errors(form, ignore=("reasoning", "csrf_token"))  # the caller validated the form
    if errors:
        return {"ok": False, "errors": errors}
    try:
        money = ruling_money(dispute.case, form.outcome.data, **_split_of(form))
    except DomainError as exc:
        return {"ok": False, "errors": [str(exc.message)]}
    return {
        "ok": True,
        "outcome": money.outcome.value,
        "currency": money.currency,
        "amount": {"cents": dispute.case.amount_cents, "text": format_money(dispute.case.amount_cents, money.currency)},
        "figures": money.figures(),
        "second_agent": second_agent_note(reason_texts(second_agent_reasons(dispute, money), money.currency)),
    }


def second_agent_note(reasons: list[str]) -> str:
    return _("A second agent must approve it because %(why)s.", why="; ".join(reasons)) if reasons else ""


def adopted_form(dispute: Dispute, proposal: SettlementProposal) -> RulingForm:
    """The ruling form filled from a party's proposal: its amount to the designer, as an amount."""
    amount = dispute.case.amount_cents
    outcome = (
        RulingOutcome.refund
        if proposal.designer_cents == 0
        else RulingOutcome.pay_designer
        if proposal.designer_cents >= amount
        else RulingOutcome.split
    )
    return RulingForm(
        formdata=None,
        outcome=outcome.value,
        split_by="amount",
        designer_amount=proposal.designer_cents if outcome == RulingOutcome.split else None,
    )


class RulingRoutes:
    """Mixed into the dispute queue view (which gives `_dispute` and `detail`)."""

    def ruling_context(self, dispute: Dispute, form: RulingForm | None, preview: dict | None) -> dict:
        draft = pending_draft(dispute) if dispute.is_active else None
        return {
            "form": form or RulingForm(formdata=None),
            "preview": preview,
            "draft": draft,
            "sent_back": rulings.last_sent_back(dispute) if dispute.is_active and draft is None else None,
            "send_back_form": SendBackForm(formdata=None),
            "canned": canned_reasonings(),
            "second_agent_above": format_money(above_cents(), dispute.case.currency),
            "second_agent_note": second_agent_note(reason_texts(draft.reasons, draft.currency)) if draft else "",
        }

    @expose("/<int:dispute_id>/rule", methods=["POST"])
    def rule(self, dispute_id: int):
        dispute = self._dispute(dispute_id)
        form = RulingForm()
        if request.form.get("action") == "preview":
            form.validate()
            return self.detail(dispute_id, form=form, preview=preview_of(dispute, form))
        if not form.validate():
            flash(" ".join(_errors(form)), "error")
            return self.detail(dispute_id, form=form)
        outcome = {}

        def decide():
            outcome["result"] = rulings.submit_ruling(
                dispute, actor=current_user, outcome=form.outcome.data, reasoning=form.reasoning.data, **_split_of(form)
            )

        back = url_for(".detail", dispute_id=dispute_id)
        # "Rule, then the next due dispute": decide and next, as in the other queues.
        following = self.and_next(dispute_id, asked=request.form.get("action") == "rule_next")
        response = self.run_decision(
            decide, done=_("The ruling is recorded and the money moved."), back=following or back, refused=back
        )
        if isinstance(outcome.get("result"), RulingDraft):
            flash(
                _(
                    "This ruling needs a second agent's approval, so it was saved as a draft for another agent. "
                    "No money moved."
                ),
                "info",
            )
        return response

    @expose("/<int:dispute_id>/ruling-preview")
    def ruling_preview(self, dispute_id: int):
        dispute = self._dispute(dispute_id)
        form = RulingForm(formdata=request.args, meta={"csrf": False})
        form.validate()
        preview = preview_of(dispute, form)
        return jsonify(preview), 200 if preview["ok"] else 400

    @expose("/<int:dispute_id>/adopt/<int:proposal_id>")
    def adopt(self, dispute_id: int, proposal_id: int):
        dispute = self._dispute(dispute_id)
        proposal = db.session.get(SettlementProposal, proposal_id)
        if proposal is None or proposal.dispute_id != dispute.id or proposal.status != ProposalStatus.open:
            raise NotFound(_l("This proposal is no longer on the table."))
        form = adopted_form(dispute, proposal)
        return self.detail(dispute_id, form=form, preview=preview_of(dispute, form))

    @expose("/<int:dispute_id>/drafts/<int:draft_id>/approve", methods=["POST"])
    def approve_draft(self, dispute_id: int, draft_id: int):
        dispute = self._dispute(dispute_id)
        back = url_for(".detail", dispute_id=dispute_id)
        if not FlaskForm().validate():
            flash(_("The form expired. Reload the page and try again."), "error")
            return redirect(back)
        return self.run_decision(
            lambda: rulings.approve_draft(dispute, draft_id, actor=current_user),
            done=_("You approved the ruling: it is recorded and the money moved."),
            back=back,
        )

    @expose("/<int:dispute_id>/drafts/<int:draft_id>/send-back", methods=["POST"])
    def send_back_draft(self, dispute_id: int, draft_id: int):
        dispute = self._dispute(dispute_id)
        back = url_for(".detail", dispute_id=dispute_id)
        form = SendBackForm()
        if not form.validate():
            flash(" ".join(_errors(form)), "error")
            return redirect(back)
        return self.run_decision(
            lambda: rulings.send_back_draft(dispute, draft_id, actor=current_user, note=form.note.data),
            done=_("The draft went back to its author with your note."),
            back=back,
        )

    @expose("/<int:dispute_id>/drafts/<int:draft_id>/withdraw", methods=["POST"])
    def withdraw_draft(self, dispute_id: int, draft_id: int):
        dispute = self._dispute(dispute_id)
        back = url_for(".detail", dispute_id=dispute_id)
        if not FlaskForm().validate():
            flash(_("The form expired. Reload the page and try again."), "error")
            return redirect(back)
        return self.run_decision(
            lambda: rulings.withdraw_draft(dispute, draft_id, actor=current_user),
            done=_("You withdrew your draft."),
            back=back,
        )
