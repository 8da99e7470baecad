"""The inbox, conversations and case threads, writing (with or without JavaScript), search,
reports and blocks. Rules live in messaging/; views translate them to pages and JSON."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from errors import DomainError, PermissionDenied
from extensions import commit, db, translated_labels
from files.permissions import can_read, serves_stored_files
from listings.search import designer_cards
from messaging import operations, threads
from messaging.attachments import readable_attachment, store_attachments
from messaging.permissions import (
    blocks_with,
    can_read_conversation,
    can_write_conversation,
    has_blocked,
    is_participant,
    shares_conversation,
)
from models.accounts import User
from models.messaging import Conversation, ConversationKind, Message, Participant
from screening.contact_filter import ContactDetailsRefused
from profiles.permissions import can_design
from reputation.figures import may_see_client
from storefront.contact_refusal import keep_refused_attempt
from storefront.files.posted import uploaded_files
from storefront.files.views import send_reader_download
from storefront.form_errors import show_domain_error
from storefront.messages import line_cache
from storefront.messages.forms import ATTACHMENT_KINDS, MessageForm, ReportForm, StartConversationForm
from storefront.next_page import next_page
from url_numbers import page_number, row_id
from models.listings import Listing

bp = Blueprint("messages", __name__, url_prefix="/messages")
# The thread partial's helpers are app-wide (its events read through the case area's
# case_action_text, their table translated once per language).
_ATTACHMENT_KIND_LABELS = dict(ATTACHMENT_KINDS)


@bp.app_template_global()
def attachment_kinds():
    """The composer's kinds of attachment, (value, label) in the form's order, translated once per
    language (each lazy label costs some sixty calls on every conversation page)."""
    return translated_labels(_ATTACHMENT_KIND_LABELS).items()


# The macros message_item and inbox_row through their cache (line_cache): a thread renders fifty
# lines per view, the inbox twenty rows.
bp.add_app_template_global(line_cache.message_item, "cached_message_item")
bp.add_app_template_global(line_cache.inbox_row, "cached_inbox_row")

PAGE_SIZE = 50


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


# A conversation with who is in it, by name (their staff roles are not shown), in one statement, built once.
_WITH_PARTICIPANTS = (
    sa.select(Conversation)
    .where(Conversation.id == sa.bindparam("conversation_id"))
    .options(sa.orm.joinedload(Conversation.participants).joinedload(Participant.user).lazyload(User.roles))
)


def _readable(conversation_id: int) -> Conversation:
    conversation = (
        db.session.execute(_WITH_PARTICIPANTS, {"conversation_id": conversation_id}).unique().scalar_one_or_none()
    )
    if conversation is None or not can_read_conversation(current_user, conversation):
        abort(404)
    return conversation


def _page_context(conversation: Conversation, form: MessageForm, refusal: ContactDetailsRefused | None = None):
    before = request.args.get("before", type=_parse_time)
    items = threads.thread_items(conversation, viewer=current_user, before=before, limit=PAGE_SIZE)
    others = [p.user for p in conversation.other_participants(current_user.id)]
    blocks = blocks_with(current_user.id, [u.id for u in others])  # either way, for both questions below
    general = conversation.kind == ConversationKind.general
    # The right column: the other side's listings, public and those made for the reader.
    side = [(u, designer_cards(u.id, current_user, with_private=True)) for u in others if general and u.is_designer]
    can_offer = (
        general
        and conversation.participant(current_user.id) is not None
        and can_design(current_user)
        and len(others) == 1
        and others[0].is_client
        and others[0].is_active
    )
    return dict(
        conversation=conversation,
        items=items,
        form=form,
        refusal=refusal,
        others=others,
        side=side,
        can_offer=can_offer,
        client_visible=can_offer and may_see_client(current_user, others[0].id),
        older_url=url_for("messages.conversation", conversation_id=conversation.id, before=items[0].at.isoformat())
        if len(items) == PAGE_SIZE
        else None,
        paged=before is not None,
        can_write=can_write_conversation(current_user, conversation, blocks=blocks),
        blocked_ids={blocked for blocker, blocked in blocks if blocker == current_user.id},
        last_id=max((i.message.id for i in items if i.message), default=0),
    )


def _parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("naive time")
    return parsed


@bp.get("/")
@login_required
def inbox():
    tab = ConversationKind.case if request.args.get("tab") == "cases" else ConversationKind.general
    page = threads.inbox(current_user, tab, page=request.args.get("page", 1, type=page_number))
    return render_template("messages/inbox.html", page=page, tab=tab, counts=threads.unread_counts(current_user))


@bp.get("/unread.json")
@login_required
def unread():
    return jsonify(
        **threads.unread_counts(current_user),
        conversations={str(k): v for k, v in threads.unread_by_conversation(current_user).items()},
    )


@bp.get("/<int:conversation_id>")
@login_required
def conversation(conversation_id: int):
    conversation = _readable(conversation_id)
    me = conversation.participant(current_user.id)
    read_to = me.last_read_message_id if me is not None else None
    operations.mark_read(conversation, actor=current_user)
    if me is not None and me.last_read_message_id != read_to:
        commit()  # new messages read; when none, nothing was written (and nothing is reloaded)
    return render_template("messages/conversation.html", **_page_context(conversation, MessageForm()))


@bp.post("/<int:conversation_id>")
@login_required
def post(conversation_id: int):
    conversation = _readable(conversation_id)
    form = MessageForm()
    if not form.validate():
        if _wants_json():
            return jsonify(error=" ".join(e for errs in form.errors.values() for e in errs)), 400
        return render_template("messages/conversation.html", **_page_context(conversation, form)), 400
    try:
        attachments = store_attachments(
            request.files.getlist(form.files.name),
            owner=current_user,
            uploaded=uploaded_files(),
            patient_scans=form.sends_patient_scans,
        )
        message = operations.post_message(
            conversation, actor=current_user, body=form.body.data or "", attachments=attachments
        )
    except ContactDetailsRefused as exc:
        keep_refused_attempt(exc)
        conversation = _readable(conversation_id)
        if _wants_json():
            return jsonify(
                error=exc.message,
                refusal_html=render_template("messages/_refusal.html", refusal=exc),
                findings=[
                    {"start": f.start, "end": f.end, "text": f.text, "kind": f.kind, "reason": f.reason}
                    for f in exc.findings.get("body", [])
                ],
            ), 422
        return render_template("messages/conversation.html", **_page_context(conversation, form, exc)), 422
    except DomainError as exc:
        db.session.rollback()
        if _wants_json():
            return jsonify(error=exc.message), 403 if isinstance(exc, PermissionDenied) else 400
        show_domain_error(form, exc)
        return render_template("messages/conversation.html", **_page_context(_readable(conversation_id), form)), 400
    commit()
    if _wants_json():
        return jsonify(
            id=message.id,
            html=render_template(
                "messages/_message.html",
                message=threads.message_line(message.id),
                takes_part=conversation.participant(current_user.id) is not None,
            ),
        )
    return redirect(url_for("messages.conversation", conversation_id=conversation_id, _anchor=f"m{message.id}"))


@bp.get("/<int:conversation_id>/poll")
@login_required
def poll(conversation_id: int):
    """New messages since `after` (the open page asks every few seconds), read as they arrive."""
    conversation = _readable(conversation_id)
    new = threads.messages_after(conversation, request.args.get("after", 0, type=row_id))
    if new:
        operations.mark_read(conversation, actor=current_user)
        commit()
    takes_part = conversation.participant(current_user.id) is not None
    html = "".join(render_template("messages/_message.html", message=m, takes_part=takes_part) for m in new)
    return jsonify(html=html, last_id=new[-1].id if new else None, unread=threads.unread_counts(current_user))


@bp.get("/attachments/<public_id>")
@login_required
@serves_stored_files
def attachment(public_id: str):
    """A file sent in a conversation I read, with Range; patient data is handed over by its
    recipient's complete download, as anywhere else."""
    found = readable_attachment(public_id, current_user)
    if found is None or not can_read(current_user, found[1]):
        abort(404)  # patient data is the two parties' only, whoever else reads the thread
    return send_reader_download(found[1])


@bp.route("/start", methods=["GET", "POST"])
@login_required
def start():
    """Write to a designer (or client) from their profile or a listing."""
    recipient = db.session.get(User, request.args.get("user_id", type=row_id) or 0)
    if recipient is None or not recipient.is_active or recipient.id == current_user.id:
        abort(404)
    listing = _listing_of(recipient, request.args.get("listing_id", type=row_id))
    existing = threads.general_conversation(current_user, recipient)
    if (
        existing is not None
        and existing.last_message_at is not None
        and request.method == "GET"
        and (listing is None or existing.listing_id == listing.id)
    ):
        return redirect(url_for("messages.conversation", conversation_id=existing.id))
    form = StartConversationForm()
    refusal = None
    blocked = has_blocked(recipient.id, current_user.id)
    if form.validate_on_submit():
        try:
            message = operations.start_conversation(
                recipient,
                actor=current_user,
                body=form.body.data,
                listing_id=listing.id if listing else None,
                subject=listing.title if listing else None,
            )
        except ContactDetailsRefused as exc:
            keep_refused_attempt(exc)
            refusal = exc
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            return redirect(url_for("messages.conversation", conversation_id=message.conversation_id))
    return render_template(
        "messages/start.html", form=form, recipient=recipient, listing=listing, refusal=refusal, blocked=blocked
    ), 422 if refusal else 200


def _listing_of(recipient: User, listing_id: int | None):
    if not listing_id:
        return None
    listing = db.session.get(Listing, listing_id)
    return listing if listing is not None and listing.designer_id == recipient.id else None


@bp.get("/search")
@login_required
def search():
    text = (request.args.get("q") or "").strip()
    page = (
        threads.search_messages(current_user, text, page=request.args.get("page", 1, type=page_number))
        if len(text) >= 2
        else None
    )
    return render_template("messages/search.html", text=text, page=page)


@bp.route("/report/message/<int:message_id>", methods=["GET", "POST"])
@login_required
def report_message(message_id: int):
    message = db.session.get(Message, message_id)
    if (
        message is None
        or not is_participant(current_user, message.conversation)
        or message.sender_id == current_user.id
    ):
        abort(404)
    return _report(
        lambda reason, note: operations.report_message(message, actor=current_user, reason=reason, note=note),
        message.conversation_id,
        subject=message.sender,
        message=message,
    )


@bp.route("/report/user/<int:user_id>", methods=["GET", "POST"])
@login_required
def report_user(user_id: int):
    user = db.session.get(User, user_id)
    # Only someone met in a conversation: for anyone else the page would reveal a stranger's name.
    if user is None or user.id == current_user.id or not shares_conversation(current_user, user.id):
        abort(404)
    back = request.args.get("conversation_id", type=row_id)
    return _report(
        lambda reason, note: operations.report_user(user, actor=current_user, reason=reason, note=note),
        back,
        subject=user,
        message=None,
    )


def _report(send, conversation_id: int | None, *, subject: User, message: Message | None):
    form = ReportForm()
    if form.validate_on_submit():
        try:
            send(form.reason.data, form.note.data)
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            flash(_("Thank you. A moderator will look at your report."), "success")
            return redirect(
                url_for("messages.conversation", conversation_id=conversation_id)
                if conversation_id
                else url_for("messages.inbox")
            )
    return render_template(
        "messages/report.html", form=form, subject=subject, message=message, conversation_id=conversation_id
    )


@bp.post("/block/<int:user_id>")
@login_required
def block(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    try:
        operations.block_user(user, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        commit()
        flash(_("%(name)s can no longer write to you outside your cases.", name=user.display_name), "success")
    return redirect(_back())


@bp.post("/unblock/<int:user_id>")
@login_required
def unblock(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    operations.unblock_user(user, actor=current_user)
    commit()
    flash(_("%(name)s can write to you again.", name=user.display_name), "success")
    return redirect(_back())


def _back() -> str:
    return next_page(url_for("messages.inbox"))
