"""Behind the load balancer each client is counted on its own address (TRUSTED_PROXY_HOPS)."""

from __future__ import annotations

from tests.factories import make_user


def _attempts(browser, user, forwarded_for: str, times: int) -> list[int]:
    return [
        browser.post(
            "/account/login",
            data={"email": user.email, "password": "wrong password"},
            headers={"X-Forwarded-For": forwarded_for},
        ).status_code
        for _ in range(times)
    ]


def test_behind_a_proxy_each_client_has_its_own_login_limit(make_app):
    app = make_app(TRUSTED_PROXY_HOPS=1, RATELIMIT_LOGIN="2 per minute")
    user = make_user()
    assert _attempts(app.test_client(), user, "203.0.113.5", 3) == [200, 200, 429]
    # another client behind the same proxy still logs in
    assert _attempts(app.test_client(), user, "198.51.100.7", 1) == [200]
    # an address the client wrote itself in front of the one the proxy added changes nothing
    assert _attempts(app.test_client(), user, "198.51.100.99, 203.0.113.5", 1) == [429]


def test_without_a_proxy_a_forged_forwarded_for_header_does_not_escape_the_limit(make_app):
    app = make_app(TRUSTED_PROXY_HOPS=0, RATELIMIT_LOGIN="2 per minute")
    user = make_user()
    codes = [_attempts(app.test_client(), user, f"198.51.100.{i}", 1)[0] for i in range(3)]
    assert codes == [200, 200, 429]
