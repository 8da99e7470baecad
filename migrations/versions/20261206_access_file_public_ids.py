"""Stored files get a random public id: file URLs no longer carry sequential ids.

Revision ID: 20261206_access
Revises: 20261206_keys
Create Date: 2026-12-06
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "20261206_access"
down_revision = "20261206_keys"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("stored_files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_id", sa.String(length=32), nullable=True))
    files = sa.table("stored_files", sa.column("id", sa.Integer), sa.column("public_id", sa.String))
    connection = op.get_bind()
    for (file_id,) in connection.execute(sa.select(files.c.id)).all():
        connection.execute(files.update().where(files.c.id == file_id)
                           .values(public_id=secrets.token_urlsafe(16)))
    with op.batch_alter_table("stored_files", schema=None) as batch_op:
        batch_op.alter_column("public_id", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_stored_files_public_id"), ["public_id"])


def downgrade():
    with op.batch_alter_table("stored_files", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_stored_files_public_id"), type_="unique")
        batch_op.drop_column("public_id")
