"""violations may come from the text inside an uploaded file (source "file")

Revision ID: 20261207_filetext
Revises: 20261206_queues
Create Date: 2026-12-07 00:00:00

"""
from alembic import op


revision = '20261207_filetext'
down_revision = '20261207_support'
branch_labels = None
depends_on = None

SOURCES = ('message', 'profile', 'listing', 'review', 'case_instructions', 'report')


def _check(values: tuple[str, ...]) -> str:
    return f"source IN ({', '.join(repr(v) for v in values)})"


def _allow(values: tuple[str, ...]) -> None:
    """Replace the CHECK constraint of violations.source (the enums are VARCHARs with a CHECK)."""
    name = op.f('ck_violations_violation_source')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(name, 'violations', type_='check')
        op.create_check_constraint(name, 'violations', _check(values))
        return
    with op.batch_alter_table('violations', recreate='always') as batch_op:
        batch_op.drop_constraint(name, type_='check')
        batch_op.create_check_constraint(name, _check(values))


def upgrade():
    _allow(SOURCES + ('file',))


def downgrade():
    op.execute("DELETE FROM violations WHERE source = 'file'")
    _allow(SOURCES)
