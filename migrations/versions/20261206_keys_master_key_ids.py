"""Master key ids beside wrapped file keys; TOTP secrets under their own key.

Every wrapped key written before this was wrapped under the FILES_MASTER_KEY configured
now, so existing rows get that key's id. The staff TOTP secrets were sealed under a key
derived from FILES_MASTER_KEY; they are re-sealed under TOTP_SECRETS_KEY (and back on
downgrade). Both keys come from the app's configuration, parsed by files.crypto.

Revision ID: 20261206_keys
Revises: 20261206_jobs
Create Date: 2026-12-06
"""
import os

import sqlalchemy as sa
from alembic import op
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from files.crypto import key_ring, load_master_key, totp_secrets_key

revision = "20261206_keys"
down_revision = "20261206_jobs"
branch_labels = None
depends_on = None

_TABLES = ("stored_files", "upload_sessions")


def _files_derived_totp_key() -> bytes:
    """The TOTP key used before this revision: HKDF of the files' master key."""
    master = load_master_key(current_app.config["FILES_MASTER_KEY"])
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"occlusa/staff-totp/v1").derive(master)


def _reseal_totp_secrets(old_key: bytes, new_key: bytes) -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, user_id, secret_encrypted FROM staff_second_factors")).all()
    for row_id, user_id, blob in rows:
        blob, associated = bytes(blob), f"user:{user_id}".encode()
        try:
            secret = AESGCM(old_key).decrypt(blob[:12], blob[12:], associated)
        except InvalidTag:
            AESGCM(new_key).decrypt(blob[:12], blob[12:], associated)  # already resealed, else raise
            continue
        nonce = os.urandom(12)
        conn.execute(sa.text("UPDATE staff_second_factors SET secret_encrypted = :blob WHERE id = :id"),
                     {"blob": nonce + AESGCM(new_key).encrypt(nonce, secret, associated), "id": row_id})


def upgrade():
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("wrapped_key_id", sa.String(length=16), nullable=True))
    current_id = key_ring(current_app.config).current_id
    for table in _TABLES:
        op.execute(sa.text(f"UPDATE {table} SET wrapped_key_id = :id WHERE wrapped_key IS NOT NULL")
                   .bindparams(id=current_id))
    _reseal_totp_secrets(_files_derived_totp_key(), totp_secrets_key(current_app.config))


def downgrade():
    _reseal_totp_secrets(totp_secrets_key(current_app.config), _files_derived_totp_key())
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("wrapped_key_id")
