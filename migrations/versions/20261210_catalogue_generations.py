"""catalogue generations: counters bumped by every write the catalogue's public pages show

Revision ID: 20261210_catalogue_generations
Revises: 20261210_queue_indexes
Create Date: 2026-12-10 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '20261210_catalogue_generations'
down_revision = "20261210_queue_indexes"
branch_labels = None
depends_on = None


def upgrade():
    # No rows: the first write to a watched table creates its scope's row (with a new token).
    op.create_table(
        'catalogue_generations',
        sa.Column('scope', sa.String(length=20), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('scope', name=op.f('pk_catalogue_generations')),
    )


def downgrade():
    op.drop_table('catalogue_generations')
