"""billing details of users; invoices carry VAT and credit notes (source_key replaces one invoice per case and kind)

Revision ID: 20261207_billing
Revises: 20261206_queues
Create Date: 2026-12-07 00:00:00

"""
from alembic import op
import sqlalchemy as sa

import models.types


revision = '20261207_billing'
down_revision = '20261207_help'
branch_labels = None
depends_on = None


# Issued invoices refuse changes to what they say, and deletion: the same statements as models/payments.py,
# written out here since a migration must not change when the models do.
FROZEN = ("kind, issuer_key, number, display_number, case_id, issuer, recipient, lines, subtotal_cents, vat_cents, "
          "total_cents, vat_rule, vat_rate_bp, currency, source_key, corrects_id, pdf, created_at")


def _guard_statements() -> list[str]:
    if op.get_bind().dialect.name == 'postgresql':
        return ["CREATE OR REPLACE FUNCTION money_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END $$",
                f"CREATE TRIGGER invoices_append_only BEFORE UPDATE OF {FROZEN} OR DELETE ON invoices "
                "FOR EACH ROW EXECUTE FUNCTION money_records_append_only()"]
    return [f"CREATE TRIGGER invoices_append_only_update BEFORE UPDATE OF {FROZEN} ON invoices "
            "BEGIN SELECT RAISE(ABORT, 'invoices is append-only'); END",
            "CREATE TRIGGER invoices_append_only_delete BEFORE DELETE ON invoices "
            "BEGIN SELECT RAISE(ABORT, 'invoices is append-only'); END"]


def upgrade():
    op.create_table('billing_details',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('legal_name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('vat_number', sa.String(length=20), nullable=True),
    sa.Column('tax_id', sa.String(length=40), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_billing_details_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_details')),
    sa.UniqueConstraint('user_id', name=op.f('uq_billing_details_user_id'))
    )
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_key', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('corrects_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('vat_rule', sa.String(length=20), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('vat_rate_bp', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('vat_cents', sa.Integer(), nullable=False, server_default='0'))
    # Invoices issued so far are one per case and kind: their source says so.
    op.execute("UPDATE invoices SET source_key = 'case-' || case_id || '-' || kind")
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.alter_column('source_key', existing_type=sa.String(length=60), nullable=False)
        batch_op.alter_column('vat_rule', server_default=None)
        batch_op.alter_column('vat_rate_bp', server_default=None)
        batch_op.alter_column('vat_cents', server_default=None)
        batch_op.drop_constraint(batch_op.f('uq_invoices_case_id_kind'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_invoices_source_key'), ['source_key'])
        batch_op.create_foreign_key(batch_op.f('fk_invoices_corrects_id_invoices'), 'invoices', ['corrects_id'],
                                    ['id'], ondelete='RESTRICT')
        batch_op.create_index(batch_op.f('ix_invoices_corrects_id'), ['corrects_id'], unique=False)
        batch_op.create_check_constraint(batch_op.f('ck_invoices_vat_within_total'),
                                         'vat_cents >= 0 AND vat_cents <= total_cents')
        batch_op.create_check_constraint(batch_op.f('ck_invoices_totals_add_up'),
                                         'subtotal_cents + vat_cents = total_cents')
    # After the table's last rebuild (a rebuilt SQLite table loses its triggers).
    for statement in _guard_statements():
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS invoices_append_only ON invoices")
    else:
        op.execute("DROP TRIGGER IF EXISTS invoices_append_only_update")
        op.execute("DROP TRIGGER IF EXISTS invoices_append_only_delete")
    op.execute("DELETE FROM invoices WHERE corrects_id IS NOT NULL")
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_invoices_totals_add_up'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_invoices_vat_within_total'), type_='check')
        batch_op.drop_index(batch_op.f('ix_invoices_corrects_id'))
        batch_op.drop_constraint(batch_op.f('fk_invoices_corrects_id_invoices'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_invoices_source_key'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_invoices_case_id_kind'), ['case_id', 'kind'])
        batch_op.drop_column('vat_cents')
        batch_op.drop_column('vat_rate_bp')
        batch_op.drop_column('vat_rule')
        batch_op.drop_column('corrects_id')
        batch_op.drop_column('source_key')
    op.drop_table('billing_details')
