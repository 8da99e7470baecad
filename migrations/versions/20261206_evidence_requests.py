"""evidence_requests: a resolution agent asks a party for evidence by a date

dispute_evidence.request_id names the request a file answers.

Revision ID: 20261206_evidence
Revises: 20261206_ruling
Create Date: 2026-12-06 22:00:00

"""
from alembic import op
import sqlalchemy as sa

import models.types


revision = '20261206_evidence'
down_revision = '20261206_ruling'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evidence_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispute_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.Enum('client', 'designer', name='evidence_request_party', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('asked_by_id', sa.Integer(), nullable=True),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('asked_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('overdue_flagged_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('due_at > asked_at', name=op.f('ck_evidence_requests_due_after_asked')),
    sa.ForeignKeyConstraint(['asked_by_id'], ['users.id'], name=op.f('fk_evidence_requests_asked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dispute_id'], ['disputes.id'], name=op.f('fk_evidence_requests_dispute_id_disputes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_requests'))
    )
    with op.batch_alter_table('evidence_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_requests_dispute_id'), ['dispute_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_requests_due_at'), ['due_at'], unique=False)

    with op.batch_alter_table('dispute_evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_dispute_evidence_request_id'), ['request_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_dispute_evidence_request_id_evidence_requests'), 'evidence_requests', ['request_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('dispute_evidence', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_dispute_evidence_request_id_evidence_requests'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_dispute_evidence_request_id'))
        batch_op.drop_column('request_id')

    with op.batch_alter_table('evidence_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_requests_due_at'))
        batch_op.drop_index(batch_op.f('ix_evidence_requests_dispute_id'))

    op.drop_table('evidence_requests')
