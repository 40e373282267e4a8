"""Running stages over many inputs: in this process now; a pool or Ray later."""

from .local import IngestSummary, ingest_inputs, plan_sources

__all__ = ["IngestSummary", "ingest_inputs", "plan_sources"]
