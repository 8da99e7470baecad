"""Outgoing mails (rendered by their job, sent once) and the sweep's heartbeat row

Revision ID: 20261206_jobs
Revises: 34ba47bce6d6
Create Date: 2026-12-06 20:54:20.645464

"""
from alembic import op
import sqlalchemy as sa
import models.types


# revision identifiers, used by Alembic.
revision = '20261206_jobs'
down_revision = '34ba47bce6d6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outgoing_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=320), nullable=False),
    sa.Column('template', sa.String(length=60), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('sent_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mails')),
    sa.UniqueConstraint('message_id', name=op.f('uq_outgoing_mails_message_id'))
    )
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_mails_sent_at'), ['sent_at'], unique=False)

    op.create_table('sweep_heartbeats',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('last_started_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_finished_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_failures', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_sweep_heartbeats'))
    )


def downgrade():
    op.drop_table('sweep_heartbeats')
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outgoing_mails_sent_at'))

    op.drop_table('outgoing_mails')
