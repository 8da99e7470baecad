"""Secrets in URLs (share links, resets, confirmations) never reach a log line or a cache."""

from __future__ import annotations

import logging

from werkzeug._internal import _log as werkzeug_log

from accounts.tokens import make_confirm_token, make_reset_token
from tests.factories import make_user
from tests.files_web.factories import make_file, make_link


def _access_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "occlusa.access"]


def _all_lines(caplog) -> str:
    return "\n".join(r.getMessage() for r in caplog.records)


def test_a_share_link_is_logged_by_its_route_and_never_cached(client, caplog):
    owner = make_user()
    stored = make_file(owner, b"solid upper arch\n")
    _link, token = make_link(owner, [stored])
    caplog.set_level(logging.INFO)

    page = client.get(f"/t/{token}")
    download = client.get(f"/t/{token}/files/{stored.public_id}")

    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert download.headers["Cache-Control"] == "no-store"
    assert token not in _all_lines(caplog)
    assert any('"GET /t/<token>" 200' in line for line in _access_lines(caplog))
    assert any("/t/<token>/files/<public_id>" in line for line in _access_lines(caplog))


def test_reset_and_confirmation_links_are_logged_by_their_route(client, caplog):
    user = make_user(confirmed=False)
    caplog.set_level(logging.INFO)
    for token, path in (
        (make_reset_token(user), "/account/password/reset/"),
        (make_confirm_token(user, user.email), "/account/confirm/"),
    ):
        response = client.get(path + token)

        assert response.headers["Cache-Control"] == "no-store"
        assert token not in _all_lines(caplog)
        assert any(f"{path}<token>" in line for line in _access_lines(caplog))


def test_an_unknown_path_keeps_only_its_first_segment(client, caplog):
    caplog.set_level(logging.INFO)

    client.get("/t/a-secret-token-with-a-typo/oops/more")

    assert "a-secret-token" not in _all_lines(caplog)
    assert any('"GET /t/…" 404' in line for line in _access_lines(caplog))


def test_ordinary_pages_are_logged_with_their_path(client, caplog):
    caplog.set_level(logging.INFO)

    client.get("/find")

    assert any('"GET /find" 200' in line for line in _access_lines(caplog))


def test_the_development_servers_own_access_lines_are_dropped(caplog):
    caplog.set_level(logging.INFO)

    werkzeug_log("info", '127.0.0.1 - - [06/Dec/2026 10:00:00] "%s" %s %s\n', "GET /t/s3cr3t HTTP/1.1", "200", "-")
    werkzeug_log("info", " * Running on %s", "http://127.0.0.1:5000")

    assert "s3cr3t" not in _all_lines(caplog) and "Running on" in _all_lines(caplog)
