"""PolNeAR (Newell et al. 2018, dev split): US political news from seven publishers
(2016) with every attribution annotated.

Gold: one JSON object a line with ``doc_id``, ``date`` (publication day, ISO), ``text``
and ``attributions``, each with a ``source`` (``text``, ``start``, ``end``; null for an
"Attribution-no-source"), a ``cue`` and ``content`` (a list of spans). Offsets are
characters of ``text``. ember reads ``text`` as written with ``date`` as its publication
date; what is scored is each exported claim's ``quantity_span`` (where the figure is
written) and ``attributed_to`` (who says so, canonical; ``attributed_text``, as
written, is exported too and accepted).

Rules (``../shared/eval/README.md``), and the choices the README leaves open:

- a claim is *inside* an attribution when its figure (``quantity_span``) shares a
  character with one of the attribution's content spans;
- a claim inside an attribution is *correct* when its ``attributed_to`` or
  ``attributed_text`` shares a content word with the attribution's source, or when the
  source is a pronoun ("he", "they", "who"), which accepts any source. Inside several
  attributions (a quote within a quote), one match is enough;
- *content words* of a source: its words (``measures.words``) that are neither English
  stop words (spaCy's list) nor titles (ember's own ``titles`` word set, so "Mr. Trump"
  and "Mr. Clarke" share nothing); for a source made of titles alone ("the president"),
  its words that are not stop words;
- an attribution with no source accepts no source: a claim inside it alone that carries
  one is wrong; one that carries none is not counted as left without a source, and
  such attributions are left out of recall (``counts.no_source_attributions``).

Metrics: ``precision``, correct claims over all claims that carry an ``attributed_to``
(those outside every content are wrong); ``unattributed``, the number of claims inside
an attribution with a source that carry none; ``recall``, over the gold attributions
with a source and a digit in their content, the share that hold at least one correct
claim."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from ..nlp.actors import load_actor_table
from ..records import Claim
from .measures import Tally, words
from .prose import (
    GoldError,
    ProseRecords,
    ProseSuite,
    Scored,
)

__all__ = [
    "POLNEAR",
    "PRONOUNS",
    "PolnearAttribution",
    "PolnearDocument",
    "evaluate_polnear",
    "format_polnear_table",
    "parse_polnear",
    "source_matches",
]

#: English personal, possessive, demonstrative and relative pronouns: a source made of
#: these alone stands for someone named elsewhere, so any source is accepted.
PRONOUNS: frozenset[str] = frozenset({
    "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her",
    "they", "them", "their", "it", "its", "one", "who", "whom", "whose", "which", "that",
    "this", "these", "those",
})  # fmt: skip
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PREVIEW = 120


@dataclass(frozen=True, slots=True)
class PolnearAttribution:
    id: str
    source: str | None
    content: tuple[tuple[int, int], ...]
    has_digit: bool


@dataclass(frozen=True, slots=True)
class PolnearDocument:
    doc_id: str
    text: str
    published: str | None
    attributions: tuple[PolnearAttribution, ...]


def _span(value: Any, text: str, what: str) -> tuple[int, int]:
    start, end = value["start"], value["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        raise GoldError(f"{what}: offsets {start}-{end} outside the text")
    return start, end


def parse_polnear(record: Mapping[str, Any]) -> PolnearDocument:
    """One PolNeAR article; ``GoldError`` names what is wrong with it."""
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        raise GoldError("text must be a non-empty string")
    doc_id = str(record.get("doc_id", ""))
    published = record.get("date")
    if published is not None and not (isinstance(published, str) and _ISO_DAY.match(published)):
        raise GoldError(f"{doc_id}: date is not YYYY-MM-DD: {published!r}")
    attributions = []
    for attribution in record["attributions"]:
        what = f"{doc_id} attribution {attribution.get('id')}"
        source = attribution.get("source")
        source_text = None
        if source:
            start, end = _span(source, text, f"{what} source")
            source_text = text[start:end]
        content = tuple(_span(span, text, f"{what} content") for span in attribution["content"])
        has_digit = any(ch.isdigit() for start, end in content for ch in text[start:end])
        attributions.append(
            PolnearAttribution(str(attribution.get("id", "")), source_text, content, has_digit)
        )
    return PolnearDocument(doc_id, text, published, tuple(attributions))


@cache
def _titles() -> frozenset[str]:
    return load_actor_table().titles


def _content_words(source: str) -> frozenset[str]:
    plain = words(source) - STOP_WORDS
    return (plain - _titles()) or plain


def source_matches(source: str, claim: Claim) -> bool:
    """Whether the claim's source names the gold ``source`` (see the module docstring)."""
    if claim.attributed_to is None:
        return False
    if words(source) and words(source) <= PRONOUNS:
        return True
    wanted = _content_words(source)
    given = words(" ".join(filter(None, (claim.attributed_to, claim.attributed_text))))
    return bool(wanted & (given - STOP_WORDS))


def _inside(claim: Claim, attribution: PolnearAttribution) -> bool:
    start, end = claim.quantity_span
    return any(max(start, s) < min(end, e) for s, e in attribution.content)


def _score_document(
    document: PolnearDocument, claims: Sequence[Claim], tally: Tally
) -> dict[str, Any]:
    recalled: set[str] = set()
    unattributed = 0
    rows = []
    for claim in claims:
        around = [a for a in document.attributions if _inside(claim, a)]
        sourced = [a for a in around if a.source is not None]
        right = [a for a in sourced if source_matches(a.source or "", claim)]
        recalled.update(a.id for a in right)
        if claim.attributed_to is not None:
            tally.add("precision", bool(right))
        elif sourced:
            unattributed += 1
        rows.append(
            {
                "figure": claim.quantity_text,
                "attributed_to": claim.attributed_to,
                "attributed_text": claim.attributed_text,
                "gold_sources": [a.source for a in around],
                "correct": bool(right),
                "text": claim.text[:_PREVIEW],
            }
        )
    missed = []
    for attribution in document.attributions:
        if attribution.source is None or not attribution.has_digit:
            continue
        tally.add("recall", attribution.id in recalled)
        if attribution.id not in recalled:
            start, end = attribution.content[0] if attribution.content else (0, 0)
            missed.append(
                {"source": attribution.source, "content": document.text[start:end][:_PREVIEW]}
            )
    tally.hits["unattributed"] += unattributed
    return {"doc_id": document.doc_id, "claims": rows, "missed": missed}


def _score(documents: Sequence[PolnearDocument], records: Sequence[ProseRecords]) -> Scored:
    tally = Tally()
    rows = [
        _score_document(document, list(found.claims), tally)
        for document, found in zip(documents, records, strict=True)
    ]
    metrics = {
        "precision": tally.rate("precision"),
        "unattributed": tally.hits["unattributed"],
        "recall": tally.rate("recall"),
    }
    no_source = sum(a.source is None for d in documents for a in d.attributions)
    counts = {
        "precision": tally.totals["precision"],
        "recall": tally.totals["recall"],
        "claims": sum(len(found.claims) for found in records),
        "attributions": sum(len(d.attributions) for d in documents),
        "no_source_attributions": no_source,
    }
    return Scored(metrics, counts, rows)


_OF: Mapping[str, str] = {
    "precision": "claims with a source",
    "unattributed": "count",
    "recall": "gold attributions with a digit",
}


POLNEAR: ProseSuite[PolnearDocument] = ProseSuite(
    suite="claims",
    format="polnear",
    title="PolNeAR attributions",
    parse=parse_polnear,
    score=_score,
    of=_OF,
)
evaluate_polnear = POLNEAR.evaluate
format_polnear_table = POLNEAR.table
