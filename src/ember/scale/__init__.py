"""Running stages over many inputs: in this process, on a pool of worker processes, or
on Ray (``workers``, ``ray_engine``)."""

# The analyses it writes keep the store's derived tables in step with the analyze
# stage's functions, which importing the stage registers (``analyze.views``).
from .. import analyze as _analyze  # noqa: F401
from .local import (
    AnalyzeSummary,
    IngestSummary,
    analyze_stored,
    ingest_and_analyze,
    ingest_inputs,
    plan_sources,
)

__all__ = [
    "AnalyzeSummary",
    "IngestSummary",
    "analyze_stored",
    "ingest_and_analyze",
    "ingest_inputs",
    "plan_sources",
]
