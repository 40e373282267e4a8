"""Toponyms: the spaCy component that sets ``doc.spans["places"]``.

(first version: spaCy's GPE/LOC/FAC entities; curated names and filters follow.)"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

__all__ = ["PLACE_LABELS", "add_place_components"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_FACTORY = "ember_place_recognizer_v1"


class PlaceRecognizer:
    """Collects toponym spans after ``ner``."""

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["places"] = [
            Span(doc, ent.start, ent.end, label="PLACE")
            for ent in doc.ents
            if ent.label_ in PLACE_LABELS
        ]
        return doc


@Language.factory(_FACTORY, assigns=["doc.spans"])
def _make_place_recognizer(nlp: Language, name: str) -> PlaceRecognizer:
    return PlaceRecognizer()


def add_place_components(nlp: Language) -> None:
    """Add the place recognizer after spaCy's ``ner``."""
    if _FACTORY not in nlp.pipe_names:
        nlp.add_pipe(_FACTORY, name=_FACTORY, after="ner")
