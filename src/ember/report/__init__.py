"""Views for people: exports now; the HTML report later."""

from .exports import DOCUMENT_FIELDS, document_rows, write_csv, write_jsonl

__all__ = ["DOCUMENT_FIELDS", "document_rows", "write_csv", "write_jsonl"]
