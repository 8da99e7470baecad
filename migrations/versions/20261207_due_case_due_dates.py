"""due: each case's promised delivery date (turnaround in business days from acceptance) and its reminder

Revision ID: 20261207_due
Revises: 20261206_queues
Create Date: 2026-12-07 00:00:00

"""
from datetime import timedelta

from alembic import op
import sqlalchemy as sa
import models.types


revision = '20261207_due'
down_revision = '20261207_talk'
branch_labels = None
depends_on = None


def _due_at(accepted_at, turnaround_days):
    # The rule of cases.deadlines.due_at, frozen here: a migration does not import app code.
    due, left = accepted_at, max(0, turnaround_days)
    while left:
        due += timedelta(days=1)
        if due.weekday() < 5:
            left -= 1
    return due


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_at', models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('due_reminder_at', models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_due_reminder_at'), ['due_reminder_at'], unique=False)
    # Accepted cases get their due date; no reminder is scheduled for them (it would arrive late).
    cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('accepted_at', models.types.UTCDateTime()),
                     sa.column('turnaround_days', sa.Integer), sa.column('due_at', models.types.UTCDateTime()))
    bind = op.get_bind()
    rows = bind.execute(sa.select(cases.c.id, cases.c.accepted_at, cases.c.turnaround_days)
                        .where(cases.c.accepted_at.is_not(None))).all()
    for case_id, accepted_at, days in rows:
        bind.execute(cases.update().where(cases.c.id == case_id).values(due_at=_due_at(accepted_at, days)))


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_due_reminder_at'))
        batch_op.drop_column('due_reminder_at')
        batch_op.drop_column('due_at')
