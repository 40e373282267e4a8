"""MUC-4 (Latin American terrorism wire copy, 1989-92, upper-case telex) with per-incident
answer keys (ConfliBERT's copy of the texts, GRIT's keys).

Gold: one JSON object a line with ``doc_id``, ``dateline`` ("BOGOTA, 30 AUG 89 (EFE)"),
``text``, ``templates`` (one a gold incident; ``message_template: "*"`` marks a message
with no incident) and ``roles_union_of_templates`` (``perp_organization_id``: a list of
organisations, each a list of alternative strings). ember reads ``text`` as written
(upper case); the day in the dateline is its publication date (MUC-4 has no ``date``
field; the dateline is where the wire states it).

Metrics (``../shared/eval/README.md``), scored from ember's exported events:

- incident detection, per document: the gold reports an incident when it has a template
  other than ``"*"``; ember predicts one when it has an event of a violent type
  (``Battles``, ``Explosions/Remote violence``, ``Violence against civilians``).
  ``precision``, ``recall`` and ``f1`` over the documents;
- ``perpetrator_organization``: the share of gold perpetrator organisations (over all
  documents) named in the ``actor1`` or ``actor2`` of one of the document's events
  (any event type): one of the organisation's alternative strings and the actor name
  reach a token-set similarity >= 0.8 (``measures.token_set_similarity``, the rule the
  ACLED suite uses for actor1: "FMLN" matches an actor "FMLN: Farabundo Marti National
  Liberation Front", "POLICE" matches "Police Forces");
- ``perpetrator_organization_as_written`` (extra): the same, also accepting the actors
  as written in the text (``actor1_text``, ``actor2_text``), which export leaves out."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..records import Event
from .measures import Counts, Tally, token_set_similarity
from .prose import (
    VIOLENT_TYPES,
    GoldError,
    ProseRecords,
    ProseSuite,
    Scored,
)

__all__ = [
    "MUC4",
    "Muc4Document",
    "dateline_day",
    "evaluate_muc4",
    "format_muc4_table",
    "names_organization",
    "parse_muc4",
]

NO_INCIDENT = "*"
_ACTOR_SIMILARITY = 0.8
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DATELINE_DAY = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{2}|\d{4})\b")
_PREVIEW = 160


@dataclass(frozen=True, slots=True)
class Muc4Document:
    doc_id: str
    text: str
    published: str | None
    incident: bool
    perpetrators: tuple[tuple[str, ...], ...]


def dateline_day(dateline: str) -> str | None:
    """The ISO day a MUC-4 dateline states ("SAN SALVADOR, 18 FEB 90 (DPA)" ->
    "1990-02-18"), or None."""
    match = _DATELINE_DAY.search(dateline)
    if match is None or match.group(2).upper() not in _MONTHS:
        return None
    day, month = int(match.group(1)), _MONTHS.index(match.group(2).upper()) + 1
    year = int(match.group(3))
    year += 1900 if year < 100 else 0
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_muc4(record: Mapping[str, Any]) -> Muc4Document:
    """One MUC-4 message; ``GoldError`` names what is wrong with it."""
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        raise GoldError("text must be a non-empty string")
    doc_id = str(record.get("doc_id", ""))
    templates = record["templates"]
    if not isinstance(templates, list):
        raise GoldError(f"{doc_id}: templates must be a list")
    incident = any(t.get("message_template") != NO_INCIDENT for t in templates)
    organizations = record["roles_union_of_templates"].get("perp_organization_id") or []
    perpetrators = []
    for alternatives in organizations:
        if not isinstance(alternatives, list) or not all(isinstance(a, str) for a in alternatives):
            raise GoldError(f"{doc_id}: perp_organization_id holds a non-string: {alternatives!r}")
        if alternatives:
            perpetrators.append(tuple(alternatives))
    dateline = record.get("dateline")
    published = dateline_day(dateline) if isinstance(dateline, str) else None
    return Muc4Document(doc_id, text, published, incident, tuple(perpetrators))


def names_organization(
    events: Sequence[Event], alternatives: Sequence[str], *, as_written: bool = False
) -> bool:
    """Whether one of the events' actor1/actor2 (also as written, with ``as_written``)
    names the organisation given by its alternative strings."""
    for event in events:
        names = [event.actor1, event.actor2]
        if as_written:
            names += [event.actor1_text, event.actor2_text]
        for name in names:
            if name and any(
                token_set_similarity(alt, name) >= _ACTOR_SIMILARITY for alt in alternatives
            ):
                return True
    return False


def _event_row(event: Event) -> dict[str, Any]:
    return {
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "actor1_text": event.actor1_text,
        "actor2": event.actor2,
        "text": event.text[:_PREVIEW],
    }


_METRICS = (
    "precision",
    "recall",
    "f1",
    "perpetrator_organization",
    "perpetrator_organization_as_written",
)


def _score(documents: Sequence[Muc4Document], records: Sequence[ProseRecords]) -> Scored:
    incidents = Counts()
    tally = Tally()
    rows = []
    for document, found in zip(documents, records, strict=True):
        events = list(found.events)
        violent = [e for e in events if e.event_type in VIOLENT_TYPES]
        incidents.add(gold=document.incident, predicted=bool(violent))
        perpetrators = []
        for alternatives in document.perpetrators:
            named = names_organization(events, alternatives)
            written = names_organization(events, alternatives, as_written=True)
            tally.add("perpetrator_organization", named)
            tally.add("perpetrator_organization_as_written", written)
            perpetrators.append({"gold": list(alternatives), "named": named, "written": written})
        rows.append(
            {
                "doc_id": document.doc_id,
                "incident": document.incident,
                "predicted": bool(violent),
                "perpetrators": perpetrators,
                "actors": sorted({a for e in events for a in (e.actor1, e.actor2) if a}),
                "violent_events": [_event_row(e) for e in violent],
            }
        )
    metrics = {
        "precision": incidents.precision,
        "recall": incidents.recall,
        "f1": incidents.f1,
        **tally.rates(_METRICS[3:]),
    }
    counts = {
        "precision": incidents.tp + incidents.fp,
        "recall": incidents.tp + incidents.fn,
        **{metric: tally.totals[metric] for metric in _METRICS[3:]},
    }
    return Scored(metrics, counts, rows)


_OF: Mapping[str, str] = {
    "precision": "documents ember flags",
    "recall": "gold documents with an incident",
    "perpetrator_organization": "gold perpetrator organisations",
    "perpetrator_organization_as_written": "gold perpetrator organisations",
}


MUC4: ProseSuite[Muc4Document] = ProseSuite(
    suite="events", format="muc4", title="MUC-4", parse=parse_muc4, score=_score, of=_OF
)
evaluate_muc4 = MUC4.evaluate
format_muc4_table = MUC4.table
