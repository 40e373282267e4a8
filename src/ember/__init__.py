"""ember: open-source conflict reporting to a sourced, geocoded, queryable evidence base."""

from .errors import EmberError
from .records import Document, Span
from .settings import Settings, load_settings

__version__ = "0.1.0"

__all__ = ["Document", "EmberError", "Settings", "Span", "__version__", "load_settings"]
