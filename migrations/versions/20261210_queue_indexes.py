"""queue indexes: the support desk reads its open tickets, longest waiting first, from one index
(status, waiting_since, id) like the other queues (20261207_queue_order)

Revision ID: 20261210_queue_indexes
Revises: 20261208_month_invoices
Create Date: 2026-12-10 00:00:00
"""
from alembic import op


revision = '20261210_queue_indexes'
down_revision = '20261208_month_invoices'
branch_labels = None
depends_on = None

INDEXES = [
    ('ix_support_tickets_queue', 'support_tickets', ['status', 'waiting_since', 'id']),
]


def upgrade():
    for name, table, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
