"""catalogue rows carry their designer's side: listed, availability and the ranking inputs, indexed

Revision ID: 20261208_ranking
Revises: 20261208_rollup
Create Date: 2026-12-07 03:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = "20261208_ranking"
down_revision = "20261208_rollup"
branch_labels = None
depends_on = None

# The live rule's designer side, frozen here (listings/visibility.py holds the current one).
BACKFILL = """
UPDATE catalogue_entries SET
  listed = EXISTS (
    SELECT 1 FROM designer_profiles p JOIN users u ON u.id = p.user_id
    WHERE p.user_id = catalogue_entries.designer_id AND p.approved_at IS NOT NULL
      AND p.identity_verified = :yes AND p.payouts_ready = :yes AND u.status = 'active'),
  unavailable = coalesce((SELECT p.unavailable FROM designer_profiles p WHERE p.user_id = catalogue_entries.designer_id), :no),
  review_count = coalesce((SELECT p.review_count FROM designer_profiles p WHERE p.user_id = catalogue_entries.designer_id), 0),
  stars_total = coalesce((SELECT p.stars_total FROM designer_profiles p WHERE p.user_id = catalogue_entries.designer_id), 0)
"""


def upgrade():
    # Plain ADD COLUMN (no table copy): SQLite keeps the full-text triggers on catalogue_entries.
    op.add_column('catalogue_entries', sa.Column('listed', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('catalogue_entries', sa.Column('unavailable', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('catalogue_entries', sa.Column('review_count', sa.Integer(), server_default='0', nullable=False))
    op.add_column('catalogue_entries', sa.Column('stars_total', sa.Integer(), server_default='0', nullable=False))
    op.get_bind().execute(sa.text(BACKFILL), {"yes": True, "no": False})
    op.create_index(
        'ix_catalogue_entries_ranking',
        'catalogue_entries',
        ['listed', 'paused', 'private_client_id', 'review_count', 'stars_total', 'approved_at', 'listing_id'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_catalogue_entries_ranking', table_name='catalogue_entries')
    # ALTER TABLE … DROP COLUMN on both databases (SQLite ≥ 3.35): a batch copy of the table
    # would drop the full-text triggers with it.
    for column in ('stars_total', 'review_count', 'unavailable', 'listed'):
        op.execute(f'ALTER TABLE catalogue_entries DROP COLUMN {column}')
