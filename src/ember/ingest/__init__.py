"""Ingest: sources (files, folders, URLs, feeds, WARC) to clean, dated documents."""

from ._types import Hints, RawDocument, Rejection, Skipped
from .dedup import content_id, fingerprint, signature_bytes
from .document import Prepared, build_document
from .fetch import FetchedResponse, Fetcher, HttpxFetcher
from .readers import read_source
from .sources import Source, expand_inputs

__all__ = [
    "FetchedResponse",
    "Fetcher",
    "Hints",
    "HttpxFetcher",
    "Prepared",
    "RawDocument",
    "Rejection",
    "Skipped",
    "Source",
    "build_document",
    "content_id",
    "expand_inputs",
    "fingerprint",
    "read_source",
    "signature_bytes",
]
