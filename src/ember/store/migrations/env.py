"""Alembic environment: ember runs migrations itself, on the connection it opened."""

from __future__ import annotations

from alembic import context

from ember.store.schema import in_metadata, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    include_name=in_metadata,  # full-text search objects are not in the metadata
)
with context.begin_transaction():
    context.run_migrations()
