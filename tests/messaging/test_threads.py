"""Case threads and who reads them: one thread per case, events in order, 404 for outsiders."""

from __future__ import annotations

from datetime import timedelta

import pytest

from extensions import commit, db
from messaging import threads
from messaging.permissions import can_read_conversation
from models.accounts import StaffRole
from models.cases import CaseEvent, CaseState
from models.messaging import Conversation, ConversationKind, MessageAttachment
from models.types import utcnow
from tests.cases.factories import design_file
from tests.factories import make_user
from tests.messaging.factories import add_message, make_case, make_conversation


def test_open_case_thread_makes_exactly_one_thread_with_both_parties():
    client, designer = make_user(), make_user(designer=True)
    case = make_case(client, designer)
    # when: the case process calls it twice (a retry, a double submit)
    first = threads.open_case_thread(case)
    second = threads.open_case_thread(case)
    commit()
    # then
    assert first.id == second.id
    assert first.kind == ConversationKind.case and first.case_id == case.id
    assert {p.user_id for p in first.participants} == {client.id, designer.id}
    assert db.session.scalar(db.select(db.func.count()).select_from(Conversation)) == 1


def test_thread_items_merge_messages_and_case_events_in_time_order():
    client, designer = make_user(), make_user(designer=True)
    case = make_case(client, designer)
    conversation = threads.open_case_thread(case)
    commit()
    start = utcnow() - timedelta(hours=1)
    db.session.add(CaseEvent(case_id=case.id, actor_id=client.id, action="send", to_state="requested", at=start))
    db.session.add(
        CaseEvent(
            case_id=case.id,
            actor_id=designer.id,
            action="accept",
            from_state="requested",
            to_state="in_progress",
            at=start + timedelta(minutes=10),
        )
    )
    db.session.commit()
    add_message(conversation, client, "Margins on 11 and 21 please")
    items = threads.thread_items(conversation, viewer=client)
    assert [i.kind for i in items] == ["event", "event", "message"]
    assert [i.event.action for i in items[:2]] == ["send", "accept"]
    # paging back from the message shows what came before it
    older = threads.thread_items(conversation, viewer=client, before=items[-1].at, limit=1)
    assert [i.event.action for i in older] == ["accept"]


def test_a_thread_reads_each_message_with_its_sender_name_and_files_in_order():
    client, designer = make_user(name="Clinic A"), make_user(designer=True, name="Designer B")
    conversation = make_conversation(client, designer)
    first = add_message(conversation, client, "Here are the scans")
    for name in ("upper.stl", "lower.stl"):
        stored = design_file(client, name)
        db.session.add(MessageAttachment(message_id=first.id, file_id=stored.id, name=name, size=stored.size))
    commit()
    add_message(conversation, designer, "Thank you")
    # when
    items = threads.thread_items(conversation, viewer=client)
    # then: oldest first, each message once whatever its files, its files in the order sent
    lines = [i.message for i in items]
    assert [(m.sender_name, m.body) for m in lines] == [("Clinic A", "Here are the scans"), ("Designer B", "Thank you")]
    assert [f.name for f in lines[0].attachments] == ["upper.stl", "lower.stl"] and lines[1].attachments == ()
    assert threads.messages_after(conversation, first.id) == [lines[1]]
    assert threads.message_line(first.id) == lines[0]


def test_only_participants_read_and_a_resolution_agent_only_in_a_dispute():
    client, designer, stranger = make_user(), make_user(designer=True), make_user()
    agent = make_user(roles=(StaffRole.resolution_agent,))
    moderator = make_user(roles=(StaffRole.moderator,))
    case = make_case(client, designer)
    conversation = threads.open_case_thread(case)
    commit()
    assert can_read_conversation(client, conversation) and can_read_conversation(designer, conversation)
    assert not can_read_conversation(stranger, conversation)
    assert not can_read_conversation(agent, conversation)
    case.state = CaseState.disputed
    db.session.commit()
    assert can_read_conversation(agent, conversation)
    assert not can_read_conversation(moderator, conversation)


@pytest.mark.parametrize("kind", ["general", "case"])
def test_unread_counts_per_tab(kind):
    me, other = make_user(designer=True), make_user()
    if kind == "case":
        conversation = threads.open_case_thread(make_case(other, me))
    else:
        conversation = threads.open_general_conversation(me, other)
    commit()
    add_message(conversation, me, "mine does not count")
    add_message(conversation, other, "one")
    add_message(conversation, other, "two")
    counts = threads.unread_counts(me)
    assert counts[kind] == 2 and counts["total"] == 2
    assert threads.unread_counts(other)["total"] == 0  # writing reads what came before
