"""Factories for messaging tests: cases (minimal valid rows) and conversations with messages."""

from __future__ import annotations

from extensions import commit, db
from messaging import threads
from models.accounts import User
from models.cases import Case, CaseState, CaseUnit
from models.messaging import Conversation, Message


def make_case(client: User, designer: User, *, state: CaseState = CaseState.in_progress) -> Case:
    case = Case(
        client_id=client.id,
        designer_id=designer.id,
        listing_title="Zirconia crown",
        unit=CaseUnit.unit if hasattr(CaseUnit, "unit") else list(CaseUnit)[0],
        revisions_included=2,
        turnaround_days=2,
        quantity=1,
        unit_price_cents=2500,
        amount_cents=2500,
        fee_cents=349,
        currency="usd",
        state=state,
    )
    db.session.add(case)
    db.session.commit()
    return case


def make_conversation(a: User, b: User) -> Conversation:
    conversation = threads.open_general_conversation(a, b)
    commit()
    return conversation


def add_message(conversation: Conversation, sender: User, body: str) -> Message:
    """A message row written directly (no filter, no notification): for reading tests."""
    message = Message(conversation_id=conversation.id, sender_id=sender.id, body=body)
    db.session.add(message)
    db.session.flush()
    conversation.last_message_at = message.created_at
    if (p := conversation.participant(sender.id)) is not None:
        p.last_read_message_id = message.id
    db.session.commit()
    return message
