"""Common passwords are refused wherever a password is chosen; sign-up does not tell whether an
address already has an account (its owner is told instead)."""

from __future__ import annotations

import re

import pytest

from extensions import db
from models.accounts import User
from tests.factories import PASSWORD, make_user

COMMON = ["password123", "qwertyuiop", "1234567890", "PassWord123", "QWERTYUIOP", "iloveyou12"]


def _sign_up(client, email: str, password: str = "a long password"):
    return client.post(
        "/account/signup",
        data={
            "display_name": "Bright Smile Lab",
            "email": email,
            "password": password,
            "role": "hire",
            "accept_terms": "y",
        },
    )


def _without_form_tokens(page: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*value=)"[^"]*"', r"\1", page)


def _users() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(User))


@pytest.mark.parametrize("password", COMMON)
def test_sign_up_refuses_a_common_password(client, password):
    response = _sign_up(client, "new@example.com", password)
    assert response.status_code == 200
    assert "one of the most common passwords" in response.get_data(as_text=True)
    assert _users() == 0


def test_the_refusal_is_in_french_for_a_french_visitor(client):
    client.post("/language", data={"lang": "fr"})
    response = _sign_up(client, "new@example.com", "password123")
    assert "fait partie des mots de passe les plus courants" in response.get_data(as_text=True)


@pytest.mark.parametrize("password", ["password123", "Qwertyuiop"])
def test_changing_to_a_common_password_is_refused(client, login, password):
    user = make_user()
    login(user)
    response = client.post(
        "/account/settings",
        data={
            "action": "password",
            "pw-current_password": PASSWORD,
            "pw-new_password": password,
            "pw-confirm": password,
        },
    )
    assert "one of the most common passwords" in response.get_data(as_text=True)
    client.post("/account/logout")
    assert client.post("/account/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_resetting_to_a_common_password_is_refused_and_the_link_still_works(client, outbox):
    user = make_user()
    client.post("/account/password/forgot", data={"email": user.email})
    body = outbox.read()[0].get_payload(decode=True).decode()
    path = re.search(r"http://localhost(/account/password/reset/\S+)", body).group(1)
    response = client.post(path, data={"password": "1234567890", "confirm": "1234567890"})
    assert response.status_code == 200 and "one of the most common passwords" in response.get_data(as_text=True)
    response = client.post(path, data={"password": "a brand new password", "confirm": "a brand new password"})
    assert response.headers["Location"].endswith("/account/login")


def test_sign_up_with_a_registered_address_answers_as_for_a_new_one_and_tells_the_owner(app, outbox):
    owner = make_user(email="owner@brightsmile.com", name="Bright Owner")
    fresh, taken = app.test_client(), app.test_client()

    new_answer = _sign_up(fresh, "someone.new@brightsmile.com")
    taken_answer = _sign_up(taken, "OWNER@brightsmile.com")

    assert (taken_answer.status_code, taken_answer.headers["Location"]) == (
        new_answer.status_code,
        new_answer.headers["Location"],
    )
    new_page, taken_page = (
        _without_form_tokens(browser.get(answer.headers["Location"]).get_data(as_text=True))
        for browser, answer in ((fresh, new_answer), (taken, taken_answer))
    )
    assert "We sent a mail to someone.new@brightsmile.com" in new_page
    assert "We sent a mail to owner@brightsmile.com" in taken_page
    assert new_page.replace("someone.new@", "owner@") == taken_page.replace("someone.new@", "owner@")
    # neither visitor is logged in by signing up
    assert fresh.get("/account/settings").status_code == taken.get("/account/settings").status_code == 302

    assert db.session.scalar(db.select(db.func.count()).select_from(User).filter_by(email=owner.email)) == 1
    mails = {m["To"]: m for m in outbox.read()}
    notice = mails["owner@brightsmile.com"]
    text = notice.get_payload(decode=True).decode()
    assert "tried to sign up" in notice["Subject"]
    assert "http://localhost/account/password/forgot" in text and "Bright Owner" in text
    # the owner's password is the one they had
    assert taken.post("/account/login", data={"email": owner.email, "password": PASSWORD}).status_code == 302


def test_a_new_sign_up_logs_in_with_its_password_and_is_asked_to_confirm(client, outbox):
    response = _sign_up(client, "lab@example.com")
    assert response.headers["Location"].endswith("/account/login")
    [mail] = outbox.read()
    assert mail["Subject"] == "Confirm your e-mail address"
    client.post("/account/login", data={"email": "lab@example.com", "password": "a long password"})
    assert "Please confirm your e-mail" in client.get("/").get_data(as_text=True)


def test_sign_up_attempts_on_a_registered_address_are_rate_limited(app, client, outbox):
    make_user(email="owner@example.com")
    app.config["RATELIMIT_SIGNUP"] = "2 per minute"
    try:
        codes = [_sign_up(client, "owner@example.com").status_code for _ in range(3)]
    finally:
        app.config["RATELIMIT_SIGNUP"] = "1000 per minute"
    assert codes == [302, 302, 429]
    assert len(outbox.read()) == 2


def test_create_staff_refuses_a_common_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-staff", "mod@example.com", "--role", "moderator", "--password", "Password123"]
    )
    assert result.exit_code != 0 and "most common" in result.output
    assert _users() == 0
