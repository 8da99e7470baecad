"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""
from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.engine import make_url

from extensions import db


def _fresh_database_url(app, tmp_path) -> str:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        return f"sqlite:///{tmp_path / 'migrated.db'}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS occlusa_migration_check"))
        conn.execute(sa.text("CREATE DATABASE occlusa_migration_check"))
    admin.dispose()
    return url.set(database="occlusa_migration_check").render_as_string(hide_password=False)


def _ignore_search_index(obj, name, type_, reflected, compare_to):
    # Full-text search shadow tables (SQLite FTS5) live outside the models by design.
    return not (type_ == "table" and reflected and compare_to is None and "_fts" in (name or ""))


def test_upgrade_builds_the_models_schema_and_downgrade_undoes_it(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=_fresh_database_url(make_app(), tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                             "include_object": _ignore_search_index})
            diffs = compare_metadata(context, db.metadata)
        assert diffs == [], f"models and migrations differ: {diffs}"
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
