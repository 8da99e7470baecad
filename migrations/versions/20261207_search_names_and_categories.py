"""search: the catalogue searches the designer's name and the category labels in every language

Revision ID: 20261207_search
Revises: 20261207_due
Create Date: 2026-12-07 00:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '20261207_search'
down_revision = '20261207_due'
branch_labels = None
depends_on = None

# The full-text indexes before and after, frozen here (models/listings.py builds the current one).
BEFORE = ("title", "description", "skills", "software_names")
AFTER = BEFORE + ("designer_names", "category_words")


def _sqlite_fts(columns):
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"CREATE VIRTUAL TABLE catalogue_fts USING fts5({cols}, "
        "content='catalogue_entries', content_rowid='listing_id', tokenize='unicode61 remove_diacritics 0')",
        "CREATE TRIGGER catalogue_fts_insert AFTER INSERT ON catalogue_entries BEGIN "
        f"INSERT INTO catalogue_fts(rowid, {cols}) VALUES (new.listing_id, {new}); END",
        "CREATE TRIGGER catalogue_fts_delete AFTER DELETE ON catalogue_entries BEGIN "
        f"INSERT INTO catalogue_fts(catalogue_fts, rowid, {cols}) VALUES ('delete', old.listing_id, {old}); END",
        "CREATE TRIGGER catalogue_fts_update AFTER UPDATE ON catalogue_entries BEGIN "
        f"INSERT INTO catalogue_fts(catalogue_fts, rowid, {cols}) VALUES ('delete', old.listing_id, {old}); "
        f"INSERT INTO catalogue_fts(rowid, {cols}) VALUES (new.listing_id, {new}); END",
        "INSERT INTO catalogue_fts(catalogue_fts) VALUES ('rebuild')",
    ]


def _postgresql_index(columns):
    document = " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)
    return f"CREATE INDEX ix_catalogue_entries_document ON catalogue_entries USING gin (to_tsvector('simple', {document}))"


def _drop_search():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_catalogue_entries_document")
    else:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS catalogue_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS catalogue_fts")


def _create_search(columns):
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_postgresql_index(columns))
    else:
        for statement in _sqlite_fts(columns):
            op.execute(statement)


def upgrade():
    _drop_search()
    with op.batch_alter_table('catalogue_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('designer_names', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('category_words', sa.Text(), nullable=False, server_default=''))
    op.execute("UPDATE catalogue_entries SET designer_names = "
               "(SELECT display_name FROM users WHERE users.id = catalogue_entries.designer_id)")
    _fill_category_words()
    _create_search(AFTER)


def _fill_category_words():
    # The labels live in the translation catalogues; copying both languages' labels here would
    # fork them, so the upgrade (run by `flask db upgrade`, inside the app) asks the taxonomy.
    from flask import current_app

    from listings.taxonomy import category_words

    if not current_app:
        return
    bind = op.get_bind()
    pairs = bind.execute(sa.text("SELECT DISTINCT category, subcategory FROM catalogue_entries")).all()
    for category, subcategory in pairs:
        bind.execute(sa.text("UPDATE catalogue_entries SET category_words = :words "
                             "WHERE category = :category AND subcategory = :subcategory"),
                     {"words": category_words(category, subcategory), "category": category,
                      "subcategory": subcategory})


def downgrade():
    _drop_search()
    with op.batch_alter_table('catalogue_entries', schema=None) as batch_op:
        batch_op.drop_column('category_words')
        batch_op.drop_column('designer_names')
    _create_search(BEFORE)
