"""money records: the ledger and the gateway log are append-only; money movements recorded before the gateway is asked

Revision ID: 20261206_ledger
Revises: 20261206_consume
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa
import models.types


revision = '20261206_ledger'
down_revision = '20261206_consume'
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
    op.create_table('payment_movements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('capture', 'release', 'refund', 'transfer', name='movement_kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('fee_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('destination', sa.String(length=64), nullable=True),
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('state', sa.Enum('pending', 'succeeded', 'failed', name='movement_state', native_enum=False, create_constraint=True, length=17), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_cents >= 0 AND fee_cents >= 0', name=op.f('ck_payment_movements_amounts_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_movements')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_payment_movements_idempotency_key'))
    )
    with op.batch_alter_table('payment_movements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_movements_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_movements_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_movements_state'), ['state'], unique=False)

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
    with op.batch_alter_table('payment_movements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_movements_state'))
        batch_op.drop_index(batch_op.f('ix_payment_movements_payment_id'))
        batch_op.drop_index(batch_op.f('ix_payment_movements_case_id'))
    op.drop_table('payment_movements')
