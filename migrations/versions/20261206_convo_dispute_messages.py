"""dispute_messages: the resolution centre's conversation with the parties of a dispute

Revision ID: 20261206_convo
Revises: 20261206_inputs
Create Date: 2026-12-06 22:00:00

"""
from alembic import op
import sqlalchemy as sa

import models.types


revision = '20261206_convo'
down_revision = '20261206_inputs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('dispute_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispute_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('audience', sa.Enum('all', 'client', 'designer', name='dispute_message_audience', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_dispute_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dispute_id'], ['disputes.id'], name=op.f('fk_dispute_messages_dispute_id_disputes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute_messages'))
    )
    with op.batch_alter_table('dispute_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispute_messages_dispute_id'), ['dispute_id'], unique=False)


def downgrade():
    with op.batch_alter_table('dispute_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispute_messages_dispute_id'))

    op.drop_table('dispute_messages')
