"""Who may read and write a conversation: named rules, deny by default.

Only participants read a conversation, and the readers a rule on hooks.conversation_read_rules
names (registered in registrations.py: the teammates of a case's client read its thread, not
its attachments, and write nothing). Staff read a case thread only where a rule in
STAFF_READ_RULES says so; the built-in rule lets a resolution agent read the thread of a
disputed case. The resolution centre may append rules (rule(user, conversation) -> bool).
"""

from __future__ import annotations

from typing import Callable

import sqlalchemy as sa

import hooks
from extensions import db, read_rows
from models.accounts import StaffRole, User
from models.cases import Case
from models.messaging import Block, Conversation, ConversationKind, Participant


def is_participant(user: User, conversation: Conversation) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and conversation.participant(user.id) is not None


def case_state(case_id: int) -> str | None:
    """The state name of a case, or None when the case is gone."""
    case = db.session.get(Case, case_id)
    if case is None:
        return None
    state = getattr(case, "state", None)
    return getattr(state, "value", state)


def resolution_agent_in_dispute(user: User, conversation: Conversation) -> bool:
    """A resolution agent reads a case thread while (and after) the case is in dispute."""
    return (
        conversation.kind == ConversationKind.case
        and user.has_staff_power(StaffRole.resolution_agent)
        and case_state(conversation.case_id) in {"disputed", "resolved"}
    )


STAFF_READ_RULES: list[Callable[[User, Conversation], bool]] = [resolution_agent_in_dispute]


def can_read_conversation(user: User, conversation: Conversation) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_participant(user, conversation):
        return True
    if any(rule(user, conversation) for rule in hooks.conversation_read_rules.functions()):
        return True
    return user.is_staff and any(rule(user, conversation) for rule in STAFF_READ_RULES)


def shares_conversation(user: User, other_id: int) -> bool:
    """Whether `user` and the account `other_id` are both in some conversation (general or case):
    the only accounts a user may report by name, and so learn the name of."""
    mine = sa.select(Participant.conversation_id).where(Participant.user_id == user.id)
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Participant)
            .where(Participant.user_id == other_id, Participant.conversation_id.in_(mine))
        )
        > 0
    )


# Built once: a conversation page asks it for each other participant, both ways.
_BLOCKS = (
    sa.select(sa.func.count())
    .select_from(Block)
    .where(Block.blocker_id == sa.bindparam("blocker_id"), Block.blocked_id == sa.bindparam("blocked_id"))
)


def has_blocked(blocker_id: int, blocked_id: int) -> bool:
    return db.session.scalar(_BLOCKS, {"blocker_id": blocker_id, "blocked_id": blocked_id}) > 0


# Built once: every block between a user and others, both ways (a conversation page's one question).
_BLOCKS_WITH = sa.select(Block.blocker_id, Block.blocked_id).where(
    sa.or_(
        sa.and_(
            Block.blocker_id == sa.bindparam("user_id"),
            Block.blocked_id.in_(sa.bindparam("others", expanding=True)),
        ),
        sa.and_(
            Block.blocked_id == sa.bindparam("user_id"),
            Block.blocker_id.in_(sa.bindparam("others", expanding=True)),
        ),
    )
)


def blocks_with(user_id: int, other_ids: list[int]) -> set[tuple[int, int]]:
    """The (blocker, blocked) pairs between the user and any of `other_ids`, either way."""
    if not other_ids:
        return set()
    return {tuple(row) for row in read_rows(_BLOCKS_WITH, {"user_id": user_id, "others": other_ids})}


def blocked_by_recipient(
    sender: User, conversation: Conversation, *, blocks: set[tuple[int, int]] | None = None
) -> bool:
    """A general conversation is closed to a sender that another participant blocked.

    Case threads stay open: the case must go on, and the thread is its record. `blocks`: the
    sender's blocks_with the others, when the caller has read them already.
    """
    if conversation.kind == ConversationKind.case:
        return False
    others = [p.user_id for p in conversation.other_participants(sender.id)]
    if blocks is None:
        blocks = blocks_with(sender.id, others)
    return any((other, sender.id) in blocks for other in others)


def can_write_conversation(
    user: User, conversation: Conversation, *, blocks: set[tuple[int, int]] | None = None
) -> bool:
    """`blocks`: as for blocked_by_recipient."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and is_participant(user, conversation)
        and not blocked_by_recipient(user, conversation, blocks=blocks)
    )
