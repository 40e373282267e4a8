"""full-text search over documents' title and text

Revision ID: 0006
Revises: 0005

SQLite: an FTS5 table ``documents_fts`` with external content (it indexes
``documents`` by ``seq`` and stores no copy of the text), kept in step by triggers and
filled here for the documents already stored. Porter stemming, as PostgreSQL's english
configuration, so "killed" finds "kills" on both; diacritics folded ("Raqqā" finds
"Raqqa").

PostgreSQL: a GIN index on the english ``tsvector`` of title and text. The store's
search query repeats this expression exactly (``store/_search.py``): the planner uses
the index only for the same expression.

Neither is in ``schema.metadata`` (they are one database's objects); see
``schema.in_metadata``. A later migration that rebuilds ``documents`` on SQLite (Alembic's
batch mode copies the table) drops the triggers with it and must create them again.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_SQLITE_UPGRADE = (
    """CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content='documents', content_rowid='seq',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END""",
    """CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
    END""",
    """CREATE TRIGGER documents_fts_update AFTER UPDATE OF seq, title, text ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END""",
    # The documents stored before this revision.
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
)
_SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS documents_fts_update",
    "DROP TRIGGER IF EXISTS documents_fts_delete",
    "DROP TRIGGER IF EXISTS documents_fts_insert",
    "DROP TABLE IF EXISTS documents_fts",
)
_POSTGRES_UPGRADE = (
    """CREATE INDEX ix_documents_search ON documents USING gin (
        to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || text)
    )""",
)
_POSTGRES_DOWNGRADE = ("DROP INDEX IF EXISTS ix_documents_search",)


def upgrade() -> None:
    _run(sqlite=_SQLITE_UPGRADE, postgresql=_POSTGRES_UPGRADE)


def downgrade() -> None:
    _run(sqlite=_SQLITE_DOWNGRADE, postgresql=_POSTGRES_DOWNGRADE)


def _run(*, sqlite: tuple[str, ...], postgresql: tuple[str, ...]) -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": sqlite, "postgresql": postgresql}.get(dialect, ())
    for statement in statements:
        op.execute(statement)
