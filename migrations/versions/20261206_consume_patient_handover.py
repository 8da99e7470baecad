"""patient data's hand-over: the download under way and the first complete one

Revision ID: 20261206_consume
Revises: 20261206_access
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa
import models.types


# revision identifiers, used by Alembic.
revision = '20261206_consume'
down_revision = '20261206_access'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('downloaded_by', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('downloaded_at', models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_stored_files_downloaded_at'), ['downloaded_at'], unique=False)


def downgrade():
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_files_downloaded_at'))
        batch_op.drop_column('downloaded_at')
        batch_op.drop_column('downloaded_by')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claimed_by')
