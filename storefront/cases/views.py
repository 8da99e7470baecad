"""My cases, the case page and its action buttons, reviews, case files (the order page is in ordering.py)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cases import process, reviews, sweeps
from cases.permissions import can_read_case_link, can_view_case, is_client_teammate, is_party
from cases.prescription import ARCH_LABELS, CONTACTS, MATERIALS, RESTORATIONS
from cases.queries import SIDES, case_counts, my_cases_page
from disputes.operations import dispute_url as url_of
from disputes.ruling_due import ruling_due
from errors import DomainError, InvalidTransition, NotFound
from extensions import commit, db, translated_labels
from files.permissions import serves_stored_files
from models.accounts import User
from models.cases import Case, CaseEvent, CaseFile, CaseState, Delivery
from models.disputes import Dispute
from models.files import FileKind, StoredFile
from models.messaging import Conversation
from models.types import utcnow
from payments import movements
from payments.case_money import case_money, case_money_of
from payments.invoices import invoices_of_case
from screening.contact_filter import ContactDetailsRefused
from storefront.cases.forms import (
    ACTION_LIMITS,
    CompleteForm,
    DeliveryForm,
    GrantForm,
    OutcomeForm,
    ReasonForm,
    ReviewForm,
    RevisionForm,
)
from storefront.contact_refusal import keep_refused_attempt
from storefront.files.posted import form_files, uploaded_files
from storefront.files.views import send_reader_download
from url_numbers import page_number
from storefront.cases import ordering  # noqa: F401 - registers the ordering routes on bp
from storefront.cases.blueprint import bp


_BY_REFERENCE = sa.select(Case).where(Case.reference == sa.bindparam("reference"))


def _case_or_404(reference: str, query: sa.Select = _BY_REFERENCE, *, locked: bool = False) -> Case:
    """The case the user may see; `locked`: under its row lock, for an action about to change it
    (the action then reads the row once, not a second time to lock it)."""
    if locked:
        case = process.lock_case(reference)
    else:
        case = db.session.scalar(query, {"reference": reference})
    return _viewable(case)


def _viewable(case: Case | None) -> Case:
    if case is None or not can_view_case(current_user, case):
        abort(404)
    return case


# The case page's case, its parties (their staff roles are not shown), its thread's id (the page
# links to the thread) and whether a payment step awaits the provider's confirmation, in one row. Built once each (building a statement with its loader options
# costs more than running it).
_CASE_PAGE = (
    sa.select(
        Case,
        sa.select(Conversation.id).where(Conversation.case_id == Case.id).scalar_subquery(),
        sa.exists().where(movements.unconfirmed_of(Case.id)),
    )
    .where(Case.reference == sa.bindparam("reference"))
    .options(
        sa.orm.joinedload(Case.client).lazyload(User.roles),
        sa.orm.joinedload(Case.designer).lazyload(User.roles),
    )
)
# Then, once the reader may see the case, what it holds, each in one plain statement whatever the
# deliveries and files: every file of the case with its stored row (the order's attachments and each
# delivery's files), the deliveries, the timeline.
_CASE_FILES = (
    sa.select(CaseFile, StoredFile)
    .join(StoredFile, StoredFile.id == CaseFile.file_id)
    .where(CaseFile.case_id == sa.bindparam("case_id"))
    .order_by(CaseFile.id)
)
_DELIVERIES = sa.select(Delivery).where(Delivery.case_id == sa.bindparam("case_id")).order_by(Delivery.id)
_EVENTS = sa.select(CaseEvent).where(CaseEvent.case_id == sa.bindparam("case_id")).order_by(CaseEvent.id)


def _load_case_page(case: Case) -> None:
    """Set the case's files, deliveries (with their files) and events as loaded, from the three
    statements above instead of a loader per relationship."""
    params = {"case_id": case.id}
    files = []
    by_delivery: dict[int, list[CaseFile]] = {}
    for case_file, stored in db.session.execute(_CASE_FILES, params):
        set_committed_value(case_file, "file", stored)
        files.append(case_file)
        if case_file.delivery_id is not None:
            by_delivery.setdefault(case_file.delivery_id, []).append(case_file)
    deliveries = db.session.scalars(_DELIVERIES, params).all()
    for delivery in deliveries:
        set_committed_value(delivery, "files", by_delivery.get(delivery.id, []))
    set_committed_value(case, "files", files)
    set_committed_value(case, "deliveries", deliveries)
    set_committed_value(case, "events", db.session.scalars(_EVENTS, params).all())


class _ActionForms(dict):
    """The case page's forms, each built when the page shows it (most pages show one or two)."""

    KINDS = {
        "deliver": DeliveryForm,
        "review": ReviewForm,
        "outcome": OutcomeForm,
    }

    def __missing__(self, name: str):
        form = self[name] = self.KINDS[name](prefix=name)
        return form


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
    row = db.session.execute(_CASE_PAGE, {"reference": reference}).one_or_none()
    case = _viewable(row[0] if row else None)
    thread_id, payment_unconfirmed = row[1:]
    _load_case_page(case)
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
    case_reviews, my_review, can_review = reviews.reviews_of_case(case, current_user)
    return render_template(
        "cases/show.html",
        case=case,
        thread_id=thread_id,
        actions=actions,
        now=utcnow(),
        invoices=invoices,
        dispute_url=dispute_url,
        ruling_due=due,
        payment_unconfirmed=payment_unconfirmed,
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
        forms=_ActionForms(),
        action_limits=ACTION_LIMITS,
        can_review=can_review,
        my_review=my_review,
        case_reviews=case_reviews,
        # The prescription's words, translated once per language (a lazy label costs sixty calls).
        restorations=translated_labels(RESTORATIONS),
        materials=translated_labels(MATERIALS),
        contacts=translated_labels(CONTACTS),
        arch_labels=translated_labels(ARCH_LABELS),
    )


def _act(reference: str, perform, done: str, *, case: Case | None = None, transition: bool = False):
    """Run `perform(case)` and commit, or flash why not; `case`: the route has loaded it already;
    `transition`: `perform` applies an action of the case process, which locks the case first."""
    case = case or _case_or_404(reference, locked=transition)
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
    refused = []

    def perform(case):
        try:
            process.accept_case(case, actor=current_user)
        except InvalidTransition:
            refused.append(True)
            raise

    response = _act(reference, perform, _("You accepted the case. The payment is now in escrow."), transition=True)
    if not refused:  # accepted, or refused for another reason than the state or its deadline
        return response
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
        transition=True,
    )


@bp.post("/<reference>/cancel")
@login_required
def cancel(reference: str):
    return _act(
        reference,
        lambda c: process.cancel_case(c, actor=current_user, reason=request.form.get("reason", "")),
        _("The case is cancelled. Nothing was charged, or the payment was refunded."),
        transition=True,
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
        transition=True,
    )


@bp.post("/<reference>/grant")
@login_required
def grant(reference: str):
    form = GrantForm(prefix="grant")
    return _form_or_back(form, reference) or _act(
        reference,
        lambda c: process.grant_revisions(c, actor=current_user, count=form.count.data),
        _("Extra revisions granted."),
        transition=True,
    )


@bp.route("/<reference>/complete", methods=["GET", "POST"])
@login_required
def complete(reference: str):
    """Completion releases escrow for good, so it is confirmed on its own page first (no script needed)."""
    case = _case_or_404(reference, locked=request.method == "POST")
    if "complete" not in process.allowed_actions(case, current_user):
        return redirect(url_for("cases.show", reference=reference))
    form = CompleteForm()
    if request.method == "POST":
        if form.validate_on_submit():
            return _act(
                reference,
                lambda c: process.complete_case(c, actor=current_user),
                _("Transaction complete. The designer is paid."),
                case=case,
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
