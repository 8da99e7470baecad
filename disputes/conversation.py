"""The dispute's conversation: the resolution centre speaks with the parties on the record.

One thread per dispute. A message goes to everyone (both parties and the resolution centre)
or to one party and the resolution centre only. A resolution agent writes to any audience; a
party writes to everyone or privately to the resolution centre, and never reads the other
party's private exchange. Messages go through the contact filter like every other text, the
readers are notified, an agent's message is an audit row, and nothing is ever edited: the
record shows who said what to whom, and when. A closed dispute's conversation is read-only.
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from audit.trail import record_action
from disputes import rules
from disputes.operations import dispute_url, lock_dispute
from disputes.permissions import is_resolution_agent, party_of
from errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import db
from messaging.notify import notify
from messaging.operations import MAX_BODY, PREVIEW
from models.accounts import User
from models.disputes import Dispute, DisputeMessage, DisputeParty, MessageAudience
from models.moderation import ViolationSource
from models.types import utcnow
from screening.contact_filter import screen_text

log = logging.getLogger(__name__)

EVENT = "dispute_message"
AGENT = "agent"  # the speaker of a message written by the resolution centre

# The audience as the resolution centre chooses and reads it.
AGENT_AUDIENCE_LABELS = {
    MessageAudience.all: _l("Both parties"),
    MessageAudience.client: _l("The client only"),
    MessageAudience.designer: _l("The designer only"),
}
# The audience as a party chooses and reads it: its own side is its private line to the centre.
PARTY_AUDIENCE_LABELS = {
    "all": _l("Everyone: the other party and the resolution centre"),
    "private": _l("Private: you and the resolution centre"),
}
SPEAKER_LABELS = {
    DisputeParty.client.value: _l("Client"),
    DisputeParty.designer.value: _l("Designer"),
    AGENT: _l("Resolution centre"),
}

_OWN_LINE = {DisputeParty.client: MessageAudience.client, DisputeParty.designer: MessageAudience.designer}


def role_of(dispute: Dispute, actor: User) -> DisputeParty | str:
    """The actor's seat in the conversation: a party, or the resolution centre. Strangers get a
    404. An agent who is a party to the case speaks only as that party."""
    side = party_of(dispute.case, actor)
    if side is not None:
        return side
    if is_resolution_agent(actor):
        return AGENT
    raise NotFound(_l("This dispute does not exist."))


def audiences_for(dispute: Dispute, viewer: User) -> list[MessageAudience]:
    """The audiences `viewer` may write to, in the order the form offers them."""
    role = role_of(dispute, viewer)
    if role == AGENT:
        return list(MessageAudience)
    return [MessageAudience.all, _OWN_LINE[role]]


def audience_label(audience: MessageAudience, viewer_role: DisputeParty | str) -> str:
    if viewer_role == AGENT:
        return str(AGENT_AUDIENCE_LABELS[audience])
    return str(PARTY_AUDIENCE_LABELS["all" if audience == MessageAudience.all else "private"])


def speaker(message: DisputeMessage) -> str:
    """ "client", "designer" or "agent": who wrote it, as the case stood when it was written."""
    case = message.dispute.case
    if message.author_id is not None and message.author_id == case.client_id:
        return DisputeParty.client.value
    if message.author_id is not None and message.author_id == case.designer_id:
        return DisputeParty.designer.value
    return AGENT


def post_dispute_message(
    dispute: Dispute, *, actor: User, body: str, audience: MessageAudience | str, now: datetime | None = None
) -> DisputeMessage:
    """Write `body` to `audience` in the dispute's conversation, and notify its readers.

    Raises NotFound (a stranger, or staff without the resolution agent's power and second
    factor), PermissionDenied (a party writing to the other party alone), DomainError (empty,
    too long, unknown audience), InvalidTransition (the dispute is closed: the conversation is
    read-only), ContactDetailsRefused (contact details: nothing is kept but the violation).
    """
    now = now or utcnow()
    try:
        audience = MessageAudience(audience)
    except ValueError:
        raise DomainError(_l("Choose who reads the message."), field="audience") from None
    role = role_of(dispute, actor)
    dispute = lock_dispute(dispute)
    if audience not in audiences_for(dispute, actor):
        raise PermissionDenied(_l("You can write to everyone or only to the resolution centre."))
    if not dispute.is_active:
        raise InvalidTransition(
            _l(
                "This dispute is closed (%(state)s): its conversation can be read, no longer written to.",
                state=rules.STATE_LABELS[dispute.state],
            )
        )
    body = (body or "").strip()
    if not body:
        raise DomainError(_l("Write a message."), field="body")
    if len(body) > MAX_BODY:
        raise DomainError(_l("A message holds at most %(n)d characters.", n=MAX_BODY), field="body")
    screen_text(
        {"body": body},
        author=actor,
        source=ViolationSource.message,
        source_ref=f"dispute:{dispute.id}",
        lang=actor.locale,
    )
    message = DisputeMessage(dispute_id=dispute.id, author_id=actor.id, audience=audience, body=body, created_at=now)
    db.session.add(message)
    db.session.flush()
    if role == AGENT:
        record_action(
            "dispute.message", dispute, actor=actor, after={"message": message.id, "audience": audience.value}
        )
    _notify_readers(dispute, message, role, actor)
    log.info("dispute %s: message %s to %s by %s", dispute.id, message.id, audience.value, actor.id)
    return message


def _notify_readers(dispute: Dispute, message: DisputeMessage, role, actor: User) -> None:
    """The parties who read the message and did not write it. The resolution centre reads its
    messages on the dispute's page in the back office."""
    case = dispute.case
    readers = {DisputeParty.client: case.client, DisputeParty.designer: case.designer}
    if message.audience != MessageAudience.all:
        readers = {side: user for side, user in readers.items() if _OWN_LINE[side] == message.audience}
    body = message.body if len(message.body) <= PREVIEW else message.body[: PREVIEW - 1] + "…"
    for user in readers.values():
        if user is None or user.id == actor.id:
            continue
        if role == AGENT:
            title = _l("The resolution centre wrote to you about the dispute on case %(ref)s", ref=case.reference)
        elif role == DisputeParty.client:
            title = _l("The client wrote in the dispute on case %(ref)s", ref=case.reference)
        else:
            title = _l("The designer wrote in the dispute on case %(ref)s", ref=case.reference)
        notify(user, EVENT, title=title, body=body, url=dispute_url(dispute), case_id=case.id)


def visible_messages(dispute: Dispute, viewer: User) -> list[DisputeMessage]:
    """The messages `viewer` may read, oldest first: everything for the resolution centre; for a
    party, the messages to everyone and its own private line. Raises NotFound for strangers."""
    role = role_of(dispute, viewer)
    query = sa.select(DisputeMessage).where(DisputeMessage.dispute_id == dispute.id)
    if role != AGENT:
        query = query.where(DisputeMessage.audience.in_((MessageAudience.all, _OWN_LINE[role])))
    return list(db.session.scalars(query.order_by(DisputeMessage.created_at, DisputeMessage.id)))
