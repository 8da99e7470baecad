"""violation groups (one strike per group decided at once) and appeals against suspension or termination

Revision ID: 20261206_violations
Revises: 20261206_macros
Create Date: 2026-12-06 22:15:00

"""
from alembic import op
import sqlalchemy as sa
import models.types


revision = '20261206_violations'
down_revision = '20261206_macros'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('violations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_lead_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_violations_group_lead_id_violations'), 'violations',
                                    ['group_lead_id'], ['id'], ondelete='SET NULL')
    op.create_table('appeals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('decision_entry_id', sa.Integer(), nullable=False),
    sa.Column('original_decider_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'upheld', 'reinstated', name='appeal_status', native_enum=False, create_constraint=True, length=18), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_appeals_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decision_entry_id'], ['audit_entries.id'], name=op.f('fk_appeals_decision_entry_id_audit_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['original_decider_id'], ['users.id'], name=op.f('fk_appeals_original_decider_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_appeals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeals')),
    sa.UniqueConstraint('decision_entry_id', name=op.f('uq_appeals_decision_entry_id'))
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeals_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_appeals_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeals_user_id'))
        batch_op.drop_index(batch_op.f('ix_appeals_status'))
    op.drop_table('appeals')
    with op.batch_alter_table('violations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_violations_group_lead_id_violations'), type_='foreignkey')
        batch_op.drop_column('group_lead_id')
