"""Cached document text and entities read as spaCy's own properties would."""

from __future__ import annotations

from ember.nlp.pipeline import load_pipeline
from ember.nlp.text import doc_entities, doc_spans, doc_text, span_entities

TEXT = (
    "On 3 March, gunmen from the Islamic State attacked a checkpoint near Kirkuk. "
    "Two soldiers were killed, the Iraqi army said on Tuesday.\n\n"
    "No group has claimed it. Officials in Baghdad and Erbil met on Friday."
)


def test_cached_text_and_entities_are_the_docs() -> None:
    doc = load_pipeline()(TEXT)
    assert doc_text(doc) == doc.text
    assert [(e.start, e.end, e.label_) for e in doc_entities(doc)] == [
        (e.start, e.end, e.label_) for e in doc.ents
    ]


def test_a_spans_entities_are_those_wholly_inside_it() -> None:
    doc = load_pipeline()(TEXT)
    spans = [*doc.sents, doc[0:3], doc[2:12], doc[5:5], doc[:], *(e for e in doc.ents)]
    for span in spans:
        assert [(e.start, e.end) for e in span_entities(span)] == [
            (e.start, e.end) for e in span.ents
        ]


def test_a_span_group_is_read_once_and_again_when_it_is_set_again() -> None:
    doc = load_pipeline()(TEXT)
    places = doc_spans(doc, "places")
    assert [p.text for p in places] == [p.text for p in doc.spans["places"]]
    assert doc_spans(doc, "places") is places
    doc.spans["places"] = list(places[:1])
    assert [p.text for p in doc_spans(doc, "places")] == [places[0].text]
    assert doc_spans(doc, "no such group") == ()
