"""Contact us: file a ticket (signed in, or signed out with an address confirmed by a mailed link), read the
answers and answer back, in the app or through the signed link of the mails."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from accounts.tokens import TokenInvalid
from errors import DomainError, NotFound
from extensions import commit, db, limiter
from models.support import SupportTicket
from screening.contact_filter import ContactDetailsRefused
from storefront.form_errors import show_domain_error
from storefront.support.forms import AnswerForm, ContactForm, VisitorContactForm
from support import operations, tokens
from support.permissions import is_requester
from support.topics import TOPIC_LABELS
from url_numbers import page_number

bp = Blueprint("support", __name__, url_prefix="/support")
PER_PAGE = 20


def _limit():
    return limiter.limit(lambda: current_app.config["RATELIMIT_SUPPORT"], methods=["POST"])


def _refused(form, exc: DomainError):
    """Put a refusal back on the form; a contact-filter refusal is shown with its spans (nothing recorded)."""
    db.session.rollback()
    if isinstance(exc, ContactDetailsRefused):
        return exc
    show_domain_error(form, exc)
    return None


@bp.route("/contact", methods=["GET", "POST"])
@_limit()
def contact():
    if not current_user.is_authenticated:
        return _contact_signed_out()
    form = ContactForm(topic=request.args.get("topic"))
    form.related.choices = [("", _("Not about a case or payout"))] + operations.related_choices(current_user)
    refusal = None
    if form.validate_on_submit():
        try:
            ticket = operations.file_ticket(
                user=current_user,
                topic=form.topic.data,
                subject=form.subject.data,
                text=form.text.data,
                related=form.related.data or "",
                uploads=request.files.getlist("files"),
            )
        except DomainError as exc:
            refusal = _refused(form, exc)
        else:
            commit()
            flash(_("Your ticket is sent. Our support team answers here and by e-mail."), "success")
            return redirect(url_for(".ticket", ticket_id=ticket.id))
    return render_template("support/contact.html", form=form, refusal=refusal, signed_in=True)


def _contact_signed_out():
    form = VisitorContactForm(topic=request.args.get("topic"))
    refusal = None
    if form.validate_on_submit():
        try:
            operations.file_ticket_signed_out(
                email=form.email.data,
                topic=form.topic.data,
                subject=form.subject.data,
                text=form.text.data,
                locale=session.get("lang"),
            )
        except DomainError as exc:
            refusal = _refused(form, exc)
        else:
            commit()
            return render_template("support/check_mail.html", email=form.email.data.strip().lower())
    return render_template("support/contact.html", form=form, refusal=refusal, signed_in=False)


@bp.get("/")
@login_required
def my_tickets():
    page = db.paginate(
        operations.requester_tickets(current_user),
        per_page=PER_PAGE,
        error_out=False,
        page=request.args.get("page", 1, type=page_number),
    )
    return render_template("support/list.html", page=page, topics=TOPIC_LABELS)


def _answer(ticket: SupportTicket, form: AnswerForm, *, user, back: str):
    """Post the requester's answer; on success redirect to `back`, else (None, refusal) to show the form again."""
    try:
        operations.answer_as_requester(
            ticket, user=user, text=form.text.data, uploads=request.files.getlist("files") if user is not None else ()
        )
    except DomainError as exc:
        return None, _refused(form, exc)
    commit()
    flash(_("Your answer is sent. The ticket waits for our support team again."), "success")
    return redirect(back), None


@bp.route("/<int:ticket_id>", methods=["GET", "POST"])
@login_required
@_limit()
def ticket(ticket_id: int):
    ticket = db.session.get(SupportTicket, ticket_id)
    if ticket is None or not is_requester(current_user, ticket):
        abort(404)
    form, refusal = AnswerForm(), None
    if form.validate_on_submit():
        done, refusal = _answer(ticket, form, user=current_user, back=url_for(".ticket", ticket_id=ticket.id))
        if done is not None:
            return done
    return render_template(
        "support/ticket.html", ticket=ticket, form=form, refusal=refusal, topics=TOPIC_LABELS, with_files=True
    )


@bp.get("/confirm/<token>")
def confirm(token: str):
    try:
        ticket = operations.confirm_ticket(token)
    except TokenInvalid as exc:
        db.session.rollback()
        flash(
            _("This confirmation link has expired: send your message again.")
            if exc.expired
            else _("This confirmation link is not valid."),
            "error",
        )
        return redirect(url_for(".contact"))
    except NotFound:
        abort(404)
    commit()
    flash(
        _(
            "Your address is confirmed and your ticket is sent to our support team. Keep the link of this page: "
            "it opens your ticket."
        ),
        "success",
    )
    return redirect(url_for(".visitor_ticket", token=tokens.make_token(tokens.ACCESS, ticket)))


@bp.route("/t/<token>", methods=["GET", "POST"])
@_limit()
def visitor_ticket(token: str):
    try:
        ticket = operations.visitor_ticket(token)
    except (TokenInvalid, NotFound):
        db.session.rollback()
        abort(404)
    form, refusal = AnswerForm(), None
    if form.validate_on_submit():
        done, refusal = _answer(ticket, form, user=None, back=url_for(".visitor_ticket", token=token))
        if done is not None:
            return done
    return render_template(
        "support/ticket.html", ticket=ticket, form=form, refusal=refusal, topics=TOPIC_LABELS, with_files=False
    )
