"""quality reviews: a second staff member's verdict on a sampled decision

Revision ID: 20261206_figures
Revises: 20261206_account
Create Date: 2026-12-06 22:20:00

"""
from alembic import op
import sqlalchemy as sa

import models.types


revision = '20261206_figures'
down_revision = '20261206_account'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quality_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audit_entry_id', sa.Integer(), nullable=False),
    sa.Column('decider_id', sa.Integer(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('agrees', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reviewed_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['audit_entry_id'], ['audit_entries.id'], name=op.f('fk_quality_reviews_audit_entry_id_audit_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decider_id'], ['users.id'], name=op.f('fk_quality_reviews_decider_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_quality_reviews_reviewer_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_reviews')),
    sa.UniqueConstraint('audit_entry_id', name=op.f('uq_quality_reviews_audit_entry_id'))
    )
    with op.batch_alter_table('quality_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quality_reviews_decider_id'), ['decider_id'], unique=False)


def downgrade():
    with op.batch_alter_table('quality_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quality_reviews_decider_id'))
    op.drop_table('quality_reviews')
