"""queue order indexes: each queue page reads one state, due first, from an index

Revision ID: 20261207_queue_order
Revises: 20261206_queues
Create Date: 2026-12-07 00:20:00

"""
from alembic import op


revision = '20261207_queue_order'
down_revision = '20261206_queues'
branch_labels = None
depends_on = None

INDEXES = [
    ('ix_designer_profiles_queue', 'designer_profiles', ['state', 'submitted_at', 'id']),
    ('ix_listings_queue', 'listings', ['state', 'submitted_at', 'id']),
    ('ix_verification_submissions_queue', 'verification_submissions', ['status', 'submitted_at', 'id']),
    ('ix_violations_queue', 'violations', ['status', 'created_at', 'id']),
]


def upgrade():
    for name, table, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
