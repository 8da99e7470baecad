"""designer_profiles.unavailable_since: when "Unavailable for work" was switched on

Each conversation gets the automatic "Full" reply once per spell of unavailability. Designers
already unavailable start their spell now.

Revision ID: 20261206_inputs
Revises: 20261206_ledger
Create Date: 2026-12-06 10:00:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

import models.types


revision = '20261206_inputs'
down_revision = '20261206_ledger'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('designer_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unavailable_since', models.types.UTCDateTime(timezone=True), nullable=True))
    profiles = sa.table('designer_profiles', sa.column('unavailable', sa.Boolean()),
                        sa.column('unavailable_since', models.types.UTCDateTime()))
    op.execute(profiles.update().where(profiles.c.unavailable.is_(True))
               .values(unavailable_since=datetime.now(timezone.utc)))


def downgrade():
    with op.batch_alter_table('designer_profiles', schema=None) as batch_op:
        batch_op.drop_column('unavailable_since')
