"""geo stage: the offline gazetteer and the resolution of a document's place mentions."""

from .gazetteer import Candidate, Gazetteer, Place, cache_dir, load_gazetteer
from .imports import (
    BundledStatus,
    FileResult,
    GazetteerStatus,
    ImportedFile,
    ImportFailed,
    ImportSummary,
    gazetteer_status,
    import_gazetteer,
    reset_gazetteer,
)
from .resolve import demonym_target, haversine_km, resolve_locations

__all__ = [
    "BundledStatus",
    "Candidate",
    "FileResult",
    "Gazetteer",
    "GazetteerStatus",
    "ImportFailed",
    "ImportSummary",
    "ImportedFile",
    "Place",
    "cache_dir",
    "demonym_target",
    "gazetteer_status",
    "haversine_km",
    "import_gazetteer",
    "load_gazetteer",
    "reset_gazetteer",
    "resolve_locations",
]
