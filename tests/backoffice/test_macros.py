"""Canned responses: admins write them per queue and language; decision forms offer them filled in."""

from __future__ import annotations

import html
import importlib.util
from pathlib import Path

import pytest
import sqlalchemy as sa

from extensions import commit, db
from models.accounts import StaffRole
from models.messaging import Notification
from models.moderation import AuditEntry, CannedResponse, ViolationSource
from moderation import macros
from screening.contact_filter import ContactDetailsRefused, record_refused_attempt, screen_text
from tests.backoffice.factories import make_pending_listing, make_ready_designer, make_staff, staff_login
from tests.factories import make_user


def _macro(queue: str, language: str, title: str, body: str) -> CannedResponse:
    macro = macros.create_macro(
        actor=make_staff(StaffRole.admin), queue=queue, language=language, title=title, body=body
    )
    commit()
    return macro


def test_an_admin_writes_and_edits_macros_in_both_languages(client):
    admin = make_staff(StaffRole.admin)
    staff_login(client, admin)
    assert client.get("/backoffice/macros/new").status_code == 200
    for language, title, body in (
        ("en", "Blurred pictures", "Hello {user_name}, the pictures of {listing_title} are blurred."),
        ("fr", "Photos floues", "Bonjour {user_name}, les photos de {listing_title} sont floues."),
    ):
        response = client.post(
            "/backoffice/macros/new", data={"queue": "listing", "language": language, "title": title, "body": body}
        )
        assert response.status_code == 302
    french = db.session.scalar(sa.select(CannedResponse).where(CannedResponse.language == "fr"))
    assert french.title == "Photos floues" and french.queue == "listing"
    listed = client.get("/backoffice/macros/?queue=listing").get_data(as_text=True)
    assert "Blurred pictures" in listed and "Photos floues" in listed

    client.post(
        f"/backoffice/macros/{french.id}",
        data={
            "queue": "listing",
            "language": "fr",
            "title": "Photos floues",
            "body": "Bonjour {user_name}, merci de reprendre les photos de {listing_title}.",
        },
    )
    db.session.expire_all()
    assert db.session.get(CannedResponse, french.id).body.endswith("merci de reprendre les photos de {listing_title}.")
    client.post(f"/backoffice/macros/{french.id}/retire")
    db.session.expire_all()
    assert db.session.get(CannedResponse, french.id).retired_at is not None
    assert "Photos floues" not in client.get("/backoffice/macros/?queue=listing").get_data(as_text=True)
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.actor_id == admin.id, AuditEntry.action.startswith("macro."))
    ).all()
    assert sorted(actions) == ["macro.created", "macro.created", "macro.retired", "macro.updated"]


def test_staff_who_are_not_admins_cannot_see_or_change_macros(client):
    macro = _macro("violation", "en", "Contact details", "Hello {user_name}, no e-mail addresses.")
    staff_login(client, make_staff(StaffRole.moderator))
    assert client.get("/backoffice/macros/").status_code == 404
    assert client.get(f"/backoffice/macros/{macro.id}").status_code == 404
    response = client.post(
        f"/backoffice/macros/{macro.id}",
        data={"queue": "violation", "language": "en", "title": "Changed", "body": "Changed"},
    )
    assert response.status_code == 404
    assert client.post(f"/backoffice/macros/{macro.id}/retire").status_code == 404
    db.session.expire_all()
    assert db.session.get(CannedResponse, macro.id).title == "Contact details"


def test_an_unknown_placeholder_is_refused_with_a_clear_message(client):
    staff_login(client, make_staff(StaffRole.admin))
    page = client.post(
        "/backoffice/macros/new",
        data={
            "queue": "profile",
            "language": "en",
            "title": "Bio",
            "body": "Hello {user_name}, {listing_title} {x.__class__}",
        },
    )
    text = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 200
    assert "Unknown placeholder(s) for this queue: {listing_title}, {x.__class__}. Allowed: {user_name}." in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CannedResponse)) == 0


def test_rendering_fills_placeholders_from_the_item_in_the_recipients_language(app, request_context):
    _macro("listing", "en", "Pictures", "Hello {user_name}, add pictures to {listing_title}.")
    _macro("listing", "fr", "Photos", "Bonjour {user_name}, ajoutez des photos à {listing_title}.")
    french = make_pending_listing(make_ready_designer(name="Élodie Martin", locale="fr"), title="Couronnes zircone")
    english = make_pending_listing(make_ready_designer(name="Ann Smith"), title="Zirconia crowns")
    assert [o.text for o in macros.offers("listing", french)] == [
        "Bonjour Élodie Martin, ajoutez des photos à Couronnes zircone."
    ]
    assert [o.text for o in macros.offers("listing", english)] == ["Hello Ann Smith, add pictures to Zirconia crowns."]

    with pytest.raises(ContactDetailsRefused) as refused:
        screen_text(
            {"body": "Écris-moi à elodie.cad@gmail.com"},
            author=french.designer,
            source=ViolationSource.message,
            source_ref="conversation:3",
        )
    violation = record_refused_attempt(refused.value)
    _macro("violation", "fr", "Coordonnées", "{user_name} : avertissement pour {rule_broken}.")
    assert macros.offers("violation", violation)[0].text == (
        "Élodie Martin : avertissement pour partager des coordonnées ou proposer de travailler hors d'Occlusa."
    )
    # Only known names are filled; the text is never evaluated.
    assert macros.fill("{user_name} {user_name.__class__} {0}", {"user_name": "Ann"}) == "Ann {user_name.__class__} {0}"


def test_a_moderator_rejects_a_listing_with_a_macro_and_the_owner_reads_it(client, outbox):
    macro = _macro("listing", "fr", "Photos", "Bonjour {user_name}, ajoutez une vue occlusale à {listing_title}.")
    listing = make_pending_listing(make_ready_designer(name="Élodie Martin", locale="fr"), title="Couronnes zircone")
    staff_login(client, make_staff(StaffRole.moderator))
    client.post(f"/backoffice/reviews/listings/{listing.id}/take")  # opening alone claims nothing
    page = client.get(f"/backoffice/reviews/listings/{listing.id}").get_data(as_text=True)
    filled = "Bonjour Élodie Martin, ajoutez une vue occlusale à Couronnes zircone."
    assert f'data-text="{filled}"' in html.unescape(page) and "js/macros.js" in page
    # Without scripts: "Use" reloads the form with the text in the note.
    page = client.get(f"/backoffice/reviews/listings/{listing.id}?macro={macro.id}").get_data(as_text=True)
    assert f"{filled}</textarea>" in html.unescape(page)

    client.post(
        f"/backoffice/reviews/listings/{listing.id}/reject",
        data={"reasons": ["missing_images"], "note": filled + " Merci."},
    )
    mail = outbox.read()[-1]
    assert mail["To"] == listing.designer.email and filled + " Merci." in mail.get_payload(decode=True).decode()


def test_a_warning_uses_a_macro(client):
    user = make_user(name="Paul Durand")
    with pytest.raises(ContactDetailsRefused) as refused:
        screen_text(
            {"body": "Write to me at paul.cad@gmail.com"},
            author=user,
            source=ViolationSource.message,
            source_ref="conversation:9",
        )
    violation = record_refused_attempt(refused.value)
    commit()
    macro = _macro("violation", "en", "Contact details", "{user_name}, this is a warning for {rule_broken}.")
    staff_login(client, make_staff(StaffRole.moderator))
    filled = "Paul Durand, this is a warning for sharing contact details or asking to work outside Occlusa."
    client.post(f"/backoffice/violations/{violation.id}/take")
    page = client.get(f"/backoffice/violations/{violation.id}?macro={macro.id}").get_data(as_text=True)
    assert f"{filled}</textarea>" in html.unescape(page)
    client.post(f"/backoffice/violations/{violation.id}/warn", data={"note": filled})
    db.session.expire_all()
    notification = db.session.scalar(sa.select(Notification).where(Notification.user_id == user.id))
    assert notification.event == "warning" and notification.body == filled


def _defaults(filename: str, name: str) -> list[tuple[str, str, str, str]]:
    spec = importlib.util.spec_from_file_location(
        filename.removesuffix(".py"), Path(__file__).resolve().parents[2] / "migrations/versions" / filename
    )
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return getattr(migration, name)


def test_the_default_set_uses_only_each_queues_placeholders_in_both_languages():
    # The first set, then the support desk's and the disputes' answers (added with their queues).
    defaults = (
        _defaults("20261206_macros_canned_responses.py", "DEFAULTS")
        + _defaults("20261207_support_desk.py", "MACROS")
        + _defaults("20261207_queue_order.py", "DEFAULTS")
    )
    for queue, language, title, body in defaults:
        assert macros.check(queue, language, title, body) == (title, body)
    assert {(queue, language) for queue, language, _title, _body in defaults} == {
        (queue, language) for queue in macros.QUEUES for language in macros.LANGUAGES
    }
