"""What the real-prose suite tests share: writing tiny gold files and a fake analysis
that answers with hand-made records per text (it stands in for ember's pipeline)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ember.evaluate.prose import ProseDocument, ProseRecords
from ember.records import Claim, Event


def write_jsonl(path: Path, records: Iterable[Mapping[str, Any] | str]) -> Path:
    """One record a line; a string is written as it is (a malformed line)."""
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def event(**fields: Any) -> Event:
    base: dict[str, Any] = {
        "id": "e",
        "doc_id": "d",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "text": "",
        "span": (0, 0),
    }
    return Event(**(base | fields))


def claim(**fields: Any) -> Claim:
    base: dict[str, Any] = {
        "id": "c",
        "doc_id": "d",
        "subject": "people",
        "subject_text": "people",
        "value_low": 1.0,
        "value_high": 1.0,
        "unit": "count",
        "quantity_text": "1",
        "quantity_span": (0, 1),
        "text": "",
        "span": (0, 0),
    }
    return Claim(**(base | fields))


def sentences(text: str, *parts: str) -> list[dict[str, int]]:
    """The character offsets of each of ``parts`` in ``text`` (each found after the one
    before)."""
    found, at = [], 0
    for part in parts:
        start = text.index(part, at)
        found.append({"start": start, "end": start + len(part)})
        at = start + len(part)
    return found


class FakeDocuments:
    """Answers each document with the records given for its text (none for the others),
    raises for the texts in ``fail``; records every batch it was called with."""

    def __init__(self, answers: Mapping[str, ProseRecords], fail: Iterable[str] = ()) -> None:
        self.answers = answers
        self.fail = set(fail)
        self.batches: list[list[ProseDocument]] = []

    def __call__(self, documents: Sequence[ProseDocument]) -> Sequence[ProseRecords]:
        self.batches.append(list(documents))
        for document in documents:
            if document.text in self.fail:
                raise RuntimeError("the parser broke")
        return [self.answers.get(d.text, ProseRecords()) for d in documents]

    @property
    def published(self) -> dict[str, str | None]:
        return {d.doc_id: d.published for batch in self.batches for d in batch}
