"""The order page, My cases, the case page and its action buttons, reviews, case files."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cases import process, reviews, sweeps
from cases.ordering import (
    ORDER_FORM_EXPIRED,
    DesignerUnavailable,
    DuplicateClientCaseId,
    OrderAlreadyPlaced,
    confirm_order,
    is_order_token,
    new_order_token,
    order_with_token,
    place_order,
    terms_of,
)
from cases.permissions import can_read_case_link, can_view_case, is_client_teammate, is_party
from cases.prescription import ARCH_LABELS, CONTACTS, MATERIALS, QUADRANTS, RESTORATIONS
from cases.queries import SIDES, case_counts, my_cases_page
from cases.states import STATE_LABELS, state_badge
from disputes.operations import dispute_url as url_of
from disputes.ruling_due import ruling_due
from errors import DomainError, NotFound
from extensions import commit, db
from files.permissions import serves_stored_files
from listings.pricing import public_tiers
from listings.visibility import can_order
from messaging.events import case_action_label
from messaging.threads import case_thread
from models.cases import Case, CaseFile, CaseOrder, CaseState, OrderStatus
from models.disputes import Dispute
from models.files import FileKind, StoredFile
from models.listings import Listing
from models.types import utcnow
from payments import movements
from payments.case_money import case_money, case_money_of
from payments.escrow import client_secret_of
from payments.invoices import invoices_of_case
from profiles import is_available
from screening.contact_filter import ContactDetailsRefused
from storefront.billing_gate import billing_details_first
from storefront.cases.forms import (
    CompleteForm,
    DeliveryForm,
    GrantForm,
    OrderForm,
    OutcomeForm,
    ReasonForm,
    ReviewForm,
    RevisionForm,
)
from storefront.contact_refusal import keep_refused_attempt
from storefront.files.posted import carried_files, form_files, uploaded_files
from storefront.files.views import send_reader_download
from storefront.form_errors import show_domain_error
from url_numbers import page_number, row_id

bp = Blueprint("cases", __name__, url_prefix="/cases")

SCAN_SUFFIXES = (".stl", ".ply", ".obj", ".dcm", ".zip")


@bp.app_template_global()
def case_state_label(state) -> str:
    return str(STATE_LABELS[state])


@bp.app_template_global()
def case_state_badge(state) -> str:
    return state_badge(state)


@bp.app_template_global()
def time_from_now(at, now) -> str:
    """ "in 2 days", "3 hours ago" in the reader's language: the countdown to a deadline."""
    return format_timedelta(at - now, granularity="minute", add_direction=True)


@bp.app_template_global()
def case_action_text(action: str) -> str:
    return case_action_label(action)


@bp.app_template_global()
def case_thread_id(case: Case) -> int | None:
    thread = case_thread(case.id)
    return thread.id if thread is not None else None


def _listing_or_404(listing_id: int | None):
    listing = db.session.get(Listing, listing_id) if listing_id else None
    if listing is None:
        abort(404)
    return listing


def _case_or_404(reference: str) -> Case:
    case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
    if case is None or not can_view_case(current_user, case):
        abort(404)
    return case


def _prescription_from(form: OrderForm) -> dict:
    teeth = {t: request.form.get(f"restoration_{t}") or "crown" for t in request.form.getlist("teeth")}
    return {
        "teeth": teeth,
        "arches": request.form.getlist("arches"),
        "material": form.material.data,
        "shade": form.shade.data,
        "parameters": {
            "cement_gap_um": form.cement_gap_um.data,
            "min_thickness_mm": form.min_thickness_mm.data,
            "contacts": form.contacts.data,
        },
    }


# -- ordering ----------------------------------------------------------------------------------
@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_case():
    listing = _listing_or_404(request.args.get("listing_id", type=row_id))
    if not can_order(listing, current_user):
        abort(404)
    gate = billing_details_first(
        "order",
        back_to=request.full_path if request.method == "GET" else url_for("cases.new_case", listing_id=listing.id),
    )
    if gate is not None:
        return gate
    terms = terms_of(listing)
    full = not is_available(listing.designer_id)
    confirmed_full = request.values.get("confirm_full") == "1" or request.form.get("accept_unavailable") == "1"
    if full and not confirmed_full:
        return render_template("cases/designer_full.html", listing=listing, terms=terms)
    # The page's one-time token is in its address, so the back button returns to the same order.
    token = request.args.get("order")
    if not is_order_token(token):
        if request.method == "POST":
            flash(str(ORDER_FORM_EXPIRED), "error")
        return redirect(url_for("cases.new_case", **{**request.args.to_dict(), "order": new_order_token()}), 303)
    form = OrderForm()
    refused, duplicate = None, None
    if form.validate_on_submit():
        try:
            # Scans and photos of a patient are patient data: deleted once the designer has them.
            attachments = uploaded_files() + form_files(form.attachments.name, FileKind.patient_scan)
            order, hold = place_order(
                listing,
                actor=current_user,
                order_token=token,
                prescription=_prescription_from(form),
                instructions=form.instructions.data,
                client_case_id=form.client_case_id.data,
                attachments=attachments,
                payment_method=form.card_number.data,
                accept_unavailable=confirmed_full,
                accept_duplicate=form.send_anyway.data,
            )
        except ContactDetailsRefused as exc:
            keep_refused_attempt(exc)
            refused = exc
        except DesignerUnavailable:
            db.session.rollback()
            return render_template("cases/designer_full.html", listing=listing, terms=terms)
        except OrderAlreadyPlaced as exc:
            db.session.rollback()
            return _placed_order(exc.order, listing)
        except DuplicateClientCaseId as exc:
            db.session.rollback()
            duplicate = exc.message
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            if order.case_id is None:
                return redirect(url_for("cases.confirm_payment", token=order.token))
            case = db.session.get(Case, order.case_id)
            flash(
                _(
                    "Your case %(ref)s was sent. The amount is held on your card until the designer accepts.",
                    ref=case.reference,
                ),
                "success",
            )
            return redirect(url_for("cases.show", reference=case.reference))
    tiers = [[t.min_quantity, t.unit_price_cents] for t in public_tiers(listing)]
    placed = order_with_token(token, actor=current_user)
    return render_template(
        "cases/new.html",
        form=form,
        listing=listing,
        terms=terms,
        tiers=tiers,
        refused=refused,
        duplicate=duplicate,
        quadrants=QUADRANTS,
        restorations=RESTORATIONS,
        placed_case=db.session.get(Case, placed.case_id) if placed and placed.case_id else None,
        arch_labels=ARCH_LABELS,
        chosen_teeth=set(request.form.getlist("teeth")),
        chosen_arches=set(request.form.getlist("arches")),
        confirmed_full=confirmed_full,
        sandbox=not current_app.config.get("STRIPE_SECRET_KEY"),
        carried=carried_files(),
        upload_limit=current_app.config["UPLOAD_LIMIT_BYTES"],
    )


def _placed_order(order: CaseOrder, listing):
    """The order page was submitted again: show what its first submission placed, hold nothing."""
    if order.status == OrderStatus.sent:
        case = db.session.get(Case, order.case_id)
        flash(
            _("This case was already sent as %(ref)s; nothing more was held on your card.", ref=case.reference), "info"
        )
        return redirect(url_for("cases.show", reference=case.reference))
    if order.status == OrderStatus.awaiting_payment:
        return redirect(url_for("cases.confirm_payment", token=order.token))
    flash(_("The payment of this order was declined, so it was not sent. Check it and try another card."), "error")
    return redirect(url_for("cases.new_case", listing_id=listing.id, order=new_order_token()))


@bp.route("/orders/<token>/payment", methods=["GET", "POST"])
@login_required
def confirm_payment(token: str):
    """Stripe: the browser confirms the hold in the Payment Element, then returns here."""
    order = db.session.scalar(sa.select(CaseOrder).where(CaseOrder.token == token))
    if order is None or order.client_id != current_user.id:
        abort(404)
    if request.method == "POST" or request.args.get("payment_intent") or order.status == OrderStatus.sent:
        try:
            case = confirm_order(order, actor=current_user)
        except DomainError as exc:
            commit()  # a declined order is recorded as such
            flash(exc.message, "error")
        else:
            commit()
            flash(_("Your case %(ref)s was sent.", ref=case.reference), "success")
            return redirect(url_for("cases.show", reference=case.reference))
    return render_template(
        "cases/confirm_payment.html",
        order=order,
        client_secret=client_secret_of(order),
        publishable_key=current_app.config.get("STRIPE_PUBLISHABLE_KEY"),
        return_url=url_for("cases.confirm_payment", token=token, _external=True),
    )


# -- My cases and the case page ----------------------------------------------------------------
@bp.get("/")
@login_required
def my_cases():
    side = request.args.get("side") or (
        "designer" if current_user.is_designer and not current_user.is_client else "client"
    )
    if side not in SIDES:
        side = "client"
    state = request.args.get("state") or None
    if state and state not in CaseState.__members__:
        state = None
    page = my_cases_page(current_user, side=side, state=state, page=request.args.get("page", 1, type=page_number))
    return render_template(
        "cases/list.html",
        page=page,
        side=side,
        state=state,
        counts=case_counts(current_user),
        states=list(CaseState),
        moneys=case_money_of(page.items),
        now=utcnow(),
    )


@bp.get("/<reference>")
@login_required
def show(reference: str):
    case = _case_or_404(reference)
    actions = process.allowed_actions(case, current_user) if is_party(current_user, case) else []
    invoices = []
    if case.state in (CaseState.completed, CaseState.resolved):
        invoices = invoices_of_case(case.id, viewer=current_user)
    dispute_url = due = None
    if case.state in (CaseState.disputed, CaseState.resolved) and "disputes.show" in current_app.view_functions:
        dispute = db.session.scalar(
            sa.select(Dispute).where(Dispute.case_id == case.id).order_by(Dispute.id.desc()).limit(1)
        )
        dispute_url = url_of(dispute) if dispute is not None else None
        due = ruling_due(dispute) if dispute is not None and dispute.is_active else None
    return render_template(
        "cases/show.html",
        case=case,
        actions=actions,
        now=utcnow(),
        invoices=invoices,
        dispute_url=dispute_url,
        ruling_due=due,
        payment_unconfirmed=bool(movements.unconfirmed(case.id)),
        case_money=case_money(case),
        role=(
            "client"
            if current_user.id == case.client_id
            else "designer"
            if current_user.id == case.designer_id
            else "team"
            if is_client_teammate(current_user, case)
            else "staff"
        ),
        forms={
            "reject": ReasonForm(prefix="reject"),
            "deliver": DeliveryForm(prefix="deliver"),
            "revision": RevisionForm(prefix="revision"),
            "grant": GrantForm(prefix="grant"),
            "review": ReviewForm(prefix="review"),
            "outcome": OutcomeForm(prefix="outcome"),
        },
        can_review=reviews.can_review(case, current_user),
        my_review=reviews.review_by(case, current_user),
        case_reviews=db.session.scalars(sa.select(reviews.Review).where(reviews.Review.case_id == case.id)).all(),
        restorations=RESTORATIONS,
        materials=MATERIALS,
        contacts=CONTACTS,
        arch_labels=ARCH_LABELS,
    )


def _act(reference: str, perform, done: str):
    case = _case_or_404(reference)
    try:
        perform(case)
    except ContactDetailsRefused as exc:
        keep_refused_attempt(exc)
        flash(exc.message, "error")
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        commit()
        flash(done, "success")
    return redirect(url_for("cases.show", reference=reference))


def _form_or_back(form, reference: str):
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
        return redirect(url_for("cases.show", reference=reference))
    return None


@bp.post("/<reference>/accept")
@login_required
def accept(reference: str):
    response = _act(
        reference,
        lambda c: process.accept_case(c, actor=current_user),
        _("You accepted the case. The payment is now in escrow."),
    )
    # Refused because its time ran out: expire it now rather than at the next sweep.
    case = _case_or_404(reference)
    try:
        if sweeps.expire_if_due(case, utcnow()):
            commit()
    except DomainError:
        db.session.rollback()  # the gateway is down: the sweep retries
    return response


@bp.post("/<reference>/reject")
@login_required
def reject(reference: str):
    form = ReasonForm(prefix="reject")
    return _form_or_back(form, reference) or _act(
        reference,
        lambda c: process.reject_case(c, actor=current_user, reason=form.reason.data),
        _("You rejected the case. The client's hold was released."),
    )


@bp.post("/<reference>/cancel")
@login_required
def cancel(reference: str):
    return _act(
        reference,
        lambda c: process.cancel_case(c, actor=current_user, reason=request.form.get("reason", "")),
        _("The case is cancelled. Nothing was charged, or the payment was refunded."),
    )


@bp.post("/<reference>/deliver")
@login_required
def deliver(reference: str):
    form = DeliveryForm(prefix="deliver")

    def perform(case):
        if not is_party(current_user, case):
            raise NotFound(_("This case does not exist."))
        files = uploaded_files() + form_files(form.files.name, FileKind.design)
        process.deliver_case(case, actor=current_user, note=form.note.data, files=files)

    return _form_or_back(form, reference) or _act(reference, perform, _("Delivered. The client has been told."))


@bp.post("/<reference>/revision")
@login_required
def revision(reference: str):
    form = RevisionForm(prefix="revision")
    return _form_or_back(form, reference) or _act(
        reference,
        lambda c: process.request_revision(c, actor=current_user, note=form.note.data),
        _("Revision requested. The designer has been told."),
    )


@bp.post("/<reference>/grant")
@login_required
def grant(reference: str):
    form = GrantForm(prefix="grant")
    return _form_or_back(form, reference) or _act(
        reference,
        lambda c: process.grant_revisions(c, actor=current_user, count=form.count.data),
        _("Extra revisions granted."),
    )


@bp.route("/<reference>/complete", methods=["GET", "POST"])
@login_required
def complete(reference: str):
    """Completion releases escrow for good, so it is confirmed on its own page first (no script needed)."""
    case = _case_or_404(reference)
    if "complete" not in process.allowed_actions(case, current_user):
        return redirect(url_for("cases.show", reference=reference))
    form = CompleteForm()
    if request.method == "POST":
        if form.validate_on_submit():
            return _act(
                reference,
                lambda c: process.complete_case(c, actor=current_user),
                _("Transaction complete. The designer is paid."),
            )
        flash(_("Confirm that you release the payment to the designer, on this page, to complete the case."), "error")
        return redirect(url_for("cases.complete", reference=reference))
    return render_template("cases/complete.html", case=case, form=form, case_money=case_money(case))


@bp.post("/<reference>/review")
@login_required
def review(reference: str):
    form = ReviewForm(prefix="review")
    return _form_or_back(form, reference) or _act(
        reference,
        lambda c: reviews.post_review(
            c,
            actor=current_user,
            stars=int(form.stars.data),
            text=form.text.data,
            sub_ratings=form.sub_ratings() if current_user.id == c.client_id else None,
        ),
        _("Thank you for your review."),
    )


@bp.post("/<reference>/outcome")
@login_required
def outcome(reference: str):
    form = OutcomeForm(prefix="outcome")

    def perform(case):
        review = reviews.review_by(case, current_user)
        if review is None:
            raise NotFound(_("This review does not exist."))
        reviews.record_outcome(review, actor=current_user, outcome=form.outcome.data)

    return _form_or_back(form, reference) or _act(reference, perform, _("Thank you: the outcome is recorded."))


@bp.get("/<reference>/files/<public_id>")
@login_required
@serves_stored_files
def download(reference: str, public_id: str):
    """A case file, to its two parties (delivered designs also to the client's teammates), with Range; a patient scan is handed over by its
    recipient's complete download (never before the designer accepted the request)."""
    case = _case_or_404(reference)
    link = db.session.scalar(
        sa.select(CaseFile)
        .join(StoredFile, StoredFile.id == CaseFile.file_id)
        .where(CaseFile.case_id == case.id, StoredFile.public_id == public_id)
    )
    if link is None or not can_read_case_link(current_user, case, link):
        abort(404)
    return send_reader_download(link.file)
