"""Legal documents: versioned, readable in both languages, accepted at sign-up and again
at the next login after a new version."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

import legal.operations
from extensions import db
from legal.documents import ACCEPTED, DOCUMENTS, current_versions, document
from models.legal import LegalAcceptance
from tests.factories import PASSWORD, login, make_user


def _acceptances(user_id: int) -> list[tuple[str, int]]:
    return sorted(
        db.session.execute(
            sa.select(LegalAcceptance.document, LegalAcceptance.version).where(LegalAcceptance.user_id == user_id)
        ).all()
    )


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_document_has_one_version_in_both_languages(client, name):
    english, french = document(name, "en"), document(name, "fr")
    assert english.language == "en" and french.language == "fr"
    assert english.version == french.version >= 1 and english.effective == french.effective
    page = client.get(f"/legal/{name}").get_data(as_text=True)
    assert english.title in page and f"Version {english.version}, in force since" in page and "{{" not in page


def test_the_legal_notice_names_the_operator_from_the_configuration(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PLATFORM_LEGAL_NAME", "Dentalis Platform SARL")
    monkeypatch.setitem(app.config, "PLATFORM_REGISTRATION", "RCS Lyon 123 456 789")
    monkeypatch.setitem(app.config, "PLATFORM_ADDRESS", "3 quai Perrache;69002 Lyon")
    page = client.get("/legal/notice").get_data(as_text=True)
    assert "Dentalis Platform SARL" in page and "RCS Lyon 123 456 789" in page and "3 quai Perrache, 69002 Lyon" in page


def test_the_privacy_policy_states_the_retention_the_platform_applies(app, client):
    page = client.get("/legal/privacy").get_data(as_text=True)
    assert f"{app.config['PATIENT_FILE_GRACE_HOURS']} hours after the recipient" in page
    assert f"{app.config['ACCOUNTING_RETENTION_YEARS']} years" in page
    assert "never by staff" in page


def test_the_sign_up_box_links_to_the_terms_and_privacy_policy(client):
    page = client.get("/account/signup").get_data(as_text=True)
    assert 'href="/legal/terms"' in page and 'href="/legal/privacy"' in page


def test_sign_up_records_the_versions_accepted(client):
    response = client.post(
        "/account/signup",
        data={
            "display_name": "Lab Nord",
            "email": "nord@example.com",
            "password": "a long enough passphrase",
            "role": "hire",
            "accept_terms": "y",
        },
    )
    assert response.status_code == 302
    user_id = db.session.scalar(sa.text("SELECT id FROM users WHERE email = 'nord@example.com'"))
    assert _acceptances(user_id) == sorted(current_versions().items())


def test_sign_up_without_ticking_the_box_creates_nothing(client):
    page = client.post(
        "/account/signup",
        data={
            "display_name": "Lab Sud",
            "email": "sud@example.com",
            "password": "a long enough passphrase",
            "role": "hire",
        },
    )
    assert "You must accept the terms to sign up." in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LegalAcceptance)) == 0


@pytest.fixture
def deploy_new_terms(monkeypatch):
    """deploy_new_terms() moves the terms in force to the next version, as a changed text does."""

    def deploy() -> dict[str, int]:
        raised = {name: version + (1 if name == "terms" else 0) for name, version in current_versions().items()}
        monkeypatch.setattr(legal.operations, "current_versions", lambda: raised)
        return raised

    return deploy


def test_a_new_version_is_accepted_at_the_next_login_before_anything_else(client, deploy_new_terms):
    user = make_user()  # accepted the versions in force at sign-up
    new_terms = deploy_new_terms()
    login(client, user)
    response = client.get("/cases/")
    assert response.status_code == 302 and "/legal/accept" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "Our terms have changed" in page and "Terms of Use" in page and "Privacy Policy" not in page
    # The help centre, the legal pages and logging out stay open.
    assert client.get("/help/articles/terms-updates").status_code == 200
    assert client.get("/legal/terms").status_code == 200
    # Posting without the box changes nothing.
    client.post("/legal/accept", data={})
    assert ("terms", new_terms["terms"]) not in _acceptances(user.id)
    response = client.post("/legal/accept", data={"accept": "y", "next": "/cases/"})
    assert response.status_code == 302 and response.location.endswith("/cases/")
    assert ("terms", new_terms["terms"]) in _acceptances(user.id)
    assert client.get("/cases/").status_code == 200


def test_up_to_date_users_are_not_asked_again(client):
    user = make_user()
    login(client, user)
    assert client.get("/legal/accept").status_code == 302
    assert client.get("/cases/").status_code == 200


def test_a_kept_login_cookie_also_asks_for_the_new_version(app, deploy_new_terms):
    user = make_user()
    browser = app.test_client()
    browser.post("/account/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    remember = browser.get_cookie("remember_token")
    assert remember is not None and browser.get("/cases/").status_code == 200
    deploy_new_terms()
    later = app.test_client()  # a new browser session: only the "keep me logged in" cookie
    later.set_cookie("remember_token", remember.value)
    response = later.get("/cases/")
    assert response.status_code == 302 and "/legal/accept" in response.location


def test_accepted_documents_are_listed_under_your_data(client):
    user = make_user()
    login(client, user)
    page = client.get("/account/data").get_data(as_text=True)
    for name in ACCEPTED:
        assert document(name, "en").title in page
