"""The store: documents and records in SQLite (default) or PostgreSQL."""

from ._engine import normalise_url
from ._store import Outcome, Store, entity_id
from .schema import metadata

__all__ = ["Outcome", "Store", "entity_id", "metadata", "normalise_url"]
