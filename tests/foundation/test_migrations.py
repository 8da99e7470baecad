"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.engine import make_url

from extensions import db
from files import crypto
from files.crypto import load_master_key
from models.listings import CATALOGUE_DOCUMENT_SQL


def _fresh_database_url(app, tmp_path) -> str:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        return f"sqlite:///{tmp_path / 'migrated.db'}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS occlusa_migration_check"))
        conn.execute(sa.text("CREATE DATABASE occlusa_migration_check"))
    admin.dispose()
    return url.set(database="occlusa_migration_check").render_as_string(hide_password=False)


SEARCH_INDEX = "ix_catalogue_entries_document"
SEARCH_COLUMN = "document"
# Alembic compares a DESC column of an index as an expression it cannot read back on SQLite:
# this one is checked separately below.
DISPUTE_QUEUE_INDEX = "ix_disputes_queue"


def _ignore_search_index(obj, name, type_, reflected, compare_to):
    # Full-text search lives partly outside the models by design: SQLite's FTS5 shadow tables,
    # and PostgreSQL's stored tsvector column and its GIN index, which models.listings adds with
    # DDL on PostgreSQL only (the column does not exist on SQLite, so it is not mapped). Their
    # presence and expression are checked separately below.
    if type_ == "table" and reflected and compare_to is None and "_fts" in (name or ""):
        return False
    if type_ == "column" and reflected and compare_to is None and name == SEARCH_COLUMN:
        return obj.table.name != "catalogue_entries"
    return not (type_ == "index" and name in (SEARCH_INDEX, DISPUTE_QUEUE_INDEX))


def _document_expression(conn, table: str) -> str:
    """PostgreSQL's normalised generation expression of a table's stored tsvector column."""
    return conn.execute(
        sa.text(
            "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
            "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
            "WHERE d.adrelid = CAST(:table AS regclass) AND a.attname = :column"
        ),
        {"table": table, "column": SEARCH_COLUMN},
    ).scalar_one()


def _models_document_expression(conn) -> str:
    """The same for the expression create_all uses (models.listings), on the same column types."""
    conn.execute(
        sa.text(
            "CREATE TEMPORARY TABLE document_check (title varchar(120), description text, skills text, "
            "software_names text, designer_names text, category_words text, "
            f"document tsvector GENERATED ALWAYS AS ({CATALOGUE_DOCUMENT_SQL}) STORED)"
        )
    )
    return _document_expression(conn, "document_check")


def _assert_audit_log_is_append_only(conn) -> None:
    conn.execute(
        sa.text(
            "INSERT INTO audit_entries (at, action, object_type, object_id) VALUES (now(), 'test.entry', 'User', '1')"
        )
    )
    for statement in ("UPDATE audit_entries SET reason = 'rewritten'", "DELETE FROM audit_entries"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with conn.begin_nested():
                conn.execute(sa.text(statement))
    conn.rollback()


def _assert_money_records_are_append_only(conn) -> None:
    conn.execute(
        sa.text(
            "INSERT INTO ledger_journals (kind, idempotency_key, created_at) "
            "VALUES ('capture', 'test-journal', CURRENT_TIMESTAMP)"
        )
    )
    for statement in ("UPDATE ledger_journals SET idempotency_key = 'rewritten'", "DELETE FROM ledger_journals"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with conn.begin_nested():
                conn.execute(sa.text(statement))
    conn.rollback()


def test_upgrade_builds_the_models_schema_and_downgrade_undoes_it(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=_fresh_database_url(make_app(), tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": _ignore_search_index}
            )
            diffs = compare_metadata(context, db.metadata)
        assert diffs == [], f"models and migrations differ: {diffs}"
        with db.engine.connect() as conn:
            queue_index = [i for i in sa.inspect(conn).get_indexes("disputes") if i["name"] == DISPUTE_QUEUE_INDEX]
            assert [i["column_names"][-2:] for i in queue_index] == [["queue_due_at", "id"]]
            if conn.dialect.name == "postgresql":
                indexes = {i["name"] for i in sa.inspect(conn).get_indexes("catalogue_entries")}
                assert SEARCH_INDEX in indexes
                columns = {c["name"] for c in sa.inspect(conn).get_columns("catalogue_entries")}
                assert SEARCH_COLUMN in columns
                assert _document_expression(conn, "catalogue_entries") == _models_document_expression(conn)
                _assert_audit_log_is_append_only(conn)
            else:
                assert "catalogue_fts" in sa.inspect(conn).get_table_names()
            _assert_money_records_are_append_only(conn)
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_upgrading_reseals_the_staff_totp_secrets_and_names_the_files_master_key(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=_fresh_database_url(make_app(), tmp_path))
    with app.app_context():
        upgrade(revision="34ba47bce6d6")
        files_key = load_master_key(app.config["FILES_MASTER_KEY"])
        before = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"occlusa/staff-totp/v1").derive(files_key)
        nonce = os.urandom(12)
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO users (id, email, password_hash, display_name, is_client, is_designer, status, "
                    "session_version, created_at) VALUES (7, 'staff@example.com', 'x', 'Staff', false, false, "
                    "'active', 0, CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO staff_second_factors (user_id, secret_encrypted, recovery_code_hashes) "
                    "VALUES (7, :blob, '[]')"
                ),
                {"blob": nonce + AESGCM(before).encrypt(nonce, b"OLDSECRET", b"user:7")},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO stored_files (owner_id, kind, original_name, content_type, size, storage_key, "
                    "wrapped_key, nonce_prefix, chunk_size, created_at) VALUES (7, 'design', 'crown.stl', 'model/stl', "
                    "0, 'files/aa/one', :wrapped, :prefix, 1024, CURRENT_TIMESTAMP)"
                ),
                {"wrapped": b"\x01" + os.urandom(60), "prefix": os.urandom(8)},
            )

        upgrade()

        with db.engine.connect() as conn:
            blob = conn.execute(sa.text("SELECT secret_encrypted FROM staff_second_factors")).scalar_one()
            key_id = conn.execute(sa.text("SELECT wrapped_key_id FROM stored_files")).scalar_one()
        assert key_id == crypto.key_id(files_key)
        totp_key = load_master_key(app.config["TOTP_SECRETS_KEY"], "TOTP_SECRETS_KEY")
        assert AESGCM(totp_key).decrypt(blob[:12], blob[12:], b"user:7") == b"OLDSECRET"
        downgrade(revision="34ba47bce6d6")
        with db.engine.connect() as conn:
            blob = conn.execute(sa.text("SELECT secret_encrypted FROM staff_second_factors")).scalar_one()
        assert AESGCM(before).decrypt(blob[:12], blob[12:], b"user:7") == b"OLDSECRET"
        downgrade(revision="base")
        db.engine.dispose()
