"""invoices of monthly contracts: an invoice belongs to a case or to a contract month, exactly one

Revision ID: 20261208_month_invoices
Revises: 20261208_state_before
Create Date: 2026-12-08 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '20261208_month_invoices'
down_revision = "20261208_state_before"
branch_labels = None
depends_on = None


# Issued invoices refuse changes to what they say, and deletion: the same statements as models/payments.py,
# written out here since a migration must not change when the models do. The frozen columns now include
# contract_month_id.
FROZEN = ("kind, issuer_key, number, display_number, case_id, contract_month_id, issuer, recipient, lines, "
          "subtotal_cents, vat_cents, total_cents, vat_rule, vat_rate_bp, currency, source_key, corrects_id, pdf, "
          "created_at")
FROZEN_BEFORE = ("kind, issuer_key, number, display_number, case_id, issuer, recipient, lines, subtotal_cents, "
                 "vat_cents, total_cents, vat_rule, vat_rate_bp, currency, source_key, corrects_id, pdf, created_at")


def _drop_guard() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS invoices_append_only ON invoices")
    else:
        op.execute("DROP TRIGGER IF EXISTS invoices_append_only_update")
        op.execute("DROP TRIGGER IF EXISTS invoices_append_only_delete")


def _guard(columns: str) -> None:
    if op.get_bind().dialect.name == 'postgresql':
        statements = ["CREATE OR REPLACE FUNCTION money_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                      "BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END $$",
                      f"CREATE TRIGGER invoices_append_only BEFORE UPDATE OF {columns} OR DELETE ON invoices "
                      "FOR EACH ROW EXECUTE FUNCTION money_records_append_only()"]
    else:
        statements = [f"CREATE TRIGGER invoices_append_only_update BEFORE UPDATE OF {columns} ON invoices "
                      "BEGIN SELECT RAISE(ABORT, 'invoices is append-only'); END",
                      "CREATE TRIGGER invoices_append_only_delete BEFORE DELETE ON invoices "
                      "BEGIN SELECT RAISE(ABORT, 'invoices is append-only'); END"]
    for statement in statements:
        op.execute(statement)


def upgrade():
    # The guard goes first: a rebuilt SQLite table would drop it, and its row copy must not be refused.
    _drop_guard()
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contract_month_id', sa.Integer(), nullable=True))
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_invoices_contract_month_id'), ['contract_month_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_invoices_contract_month_id_contract_months'), 'contract_months',
                                    ['contract_month_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_check_constraint(
            batch_op.f('ck_invoices_one_subject'),
            "(case_id IS NULL AND contract_month_id IS NOT NULL) OR (case_id IS NOT NULL AND contract_month_id IS NULL)")
    _guard(FROZEN)


def downgrade():
    _drop_guard()
    # The documents of contract months have no place in the older schema.
    op.execute("DELETE FROM invoices WHERE corrects_id IS NOT NULL AND contract_month_id IS NOT NULL")
    op.execute("DELETE FROM invoices WHERE contract_month_id IS NOT NULL")
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_invoices_one_subject'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_invoices_contract_month_id_contract_months'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_invoices_contract_month_id'))
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('contract_month_id')
    _guard(FROZEN_BEFORE)
