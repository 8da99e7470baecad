"""Sessions: a cookie captured before a logout, a password change or a suspension opens nothing
afterwards, for members and staff; "Keep me logged in" keeps the browser logged in."""

from __future__ import annotations

import pytest

from extensions import commit
from models.accounts import StaffRole
from moderation.suspension import suspend_account
from tests.backoffice.factories import current_code, make_staff
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "a brand new long passphrase"


def _log_in(client, user, *, staff: bool) -> None:
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    if staff:
        response = client.post("/backoffice/second-factor/?next=/backoffice/", data={"code": current_code()})
        assert response.status_code == 302 and response.headers["Location"].endswith("/backoffice/")


def _browser_with(app, name: str, value: str):
    """A browser that has nothing but this one cookie, as a thief replaying it would."""
    browser = app.test_client()
    browser.set_cookie(name, value)
    return browser


def _signed_in(browser) -> bool:
    return browser.get("/account/settings").status_code == 200


def _log_out(app, client, user) -> None:
    client.post("/account/logout")


def _change_password(app, client, user) -> None:
    response = client.post(
        "/account/settings",
        data={
            "action": "password",
            "pw-current_password": PASSWORD,
            "pw-new_password": NEW_PASSWORD,
            "pw-confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302


def _suspend(app, client, user) -> None:
    admin = make_staff(StaffRole.admin)
    with app.test_request_context():
        suspend_account(user, actor=admin, reason="Shared a phone number in a message")
        commit()


REVOCATIONS = {"logout": _log_out, "password change": _change_password, "suspension": _suspend}


@pytest.mark.parametrize("staff", [False, True], ids=["member", "staff"])
@pytest.mark.parametrize("cookie", ["session", "remember_token"])
@pytest.mark.parametrize("revocation", list(REVOCATIONS))
def test_a_cookie_captured_before_is_anonymous_after(app, client, staff, cookie, revocation):
    user = make_staff(StaffRole.moderator) if staff else make_user()
    _log_in(client, user, staff=staff)
    captured = client.get_cookie(cookie).value
    assert _signed_in(_browser_with(app, cookie, captured))  # the cookie did open the account

    REVOCATIONS[revocation](app, client, user)

    replayed = _browser_with(app, cookie, captured)
    assert not _signed_in(replayed)
    assert replayed.get("/backoffice/").status_code == 404
    assert not _signed_in(replayed)  # and it stays anonymous on the next page


def test_a_staff_session_captured_before_logout_no_longer_opens_the_back_office(app, client):
    _log_in(client, make_staff(StaffRole.moderator), staff=True)
    captured = client.get_cookie("session").value
    assert _browser_with(app, "session", captured).get("/backoffice/").status_code == 200
    client.post("/account/logout")
    assert _browser_with(app, "session", captured).get("/backoffice/").status_code == 404


def test_logging_in_again_after_a_logout_works(client):
    user = make_user()
    _log_in(client, user, staff=False)
    client.post("/account/logout")
    _log_in(client, user, staff=False)
    assert _signed_in(client)


def test_keep_me_logged_in_lasts_over_many_pages(app, client):
    _log_in(client, make_user(), staff=False)
    # The browser was closed: only the long-lived cookie is left.
    browser = _browser_with(app, "remember_token", client.get_cookie("remember_token").value)
    for path in ("/account/settings", "/", "/account/settings", "/files", "/account/settings"):
        assert browser.get(path).status_code == 200, path
    assert browser.get_cookie("remember_token") is not None


def test_without_keep_me_logged_in_no_long_lived_cookie_is_set(client):
    user = make_user()
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert client.get_cookie("remember_token") is None


def test_changing_the_password_keeps_this_browser_remembered(app, client):
    _log_in(client, make_user(), staff=False)
    _change_password(app, client, None)
    browser = _browser_with(app, "remember_token", client.get_cookie("remember_token").value)
    assert _signed_in(browser) and _signed_in(browser)
