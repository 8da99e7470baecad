"""The messages pages: two tabs with unread counts, private threads, blocks, the contact filter."""

from __future__ import annotations

import io

import pytest

from extensions import commit, db
from messaging import threads
from models.messaging import Message, MessageKind
from models.moderation import Violation, ViolationSource
from profiles.operations import profile_for, set_availability
from tests.factories import make_user
from tests.files_web.factories import upload_through_api
from tests.messaging.factories import add_message, make_case, make_conversation


def test_inbox_has_two_tabs_with_unread_counts(client, login):
    me, lab, designer = make_user(designer=True, name="Me"), make_user(name="Northside Lab"), make_user(name="Other")
    general = make_conversation(me, designer)
    add_message(general, designer, "Can you do bridges?")
    case_thread = threads.open_case_thread(make_case(lab, me))
    commit()
    add_message(case_thread, lab, "Scan attached")
    add_message(case_thread, lab, "Shade A2")
    login(me)
    general_tab = client.get("/messages/?tab=general").get_data(as_text=True)
    assert "Can you do bridges?" in general_tab and "Northside Lab" not in general_tab
    cases_tab = client.get("/messages/?tab=cases").get_data(as_text=True)
    assert "Shade A2" in cases_tab and "Can you do bridges?" not in cases_tab
    assert client.get("/messages/unread.json").json == {
        "general": 1,
        "case": 2,
        "total": 3,
        "conversations": {str(general.id): 1, str(case_thread.id): 2},
    }
    # reading clears the unread marks
    client.get(f"/messages/{case_thread.id}")
    assert client.get("/messages/unread.json").json["case"] == 0


def test_a_third_party_cannot_read_a_thread(client, login):
    a, b, stranger = make_user(), make_user(), make_user()
    conversation = make_conversation(a, b)
    message = add_message(conversation, a, "private")
    login(stranger)
    assert client.get(f"/messages/{conversation.id}").status_code == 404
    assert client.post(f"/messages/{conversation.id}", data={"body": "hi"}).status_code == 404
    assert client.get(f"/messages/{conversation.id}/poll?after=0").status_code == 404
    assert client.get(f"/messages/report/message/{message.id}").status_code == 404
    assert "Nothing found" in client.get("/messages/search?q=private").get_data(as_text=True)


def test_writing_without_javascript_posts_and_redirects_and_the_other_sees_it(client, login, outbox):
    client_user, designer = make_user(name="Atelier"), make_user(designer=True)
    conversation = make_conversation(client_user, designer)
    login(client_user)
    response = client.post(f"/messages/{conversation.id}", data={"body": "Crown on 36, zirconia, please"})
    assert response.status_code == 302
    assert "Crown on 36" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert threads.unread_counts(designer)["general"] == 1


def test_fetch_post_answers_json_and_poll_returns_new_messages(client, login):
    a, b = make_user(), make_user()
    conversation = make_conversation(a, b)
    earlier = add_message(conversation, b, "first")
    login(a)
    response = client.post(
        f"/messages/{conversation.id}", data={"body": "second"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200 and "second" in response.json["html"]
    poll = client.get(f"/messages/{conversation.id}/poll?after={earlier.id - 1}").json
    assert "first" in poll["html"] and "second" in poll["html"] and poll["last_id"] == response.json["id"]


def test_a_blocked_user_cannot_write_or_start_a_conversation(client, login):
    me, pest = make_user(), make_user()
    conversation = make_conversation(me, pest)
    login(me)
    client.post(f"/messages/block/{pest.id}")
    client.post("/account/logout")
    login(pest)
    response = client.post(
        f"/messages/{conversation.id}", data={"body": "hello?"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 403
    assert client.post(f"/messages/start?user_id={me.id}", data={"body": "new thread"}).status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0


def test_the_conversation_page_shows_a_block_each_way(client, login):
    me, pest = make_user(), make_user()
    conversation = make_conversation(me, pest)
    login(me)
    client.post(f"/messages/block/{pest.id}")
    mine = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert f"/messages/unblock/{pest.id}" in mine and "You cannot write in this conversation." not in mine
    client.post("/account/logout")
    login(pest)
    theirs = client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "You cannot write in this conversation." in theirs and f"/messages/block/{me.id}" in theirs


def test_a_blocked_user_can_still_write_in_a_case_thread(client, login):
    lab, designer = make_user(), make_user(designer=True)
    conversation = threads.open_case_thread(make_case(lab, designer))
    commit()
    login(designer)
    client.post(f"/messages/block/{lab.id}")
    client.post("/account/logout")
    login(lab)
    assert client.post(f"/messages/{conversation.id}", data={"body": "Revision: thicker margin"}).status_code == 302


def test_a_phone_number_is_refused_and_recorded_and_the_edited_message_goes_through(client, login):
    pytest.importorskip("nlp")
    lab, designer = make_user(), make_user(designer=True)
    conversation = make_conversation(lab, designer)
    login(lab)
    refused = client.post(f"/messages/{conversation.id}", data={"body": "Call me on +33 6 12 34 56 78 tonight"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "contact-finding" in page and "Call me on" in page  # the text comes back, flagged, to edit
    [violation] = db.session.scalars(db.select(Violation)).all()
    assert violation.user_id == lab.id and violation.source == ViolationSource.message
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0
    # JSON path: the same spans for the script
    as_json = client.post(
        f"/messages/{conversation.id}",
        data={"body": "whatsapp +33 6 12 34 56 78"},
        headers={"Accept": "application/json"},
    )
    assert as_json.status_code == 422 and as_json.json["findings"] and "refusal_html" in as_json.json
    edited = client.post(f"/messages/{conversation.id}", data={"body": "Let us keep it here. Crown on 36."})
    assert edited.status_code == 302
    assert [m.body for m in db.session.scalars(db.select(Message))] == ["Let us keep it here. Crown on 36."]


def test_start_a_conversation_from_a_profile_reuses_the_pair(client, login):
    lab, designer = make_user(), make_user(designer=True, name="Elena")
    login(lab)
    first = client.post(f"/messages/start?user_id={designer.id}", data={"body": "Hello Elena"})
    assert first.status_code == 302
    again = client.get(f"/messages/start?user_id={designer.id}")
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    assert client.get(f"/messages/start?user_id={lab.id}").status_code == 404


def _unavailable(designer, unavailable: bool = True) -> None:
    set_availability(profile_for(designer, create=True), actor=designer, unavailable=unavailable)
    commit()


def _kinds(conversation_id: int) -> list[MessageKind]:
    return list(
        db.session.scalars(
            db.select(Message.kind).where(Message.conversation_id == conversation_id).order_by(Message.id)
        )
    )


def test_an_unavailable_designer_answers_new_conversations_automatically(client, login):
    lab, designer = make_user(), make_user(designer=True)
    _unavailable(designer)
    login(lab)
    response = client.post(f"/messages/start?user_id={designer.id}", data={"body": "Are you free this week?"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "I am currently unavailable" in page
    kinds = [m.kind for m in db.session.scalars(db.select(Message).order_by(Message.id))]
    assert kinds == [MessageKind.text, MessageKind.auto_reply]


def test_a_client_writing_in_an_existing_thread_hears_full_once_per_spell(client, login):
    # given a thread that started while the designer took work
    lab, designer = make_user(), make_user(designer=True)
    conversation = make_conversation(lab, designer)
    add_message(conversation, lab, "Thanks for the last crowns")
    _unavailable(designer)
    login(lab)

    # when the client writes twice while the designer is unavailable
    for body in ("Can you take a bridge this week?", "It is urgent"):
        client.post(f"/messages/{conversation.id}", data={"body": body})

    # then one automatic reply, after the first of them
    text, reply = MessageKind.text, MessageKind.auto_reply
    assert _kinds(conversation.id) == [text, text, reply, text]

    # and a new spell of unavailability answers again, once
    _unavailable(designer, False)
    _unavailable(designer)
    client.post(f"/messages/{conversation.id}", data={"body": "And next week?"})
    client.post(f"/messages/{conversation.id}", data={"body": "Or the one after?"})
    assert _kinds(conversation.id) == [text, text, reply, text, text, reply, text]


def test_an_available_designer_sends_no_automatic_reply(client, login):
    lab, designer = make_user(), make_user(designer=True)
    conversation = make_conversation(lab, designer)
    _unavailable(designer)
    _unavailable(designer, False)
    login(lab)

    client.post(f"/messages/{conversation.id}", data={"body": "Are you back?"})

    assert _kinds(conversation.id) == [MessageKind.text]


def test_report_a_message_reaches_moderation(client, login):
    lab, designer = make_user(), make_user(designer=True)
    conversation = make_conversation(lab, designer)
    message = add_message(conversation, designer, "Pay me via my site instead")
    login(lab)
    response = client.post(
        f"/messages/report/message/{message.id}",
        data={"reason": "contact_details", "note": "asks for payment elsewhere"},
    )
    assert response.status_code == 302
    [violation] = db.session.scalars(db.select(Violation)).all()
    assert (violation.source, violation.user_id, violation.reporter_id) == (ViolationSource.report, designer.id, lab.id)
    assert violation.report_reason == "contact_details" and violation.source_ref == f"message:{message.id}"


def test_only_someone_met_in_a_conversation_can_be_reported_by_name(client, login):
    lab, designer, stranger = make_user(), make_user(designer=True), make_user(name="Hidden Stranger Name")
    make_conversation(lab, designer)
    login(lab)

    assert client.get(f"/messages/report/user/{designer.id}").status_code == 200
    page = client.get(f"/messages/report/user/{stranger.id}")
    posted = client.post(f"/messages/report/user/{stranger.id}", data={"reason": "spam", "note": "who is this"})

    assert page.status_code == 404 and "Hidden Stranger Name" not in page.get_data(as_text=True)
    assert posted.status_code == 404 and db.session.scalars(db.select(Violation)).all() == []
    client.post(f"/messages/report/user/{designer.id}", data={"reason": "spam", "note": "adverts"})
    [violation] = db.session.scalars(db.select(Violation)).all()
    assert (violation.user_id, violation.reporter_id) == (designer.id, lab.id)


def test_search_finds_only_ones_own_messages(client, login):
    a, b, c = make_user(), make_user(), make_user()
    add_message(make_conversation(a, b), b, "Emax veneer shade BL2")
    add_message(make_conversation(b, c), c, "Emax crown for someone else")
    login(a)
    page = client.get("/messages/search?q=emax").get_data(as_text=True)
    assert "veneer shade BL2" in page and "someone else" not in page


def test_files_uploaded_beforehand_go_with_the_message_and_only_ones_own(client, login):
    from models.files import FileKind, StoredFile

    a, b = make_user(), make_user()
    conversation = make_conversation(a, b)

    login(b)
    theirs = upload_through_api(client, b"%PDF-1.4 theirs", "theirs.pdf", kind="document")
    client.post("/account/logout")
    login(a)
    design = upload_through_api(client, b"solid crown\nendsolid crown\n", "crown-36.stl", kind="document")
    refused = client.post(
        f"/messages/{conversation.id}",
        data={"body": "Two files", "file_id": [design, theirs]},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 400 and "not yours" in refused.json["error"]
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 0

    sent = client.post(
        f"/messages/{conversation.id}",
        data={"body": "", "file_id": [design], "kind": "design"},
        headers={"Accept": "application/json"},
    )
    assert sent.status_code == 200 and "crown-36.stl" in sent.json["html"]
    [attachment] = db.session.scalars(db.select(Message)).one().attachments
    assert attachment.name == "crown-36.stl"
    # the sender said these are designs: a mesh is filed as one
    assert db.session.scalar(db.select(StoredFile).where(StoredFile.public_id == design)).kind == FileKind.design


def test_a_file_sent_with_a_message_reaches_only_the_conversation(client, login):
    a, b, stranger = make_user(), make_user(), make_user()
    conversation = make_conversation(a, b)
    login(a)
    response = client.post(
        f"/messages/{conversation.id}",
        data={"body": "", "kind": "design", "files": (io.BytesIO(b"solid crown\nendsolid crown\n"), "crown-36.stl")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    [message] = db.session.scalars(db.select(Message)).all()
    [attachment] = message.attachments
    assert attachment.name == "crown-36.stl"
    client.post("/account/logout")
    login(b)
    download = client.get(f"/messages/attachments/{attachment.file.public_id}")
    assert download.status_code == 200 and download.data == b"solid crown\nendsolid crown\n"
    client.post("/account/logout")
    login(stranger)
    assert client.get(f"/messages/attachments/{attachment.file.public_id}").status_code == 404


def test_a_thread_shows_a_renamed_sender_and_the_readers_language_on_every_view(client, login):
    # Message lines are rendered once per process (storefront/messages/line_cache.py): a line seen
    # before must still show what changed since, and the language it is read in.
    me, designer = make_user(name="Me"), make_user(designer=True, name="Dental Studio North")
    conversation = make_conversation(me, designer)
    add_message(conversation, designer, "The crown is ready")
    login(me)
    url = f"/messages/{conversation.id}"
    assert "Dental Studio North" in client.get(url).get_data(as_text=True)

    designer.display_name = "Studio Nord"
    commit()
    page = client.get(url).get_data(as_text=True)
    assert "Studio Nord" in page and "Dental Studio North" not in page
    assert ">Report</a>" in page

    with client.session_transaction() as session:
        session["lang"] = "fr"
    page = client.get(url).get_data(as_text=True)
    assert ">Signaler</a>" in page and ">Report</a>" not in page


def test_the_inbox_shows_a_new_last_message_and_unread_count_after_a_first_view(client, login):
    # Inbox rows are rendered once per process (storefront/messages/line_cache.py) too.
    me, designer = make_user(name="Me"), make_user(designer=True, name="Dental Studio North")
    conversation = make_conversation(me, designer)
    add_message(conversation, designer, "The crown is ready")
    login(me)
    client.get(f"/messages/{conversation.id}")  # read
    assert "The crown is ready" in client.get("/messages/").get_data(as_text=True)

    add_message(conversation, designer, "And the bridge too")
    page = client.get("/messages/").get_data(as_text=True)
    assert "And the bridge too" in page and "The crown is ready" not in page
    assert f'data-unread-conversation="{conversation.id}" >1<' in page
