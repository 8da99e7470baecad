"""Patient files sent in a thread stay with the two parties, even while a dispute opens it to staff."""

from __future__ import annotations

import io

from files.operations import delete_file, store_file
from messaging.attachments import can_read_message_file
from models.accounts import StaffRole
from models.files import FileKind
from models.messaging import Conversation, ConversationKind, Message, MessageAttachment, Participant
from extensions import commit, db
from tests.factories import make_user


def _thread_with(kind: FileKind):
    client, designer = make_user(), make_user(designer=True)
    agent = make_user(roles=(StaffRole.resolution_agent,))
    conversation = Conversation(kind=ConversationKind.general)
    db.session.add(conversation)
    db.session.flush()
    for user in (client, designer):
        db.session.add(Participant(conversation_id=conversation.id, user_id=user.id))
    message = Message(conversation_id=conversation.id, sender_id=client.id, body="scan attached")
    db.session.add(message)
    db.session.flush()
    stored = store_file(
        io.BytesIO(b"solid upper_jaw\nendsolid upper_jaw\n"), owner=client, filename="upper.stl", kind=kind
    )
    db.session.add(MessageAttachment(message_id=message.id, file_id=stored.id, name="upper.stl", size=stored.size))
    db.session.commit()
    return client, designer, agent, stored


def test_parties_read_a_patient_scan_and_staff_never_do(monkeypatch):
    import messaging.permissions as permissions

    client, designer, agent, stored = _thread_with(FileKind.patient_scan)
    # even with a staff rule that would open the thread (as a dispute does)
    monkeypatch.setattr(permissions, "STAFF_READ_RULES", [lambda user, conversation: True])
    assert can_read_message_file(client, stored) and can_read_message_file(designer, stored)
    assert not can_read_message_file(agent, stored)


def test_staff_read_no_attachment_outside_the_dispute(monkeypatch):
    """Staff who may read a thread read its files through the dispute, audited (disputes.record)."""
    import messaging.permissions as permissions

    _client, _designer, agent, stored = _thread_with(FileKind.design)
    monkeypatch.setattr(permissions, "STAFF_READ_RULES", [lambda user, conversation: True])
    assert not can_read_message_file(agent, stored)


def test_a_deleted_patient_file_keeps_no_name_anywhere_and_a_design_keeps_its_own():
    client, _designer, _agent, scan = _thread_with(FileKind.patient_scan)
    *_, design = _thread_with(FileKind.design)

    delete_file(scan, actor=client)
    delete_file(design, actor=design.owner)
    commit()

    db.session.expire_all()
    assert scan.original_name == "" and scan.wrapped_key is None
    names = dict(db.session.query(MessageAttachment.file_id, MessageAttachment.name))
    assert names == {scan.id: "", design.id: "upper.stl"}
    assert design.original_name == "upper.stl"
