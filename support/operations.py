"""Tickets of the support desk: filed, confirmed, answered, solved, re-opened.

    (filed signed out) unconfirmed --confirm--> open
    (filed signed in)  open --staff answers--> waiting --staff solves--> solved
                       open --staff solves--> solved
                       waiting | solved --the requester answers--> open

Only `open` tickets wait in the back-office queue ("ticket"); their due time counts from
`waiting_since`, the moment they last started waiting for staff. Every message is written to
the audit log (ticket.*), the requester's and the staff's alike.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from accounts.operations import find_by_email, normalise_email
from errors import DomainError, InvalidTransition, NotFound
from extensions import db
from files.operations import open_file
from files.permissions import staff_may_read
from messaging.mail import send_mail
from models.accounts import User
from models.cases import Case
from models.ledger import Journal, JournalKind
from models.moderation import ViolationSource
from models.support import SupportTicket, TicketMessage, TicketStatus, TicketTopic
from models.types import utcnow
from moderation import claims, permissions as staff_permissions
from audit.trail import record_action
from screening.contact_filter import screen_text
from support import tokens
from support.attachments import store_ticket_files
from support.permissions import can_work_tickets

QUEUE = "ticket"  # the claims' object type and the service level's key
SUBJECT_MAX, TEXT_MAX = 120, 5000
RELATED_SHOWN = 50
# (state, who) → the states it may move to; anything else is InvalidTransition.
TRANSITIONS = {
    (TicketStatus.unconfirmed, "visitor"): {TicketStatus.open},
    (TicketStatus.open, "staff"): {TicketStatus.waiting, TicketStatus.solved},
    (TicketStatus.waiting, "staff"): {TicketStatus.waiting, TicketStatus.solved},
    (TicketStatus.waiting, "requester"): {TicketStatus.open},
    (TicketStatus.solved, "requester"): {TicketStatus.open},
    (TicketStatus.open, "requester"): {TicketStatus.open},
}


def _move(ticket: SupportTicket, who: str, to: TicketStatus) -> None:
    if to not in TRANSITIONS.get((ticket.status, who), set()):
        raise InvalidTransition(
            _l("This ticket cannot change that way now (it is %(state)s).", state=ticket.status.value)
        )
    if to == TicketStatus.open and ticket.status != TicketStatus.open:
        ticket.waiting_since = utcnow()
    ticket.solved_at = utcnow() if to == TicketStatus.solved else None
    ticket.status = to


def _clean(subject: str | None, text: str) -> tuple[str | None, str]:
    if subject is not None:
        subject = subject.strip()
        if not subject or len(subject) > SUBJECT_MAX:
            raise DomainError(_l("Give a subject of at most %(n)d characters.", n=SUBJECT_MAX), field="subject")
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Write your message."), field="text")
    if len(text) > TEXT_MAX:
        raise DomainError(_l("A message holds at most %(n)d characters.", n=TEXT_MAX), field="text")
    return subject, text


def _screen(fields: dict, lang: str | None) -> None:
    """The contact filter on what a requester writes. Nothing is recorded against them: telling the platform
    one's own phone number is no off-platform deal, but tickets stay free of contact details like the rest."""
    screen_text(fields, author=None, source=ViolationSource.message, lang=lang)


def _topic(value: str) -> TicketTopic:
    try:
        return TicketTopic(value)
    except ValueError:
        raise DomainError(_l("Choose a topic from the list."), field="topic") from None


# ---- the related case or payout ------------------------------------------------------------------


def own_cases(user: User):
    return db.session.scalars(
        sa.select(Case)
        .where(sa.or_(Case.client_id == user.id, Case.designer_id == user.id))
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(RELATED_SHOWN)
    ).all()


def own_payouts(user: User):
    """Payout journals of the cases `user` designed: each completed case paid out to them."""
    return db.session.execute(
        sa.select(Journal, Case)
        .join(Case, Case.id == Journal.case_id)
        .where(Journal.kind == JournalKind.payout, Case.designer_id == user.id)
        .order_by(Journal.created_at.desc(), Journal.id.desc())
        .limit(RELATED_SHOWN)
    ).all()


def related_choices(user: User) -> list[tuple[str, str]]:
    """("case:<id>" | "payout:<id>", label) of the user's own cases and payouts, newest first."""
    choices = [
        (f"case:{case.id}", str(_l("Case %(ref)s — %(title)s", ref=case.reference, title=case.listing_title)))
        for case in own_cases(user)
    ]
    choices += [
        (
            f"payout:{journal.id}",
            str(
                _l("Payout of case %(ref)s (%(day)s)", ref=case.reference, day=journal.created_at.strftime("%Y-%m-%d"))
            ),
        )
        for journal, case in own_payouts(user)
    ]
    return choices


def _related(user: User, value: str) -> tuple[int | None, int | None]:
    """(case id, payout journal id) picked; DomainError for anything that is not the user's own."""
    if not value:
        return None, None
    kind, _sep, number = value.partition(":")
    if number.isdigit():
        if kind == "case":
            case = db.session.get(Case, int(number))
            if case is not None and user.id in (case.client_id, case.designer_id):
                return case.id, None
        if kind == "payout":
            journal = db.session.get(Journal, int(number))
            if (
                journal is not None
                and journal.kind == JournalKind.payout
                and journal.case_id is not None
                and db.session.get(Case, journal.case_id).designer_id == user.id
            ):
                return journal.case_id, journal.id
    raise DomainError(_l("Pick one of your own cases or payouts."), field="related")


# ---- filing ---------------------------------------------------------------------------------------


def _add_message(
    ticket: SupportTicket, *, author: User | None, body: str, staff: bool = False, attachments=()
) -> TicketMessage:
    message = TicketMessage(
        ticket=ticket, author_id=author.id if author is not None else None, from_staff=staff, body=body
    )
    message.attachments.extend(attachments)
    db.session.add(message)
    db.session.flush()
    return message


def file_ticket(*, user: User, topic: str, subject: str, text: str, related: str = "", uploads=()) -> SupportTicket:
    """A signed-in user's ticket, waiting for staff at once.

    Raises DomainError (a field is missing or too long, a topic or related item not offered),
    ContactDetailsRefused, ContentRefused (an attachment that is not a picture, a PDF or text)."""
    topic_value = _topic(topic)
    subject, text = _clean(subject, text)
    _screen({"subject": subject, "text": text}, user.locale)
    case_id, journal_id = _related(user, related)
    now = utcnow()
    ticket = SupportTicket(
        user_id=user.id,
        email=user.email,
        signed_in=True,
        locale=user.locale or _default_locale(),
        topic=topic_value,
        subject=subject,
        case_id=case_id,
        payout_journal_id=journal_id,
        status=TicketStatus.open,
        created_at=now,
        waiting_since=now,
    )
    db.session.add(ticket)
    db.session.flush()
    _add_message(ticket, author=user, body=text, attachments=store_ticket_files(uploads, owner=user))
    record_action(
        "ticket.filed", ticket, actor=user, after={"topic": topic_value.value, "case": case_id, "payout": journal_id}
    )
    return ticket


def _default_locale() -> str:
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def file_ticket_signed_out(*, email: str, topic: str, subject: str, text: str, locale: str | None) -> SupportTicket:
    """A signed-out visitor's ticket: kept unconfirmed, and a link to confirm the address is mailed to it.

    Raises DomainError (as file_ticket; too many tickets of this address wait for their link),
    ContactDetailsRefused."""
    email = normalise_email(email or "")
    if "@" not in email or len(email) > 254:
        raise DomainError(_l("Give a valid e-mail address."), field="email")
    topic_value = _topic(topic)
    subject, text = _clean(subject, text)
    _screen({"subject": subject, "text": text}, locale)
    since = utcnow() - timedelta(days=1)
    waiting = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(SupportTicket)
        .where(
            SupportTicket.email == email,
            SupportTicket.status == TicketStatus.unconfirmed,
            SupportTicket.created_at > since,
        )
    )
    if waiting >= current_app.config["SUPPORT_UNCONFIRMED_PER_EMAIL"]:
        raise DomainError(
            _l("Tickets of this address already wait for their confirmation: open the link we mailed to it first."),
            field="email",
        )
    ticket = SupportTicket(
        email=email,
        signed_in=False,
        locale=locale or _default_locale(),
        topic=topic_value,
        subject=subject,
        status=TicketStatus.unconfirmed,
    )
    db.session.add(ticket)
    db.session.flush()
    _add_message(ticket, author=None, body=text)
    record_action("ticket.filed", ticket, actor=None, after={"topic": topic_value.value, "signed_out": True})
    send_mail(email, "support_confirm", locale=ticket.locale, ticket=ticket)
    return ticket


def confirm_ticket(token: str) -> SupportTicket:
    """The visitor opened the mailed link: the ticket joins the queue, linked to the account of that address
    if there is one (the link proves the visitor reads its mail). Confirming twice changes nothing.

    Raises TokenInvalid, NotFound (the ticket is gone or was filed with another address)."""
    ticket_id, email = tokens.read_token(tokens.CONFIRM, token)
    ticket = db.session.get(SupportTicket, ticket_id, with_for_update=True, populate_existing=True)
    if ticket is None or ticket.email != email:
        raise NotFound(_l("This ticket does not exist."))
    if ticket.status != TicketStatus.unconfirmed:
        return ticket
    _move(ticket, "visitor", TicketStatus.open)
    account = find_by_email(email)
    if account is not None:
        ticket.user_id = account.id
    db.session.flush()
    record_action("ticket.confirmed", ticket, actor=None, after={"status": "open", "user_id": ticket.user_id})
    return ticket


def visitor_ticket(token: str) -> SupportTicket:
    """The ticket a visitor's signed link opens. Raises TokenInvalid, NotFound."""
    ticket_id, email = tokens.read_token(tokens.ACCESS, token)
    ticket = db.session.get(SupportTicket, ticket_id)
    if ticket is None or ticket.email != email or ticket.status == TicketStatus.unconfirmed:
        raise NotFound(_l("This ticket does not exist."))
    return ticket


def _locked(ticket: SupportTicket) -> SupportTicket:
    locked = db.session.get(SupportTicket, ticket.id, with_for_update=True, populate_existing=True)
    if locked is None:
        raise NotFound(_l("This ticket does not exist."))
    return locked


def answer_as_requester(ticket: SupportTicket, *, user: User | None, text: str, uploads=()) -> TicketMessage:
    """The requester answers (in the app, or a visitor through the signed link): the ticket waits for staff
    again, re-opened if it was solved. `user` None is the visitor; only a signed-in requester attaches files.

    Raises DomainError, ContactDetailsRefused, ContentRefused, InvalidTransition (not confirmed yet)."""
    ticket = _locked(ticket)
    _subject, text = _clean(None, text)
    _screen({"text": text}, ticket.locale)
    _move(ticket, "requester", TicketStatus.open)
    attachments = store_ticket_files(uploads, owner=user) if user is not None else []
    message = _add_message(ticket, author=user, body=text, attachments=attachments)
    record_action("ticket.user_replied", ticket, actor=user, after={"status": "open", "message": message.id})
    return message


def answer_ticket(ticket: SupportTicket, *, actor: User, text: str, solve: bool = False) -> TicketMessage:
    """Staff answer: the ticket then waits on the user (or is solved), the requester is mailed the answer
    with a link back to the ticket, and the claim on it is released.

    Raises PermissionDenied (not support staff), InvalidTransition (someone else holds it; not open or waiting),
    DomainError (no text)."""
    staff_permissions.require(can_work_tickets(actor))
    ticket = _locked(ticket)
    _subject, text = _clean(None, text)
    claims.require_claim(QUEUE, ticket.id, actor=actor)
    before = ticket.status.value
    _move(ticket, "staff", TicketStatus.solved if solve else TicketStatus.waiting)
    message = _add_message(ticket, author=actor, body=text, staff=True)
    claims.release_item(QUEUE, ticket.id)
    record_action(
        "ticket.replied",
        ticket,
        actor=actor,
        before={"status": before},
        after={"status": ticket.status.value, "message": message.id},
        reason=text,
    )
    if solve:
        record_action("ticket.solved", ticket, actor=actor, before={"status": before}, after={"status": "solved"})
    # A ticket filed signed in follows its account's address; a visitor's link names the address it was filed with.
    to = ticket.user.email if ticket.signed_in and ticket.user is not None else ticket.email
    send_mail(to, "support_answer", locale=ticket.locale, ticket=ticket, message=message)
    return message


def solve_ticket(ticket: SupportTicket, *, actor: User) -> SupportTicket:
    """Close a ticket without a further answer (the user said thanks, or it needs nothing more).

    Raises PermissionDenied, InvalidTransition (already solved, not confirmed, held by someone else)."""
    staff_permissions.require(can_work_tickets(actor))
    ticket = _locked(ticket)
    if ticket.status == TicketStatus.open:
        claims.require_claim(QUEUE, ticket.id, actor=actor)
    before = ticket.status.value
    _move(ticket, "staff", TicketStatus.solved)
    claims.release_item(QUEUE, ticket.id)
    db.session.flush()
    record_action("ticket.solved", ticket, actor=actor, before={"status": before}, after={"status": "solved"})
    return ticket


def requester_tickets(user: User):
    """A select of the user's tickets, the ones waiting on them first, then the newest."""
    order = sa.case((SupportTicket.status == TicketStatus.waiting, 0), else_=1)
    return (
        sa.select(SupportTicket)
        .where(SupportTicket.user_id == user.id)
        .order_by(order, SupportTicket.created_at.desc(), SupportTicket.id.desc())
    )


def queue_size() -> tuple[int, object]:
    """Open tickets, and when the one waiting longest started waiting."""
    return db.session.execute(
        sa.select(sa.func.count(), sa.func.min(SupportTicket.waiting_since)).where(
            SupportTicket.status == TicketStatus.open
        )
    ).one()


def read_ticket_file(ticket: SupportTicket, public_id: str, *, actor: User):
    """(file, decrypted chunks) of a file sent with `ticket`, for support staff; the opening is audited.

    Raises NotFound for anything else (another ticket's file, a deleted one, a kind staff never read)."""
    if not can_work_tickets(actor):
        raise NotFound(_l("This file does not exist."))
    stored = next((a.file for m in ticket.messages for a in m.attachments if a.file.public_id == public_id), None)
    if stored is None or stored.is_deleted or not staff_may_read(stored):
        raise NotFound(_l("This file does not exist."))
    chunks = open_file(stored)
    record_action(
        "ticket.file_read", ticket, actor=actor, after={"file": stored.public_id, "name": stored.original_name}
    )
    return stored, chunks


def drop_unconfirmed_tickets(now) -> int:
    """Sweep: delete tickets filed signed out whose confirmation link has expired unopened (the address and text
    of someone who never confirmed are not kept). Returns how many."""
    cutoff = now - timedelta(seconds=current_app.config["CONFIRM_EMAIL_MAX_AGE"])
    stale = db.session.scalars(
        sa.select(SupportTicket)
        .where(SupportTicket.status == TicketStatus.unconfirmed, SupportTicket.created_at < cutoff)
        .limit(500)
    ).all()
    for ticket in stale:
        db.session.delete(ticket)
    db.session.flush()
    return len(stale)
