"""web stage: ``ember serve``, the web app and JSON API over a store."""

from .app import DEFAULT_MAX_UPLOAD_BYTES, create_app, run

__all__ = ["DEFAULT_MAX_UPLOAD_BYTES", "create_app", "run"]
