"""money records: the ledger and the gateway log are append-only; money movements and alerts

Revision ID: 20261206_ledger
Revises: 34ba47bce6d6
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa
import models.types


revision = '20261206_ledger'
down_revision = '34ba47bce6d6'
branch_labels = None
depends_on = None

# The same statements as models/ledger.py (for databases built without migrations).
APPEND_ONLY = ("ledger_journals", "ledger_entries", "payment_events")
POSTGRESQL_FUNCTION = (
    "CREATE OR REPLACE FUNCTION money_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END $$")


def _guards(table: str, dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION money_records_append_only()"]
    return [f"CREATE TRIGGER {table}_append_only_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END" for verb in ("UPDATE", "DELETE")]


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
    for table in APPEND_ONLY:
        for statement in _guards(table, dialect):
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_{verb}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS money_records_append_only()")
