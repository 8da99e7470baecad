"""rejected_versions: the rejected version of a profile or listing, to review its resubmission as a diff

Revision ID: 20261206_queues
Revises: 20261206_figures
Create Date: 2026-12-06 22:20:00

"""
from alembic import op
import sqlalchemy as sa
import models.types


revision = '20261206_queues'
down_revision = '20261206_figures'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rejected_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_rejected_versions_decided_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rejected_versions'))
    )
    with op.batch_alter_table('rejected_versions', schema=None) as batch_op:
        batch_op.create_index('ix_rejected_versions_object', ['object_type', 'object_id'], unique=False)


def downgrade():
    with op.batch_alter_table('rejected_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_rejected_versions_object')
    op.drop_table('rejected_versions')
