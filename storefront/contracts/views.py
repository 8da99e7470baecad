"""Monthly contracts on the web: the designer's offer form (from a conversation), the client's
accept, the contract page (months, allowance, money, cases), its buttons and the month's
payment page (a failed charge, or one the bank asked the client to confirm). Rules live in
contracts/; another party's contract is a 404."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from contracts import casework, months, process
from contracts.queries import contract_for, contracts_of, current_month, month_cases, place_of, used_by_month
from errors import DomainError
from payments import contract_money
from extensions import commit, db
from models.contracts import ContractMonth, MonthState
from models.messaging import Conversation, ConversationKind
from models.types import utcnow
from screening.contact_filter import ContactDetailsRefused
from payments.month_invoices import invoices_of_months
from profiles.permissions import can_design
from storefront.contact_refusal import keep_refused_attempt
from storefront.contracts.forms import AcceptForm, ActionForm, CardForm, ContractOfferForm, SendCaseForm
from storefront.form_errors import show_domain_error

bp = Blueprint("contracts", __name__)
bp.add_app_template_global(place_of, "contract_place")  # "case 12 of 40" on the case page

# The buttons of the contract page: action → (operation, message once done).
_BUTTONS = {
    "decline": (process.decline_contract, lambda: _("You declined the contract.")),
    "withdraw": (process.withdraw_contract, lambda: _("The offer is withdrawn.")),
    "pause": (process.pause_contract, lambda: _("The contract is paused: no new month starts until it is resumed.")),
    "resume": (process.resume_contract, lambda: _("The contract is running again.")),
    "give_notice": (process.give_notice, lambda: _("Notice given: the contract ends on the date shown.")),
    "cancel": (process.cancel_contract, lambda: _("The contract is cancelled.")),
}


def _sandbox() -> bool:
    return not current_app.config.get("STRIPE_SECRET_KEY")


def _contract(reference: str):
    contract = contract_for(reference, current_user)
    if contract is None:
        abort(404)
    return contract


def _offer_conversation(conversation_id: int) -> tuple[Conversation, object]:
    """A general conversation of the signed-in designer with one client; anything else is a 404."""
    conversation = db.session.get(Conversation, conversation_id)
    if (
        conversation is None
        or conversation.kind != ConversationKind.general
        or not can_design(current_user)
        or conversation.participant(current_user.id) is None
    ):
        abort(404)
    others = [p.user for p in conversation.other_participants(current_user.id)]
    if len(others) != 1 or not others[0].is_client:
        abort(404)
    return conversation, others[0]


@bp.get("/contracts/")
@login_required
def mine():
    return render_template("contracts/list.html", contracts=contracts_of(current_user))


@bp.route("/messages/<int:conversation_id>/contract", methods=["GET", "POST"])
@login_required
def new_contract(conversation_id: int):
    conversation, client = _offer_conversation(conversation_id)
    form = ContractOfferForm()
    refusal = None
    if form.validate_on_submit():
        try:
            contract = process.offer_contract(
                designer=current_user, client=client, terms=form.terms(), conversation_id=conversation.id
            )
        except ContactDetailsRefused as exc:
            keep_refused_attempt(exc)
            refusal = exc
            flash(exc.message, "error")
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            flash(_("Your contract offer is sent to %(name)s.", name=client.display_name), "success")
            return redirect(url_for("contracts.show", reference=contract.reference))
    status = 422 if refusal or form.errors else 200
    return render_template("contracts/new.html", form=form, conversation=conversation, client=client), status


@bp.get("/contracts/<reference>")
@login_required
def show(reference: str):
    contract = _contract(reference)
    all_months = list(reversed(contract.months))
    used = used_by_month([m.id for m in all_months])
    month = current_month(contract)
    now = utcnow()
    running = month is not None and month.starts_at <= now < month.ends_at
    return render_template(
        "contracts/show.html",
        contract=contract,
        months=all_months,
        used=used,
        month_invoices=invoices_of_months([m.id for m in all_months], viewer=current_user),
        month=month if running else None,
        cases=month_cases(month) if month is not None else [],
        actions=process.allowed_actions(contract, current_user, now=now),
        is_client=current_user.id == contract.client_id,
        accept_form=AcceptForm(),
        action_form=ActionForm(),
        card_form=CardForm(),
        send_form=SendCaseForm(),
        sandbox=_sandbox(),
    )


@bp.post("/contracts/<reference>/accept")
@login_required
def accept(reference: str):
    contract = _contract(reference)
    form = AcceptForm()
    if form.validate_on_submit():
        try:
            process.accept_contract(contract, actor=current_user, payment_method=form.card_number.data or "")
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            commit()
            flash(_("Contract accepted. Each month is charged to your card at its start."), "success")
    return redirect(url_for("contracts.show", reference=reference))


@bp.post("/contracts/<reference>/do/<action>")
@login_required
def act(reference: str, action: str):
    contract = _contract(reference)
    if action not in _BUTTONS:
        abort(404)
    operation, done = _BUTTONS[action]
    if ActionForm().validate_on_submit():
        try:
            operation(contract, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            commit()
            flash(done(), "success")
    return redirect(url_for("contracts.show", reference=reference))


@bp.post("/contracts/<reference>/cases")
@login_required
def send_case(reference: str):
    contract = _contract(reference)
    form = SendCaseForm()
    if not form.validate_on_submit():
        flash(_("Describe the case in a few words."), "error")
        return redirect(url_for("contracts.show", reference=reference))
    try:
        case = casework.send_contract_case(
            contract,
            actor=current_user,
            instructions=form.instructions.data,
            client_case_id=form.client_case_id.data or "",
            extra_confirmed=bool(form.extra_confirmed.data),
        )
    except ContactDetailsRefused as exc:
        keep_refused_attempt(exc)
        flash(exc.message, "error")
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        commit()
        flash(_("Your case %(ref)s was sent under the contract.", ref=case.reference), "success")
        return redirect(url_for("cases.show", reference=case.reference))
    return redirect(url_for("contracts.show", reference=reference))


@bp.post("/contracts/<reference>/card")
@login_required
def update_card(reference: str):
    contract = _contract(reference)
    form = CardForm()
    if form.validate_on_submit():
        try:
            months.update_card(contract, actor=current_user, payment_method=form.card_number.data or "")
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            commit()
            flash(_("The card is updated; the next months are charged to it."), "success")
    return redirect(url_for("contracts.show", reference=reference))


# -- Stripe: the card typed in Stripe's own form (accepting, or a new card) --------------------
def _card_setup_purpose(contract) -> str:
    """What the card page is for: "accept" or "change" (the client, Stripe mode); else a 404."""
    if _sandbox() or current_user.id != contract.client_id:
        abort(404)
    if "accept" in process.allowed_actions(contract, current_user, now=utcnow()):
        return "accept"
    if contract.state.value in ("active", "paused", "ending"):
        return "change"
    abort(404)


@bp.get("/contracts/<reference>/card-setup")
@login_required
def card_setup(reference: str):
    """Stripe's Payment Element on a SetupIntent of the contract: Stripe.js saves the card for
    the off-session monthly charges, then sends the browser to card_setup_done."""
    contract = _contract(reference)
    purpose = _card_setup_purpose(contract)
    try:
        setup = contract_money.start_card_setup(contract, email=current_user.email)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("contracts.show", reference=reference))
    return render_template(
        "contracts/card.html",
        contract=contract,
        accepting=purpose == "accept",
        setup=setup,
        publishable_key=current_app.config.get("STRIPE_PUBLISHABLE_KEY"),
        return_url=url_for("contracts.card_setup_done", reference=reference, _external=True),
    )


@bp.get("/contracts/<reference>/card-setup/done")
@login_required
def card_setup_done(reference: str):
    """Where Stripe sends the browser back (setup_intent in the query): the card is kept only when
    the setup succeeded and was made for this contract and client."""
    contract = _contract(reference)
    purpose = _card_setup_purpose(contract)
    setup = request.args.get("setup_intent", "")
    if not setup:
        abort(404)
    try:
        if purpose == "accept":
            process.accept_contract_with_setup(contract, actor=current_user, card_setup=setup)
        else:
            months.update_card(contract, actor=current_user, card_setup=setup)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("contracts.show", reference=reference))
    commit()
    if purpose == "accept":
        flash(_("Contract accepted. Each month is charged to your card at its start."), "success")
        return redirect(url_for("contracts.show", reference=reference))
    flash(_("The card is updated; the next months are charged to it."), "success")
    failed = next((m for m in contract.months if m.state == MonthState.failed), None)
    if failed is not None:  # the month the old card failed is paid from its page, with the new card
        return redirect(url_for("contracts.pay_month", reference=reference, number=failed.number))
    return redirect(url_for("contracts.show", reference=reference))


@bp.route("/contracts/<reference>/months/<int:number>/pay", methods=["GET", "POST"])
@login_required
def pay_month(reference: str, number: int):
    contract = _contract(reference)
    month = db.session.query(ContractMonth).filter_by(contract_id=contract.id, number=number).one_or_none()
    if month is None or current_user.id != contract.client_id:
        abort(404)
    form = CardForm()
    # Stripe sends the browser back here once its Payment Element confirmed the month's charge
    # (payment_intent in the query): ask Stripe for the charge's status, as the button does.
    returned = request.args.get("payment_intent") and month.state == MonthState.requires_action and not _sandbox()
    if form.validate_on_submit() or returned:
        try:
            if month.state == MonthState.requires_action and _sandbox():
                state = months.confirm_in_sandbox(contract, month, actor=current_user, now=utcnow())
            else:
                state = months.pay_month(
                    contract, month, actor=current_user, payment_method=form.card_number.data or "", now=utcnow()
                )
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            commit()
            if state == MonthState.captured:
                flash(_("Month %(n)s is paid. You can send cases again.", n=number), "success")
                return redirect(url_for("contracts.show", reference=reference))
            flash(_("The payment was declined. Try another card."), "error")
    return render_template(
        "contracts/pay.html",
        contract=contract,
        month=month,
        form=form,
        sandbox=_sandbox(),
        publishable_key=current_app.config.get("STRIPE_PUBLISHABLE_KEY"),
        return_url=url_for("contracts.pay_month", reference=reference, number=number, _external=True),
    )
