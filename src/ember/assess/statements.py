"""What others judge: the sentences of the documents that assess the threat ("the group
is likely to resurge", "it remains a threat", "they will not succeed"), each with who
states it, its stance (rising, persisting or declining threat), its hedge and the
document's day; then the ledger of them: which sources agree and which disagree.

The cues are data (``data/assess/statements.json``: ordered patterns, the first that
matches a sentence gives its stance). Who states a judgment is found by the attribution
machinery the claims use (``extract.attribution.Attributor``) on the document as the
NLP pipeline reads it; a judgment no one is said to state is the outlet's own. Questions
are not judgments. Only documents with a cue are parsed."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, lru_cache
from typing import Any, cast

from ..analyze.brief import document_day
from ..analyze.ledger import outlet_of
from ..records import Document
from .model import Stance, Statement
from .record import sentence_around
from .scope import ALL, assess_data, same_actor

__all__ = ["find_statements", "judgments_ledger", "stance_of"]

SourceOf = Callable[[str, int, int], tuple[str | None, str | None]]
_STANCES: tuple[Stance, ...] = ("rising", "persisting", "declining")


@cache
def _patterns() -> tuple[tuple[Stance, re.Pattern[str]], ...]:
    rows = assess_data("statements.json")["patterns"]
    return tuple(
        (cast(Stance, row["stance"]), re.compile(row["pattern"], re.IGNORECASE)) for row in rows
    )


@cache
def _hedges() -> tuple[tuple[str, re.Pattern[str]], ...]:
    words = assess_data("statements.json")["hedges"]["words"]
    return tuple((w, re.compile(rf"\b{re.escape(w)}\b", re.IGNORECASE)) for w in words)


def stance_of(sentence: str) -> tuple[Stance, re.Match[str]] | None:
    """The stance of a sentence by the first pattern that matches it, and the match."""
    for stance, pattern in _patterns():
        found = pattern.search(sentence)
        if found is not None:
            return stance, found
    return None


def _hedge(sentence: str) -> str | None:
    for word, pattern in _hedges():
        if pattern.search(sentence):
            return word
    return None


def _candidates(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences any cue matches, in text order, once each."""
    limit = int(assess_data("statements.json")["max_sentence_chars"])
    spans: dict[tuple[int, int], None] = {}
    for _stance, pattern in _patterns():
        for found in pattern.finditer(text):
            start, end = sentence_around(text, found.start(), found.end())
            if end - start <= limit:
                spans[(start, end)] = None
    return sorted(spans)


# A text's parse is kept for the next assessment of the same documents (the web app
# assesses again on each request): a document's text never changes under its id.
@lru_cache(maxsize=64)
def _attributor_source(text: str) -> SourceOf:
    """Who states the words at a span of ``text``: the attribution the claims use."""
    from ..extract.attribution import Attributor
    from ..nlp.pipeline import load_pipeline

    doc = load_pipeline()(text)
    attributor = Attributor(doc)

    def source_of(_text: str, start: int, end: int) -> tuple[str | None, str | None]:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None, None
        found = attributor.source_of(span)
        if found is None:
            return None, None
        return found.name, found.hedge

    return source_of


def find_statements(
    documents: Iterable[Document],
    actor: str,
    doc_actor: Mapping[str, str | None],
    *,
    source_for: Callable[[str], SourceOf] = _attributor_source,
) -> list[Statement]:
    """The judgments of the documents about ``actor`` (those whose main armed group it
    is; every document for ``ALL``), in document and text order. ``source_for`` builds,
    for a document's text, the function that says who states a span (tests pass a
    stand-in; by default the NLP pipeline and the attributor)."""
    found: list[Statement] = []
    for document in documents:
        if document.duplicate_of or not document.text:
            continue
        if actor != ALL and not same_actor(doc_actor.get(document.id), actor):
            continue
        spans = _candidates(document.text)
        if not spans:
            continue
        source_of = source_for(document.text)
        for start, end in spans:
            sentence = document.text[start:end].strip()
            if sentence.rstrip("”\"' ").endswith("?"):
                continue
            judged = stance_of(sentence)
            if judged is None:
                continue
            stance, match = judged
            offset = document.text.index(sentence, start)
            source, source_hedge = source_of(
                document.text, offset + match.start(), offset + match.end()
            )
            found.append(
                Statement(
                    text=sentence,
                    source=source,
                    outlet=outlet_of(document, document.id),
                    stance=stance,
                    hedge=_hedge(sentence) or source_hedge,
                    date=document_day(document),
                    doc_id=document.id,
                    span=(offset, offset + len(sentence)),
                )
            )
    return found


def judgments_ledger(statements: Sequence[Statement]) -> dict[str, Any]:
    """The statements by stance: the distinct sources of each (a statement no one is
    said to state is its outlet's), how many agree, and whether sources disagree (some
    see the threat rising or persisting, others declining)."""
    by_stance: dict[str, dict[str, list[str]]] = {stance: {} for stance in _STANCES}
    for statement in statements:
        who = statement.source or statement.outlet
        docs = by_stance[statement.stance].setdefault(who, [])
        if statement.doc_id not in docs:
            docs.append(statement.doc_id)
    counts = {stance: len(sources) for stance, sources in by_stance.items()}
    return {
        "sources": {
            stance: [{"source": who, "doc_ids": docs} for who, docs in sorted(sources.items())]
            for stance, sources in by_stance.items()
        },
        "counts": counts,
        "disagreement": bool(counts["declining"] and (counts["rising"] or counts["persisting"])),
    }
