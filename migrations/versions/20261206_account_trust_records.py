"""sign_in_devices (browser and network prefix per login) and staff_notes on accounts

Revision ID: 20261206_account
Revises: 20261206_violations
Create Date: 2026-12-06 22:30:00

"""
from alembic import op
import sqlalchemy as sa

import models.types


revision = '20261206_account'
down_revision = '20261206_violations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.Column('ip_prefix', sa.String(length=50), nullable=False),
    sa.Column('first_seen_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sign_ins', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_in_devices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_devices')),
    sa.UniqueConstraint('user_id', 'user_agent', 'ip_prefix', name=op.f('uq_sign_in_devices_user_id_user_agent_ip_prefix'))
    )
    with op.batch_alter_table('sign_in_devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_devices_ip_prefix'), ['ip_prefix'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_devices_user_id'), ['user_id'], unique=False)

    op.create_table('staff_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_staff_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staff_notes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_notes'))
    )
    with op.batch_alter_table('staff_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_notes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_notes_user_id'))
    op.drop_table('staff_notes')
    with op.batch_alter_table('sign_in_devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_devices_user_id'))
        batch_op.drop_index(batch_op.f('ix_sign_in_devices_ip_prefix'))
    op.drop_table('sign_in_devices')
