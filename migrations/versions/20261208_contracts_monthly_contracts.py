"""monthly contracts

Revision ID: 20261208_contracts
Revises: 20261208_community
Create Date: 2026-12-07 02:57:46.572322

"""

from alembic import op
import sqlalchemy as sa
import models.types


# revision identifiers, used by Alembic.
revision = "20261208_contracts"
down_revision = "20261208_community"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("designer_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("cases_per_month", sa.Integer(), nullable=False),
        sa.Column("month_price_cents", sa.Integer(), nullable=False),
        sa.Column("extra_case_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("turnaround_days", sa.Integer(), nullable=False),
        sa.Column("revisions_included", sa.Integer(), nullable=False),
        sa.Column("starts_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=True),
        sa.Column("auto_renew", sa.Boolean(), nullable=False),
        sa.Column("notice_days", sa.Integer(), nullable=False),
        sa.Column("rollover", sa.Boolean(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "offered",
                "declined",
                "withdrawn",
                "expired",
                "active",
                "paused",
                "ending",
                "ended",
                "cancelled",
                name="contract_state",
                native_enum=False,
                create_constraint=True,
                length=17,
            ),
            nullable=False,
        ),
        sa.Column("customer_reference", sa.String(length=64), nullable=True),
        sa.Column("payment_method_reference", sa.String(length=64), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("term_end_month", sa.Integer(), nullable=True),
        sa.Column("ends_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("offer_expires_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resumed_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("cases_per_month > 0", name=op.f("ck_contracts_cases_positive")),
        sa.CheckConstraint("month_price_cents > 0 AND extra_case_cents > 0", name=op.f("ck_contracts_prices_positive")),
        sa.CheckConstraint("notice_days >= 0", name=op.f("ck_contracts_notice_not_negative")),
        sa.CheckConstraint("term_months IS NULL OR term_months > 0", name=op.f("ck_contracts_term_positive")),
        sa.ForeignKeyConstraint(["client_id"], ["users.id"], name=op.f("fk_contracts_client_id_users")),
        sa.ForeignKeyConstraint(["designer_id"], ["users.id"], name=op.f("fk_contracts_designer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
        sa.UniqueConstraint("reference", name=op.f("uq_contracts_reference")),
    )
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contracts_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_conversation_id"), ["conversation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_designer_id"), ["designer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_offer_expires_at"), ["offer_expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_state"), ["state"], unique=False)

    op.create_table(
        "contract_months",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("starts_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("review_until", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("allowance", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "due",
                "requires_action",
                "failed",
                "captured",
                "held",
                "paid_out",
                "void",
                name="contract_month_state",
                native_enum=False,
                create_constraint=True,
                length=23,
            ),
            nullable=False,
        ),
        sa.Column("charge_reference", sa.String(length=120), nullable=True),
        sa.Column("source_charge", sa.String(length=120), nullable=True),
        sa.Column("client_secret", sa.String(length=200), nullable=True),
        sa.Column("captured_cents", sa.Integer(), nullable=False),
        sa.Column("refunded_cents", sa.Integer(), nullable=False),
        sa.Column("paid_out_cents", sa.Integer(), nullable=False),
        sa.Column("fee_cents", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("failed_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("captured_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("paid_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("amount_cents > 0 AND allowance >= 0", name=op.f("ck_contract_months_month_amounts")),
        sa.CheckConstraint(
            "refunded_cents + paid_out_cents + fee_cents <= captured_cents",
            name=op.f("ck_contract_months_month_never_more_out"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_contract_months_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_months")),
        sa.UniqueConstraint("contract_id", "number", name="one_month_number"),
    )
    with op.batch_alter_table("contract_months", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_months_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_months_ends_at"), ["ends_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_months_review_until"), ["review_until"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_months_state"), ["state"], unique=False)

    op.create_table(
        "contract_movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "charge",
                "refund",
                "transfer",
                name="contract_move_kind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("fee_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("idempotency_key", sa.String(length=120), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "amount_cents >= 0 AND fee_cents >= 0", name=op.f("ck_contract_movements_move_not_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_movements")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_contract_movements_idempotency_key")),
    )
    with op.batch_alter_table("contract_movements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_movements_month_id"), ["month_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_movements_state"), ["state"], unique=False)

    op.create_table(
        "contract_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_contract_events_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_contract_events_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_events")),
    )
    with op.batch_alter_table("contract_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_events_contract_id"), ["contract_id"], unique=False)

    _add_contract_columns()


# The columns cases and ledger_journals gain, with their index and foreign key.
NEW_COLUMNS = [
    ("cases", "contract_id", "contracts"),
    ("cases", "contract_month_id", "contract_months"),
    ("ledger_journals", "contract_month_id", "contract_months"),
]
# The same statements as models/ledger.py: a rebuilt SQLite table loses its triggers.
SQLITE_APPEND_ONLY = [
    f"CREATE TRIGGER ledger_journals_append_only_{verb.lower()} BEFORE {verb} ON ledger_journals "
    "BEGIN SELECT RAISE(ABORT, 'ledger_journals is append-only'); END"
    for verb in ("UPDATE", "DELETE")
]


def _add_contract_columns() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in ("cases", "ledger_journals"):
        # SQLite adds a foreign key only by rebuilding the table (its triggers are put back after).
        with op.batch_alter_table(table, recreate="never" if postgresql else "always") as batch_op:
            for name, column, target in NEW_COLUMNS:
                if name == table:
                    batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
                    batch_op.create_index(f"ix_{table}_{column}", [column], unique=False)
                    batch_op.create_foreign_key(f"fk_{table}_{column}_{target}", target, [column], ["id"])
    if not postgresql:
        for statement in SQLITE_APPEND_ONLY:
            op.execute(statement)


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in ("ledger_journals", "cases"):
        with op.batch_alter_table(table, recreate="never" if postgresql else "always") as batch_op:
            for name, column, target in NEW_COLUMNS:
                if name == table:
                    batch_op.drop_constraint(f"fk_{table}_{column}_{target}", type_="foreignkey")
                    batch_op.drop_index(f"ix_{table}_{column}")
                    batch_op.drop_column(column)
    if not postgresql:
        for statement in SQLITE_APPEND_ONLY:
            op.execute(statement)
    op.drop_table("contract_events")
    op.drop_table("contract_movements")
    op.drop_table("contract_months")
    op.drop_table("contracts")
