"""Views for people: exports, and the self-contained HTML report."""

from .exports import (
    ACLED_COLUMNS,
    DOCUMENT_FIELDS,
    ExportResult,
    StoredDocuments,
    claim_rows,
    document_rows,
    export_claims,
    export_entities,
    export_events,
    write_csv,
    write_jsonl,
)
from .html import ReportSummary, build_report, write_report
from .views import map_data, map_features, report_data, timeline_data

__all__ = [
    "ACLED_COLUMNS",
    "DOCUMENT_FIELDS",
    "ExportResult",
    "ReportSummary",
    "StoredDocuments",
    "build_report",
    "claim_rows",
    "document_rows",
    "export_claims",
    "export_entities",
    "export_events",
    "map_data",
    "map_features",
    "report_data",
    "timeline_data",
    "write_csv",
    "write_jsonl",
    "write_report",
]
