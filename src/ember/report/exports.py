"""Writing stored records in the formats analysts use."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any, TextIO

from ..records import Document

__all__ = ["DOCUMENT_FIELDS", "document_rows", "write_csv", "write_jsonl"]

# The export contract (DESIGN.md), in order; url follows as an extra.
DOCUMENT_FIELDS: tuple[str, ...] = (
    "id", "source", "title", "publisher", "author", "published", "published_precision",
    "published_after", "language", "text", "duplicate_of", "url",
)  # fmt: skip


def document_rows(documents: Iterable[Document]) -> Iterator[dict[str, Any]]:
    for doc in documents:
        values = asdict(doc)
        yield {name: values[name] for name in DOCUMENT_FIELDS}


def write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict[str, Any]], out: TextIO, *, fields: tuple[str, ...]) -> int:
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
        count += 1
    return count
