"""geo stage: the offline gazetteer and the resolution of a document's place mentions."""

from .gazetteer import Candidate, Gazetteer, Place, cache_dir, load_gazetteer
from .resolve import demonym_target, haversine_km, resolve_locations

__all__ = [
    "Candidate",
    "Gazetteer",
    "Place",
    "cache_dir",
    "demonym_target",
    "haversine_km",
    "load_gazetteer",
    "resolve_locations",
]
