"""document pages: where each page of a PDF starts in its text, so evidence cites "p. 12"

Revision ID: 0013
Revises: 0012

Documents stored before this revision (and every document not read from pages) have
none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode: rebuilding ``documents`` on SQLite would drop
    # the full-text triggers of 0006.
    op.add_column("documents", sa.Column("pages", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("pages")
