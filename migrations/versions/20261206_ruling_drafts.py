"""ruling_drafts: a ruling waiting for a second agent (large refund, or a party's proposal set aside)

Revision ID: 20261206_ruling
Revises: 20261206_convo
Create Date: 2026-12-06 21:41:29

"""
from alembic import op
import sqlalchemy as sa
import models.types


revision = '20261206_ruling'
down_revision = '20261206_convo'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ruling_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispute_id', sa.Integer(), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Enum('refund', 'pay_designer', 'split', name='ruling_outcome', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('designer_cents', sa.Integer(), nullable=False),
    sa.Column('refund_cents', sa.Integer(), nullable=False),
    sa.Column('fee_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('percent_hundredths', sa.Integer(), nullable=True),
    sa.Column('reasoning', sa.Text(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'sent_back', 'withdrawn', name='ruling_draft_status', native_enum=False, create_constraint=True, length=17), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.CheckConstraint('designer_cents >= 0 AND refund_cents >= 0', name=op.f('ck_ruling_drafts_parts_not_negative')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_ruling_drafts_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dispute_id'], ['disputes.id'], name=op.f('fk_ruling_drafts_dispute_id_disputes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['users.id'], name=op.f('fk_ruling_drafts_drafted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ruling_drafts'))
    )
    with op.batch_alter_table('ruling_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ruling_drafts_dispute_id'), ['dispute_id'], unique=False)
        batch_op.create_index('uq_ruling_drafts_pending', ['dispute_id'], unique=True, postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))


def downgrade():
    with op.batch_alter_table('ruling_drafts', schema=None) as batch_op:
        batch_op.drop_index('uq_ruling_drafts_pending', postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))
        batch_op.drop_index(batch_op.f('ix_ruling_drafts_dispute_id'))

    op.drop_table('ruling_drafts')
