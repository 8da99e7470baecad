"""audit log: daily roll-up of entries per action and actor, closed days' hours to decision, and the figures page's indexes

Revision ID: 20261208_rollup
Revises: 20261208_contracts
Create Date: 2026-12-07 03:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261208_rollup'
down_revision = '20261208_contracts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_day_counts',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('actor_key', sa.Integer(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.CheckConstraint('entries > 0', name=op.f('ck_audit_day_counts_entries_positive')),
    sa.PrimaryKeyConstraint('day', 'action', 'actor_key', name=op.f('pk_audit_day_counts'))
    )
    # Filled by the sweep (moderation.figures.record_decision_days), a closed day at a time.
    op.create_table('decision_hours_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('queue', sa.String(length=16), nullable=False),
    sa.Column('hours', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'queue', name=op.f('pk_decision_hours_days'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_action_at', ['action', 'at', 'actor_id'], unique=False)
        batch_op.create_index('ix_audit_entries_object_action_at', ['object_type', 'object_id', 'action', 'at'], unique=False)
    # The history so far, counted once; from here on each audit row adds itself (moderation.audit).
    day = "(at AT TIME ZONE 'UTC')::date" if op.get_bind().dialect.name == "postgresql" else "date(at)"
    op.execute(
        "INSERT INTO audit_day_counts (day, action, actor_key, entries) "
        f"SELECT {day}, action, coalesce(actor_id, 0), count(*) FROM audit_entries "
        f"GROUP BY {day}, action, coalesce(actor_id, 0)"
    )


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_object_action_at')
        batch_op.drop_index('ix_audit_entries_action_at')
    op.drop_table('decision_hours_days')
    op.drop_table('audit_day_counts')
