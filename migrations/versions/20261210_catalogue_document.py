"""catalogue document: a stored tsvector column under the GIN index (PostgreSQL only)

Full-text search matched and ranked on to_tsvector(...) of the row's text; the expression index
found the rows, but the recheck and ts_rank recomputed the vector for each one. The column is
generated from the same expression, so it is always in step with the row.

Revision ID: 20261210_catalogue_document
Revises: 20261210_catalogue_generations
Create Date: 2026-12-10 00:00:00

"""
from alembic import op


revision = '20261210_catalogue_document'
down_revision = "20261210_catalogue_generations"
branch_labels = None
depends_on = None

_COLUMNS = ("title", "description", "skills", "software_names", "designer_names", "category_words")
_DOCUMENT = "to_tsvector('simple', " + " || ' ' || ".join(f"coalesce({c}, '')" for c in _COLUMNS) + ")"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite searches its FTS5 table, which is unchanged
    op.execute("DROP INDEX IF EXISTS ix_catalogue_entries_document")
    op.execute(f"ALTER TABLE catalogue_entries ADD COLUMN document tsvector GENERATED ALWAYS AS ({_DOCUMENT}) STORED")
    op.execute("CREATE INDEX ix_catalogue_entries_document ON catalogue_entries USING gin (document)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_catalogue_entries_document")
    op.execute("ALTER TABLE catalogue_entries DROP COLUMN document")
    op.execute(f"CREATE INDEX ix_catalogue_entries_document ON catalogue_entries USING gin ({_DOCUMENT})")
