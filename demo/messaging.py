"""Demo conversations: a lab and a designer talking, with unread messages and notifications."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from demo.accounts import demo_user
from extensions import db
from messaging import threads
from messaging.notify import notify
from messaging.operations import conversation_url
from models.messaging import Message
from models.types import utcnow

# (from, to, [(author index 0|1, text)])
CONVERSATIONS = [
    (
        "client@demo.occlusa.com",
        "designer@demo.occlusa.com",
        [
            (0, "Hello Elena, do you design screw-retained implant crowns in exocad?"),
            (1, "Yes, every week. Send me the scan with the scan body library you use."),
            (0, "Great. Straumann BLX, I will send the case this afternoon."),
        ],
    ),
    (
        "lab@demo.occlusa.com",
        "designer2@demo.occlusa.com",
        [
            (0, "Karim, could you take a full-arch wax-up for a smile design next week?"),
        ],
    ),
]


def seed_messaging() -> list[str]:
    lines = []
    for first_email, second_email, lines_of_talk in CONVERSATIONS:
        first, second = demo_user(first_email), demo_user(second_email)
        conversation = threads.open_general_conversation(first, second)
        exists = db.session.scalar(
            sa.select(sa.func.count()).select_from(Message).where(Message.conversation_id == conversation.id)
        )
        if exists:
            continue
        start = utcnow() - timedelta(hours=len(lines_of_talk))
        people = (first, second)
        for n, (author, text) in enumerate(lines_of_talk):
            message = Message(
                conversation_id=conversation.id,
                sender_id=people[author].id,
                body=text,
                created_at=start + timedelta(minutes=20 * n),
            )
            db.session.add(message)
            db.session.flush()
            conversation.last_message_at = message.created_at
            # The author has read everything up to their own message.
            conversation.participant(people[author].id).last_read_message_id = message.id
        last_author = people[lines_of_talk[-1][0]]
        for reader in people:
            if reader.id != last_author.id:
                notify(
                    reader,
                    "message_new",
                    title=f"New message from {last_author.display_name}",
                    body=lines_of_talk[-1][1],
                    url=conversation_url(conversation),
                )
        lines.append(f"conversation {first_email} ↔ {second_email}")
    return lines
