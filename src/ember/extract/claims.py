"""Quantitative claims: every figure a document states, what it counts, about whom and
where, as of when, and who says so ("US intelligence estimates 15 to 20 thousand
fighters" → fighters, 15000–20000, attributed to US intelligence)."""

from __future__ import annotations

from spacy.tokens import Doc

from ..records import Claim

__all__ = ["extract_claims"]


def extract_claims(
    doc: Doc, *, doc_id: str, anchor: str | None = None, approximate: bool = False
) -> list[Claim]:
    """The claims of ``doc`` (a document annotated by ``nlp.pipeline.load_pipeline``) in
    text order. ``anchor`` is the publication date that "last March" is read against
    (``approximate`` when it is only ``published_after``). Each claim's ``places`` hold
    the place spans (name, start, end) unresolved; the pipeline resolves them."""
    return []
