"""card disputes: the chargebacks table, journals of kind "chargeback", disputes for reason "card_dispute"

Revision ID: 20261206_chargeback
Revises: 20261206_evidence
Create Date: 2026-12-06 22:00:00

"""
from alembic import op
import sqlalchemy as sa

import models.types


revision = '20261206_chargeback'
down_revision = '20261206_evidence'
branch_labels = None
depends_on = None

JOURNAL_KINDS = ('capture', 'payout', 'refund', 'settlement')
DISPUTE_REASONS = ('not_delivered', 'not_per_prescription', 'poor_quality', 'revisions_refused', 'other',
                   'party_suspended')
# The same statements as models/ledger.py: a rebuilt SQLite table loses its triggers.
SQLITE_APPEND_ONLY = [f"CREATE TRIGGER ledger_journals_append_only_{verb.lower()} BEFORE {verb} ON ledger_journals "
                      f"BEGIN SELECT RAISE(ABORT, 'ledger_journals is append-only'); END"
                      for verb in ("UPDATE", "DELETE")]


def _check(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _allow(table: str, constraint: str, column: str, values: tuple[str, ...]) -> None:
    """Replace an enum column's CHECK constraint (the enums are VARCHARs with a CHECK)."""
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f(constraint), table, type_='check')
        op.create_check_constraint(op.f(constraint), table, _check(column, values))
        return
    with op.batch_alter_table(table, recreate='always') as batch_op:
        batch_op.drop_constraint(op.f(constraint), type_='check')
        batch_op.create_check_constraint(op.f(constraint), _check(column, values))
    if table == 'ledger_journals':
        for statement in SQLITE_APPEND_ONLY:
            op.execute(statement)


def upgrade():
    op.create_table('chargebacks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stripe_dispute_id', sa.String(length=120), nullable=False),
    sa.Column('charge_reference', sa.String(length=120), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('dispute_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('evidence_due_by', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('funds_account', sa.String(length=40), nullable=False),
    sa.Column('synced_at', sa.BigInteger(), nullable=False),
    sa.Column('opened_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_chargebacks_amount_positive')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_chargebacks_case_id_cases'),
                            ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['dispute_id'], ['disputes.id'], name=op.f('fk_chargebacks_dispute_id_disputes'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chargebacks')),
    sa.UniqueConstraint('stripe_dispute_id', name=op.f('uq_chargebacks_stripe_dispute_id'))
    )
    with op.batch_alter_table('chargebacks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chargebacks_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chargebacks_charge_reference'), ['charge_reference'], unique=False)
    _allow('ledger_journals', 'ck_ledger_journals_journal_kind', 'kind', JOURNAL_KINDS + ('chargeback',))
    _allow('disputes', 'ck_disputes_dispute_reason', 'reason', DISPUTE_REASONS + ('card_dispute',))


def downgrade():
    _allow('disputes', 'ck_disputes_dispute_reason', 'reason', DISPUTE_REASONS)
    _allow('ledger_journals', 'ck_ledger_journals_journal_kind', 'kind', JOURNAL_KINDS)
    with op.batch_alter_table('chargebacks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chargebacks_charge_reference'))
        batch_op.drop_index(batch_op.f('ix_chargebacks_case_id'))
    op.drop_table('chargebacks')
