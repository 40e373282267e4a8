"""The overview's brief, the map and the timeline: the report's own view data
(``ember.report.views``), so the app and the report draw the same thing with the same
script (``EmberViews`` in ``/static/report/ember.js``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..analyze.brief import write_brief
from ..analyze.corroborate import MergedEvent
from ..analyze.ledger import build_ledger
from ..records import Document
from ..report import StoredDocuments
from ..report.views import map_data, map_features, timeline_data
from ..store import Store

__all__ = ["brief", "map_collection", "map_payload", "timeline_payload"]


def map_payload(merged: Sequence[MergedEvent], store: Store) -> dict[str, Any]:
    """What ``EmberViews.mountMap`` draws: basemap, markers, legend."""
    return map_data(merged, StoredDocuments(store))


def timeline_payload(merged: Sequence[MergedEvent]) -> dict[str, Any]:
    """What ``EmberViews.mountTimeline`` draws: events per week and month by type."""
    return timeline_data(merged)


def map_collection(merged: Sequence[MergedEvent], store: Store) -> dict[str, Any]:
    """The located merged events as a GeoJSON FeatureCollection, each feature's
    properties the report's event record."""
    features = [
        {
            "type": "Feature",
            "id": record["id"],
            # RFC 7946: longitude first.
            "geometry": {"type": "Point", "coordinates": [record["lon"], record["lat"]]},
            "properties": record,
        }
        for record in map_features(merged, StoredDocuments(store))
    ]
    return {"type": "FeatureCollection", "features": features}


def brief(merged: Sequence[MergedEvent], store: Store) -> list[dict[str, Any]]:
    """The brief's sentences, each with its citations numbered in order of first
    citation: [{text, cites: [{doc_id, number, title}]}]."""
    documents = list(store.iter_documents())
    by_id: Mapping[str, Document] = {doc.id: doc for doc in documents}
    ledger = build_ledger(store.iter_claims(), by_id)
    numbers: dict[str, int] = {}
    sentences = []
    for sentence in write_brief(merged, documents, ledger):
        cites = []
        for doc_id in sentence.doc_ids:
            number = numbers.setdefault(doc_id, len(numbers) + 1)
            doc = by_id.get(doc_id)
            title = (doc.title or doc.source) if doc else doc_id
            cites.append({"doc_id": doc_id, "number": number, "title": title})
        sentences.append({"text": sentence.text, "cites": cites})
    return sentences
