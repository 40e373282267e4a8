"""unique document order, and documents whose analysis failed

Revision ID: 0009
Revises: 0008

``documents.seq`` (the ingest order and SQLite's full-text rowid) becomes unique. Before
this revision two concurrent ingests could give documents the same ``seq``; such a
store is renumbered here in its stored order (``seq``, then ingest time, then id) and,
on SQLite, its full-text index rebuilt, since rows that shared a rowid corrupted it.

``analysis_failures`` holds the documents whose analysis raised, with the reason.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_FTS_TRIGGERS = (
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
)
_RENUMBER = """
    UPDATE documents SET seq = (
        SELECT ordered.n FROM (
            SELECT id, row_number() OVER (ORDER BY seq, ingested_at, id) AS n FROM documents
        ) AS ordered
        WHERE ordered.id = documents.id
    )
"""


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    shared = bind.execute(sa.text("SELECT count(*) - count(DISTINCT seq) FROM documents"))
    if shared.scalar_one():
        if sqlite:
            # The triggers would 'delete' rows from an index that never held them as
            # stored; the index is rebuilt from the table instead.
            for name in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS documents_fts_{name}")
        op.execute(_RENUMBER)
        if sqlite:
            for statement in _FTS_TRIGGERS:
                op.execute(statement)
            op.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
    op.drop_index("ix_documents_seq", table_name="documents")
    op.create_index("ix_documents_seq", "documents", ["seq"], unique=True)
    op.create_table(
        "analysis_failures",
        sa.Column("doc_id", sa.String(32), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("analysis_failures")
    op.drop_index("ix_documents_seq", table_name="documents")
    op.create_index("ix_documents_seq", "documents", ["seq"])
