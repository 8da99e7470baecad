"""Canned responses (macros): texts staff pick for a decision, per queue and per language.

A macro's body may name placeholders in braces, `{user_name}`; each queue has a fixed set,
filled from the item being decided. A body naming anything else is refused when saved. The
filling is a plain substitution of known names (never a template language: no attribute
access, no code), and a name a body does not know stays as written.

Admins write and retire macros (audited as macro.*); moderators see the ones of their queue in
the recipient's language on the decision forms, and may edit the text before sending it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from audit.trail import record_action
from errors import DomainError, NotFound
from extensions import db
from models.accounts import User
from models.disputes import Dispute
from models.listings import Listing
from models.moderation import CannedResponse, Violation, ViolationSource
from models.support import SupportTicket
from models.types import utcnow
from moderation import permissions
from moderation.review import LISTING, PROFILE
from moderation.violations import REPORT_REASONS

VERIFICATION, VIOLATION, SUPPORT = "verification", "violation", "ticket"  # PROFILE, LISTING: the review queues
DISPUTE = "dispute"  # the resolution centre: messages to the parties and rulings (both parties read them)

QUEUES = {
    PROFILE: _l("Profile review: rejections"),
    LISTING: _l("Listing review: rejections"),
    VERIFICATION: _l("Identity verification: rejections"),
    VIOLATION: _l("Violations: warnings"),
    DISPUTE: _l("Disputes: messages to the parties and rulings"),
    SUPPORT: _l("Support desk: answers"),
}

LANGUAGES = {"en": _l("English"), "fr": _l("French")}

# The placeholders each queue can fill, and what each stands for (shown to the admin who writes).
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    PROFILE: ("user_name",),
    LISTING: ("user_name", "listing_title"),
    VERIFICATION: ("user_name",),
    VIOLATION: ("user_name", "rule_broken"),
    DISPUTE: ("client_name", "designer_name", "case_reference", "listing_title"),
    SUPPORT: ("user_name", "ticket_subject"),
}
PLACEHOLDER_WORDS = {
    "user_name": _l("the recipient's name"),
    "listing_title": _l("the listing's title"),
    "rule_broken": _l("the rule broken (the report's reason, or sharing contact details)"),
    "client_name": _l("the client's name"),
    "designer_name": _l("the designer's name"),
    "case_reference": _l("the case's reference"),
    "ticket_subject": _l("the support ticket's subject"),
}

# Anything between braces is a placeholder: it must be one of the queue's names.
BRACED = re.compile(r"\{([^{}]*)\}")
TITLE_MAX, BODY_MAX = 120, 2000

CONTACT_RULE = _l("sharing contact details or asking to work outside Occlusa")


@dataclass
class Offer:
    """A macro as a decision form offers it: filled in for the item, in the recipient's language."""

    id: int
    title: str
    text: str


def placeholders_in(body: str) -> list[str]:
    return BRACED.findall(body)


def fill(body: str, values: dict[str, str]) -> str:
    """Replace each known `{name}` by its value; everything else stays as written."""
    return BRACED.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def check(queue: str, language: str, title: str, body: str) -> tuple[str, str]:
    """(title, body) cleaned, or DomainError saying what is wrong."""
    if queue not in QUEUES:
        raise DomainError(_l("Choose a queue from the list."), field="queue")
    if language not in LANGUAGES:
        raise DomainError(_l("Choose a language from the list."), field="language")
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise DomainError(_l("Give the macro a title of at most %(n)d characters.", n=TITLE_MAX), field="title")
    if not body or len(body) > BODY_MAX:
        raise DomainError(_l("Write the text, at most %(n)d characters.", n=BODY_MAX), field="body")
    unknown = sorted({name for name in placeholders_in(body) if name not in PLACEHOLDERS[queue]})
    if unknown:
        raise DomainError(
            _l(
                "Unknown placeholder(s) for this queue: %(unknown)s. Allowed: %(allowed)s.",
                unknown=", ".join("{%s}" % name for name in unknown),
                allowed=", ".join("{%s}" % name for name in PLACEHOLDERS[queue]),
            ),
            field="body",
        )
    return title, body


def _snapshot(macro: CannedResponse) -> dict:
    return {"queue": macro.queue, "language": macro.language, "title": macro.title, "body": macro.body}


def create_macro(*, actor: User, queue: str, language: str, title: str, body: str) -> CannedResponse:
    """A new macro. Raises PermissionDenied (admins only), DomainError (see check)."""
    permissions.require(permissions.can_manage_staff(actor))
    title, body = check(queue, language, title, body)
    macro = CannedResponse(queue=queue, language=language, title=title, body=body)
    db.session.add(macro)
    db.session.flush()
    record_action("macro.created", macro, actor=actor, after=_snapshot(macro))
    return macro


def _locked(macro_id: int) -> CannedResponse:
    macro = db.session.get(CannedResponse, macro_id, with_for_update=True, populate_existing=True)
    if macro is None:
        raise NotFound(_l("This macro does not exist."))
    return macro


def update_macro(macro_id: int, *, actor: User, queue: str, language: str, title: str, body: str) -> CannedResponse:
    """Change a macro's queue, language or text. Raises PermissionDenied, NotFound, DomainError."""
    permissions.require(permissions.can_manage_staff(actor))
    title, body = check(queue, language, title, body)
    macro = _locked(macro_id)
    before = _snapshot(macro)
    macro.queue, macro.language, macro.title, macro.body = queue, language, title, body
    macro.updated_at = utcnow()
    db.session.flush()
    record_action("macro.updated", macro, actor=actor, before=before, after=_snapshot(macro))
    return macro


def retire_macro(macro_id: int, *, actor: User) -> CannedResponse:
    """No longer offered on decision forms. Raises PermissionDenied, NotFound, DomainError (retired)."""
    permissions.require(permissions.can_manage_staff(actor))
    macro = _locked(macro_id)
    if macro.retired_at is not None:
        raise DomainError(_l("This macro is already retired."))
    macro.retired_at = utcnow()
    db.session.flush()
    record_action("macro.retired", macro, actor=actor, before={"retired": False}, after={"retired": True})
    return macro


def macro_list(*, queue: str | None = None, language: str | None = None, retired: bool = False):
    """A select of macros for the admin's list: active ones (or retired), by queue, language, title."""
    query = sa.select(CannedResponse).where(
        CannedResponse.retired_at.isnot(None) if retired else CannedResponse.retired_at.is_(None)
    )
    if queue in QUEUES:
        query = query.where(CannedResponse.queue == queue)
    if language in LANGUAGES:
        query = query.where(CannedResponse.language == language)
    return query.order_by(CannedResponse.queue, CannedResponse.language, CannedResponse.title)


def recipient_of(queue: str, item) -> User | None:
    """Who reads the decision's text (None: a signed-out visitor's ticket, read by its address; a
    dispute has two readers: see readers_of)."""
    if queue == PROFILE:
        return item.user
    if queue in (LISTING, VERIFICATION):
        return item.designer
    return item.user


def readers_of(queue: str, item) -> list[User]:
    """Everyone who may read the text: both parties of a dispute, the one recipient elsewhere."""
    if queue == DISPUTE:
        return [item.case.client, item.case.designer]
    return [recipient_of(queue, item)]


def recipient_language(user: User) -> str:
    """The recipient's language (their locale), the platform's default if they chose none we speak."""
    return user.locale if user.locale in LANGUAGES else current_app.config["BABEL_DEFAULT_LOCALE"]


def _languages(queue: str, item) -> list[str]:
    """The languages the text is read in: a ticket's own (the one it was filed in), else the readers'."""
    if isinstance(item, SupportTicket):
        return [item.locale if item.locale in LANGUAGES else current_app.config["BABEL_DEFAULT_LOCALE"]]
    return sorted({recipient_language(reader) for reader in readers_of(queue, item)})


def values_for(queue: str, item) -> dict[str, str]:
    """The placeholders of `queue` filled from `item`, in the recipient's language."""
    if isinstance(item, Dispute):
        case = item.case
        return {
            "client_name": case.client.display_name,
            "designer_name": case.designer.display_name,
            "case_reference": case.reference,
            "listing_title": case.listing_title,
        }
    recipient = recipient_of(queue, item)
    values = {"user_name": item.requester_name if isinstance(item, SupportTicket) else recipient.display_name}
    if isinstance(item, SupportTicket):
        values["ticket_subject"] = item.subject
    if isinstance(item, Listing):
        values["listing_title"] = item.title
    if isinstance(item, Violation):
        with force_locale(recipient_language(recipient)):
            rule = (
                REPORT_REASONS.get(item.report_reason, REPORT_REASONS["other"])
                if item.source == ViolationSource.report
                else CONTACT_RULE
            )
            values["rule_broken"] = str(rule)
    return {name: value for name, value in values.items() if name in PLACEHOLDERS[queue]}


def offers(queue: str, item) -> list[Offer]:
    """The queue's active macros in the readers' languages, filled in for `item`; when the readers
    speak different languages (a dispute's parties), each title says its language."""
    languages = _languages(queue, item)
    values = values_for(queue, item)
    found = []
    for language in languages:
        for m in db.session.scalars(macro_list(queue=queue, language=language)):
            title = m.title if len(languages) == 1 else f"{m.title} ({LANGUAGES[language]})"
            found.append(Offer(m.id, title, fill(m.body, values)))
    return found


def offered_text(queue: str, item, macro_id: int | None) -> str:
    """The filled text of one offered macro (the no-script "Use" button); "" if it is not offered."""
    return next((offer.text for offer in offers(queue, item) if offer.id == macro_id), "")
