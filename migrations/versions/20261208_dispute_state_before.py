"""disputes no longer copy the case's state before them: the case's "dispute" event is the source

Revision ID: 20261208_state_before
Revises: 20261208_ranking
Create Date: 2026-12-07 04:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = "20261208_state_before"
down_revision = "20261208_ranking"
branch_labels = None
depends_on = None


def upgrade():
    # A plain DROP COLUMN on both databases (SQLite has it since 3.35): rebuilding the table on
    # SQLite would drop the rows that point at disputes.
    op.drop_column("disputes", "previous_case_state")


def downgrade():
    op.add_column(
        "disputes",
        sa.Column("previous_case_state", sa.String(length=16), nullable=False, server_default="in_progress"),
    )
    op.execute(
        """
        UPDATE disputes SET previous_case_state = coalesce((
          SELECT e.from_state FROM case_events e
          WHERE e.case_id = disputes.case_id AND e.action = 'dispute' AND e.at <= disputes.opened_at
          ORDER BY e.id DESC LIMIT 1), 'in_progress')
        """
    )
