"""Every error ember raises on purpose.

::

    EmberError                  root: the CLI turns these into one line, no traceback
    ├── IngestError             a source could not be read into documents
    │   ├── UnsupportedFormat   the file type is not one ember reads
    │   ├── DecodeFailed        bytes that are not text, or not a valid container
    │   ├── TooLarge            over a size cap (file, download, decompressed stream)
    │   └── BlockedURL          a scheme or address ember refuses to fetch
    ├── ExtractError            text that the NLP or extraction stage cannot handle
    ├── GeoError                gazetteer missing or unreadable
    ├── StoreError              the database cannot be opened, migrated or written
    └── ConfigError             settings or command-line values that make no sense

Programming mistakes stay ``TypeError``/``ValueError`` and are not caught.
"""

from __future__ import annotations

__all__ = [
    "BlockedURL",
    "ConfigError",
    "DecodeFailed",
    "EmberError",
    "ExtractError",
    "GeoError",
    "IngestError",
    "StoreError",
    "TooLarge",
    "UnsupportedFormat",
]


class EmberError(Exception):
    """Root of ember's errors. ``str(err)`` is a complete one-line reason."""


class IngestError(EmberError):
    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.source = source


class UnsupportedFormat(IngestError):
    pass


class DecodeFailed(IngestError):
    pass


class TooLarge(IngestError):
    pass


class BlockedURL(IngestError):
    pass


class ExtractError(EmberError):
    def __init__(self, message: str, *, doc_id: str | None = None) -> None:
        super().__init__(message)
        self.doc_id = doc_id


class GeoError(EmberError):
    pass


class StoreError(EmberError):
    pass


class ConfigError(EmberError):
    pass
