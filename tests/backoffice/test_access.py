"""Who sees what in the back office: roles per view, 404 for everyone else, and the second factor."""

from __future__ import annotations

import base64
import os

import pyotp
import pytest
import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from extensions import db
from files.crypto import load_master_key
from models.accounts import StaffRole
from models.moderation import AuditEntry, StaffSecondFactor
from tests.backoffice.factories import SECRET, current_code, make_staff, staff_login
from tests.factories import login, make_user

VIEWS = {
    "/backoffice/": set(StaffRole),
    "/backoffice/reviews/profiles/": {StaffRole.moderator, StaffRole.admin},
    "/backoffice/reviews/listings/": {StaffRole.moderator, StaffRole.admin},
    "/backoffice/violations/": {StaffRole.moderator, StaffRole.admin},
    "/backoffice/accounts/": {StaffRole.moderator, StaffRole.admin},
    "/backoffice/verifications/": {StaffRole.verifier, StaffRole.admin},
    "/backoffice/audit-log/": set(StaffRole),
    "/backoffice/payouts-not-sent/": {StaffRole.resolution_agent, StaffRole.admin},
}


@pytest.mark.parametrize("role", list(StaffRole))
def test_each_role_sees_only_its_views(client, role):
    staff_login(client, make_staff(role))
    for url, allowed in VIEWS.items():
        expected = 200 if role in allowed else 404
        assert client.get(url).status_code == expected, (role, url)


@pytest.mark.parametrize("url", [*VIEWS, "/backoffice/audit-log/export/csv/", "/backoffice/second-factor/"])
def test_anonymous_and_ordinary_users_get_404(client, url):
    assert client.get(url).status_code == 404
    login(client, make_user(designer=True))
    assert client.get(url).status_code == 404


def test_posts_are_404_for_ordinary_users_too(client):
    login(client, make_user())
    assert client.post("/backoffice/accounts/1/suspend", data={"reason": "x"}).status_code == 404


def test_staff_must_pass_the_second_factor_before_any_page(client):
    moderator = make_staff(StaffRole.moderator)
    login(client, moderator)
    response = client.get("/backoffice/violations/")
    assert response.status_code == 302
    assert "/backoffice/second-factor/" in response.headers["Location"]
    response = client.post("/backoffice/second-factor/?next=/backoffice/violations/", data={"code": current_code()})
    assert response.headers["Location"].endswith("/backoffice/violations/")
    assert client.get("/backoffice/violations/").status_code == 200


def test_a_wrong_code_is_refused_and_a_code_is_not_accepted_twice(client, app):
    moderator = make_staff(StaffRole.moderator)
    login(client, moderator)
    response = client.post(
        "/backoffice/second-factor/", data={"code": "000000" if current_code() != "000000" else "111111"}
    )
    assert response.status_code == 200 and "not valid" in response.get_data(as_text=True)
    assert client.get("/backoffice/").status_code == 302
    code = current_code()
    assert client.post("/backoffice/second-factor/", data={"code": code}).status_code == 302
    other = app.test_client()
    login(other, moderator)
    assert other.post("/backoffice/second-factor/", data={"code": code}).status_code == 200  # replay refused


def test_wrong_codes_are_rate_limited(client):
    login(client, make_staff(StaffRole.verifier))
    statuses = [client.post("/backoffice/second-factor/", data={"code": "12345x"}).status_code for _ in range(6)]
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429


def test_recovery_code_works_once(client, app):
    moderator = make_staff(StaffRole.moderator)
    code = moderator.recovery_codes[0]
    login(client, moderator)
    assert client.post("/backoffice/second-factor/", data={"code": code}).status_code == 302
    assert client.get("/backoffice/").status_code == 200
    other = app.test_client()
    login(other, moderator)
    assert other.post("/backoffice/second-factor/", data={"code": code}).status_code == 200
    assert other.get("/backoffice/").status_code == 302


def test_first_use_enrols_with_a_qr_code_then_shows_recovery_codes(client):
    admin = make_staff(StaffRole.admin, enrolled=False)
    login(client, admin)
    assert "/second-factor/" in client.get("/backoffice/").headers["Location"]
    response = client.get("/backoffice/second-factor/enrol")
    page = response.get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in page
    factor = db.session.query(StaffSecondFactor).filter_by(user_id=admin.id).one()
    assert SECRET not in page and factor.enrolled_at is None
    secret = page.split('class="secret-key">')[1].split("<")[0]
    assert secret.encode() not in factor.secret_encrypted  # kept encrypted
    response = client.post("/backoffice/second-factor/enrol", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200 and response.get_data(as_text=True).count("<li><code>") == 10
    assert client.get("/backoffice/").status_code == 200
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "staff.second_factor_enrolled"))
    assert (entry.object_type, entry.object_id, entry.actor_id) == ("User", str(admin.id), admin.id)


def test_logging_out_ends_the_second_factor_too(client):
    staff_login(client, make_staff(StaffRole.moderator))
    client.post("/account/logout")
    assert client.get("/backoffice/").status_code == 404


def test_admin_pages_carry_a_csp_nonce_for_their_inline_scripts(client):
    staff_login(client, make_staff(StaffRole.admin))
    response = client.get("/backoffice/audit-log/")
    policy = response.headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)
    assert "unsafe-inline" not in policy
    assert "nonce" not in client.get("/").headers["Content-Security-Policy"]


def test_audit_log_cannot_be_edited_or_deleted(client):
    staff_login(client, make_staff(StaffRole.admin))
    assert client.get("/backoffice/audit-log/edit/?id=1").status_code in (302, 404)
    assert client.post("/backoffice/audit-log/delete/", data={"id": "1"}).status_code in (302, 404)
    assert client.get("/backoffice/audit-log/new/").status_code in (302, 404)


def test_the_totp_secret_has_its_own_key_and_a_files_key_rotation_keeps_staff_logging_in(client, app, monkeypatch):
    moderator = make_staff(StaffRole.moderator)
    blob = db.session.scalar(
        sa.select(StaffSecondFactor.secret_encrypted).where(StaffSecondFactor.user_id == moderator.id)
    )
    nonce, sealed, user = blob[:12], blob[12:], f"user:{moderator.id}".encode()
    files_key = load_master_key(app.config["FILES_MASTER_KEY"])
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"occlusa/staff-totp/v1").derive(files_key)

    for key in (files_key, derived):  # whoever holds the files' key cannot read second factors
        with pytest.raises(InvalidTag):
            AESGCM(key).decrypt(nonce, sealed, user)
    totp_key = load_master_key(app.config["TOTP_SECRETS_KEY"], "TOTP_SECRETS_KEY")
    assert AESGCM(totp_key).decrypt(nonce, sealed, user).decode() == SECRET

    monkeypatch.setitem(app.config, "FILES_MASTER_KEYS_OLD", app.config["FILES_MASTER_KEY"])
    monkeypatch.setitem(app.config, "FILES_MASTER_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    staff_login(client, moderator)
