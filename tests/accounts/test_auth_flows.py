"""Sign-up, confirmation, login, logout, password reset and settings, through the real pages."""

from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeTimedSerializer

from extensions import db
from models.accounts import AccountStatus, User
from models.moderation import AuditEntry
from tests.factories import PASSWORD, make_user


def _link(message, path: str) -> str:
    body = message.get_payload(decode=True).decode()
    match = re.search(r"http://localhost(" + re.escape(path) + r"[^\s]+)", body)
    assert match, body
    return match.group(1)


def test_sign_up_sends_a_confirmation_that_confirms(client, outbox):
    # when
    response = client.post(
        "/account/signup",
        data={
            "display_name": "Bright Smile Lab",
            "email": "Owner@BrightSmile.com",
            "password": "a long password",
            "role": "both",
            "accept_terms": "y",
        },
    )
    # then
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).filter_by(email="owner@brightsmile.com"))
    assert user.is_client and user.is_designer and user.email_confirmed_at is None
    client.post("/account/login", data={"email": "owner@brightsmile.com", "password": "a long password"})
    assert "Please confirm your e-mail" in client.get("/").get_data(as_text=True)
    [mail] = outbox.read()
    assert mail["To"] == "owner@brightsmile.com"
    assert client.get(_link(mail, "/account/confirm/")).status_code == 302
    db.session.refresh(user)
    assert user.email_confirmed_at is not None


def test_short_password_and_missing_terms_are_explained(client):
    response = client.post(
        "/account/signup", data={"display_name": "X", "email": "x@example.com", "password": "short", "role": "hire"}
    )
    text = response.get_data(as_text=True)
    assert "at least 10 characters" in text and "accept the terms" in text
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_login_with_wrong_password_says_so_and_stays_anonymous(client):
    user = make_user()
    response = client.post(
        "/account/login", data={"email": user.email, "password": "wrong password"}, follow_redirects=True
    )
    assert "Wrong e-mail or password" in response.get_data(as_text=True)
    assert client.get("/account/settings").status_code == 302


def test_login_and_logout(client, login):
    user = make_user(name="Jean Dupont")
    login(user)
    assert "Jean Dupont" in client.get("/account/settings").get_data(as_text=True)
    client.post("/account/logout")
    assert client.get("/account/settings").status_code == 302


def test_login_redirects_only_to_own_pages(client):
    user = make_user()
    response = client.post("/account/login?next=//evil.example/x", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_suspended_account_cannot_log_in_and_is_told_why(client):
    user = make_user(status=AccountStatus.suspended, status_reason="Shared a phone number")
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD}, follow_redirects=True)
    assert "suspended" in response.get_data(as_text=True) and "Shared a phone number" in response.get_data(as_text=True)
    assert client.get("/account/settings").status_code == 302


def test_suspension_logs_out_a_running_session(client, login):
    user = make_user()
    login(user)
    user.status = AccountStatus.suspended
    user.session_version += 1
    db.session.commit()
    assert client.get("/account/settings").status_code == 302


def test_password_reset_works_once(client, outbox):
    user = make_user()
    client.post("/account/password/forgot", data={"email": user.email})
    path = _link(outbox.read()[0], "/account/password/reset/")
    response = client.post(path, data={"password": "a brand new password", "confirm": "a brand new password"})
    assert response.headers["Location"].endswith("/account/login")
    client.post("/account/login", data={"email": user.email, "password": "a brand new password"})
    assert client.get("/account/settings").status_code == 200
    client.post("/account/logout")
    # reused: refused, and the password stays the one just chosen
    again = client.post(
        path, data={"password": "another password!", "confirm": "another password!"}, follow_redirects=True
    )
    assert "not valid or was already used" in again.get_data(as_text=True)
    assert client.post("/account/login", data={"email": user.email, "password": "another password!"}).status_code == 200


def test_password_reset_for_unknown_email_says_the_same_and_sends_nothing(client, outbox):
    response = client.post("/account/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True)
    assert "If an account uses this address" in response.get_data(as_text=True)
    assert outbox.read() == []


def test_tampered_reset_token_is_refused(client, outbox):
    user = make_user()
    client.post("/account/password/forgot", data={"email": user.email})
    path = _link(outbox.read()[0], "/account/password/reset/")
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    response = client.post(
        tampered, data={"password": "a brand new password", "confirm": "a brand new password"}, follow_redirects=True
    )
    assert "not valid" in response.get_data(as_text=True)
    assert client.post("/account/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_expired_reset_token_is_refused(app, client):
    user = make_user()
    # a token signed three hours ago (the limit is two)
    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="reset-password")
    import hashlib
    import time
    from unittest import mock

    fp = hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]
    with mock.patch("itsdangerous.timed.time.time", return_value=time.time() - 3 * 3600):
        token = serializer.dumps({"uid": user.id, "fp": fp})
    response = client.post(
        f"/account/password/reset/{token}",
        data={"password": "a brand new password", "confirm": "a brand new password"},
        follow_redirects=True,
    )
    assert "expired" in response.get_data(as_text=True)


def test_change_password_logs_out_other_sessions(app, client, login):
    user = make_user()
    login(user)
    other = app.test_client()
    other.post("/account/login", data={"email": user.email, "password": PASSWORD})
    response = client.post(
        "/account/settings",
        data={
            "action": "password",
            "pw-current_password": PASSWORD,
            "pw-new_password": "new password here",
            "pw-confirm": "new password here",
        },
    )
    assert response.status_code == 302
    assert client.get("/account/settings").status_code == 200  # this session continues
    assert other.get("/account/settings").status_code == 302  # the other one is gone
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="account.password_changed")) is not None


def test_change_email_happens_when_the_new_address_confirms(client, login, outbox):
    user = make_user(email="old@example.com")
    login(user)
    client.post(
        "/account/settings", data={"action": "email", "em-new_email": "new@example.com", "em-password": PASSWORD}
    )
    [mail] = outbox.read()
    assert mail["To"] == "new@example.com"
    db.session.refresh(user)
    assert user.email == "old@example.com"
    client.get(_link(mail, "/account/confirm/"))
    db.session.refresh(user)
    assert user.email == "new@example.com"


def test_delete_account_erases_personal_data(client, login):
    user = make_user(email="leaving@example.com", name="Leaving Lab")
    login(user)
    response = client.post("/account/settings", data={"action": "delete", "del-password": PASSWORD, "del-confirm": "y"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.status == AccountStatus.deleted and "leaving" not in user.email
    assert client.post("/account/login", data={"email": "leaving@example.com", "password": PASSWORD}).status_code == 200


def test_delete_account_with_wrong_password_changes_nothing(client, login):
    user = make_user()
    login(user)
    response = client.post(
        "/account/settings", data={"action": "delete", "del-password": "nope nope nope", "del-confirm": "y"}
    )
    assert "password is not correct" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.status == AccountStatus.active


@pytest.mark.parametrize("path", ["/account/settings"])
def test_pages_behind_login_redirect_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
