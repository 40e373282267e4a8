"""Running stages over many inputs: in this process now; a pool or Ray later."""

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
