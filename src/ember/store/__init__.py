"""The store: documents and records in SQLite (default) or PostgreSQL."""

from ._engine import normalise_url
from ._store import Outcome, Store
from .schema import metadata

__all__ = ["Outcome", "Store", "metadata", "normalise_url"]
