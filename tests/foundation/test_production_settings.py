"""A production server refuses to start on weak settings, and the demo stays out of production."""

from __future__ import annotations

import base64
import os

import pytest
import sqlalchemy as sa

from extensions import db
from models.accounts import User

GOOD_SECRET = "k3J9vQ0x7LmT2pR8sWzA4bN6cD1eF5gH9jK0mN3qS"
GOOD_MASTER = base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.mark.parametrize("secret", ["changeme", "dev", "CHANGEME", "secret", "a-key-of-twenty-chars"])
def test_production_refuses_a_weak_secret_key(make_app, secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        make_app(PRODUCTION=True, SECRET_KEY=secret, FILES_MASTER_KEY=GOOD_MASTER)


@pytest.mark.parametrize(
    "master",
    [
        base64.urlsafe_b64encode(b"12345").decode(),
        "not a key at all",
        base64.urlsafe_b64encode(os.urandom(31)).decode(),
        "A",
    ],
)
def test_production_refuses_a_master_key_that_is_not_32_bytes_at_start(make_app, master):
    with pytest.raises(RuntimeError, match="FILES_MASTER_KEY"):
        make_app(PRODUCTION=True, SECRET_KEY=GOOD_SECRET, FILES_MASTER_KEY=master)


def test_a_short_master_key_is_refused_at_start_outside_production_too(make_app):
    with pytest.raises(RuntimeError, match="FILES_MASTER_KEY"):
        make_app(FILES_MASTER_KEY=base64.urlsafe_b64encode(b"12345").decode())


def test_every_problem_is_named_at_once(make_app):
    with pytest.raises(RuntimeError) as refused:
        make_app(PRODUCTION=True, SECRET_KEY="dev", FILES_MASTER_KEY="short")
    assert "SECRET_KEY" in str(refused.value) and "FILES_MASTER_KEY" in str(refused.value)


def test_production_starts_with_strong_settings(make_app):
    app = make_app(PRODUCTION=True, SECRET_KEY=GOOD_SECRET, FILES_MASTER_KEY=GOOD_MASTER)
    assert app.config["PRODUCTION"]


def test_seed_demo_is_refused_in_production(make_app):
    app = make_app(PRODUCTION=True, SECRET_KEY=GOOD_SECRET, FILES_MASTER_KEY=GOOD_MASTER)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "production" in result.output
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0  # no demo admin
