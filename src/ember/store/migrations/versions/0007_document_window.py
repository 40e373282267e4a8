"""document windows: when an undated report can have been written, and why

Revision ID: 0007
Revises: 0006

Existing documents keep their ``published_after`` (the latest date they mention) and get
no upper bound until they are ingested again; ``ember analyze --force`` re-reads their
dates from the stored window.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode: rebuilding ``documents`` on SQLite would drop
    # the full-text triggers of 0006.
    op.add_column("documents", sa.Column("published_before", sa.String(10)))
    op.add_column("documents", sa.Column("published_after_basis", sa.Text))
    op.add_column("documents", sa.Column("published_before_basis", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("published_before_basis")
        batch.drop_column("published_after_basis")
        batch.drop_column("published_before")
