"""Every "go back to …" of the site (login, language, favourites, back office, …) stays on the site."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from models.accounts import StaffRole
from tests.backoffice.factories import current_code, make_staff
from tests.catalogue.factories import make_designer, make_listing
from tests.factories import PASSWORD, make_user

HOSTILE = [
    "//evil.example",
    "/\t/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "///evil.example",
    "\t//evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "https://evil.example/",
    "HTTPS:evil.example",
    "javascript:alert(1)",
    "/%09/evil.example",
]


def _where_a_browser_goes(response, from_url: str = "http://localhost/") -> str:
    """The host a browser lands on: it drops tabs and newlines and reads a backslash as a slash."""
    assert response.status_code == 302
    location = response.headers["Location"]
    for ch in "\t\r\n":
        location = location.replace(ch, "")
    return urlsplit(urljoin(from_url, location.strip().replace("\\", "/"))).netloc


@pytest.mark.parametrize("target", HOSTILE)
def test_login_never_sends_elsewhere(client, target):
    user = make_user()
    response = client.post(
        "/account/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert _where_a_browser_goes(response) == "localhost"
    # already logged in: the login page sends on at once, to our pages too
    assert _where_a_browser_goes(client.get("/account/login", query_string={"next": target})) == "localhost"


def test_login_from_the_raw_query_string_of_the_report(client):
    user = make_user()
    response = client.post("/account/login?next=/%09/evil.example", data={"email": user.email, "password": PASSWORD})
    assert _where_a_browser_goes(response) == "localhost"


def test_login_goes_back_to_the_page_asked_for(client):
    user = make_user()
    response = client.post(
        "/account/login", query_string={"next": "/find?q=crowns"}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/find?q=crowns"


@pytest.mark.parametrize("target", HOSTILE)
def test_the_language_switch_never_sends_elsewhere(client, target):
    response = client.post("/language", data={"lang": "fr", "next": target})
    assert _where_a_browser_goes(response) == "localhost"


def test_the_language_switch_goes_back_to_the_page(client):
    response = client.post("/language", data={"lang": "fr", "next": "/find?q=crowns"})
    assert response.headers["Location"] == "/find?q=crowns"


@pytest.mark.parametrize("target", HOSTILE)
def test_the_favourite_heart_never_sends_elsewhere(client, login, target):
    listing = make_listing(make_designer())
    login(make_user())
    response = client.post(f"/listings/{listing.id}/favourite", data={"next": target})
    assert _where_a_browser_goes(response) == "localhost"


@pytest.mark.parametrize(
    "referrer",
    ["https://evil.example/x", "http://localhost.evil.example/", "//evil.example", "http://localhost//evil.example"],
)
def test_the_resend_confirmation_button_never_sends_elsewhere(client, login, referrer):
    login(make_user(confirmed=False))
    response = client.post("/account/confirm/resend", headers={"Referer": referrer})
    assert _where_a_browser_goes(response) == "localhost"


def test_the_resend_confirmation_button_goes_back_to_the_page(client, login):
    login(make_user(confirmed=False))
    response = client.post("/account/confirm/resend", headers={"Referer": "http://localhost/find?q=crowns"})
    assert response.headers["Location"] == "/find?q=crowns"


@pytest.mark.parametrize("target", HOSTILE + ["/find", "/backoffice\t/evil.example"])
def test_the_back_office_second_factor_only_goes_on_into_the_back_office(client, login, target):
    login(make_staff(StaffRole.moderator))
    response = client.post("/backoffice/second-factor/", query_string={"next": target}, data={"code": current_code()})
    assert _where_a_browser_goes(response) == "localhost"
    assert response.headers["Location"].startswith("/backoffice")
