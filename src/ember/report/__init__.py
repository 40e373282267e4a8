"""Views for people: exports now; the HTML report later."""

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

__all__ = [
    "ACLED_COLUMNS",
    "DOCUMENT_FIELDS",
    "ExportResult",
    "StoredDocuments",
    "claim_rows",
    "document_rows",
    "export_claims",
    "export_entities",
    "export_events",
    "write_csv",
    "write_jsonl",
]
