"""The platform's baseline: CSRF, rate limits, error pages, security headers, health, staff pages."""

from __future__ import annotations

import pytest
from flask import Blueprint

from extensions import db
from models.accounts import StaffRole, User
from tests.factories import PASSWORD, make_user


def test_a_form_posted_without_csrf_token_is_refused_and_changes_nothing(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post(
        "/account/signup",
        data={
            "display_name": "X",
            "email": "csrf@example.com",
            "password": "a long password",
            "role": "hire",
            "accept_terms": "y",
        },
    )
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(User).filter_by(email="csrf@example.com")) is None


def test_a_form_with_its_csrf_token_goes_through(make_app):
    import re

    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/account/signup").get_data(as_text=True)
    ).group(1)
    response = client.post(
        "/account/signup",
        data={
            "csrf_token": token,
            "display_name": "X",
            "email": "csrf@example.com",
            "password": "a long password",
            "role": "hire",
            "accept_terms": "y",
        },
    )
    assert response.status_code == 302


def test_login_attempts_are_rate_limited_with_a_readable_page(app, client):
    user = make_user()
    app.config["RATELIMIT_LOGIN"] = "3 per minute"
    try:
        for _ in range(3):
            client.post("/account/login", data={"email": user.email, "password": "wrong password"})
        response = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    finally:
        app.config["RATELIMIT_LOGIN"] = "1000 per minute"
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert client.get("/account/settings").status_code == 302  # even the right password waited


def test_sign_up_is_rate_limited(app, client):
    app.config["RATELIMIT_SIGNUP"] = "2 per minute"
    try:
        codes = [
            client.post(
                "/account/signup",
                data={
                    "display_name": "X",
                    "email": f"s{i}@example.com",
                    "password": "a long password",
                    "role": "hire",
                    "accept_terms": "y",
                },
            ).status_code
            for i in range(3)
        ]
    finally:
        app.config["RATELIMIT_SIGNUP"] = "1000 per minute"
    assert codes[-1] == 429


@pytest.mark.parametrize("role", [None, "client", "designer"])
def test_back_office_is_a_404_for_everyone_but_staff(client, login, role):
    if role:
        login(make_user(client=role == "client", designer=role == "designer"))
    for path in ("/backoffice/", "/backoffice/audit-log/"):
        assert client.get(path).status_code == 404


def test_error_pages_are_friendly_and_never_show_a_trace(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False, TESTING=False)
    boom = Blueprint("boom", __name__)

    @boom.get("/boom")
    def explode():
        raise RuntimeError("secret internals")

    app.register_blueprint(boom)
    response = app.test_client().get("/boom")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in text and "secret internals" not in text and "Traceback" not in text
    missing = app.test_client().get("/no/such/page")
    assert missing.status_code == 404 and "Page not found" in missing.get_data(as_text=True)


def test_too_large_request_gets_413_page(make_app):
    app = make_app(MAX_CONTENT_LENGTH=1024)
    response = app.test_client().post("/account/login", data={"email": "x" * 4096, "password": "y"})
    assert response.status_code == 413
    assert "larger than the platform accepts" in response.get_data(as_text=True)


def test_security_headers_and_cookie_flags(client):
    user = make_user()
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cookies = response.headers.getlist("Set-Cookie")
    assert all("HttpOnly" in c and "SameSite=Lax" in c for c in cookies)
    assert any(c.startswith("remember_token=") for c in cookies)


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["checks"]["database"] == "ok"


def test_health_check_is_503_when_redis_is_unreachable(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["checks"]["redis"].startswith("error")


def test_french_is_served_when_chosen(client):
    client.post("/language", data={"lang": "fr", "next": "/account/login"})
    text = client.get("/account/login").get_data(as_text=True)
    assert '<html lang="fr">' in text and "Se connecter" in text


def test_language_switch_never_redirects_elsewhere(client):
    response = client.post("/language", data={"lang": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_create_staff_command_grants_roles_and_logs_it(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-staff",
            "mod@example.com",
            "--role",
            "moderator",
            "--role",
            "verifier",
            "--password",
            "staff password 1",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).filter_by(email="mod@example.com"))
    assert user.staff_roles == {StaffRole.moderator, StaffRole.verifier}
    again = runner.invoke(args=["create-staff", "mod@example.com", "--role", "admin"])
    assert again.exit_code == 0
    db.session.refresh(user)
    assert StaffRole.admin in user.staff_roles


def test_form_fields_point_screen_readers_only_at_hints_and_errors_that_exist(client):
    page = client.get("/account/signup").get_data(as_text=True)
    assert 'aria-describedby="None"' not in page
    refused = client.post("/account/signup", data={"email": "not an address"}).get_data(as_text=True)
    assert 'aria-describedby="email-err"' in refused and 'id="email-err"' in refused
