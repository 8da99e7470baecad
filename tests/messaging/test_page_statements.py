"""The signed-in pages people keep open cost a fixed number of statements whatever they hold:
the case page (deliveries, files, timeline), the inbox (conversations, their last messages) and
a conversation (messages from both sides, attached files)."""

from __future__ import annotations

from cases import process
from extensions import commit, db
from models.cases import CaseState
from models.messaging import MessageAttachment
from tests.cases.factories import design_file, drive, make_case, make_parties
from tests.factories import login, make_user
from tests.messaging.factories import add_message, make_conversation
from tests.statements import statements


def _with_file(conversation, sender, body: str) -> None:
    message = add_message(conversation, sender, body)
    stored = design_file(sender, f"crown-{message.id}.stl")
    db.session.add(
        MessageAttachment(message_id=message.id, file_id=stored.id, name=stored.original_name, size=stored.size)
    )
    commit()


def _read(client, url: str) -> int:
    """Statements of a page viewed once already (what was new is read: the usual view)."""
    assert client.get(url).status_code == 200
    return statements(client, url)


def test_the_case_page_costs_the_same_with_more_deliveries_and_files(client):
    buyer, designer = make_parties()
    case = drive(make_case(buyer, designer), CaseState.delivered)
    login(client, buyer)
    url = f"/cases/{case.reference}"
    few = _read(client, url)
    # The reader and their bell, then the case with its parties, thread and unconfirmed payment step;
    # its files; its deliveries; its timeline; its money (9 before the case's loaders were prebuilt).
    assert few == 7

    process.request_revision(case, actor=buyer, note="Open the contacts on 36")
    commit()
    files = [design_file(designer, "crown.stl"), design_file(designer, "bridge.stl")]
    process.deliver_case(case, actor=designer, note="Contacts opened", files=files)
    commit()
    page = client.get(url).get_data(as_text=True)
    assert "Delivery 2" in page and "bridge.stl" in page
    assert _read(client, url) == few


def test_the_inbox_costs_the_same_with_more_conversations(client):
    me, designer = make_parties()
    first = make_conversation(me, designer)
    _with_file(first, designer, "The crown is ready")
    drive(make_case(me, designer), CaseState.in_progress)
    login(client, me)
    few = [_read(client, "/messages/"), _read(client, "/messages/?tab=cases")]

    for n in range(5):
        designer = make_user(designer=True)
        conversation = make_conversation(me, designer)
        add_message(conversation, designer, f"Proposal {n}")
        _with_file(conversation, me, f"Scan {n}")
        drive(make_case(me, designer), CaseState.in_progress)
    page = client.get("/messages/").get_data(as_text=True)
    assert "Proposal 4" not in page and "Scan 4" in page  # the last message shows, mine or not
    assert [_read(client, "/messages/"), _read(client, "/messages/?tab=cases")] == few


def test_a_conversation_costs_the_same_with_more_messages_and_files(client):
    me, designer = make_parties()
    conversation = make_conversation(me, designer)
    add_message(conversation, designer, "Hello")
    _with_file(conversation, me, "Here is the scan")
    login(client, me)
    url = f"/messages/{conversation.id}"
    few = _read(client, url)
    # The reader and their bell, the conversation with its people, its last message's id, its
    # messages, its offers, the blocks between its people either way (one statement each way
    # before), the other side's listings.
    assert few == 8

    for n in range(30):
        add_message(conversation, designer if n % 2 else me, f"Message {n}")
        if n % 5 == 0:
            _with_file(conversation, designer, f"Design {n}")
    page = client.get(url).get_data(as_text=True)
    assert "Message 29" in page and "crown-" in page
    assert _read(client, url) == few
