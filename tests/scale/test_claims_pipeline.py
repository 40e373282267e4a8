"""The claims wiring of the analysis: the extractor is replaced by a fake that reports
every figure of a chunk, so these tests check what the pipeline does with claims (place
resolution, chunk offsets, storing), not how claims are found."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from spacy.tokens import Doc

import ember.scale.pipeline as pipeline
from ember.ingest import content_id
from ember.records import Claim, DateRange, Document, Location
from ember.scale import analyze_stored
from ember.scale.pipeline import ANALYZER_VERSION, AnalysisInput, analyze_document
from ember.store import Store
from ember.store._store import is_older_version

FIRST = "Aid workers counted 300 families in tents outside Hajin on Monday.\n"
SECOND = "A local council said 1,200 fighters still hold the hills east of Deir ez-Zor.\n"
TEXT = FIRST + SECOND
SEEN: list[tuple[str, str | None, bool]] = []


def fake_claims(
    doc: Doc,
    *,
    doc_id: str,
    anchor: str | None = None,
    approximate: bool = False,
    latest: str | None = None,
) -> list[Claim]:
    """One claim per figure, scoped to the sentence's place spans (unresolved, as the
    extractor gives them) plus a place no place span holds."""
    SEEN.append((doc_id, anchor, approximate))
    found = []
    for n, match in enumerate(re.finditer(r"\d[\d,]*", doc.text)):
        sentence = doc.char_span(match.start(), match.end(), alignment_mode="expand").sent
        places = tuple(
            Location(name=s.text, start=s.start_char, end=s.end_char)
            for s in doc.spans.get("places", [])
            if sentence.start_char <= s.start_char < sentence.end_char
        )
        hills = doc.text.find("the hills", sentence.start_char, sentence.end_char)
        if hills >= 0:
            places += (Location(name="the hills", start=hills, end=hills + 9, near=True),)
        found.append(Claim(
            id=f"{doc_id}-{n}", doc_id=doc_id, subject="other", subject_text="things",
            value_low=float(match.group().replace(",", "")),
            value_high=float(match.group().replace(",", "")), unit="count",
            quantity_text=match.group(), quantity_span=(match.start(), match.end()),
            text=sentence.text, span=(sentence.start_char, sentence.end_char), places=places,
            as_of=DateRange(start=anchor, end=anchor, precision="day" if anchor else "unknown"),
        ))  # fmt: skip
    return found


@pytest.fixture(autouse=True)
def fake_extractor(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(pipeline, "extract_claims", fake_claims)
    SEEN.clear()
    yield


def test_analyses_older_than_the_window_are_done_again() -> None:
    # Stores analysed before publication windows (claims-1) read their dates again.
    assert is_older_version("claims-1", ANALYZER_VERSION)


def test_claims_are_passed_the_documents_anchor() -> None:
    analyze_document(AnalysisInput("d1", TEXT, "2019-02-01", True))
    assert SEEN == [("d1", "2019-02-01", True)]


@pytest.mark.parametrize("chunk_chars", [100_000, max(len(FIRST), len(SECOND)) + 2])
def test_claims_are_in_document_characters_with_places_resolved(
    monkeypatch: pytest.MonkeyPatch, chunk_chars: int
) -> None:
    monkeypatch.setattr(pipeline, "PIECE_CHARS", chunk_chars)
    analysis = analyze_document(AnalysisInput("d1", TEXT, "2019-02-01", False))
    assert len(SEEN) == (1 if chunk_chars > len(TEXT) else 2)
    families, fighters = analysis.claims
    for claim in analysis.claims:
        assert TEXT[slice(*claim.quantity_span)] == claim.quantity_text
        assert TEXT[slice(*claim.span)] == claim.text
        for place in claim.places:
            assert place.start is not None and place.end is not None
            assert TEXT[place.start : place.end] == place.name
    (hajin,) = families.places
    assert hajin.geonameid is not None and hajin.country == "SY"
    deir, hills = fighters.places
    assert deir.lat is not None and deir.country == "SY"
    assert (hills.name, hills.lat, hills.near) == ("the hills", None, True)  # as given
    assert fighters.place == f"{deir.canonical}; the hills"
    # The same resolution as the document's place mentions.
    mentioned = {m.start: m.location for m in analysis.mentions if m.kind == "place"}
    assert mentioned[deir.start] == deir
    assert mentioned[hajin.start] == hajin


def test_analyze_stored_keeps_the_claims(store: Store) -> None:
    doc = Document(id=content_id(TEXT), source="t.txt", text=TEXT, format="text",
                   published="2019-02-01")  # fmt: skip
    store.add_document(doc, signature=None, run_id="r")
    store.add_analysis(doc.id, [], [], version="events-1")  # an older analysis, no claims
    summary = analyze_stored(store)
    assert (summary.documents, summary.claims) == (1, 2)
    assert [c.quantity_text for c in store.iter_claims()] == ["300", "1,200"]
    assert store.analysis_version(doc.id) == ANALYZER_VERSION
    assert analyze_stored(store).documents == 0  # nothing left to do
