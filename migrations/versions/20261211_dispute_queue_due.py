"""dispute queue due: each dispute stores the due time the resolution centre's queue sorts by
(disputes.rules.queue_due_at), under an index in the queue's order (escalated first, due first)

The order was computed for every active dispute (with its case joined) and sorted at each page;
the first page is now the index's first rows. Existing disputes are filled in by the same rule.

Revision ID: 20261211_dispute_queue_due
Revises: 20261210_catalogue_document
Create Date: 2026-12-11 00:00:00
"""
from datetime import timedelta

import sqlalchemy as sa
from alembic import op
from flask import current_app

import models.types

revision = '20261211_dispute_queue_due'
down_revision = '20261210_catalogue_document'
branch_labels = None
depends_on = None

DEFAULT_DAYS = {"DISPUTE_RULING_DAYS": 14, "ESCROW_LIMIT_DAYS": 90}  # disputes.rules.DEFAULTS


def _days(name: str) -> timedelta:
    try:
        return timedelta(days=int(current_app.config.get(name, DEFAULT_DAYS[name])))
    except RuntimeError:  # run outside the app
        return timedelta(days=DEFAULT_DAYS[name])


def upgrade():
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue_due_at', models.types.UTCDateTime(timezone=True), nullable=True))
    utc = models.types.UTCDateTime(timezone=True)
    disputes = sa.table(
        'disputes', sa.column('id', sa.Integer), sa.column('case_id', sa.Integer), sa.column('state', sa.String),
        sa.column('answer_due_at', utc), sa.column('queue_due_at', utc),
    )
    cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('escrow_limit_at', utc),
                     sa.column('accepted_at', utc))
    connection = op.get_bind()
    ruling_days, escrow_days = _days("DISPUTE_RULING_DAYS"), _days("ESCROW_LIMIT_DAYS")
    rows = connection.execute(
        sa.select(disputes.c.id, disputes.c.state, disputes.c.answer_due_at, cases.c.escrow_limit_at,
                  cases.c.accepted_at).join(cases, cases.c.id == disputes.c.case_id)
    ).all()
    dues = []
    for dispute_id, state, answer_due_at, escrow_limit_at, accepted_at in rows:
        if state == 'open':
            due = answer_due_at
        else:
            ruling = answer_due_at + ruling_days
            limit = escrow_limit_at or (accepted_at + escrow_days if accepted_at else None)
            due = min(ruling, limit) if limit is not None else ruling
        dues.append({'dispute_id': dispute_id, 'due': due})
    if dues:
        connection.execute(
            disputes.update().where(disputes.c.id == sa.bindparam('dispute_id')).values(queue_due_at=sa.bindparam('due')),
            dues,
        )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index('ix_disputes_queue', [sa.text('escalated DESC'), 'queue_due_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index('ix_disputes_queue')
        batch_op.drop_column('queue_due_at')
