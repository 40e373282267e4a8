"""IndiaPoliceEvents (Halterman et al., Findings of ACL 2021): police actions in Times of
India stories (Gujarat, 2002), lower-cased as distributed, with adjudicated labels per
document and per sentence.

Gold: one JSON object a line with ``doc_id``, ``text``, ``date`` (the publication day,
ISO), ``labels`` ({"KILL": 0|1, "ARREST": 0|1, "FORCE": 0|1, ...}) and ``sentences``
(each with ``start``/``end`` characters of ``text`` and the same labels). ember reads
``text`` as written, with ``date`` as its publication date.

What ember predicts, from its exported events (``../shared/eval/README.md``):

- **ARREST**: the document has an event of sub-event type ``Arrests``, or an event with
  ``arrested`` >= 1;
- **KILL**: an event whose ``actor1`` is a police force has ``fatalities`` >= 1;
- **FORCE**: a police force is ``actor1`` of a ``Battles``, ``Violence against
  civilians``, ``Protests`` or ``Riots`` event.

*A police force* is an actor that ember's actor table (``src/ember/data/actors``, read
through ``nlp.actors.actor_info``) classes as ``kind: "police"``: the generic "Police
Forces", every "Police Forces of <country>" and named police such as the Iraqi Federal
Police. The ACLED inter code does not tell police apart, since police and military
share inter 1 (state forces); the actor kind does. An ``actor1`` the table lacks is not
a police force.

Precision, recall and F1 per label are micro-averaged over documents (true and false
positives and negatives counted over all documents). ARREST is also scored per sentence:
each arrest event belongs to the gold sentence whose words overlap its evidence sentence
(``text``) most, when that word Jaccard is >= 0.5 (``measures.best_sentence``). A gold
sentence is predicted ARREST when at least one arrest event belongs to it; an arrest
event that belongs to no gold sentence is one false positive per distinct evidence span
(it predicts an arrest where the gold has no sentence). Gold sentences with ARREST = 1
that no event belongs to are the misses."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..nlp.actors import actor_info
from ..records import Event
from .measures import Counts, best_sentence, words
from .prose import (
    GoldError,
    ProseRecords,
    ProseSuite,
    Scored,
)

__all__ = [
    "FORCE_TYPES",
    "IPE",
    "IPE_LABELS",
    "IpeDocument",
    "IpeSentence",
    "evaluate_ipe",
    "format_ipe_table",
    "is_police",
    "parse_ipe",
    "predicted_labels",
]

IPE_LABELS: tuple[str, ...] = ("ARREST", "KILL", "FORCE")
#: The event types in which a police force as actor1 means FORCE.
FORCE_TYPES: frozenset[str] = frozenset(
    {"Battles", "Violence against civilians", "Protests", "Riots"}
)
_ARRESTS = "Arrests"
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PREVIEW = 200


@dataclass(frozen=True, slots=True)
class IpeSentence:
    start: int
    end: int
    labels: frozenset[str]


@dataclass(frozen=True, slots=True)
class IpeDocument:
    doc_id: str
    text: str
    published: str | None
    labels: frozenset[str]
    sentences: tuple[IpeSentence, ...]

    def sentence_text(self, index: int) -> str:
        sentence = self.sentences[index]
        return self.text[sentence.start : sentence.end]


def _labels(values: Any, where: str) -> frozenset[str]:
    if not isinstance(values, Mapping):
        raise GoldError(f"{where}: labels must be an object")
    found = set()
    for label in IPE_LABELS:
        value = values.get(label, 0)
        if value not in (0, 1, True, False):
            raise GoldError(f"{where}: {label} must be 0 or 1, not {value!r}")
        if value:
            found.add(label)
    return frozenset(found)


def parse_ipe(record: Mapping[str, Any]) -> IpeDocument:
    """One IndiaPoliceEvents document; ``GoldError`` names what is wrong with it."""
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        raise GoldError("text must be a non-empty string")
    doc_id = str(record.get("doc_id", ""))
    date = record.get("date")
    if date is not None and not (isinstance(date, str) and _ISO_DAY.match(date)):
        raise GoldError(f"{doc_id}: date is not YYYY-MM-DD: {date!r}")
    sentences = []
    for index, sentence in enumerate(record["sentences"]):
        start, end = sentence["start"], sentence["end"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
            raise GoldError(f"{doc_id}: sentence {index} offsets {start}-{end} outside the text")
        sentences.append(IpeSentence(start, end, _labels(sentence, f"{doc_id} sentence {index}")))
    labels = _labels(record["labels"], doc_id)
    return IpeDocument(doc_id, text, date, labels, tuple(sentences))


@lru_cache(maxsize=4096)
def is_police(actor: str | None) -> bool:
    """Whether ember's actor table classes ``actor`` (canonical, ACLED or
    country-qualified name) as a police force."""
    if not actor:
        return False
    try:
        return actor_info(actor).kind == "police"
    except KeyError:
        return False


def _is_arrest(event: Event) -> bool:
    return event.sub_event_type == _ARRESTS or (event.arrested or 0) >= 1


def predicted_labels(events: Sequence[Event]) -> frozenset[str]:
    """The document labels ember's events predict (see the module docstring)."""
    labels = set()
    if any(_is_arrest(e) for e in events):
        labels.add("ARREST")
    police = [e for e in events if is_police(e.actor1)]
    if any((e.fatalities or 0) >= 1 for e in police):
        labels.add("KILL")
    if any(e.event_type in FORCE_TYPES for e in police):
        labels.add("FORCE")
    return frozenset(labels)


def _arrest_sentences(
    document: IpeDocument, events: Sequence[Event]
) -> tuple[set[int], set[tuple[int, int]]]:
    """The gold sentences arrest events belong to, and the evidence spans of those that
    belong to none."""
    sentence_words = [words(document.sentence_text(i)) for i in range(len(document.sentences))]
    aligned: set[int] = set()
    unaligned: set[tuple[int, int]] = set()
    for event in events:
        if not _is_arrest(event):
            continue
        # The event's sentence and the other sentences that tell the same happening.
        tellings = [(event.text, event.span)]
        tellings += [(document.text[a:b], (a, b)) for a, b in event.evidence]
        for n, (text, span) in enumerate(tellings):
            index = best_sentence(text, sentence_words)
            if index is not None:
                aligned.add(index)
            elif n == 0:  # only the event's own sentence counts when it matches none
                unaligned.add(span)
    return aligned, unaligned


def _event_row(event: Event) -> dict[str, Any]:
    return {
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "actor2": event.actor2,
        "fatalities": event.fatalities,
        "arrested": event.arrested,
        "span": list(event.span),
        "text": event.text[:_PREVIEW],
    }


def _score(documents: Sequence[IpeDocument], records: Sequence[ProseRecords]) -> Scored:
    per_label = {label: Counts() for label in IPE_LABELS}
    sentences = Counts()
    rows = []
    for document, found in zip(documents, records, strict=True):
        events = list(found.events)
        predicted = predicted_labels(events)
        for label, label_counts in per_label.items():
            label_counts.add(gold=label in document.labels, predicted=label in predicted)
        gold_sentences = {i for i, s in enumerate(document.sentences) if "ARREST" in s.labels}
        aligned, unaligned = _arrest_sentences(document, events)
        sentences.tp += len(aligned & gold_sentences)
        sentences.fp += len(aligned - gold_sentences) + len(unaligned)
        sentences.fn += len(gold_sentences - aligned)
        rows.append(
            {
                "doc_id": document.doc_id,
                "gold": sorted(document.labels),
                "predicted": sorted(predicted),
                "arrest_sentences_gold": sorted(gold_sentences),
                "arrest_sentences_predicted": sorted(aligned),
                "arrest_events_unaligned": len(unaligned),
                "events": [_event_row(e) for e in events],
            }
        )
    metrics: dict[str, float] = {}
    counts: dict[str, int] = {}
    named = [(label.lower(), c) for label, c in per_label.items()]
    named.insert(1, ("arrest_sentence", sentences))
    for name, c in named:
        metrics |= {f"{name}_precision": c.precision, f"{name}_recall": c.recall}
        metrics[f"{name}_f1"] = c.f1
        counts |= {f"{name}_precision": c.tp + c.fp, f"{name}_recall": c.tp + c.fn}
    return Scored(metrics, counts, rows)


_OF: Mapping[str, str] = {
    **{f"{name}_precision": "predicted" for name in ("arrest", "arrest_sentence", "kill", "force")},
    **{f"{name}_recall": "gold" for name in ("arrest", "arrest_sentence", "kill", "force")},
}


IPE: ProseSuite[IpeDocument] = ProseSuite(
    suite="events", format="ipe", title="IndiaPoliceEvents", parse=parse_ipe, score=_score, of=_OF
)
evaluate_ipe = IPE.evaluate
format_ipe_table = IPE.table
