"""WikiEvents (Li et al. 2021, dev split): news and web documents about bombings,
attacks and arrests with KAIROS event mentions.

Gold: one JSON object a line with ``doc_id``, ``text``, ``sentences`` (``start``/``end``
characters of ``text``) and ``events``, each with a ``type`` ("Conflict.Attack.
DetonateExplode"), the ``sentence`` it stands in (``idx`` into ``sentences``) and
``arguments`` / ``arguments_informative`` (``role``, ``text``). ember reads ``text`` as
written; the set gives no publication date (a ``date`` field is used where present).

Metrics (``../shared/eval/README.md``), scored from ember's exported events:

- ``recall``: over the gold ``Conflict.Attack.*`` and ``Justice.ArrestJailDetain.*``
  mentions, the share for which ember has, in the same sentence, an event of a violent
  type (``Battles``, ``Explosions/Remote violence``, ``Violence against civilians``) for
  an attack, of sub-event type ``Arrests`` for an arrest. *The same sentence*: the word
  Jaccard of ember's evidence sentence (the event's ``text``) and the gold sentence is
  >= 0.5. One ember event may stand for several mentions of its sentence (KAIROS often
  marks "attack" and "explode" of one happening); ``attack_recall`` and
  ``arrest_recall`` split the figure;
- ``precision``: the share of ember's violent events whose sentence (as above) holds a
  gold mention of a ``Conflict``, ``Life``, ``Justice`` or ``GenericCrime`` type;
- ``place``: over the recalled attacks with a ``Place`` argument, the share for which a
  violent event that recalls it has a location whose ``name`` or ``canonical`` name
  matches one of the argument's strings (the argument as written or its informative
  mention, "city" / "Belfast"). *Matches*: equal once folded (``measures.fold_name``) or
  by transliteration key (``nlp.fold.place_key``), or a token-set similarity >= 0.8
  (so "Helmand" matches "Helmand Province" and "Bagram" "Bagram Air Base").

WikiEvents' "sentences" often hold two or three sentences (about a third of them), which
an evidence sentence of one cannot reach at Jaccard 0.5. ``recall_relaxed`` and
``precision_relaxed`` (extras, diagnostics only) also accept an evidence sentence whose
words lie at least 90% inside the gold sentence, so the share of the gap that is
segmentation, not extraction, can be read off."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..nlp.fold import place_key
from ..records import Event, Location
from .measures import (
    SENTENCE_JACCARD,
    Tally,
    fold_name,
    token_set_similarity,
    word_jaccard,
    words,
)
from .prose import (
    VIOLENT_TYPES,
    GoldError,
    ProseRecords,
    ProseSuite,
    Scored,
)

__all__ = [
    "PRECISION_FAMILIES",
    "WIKIEVENTS",
    "WikiDocument",
    "WikiMention",
    "evaluate_wikievents",
    "format_wikievents_table",
    "parse_wikievents",
    "place_matches",
]

ATTACK = "Conflict.Attack."
ARREST = "Justice.ArrestJailDetain."
#: A violent event is right when its sentence holds a mention of one of these families.
PRECISION_FAMILIES: frozenset[str] = frozenset({"Conflict", "Life", "Justice", "GenericCrime"})
_ARRESTS = "Arrests"
_PLACE_SIMILARITY = 0.8
_CONTAINED = 0.9
_PREVIEW = 160


@dataclass(frozen=True, slots=True)
class WikiMention:
    type: str
    trigger: str
    sentence: int
    places: tuple[str, ...]

    @property
    def family(self) -> str:
        return self.type.split(".", 1)[0]


@dataclass(frozen=True, slots=True)
class WikiDocument:
    doc_id: str
    text: str
    published: str | None
    sentences: tuple[tuple[int, int], ...]
    mentions: tuple[WikiMention, ...]

    def sentence_text(self, index: int) -> str:
        start, end = self.sentences[index]
        return self.text[start:end]


def _places(event: Mapping[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for key in ("arguments", "arguments_informative"):
        for argument in event.get(key) or ():
            name = argument.get("text")
            place = argument.get("role") == "Place" and isinstance(name, str) and name.strip()
            if place and name not in found:
                found.append(name)
    return tuple(found)


def parse_wikievents(record: Mapping[str, Any]) -> WikiDocument:
    """One WikiEvents document; ``GoldError`` names what is wrong with it."""
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        raise GoldError("text must be a non-empty string")
    doc_id = str(record.get("doc_id", ""))
    sentences = []
    for index, sentence in enumerate(record["sentences"]):
        start, end = sentence["start"], sentence["end"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
            raise GoldError(f"{doc_id}: sentence {index} offsets {start}-{end} outside the text")
        sentences.append((start, end))
    mentions = []
    for event in record["events"]:
        index = event["sentence"]["idx"]
        if not (isinstance(index, int) and 0 <= index < len(sentences)):
            raise GoldError(f"{doc_id}: event {event.get('id')} in an unknown sentence {index!r}")
        trigger = event.get("trigger") or {}
        mention = WikiMention(
            str(event["type"]), str(trigger.get("text", "")), index, _places(event)
        )
        mentions.append(mention)
    published = record.get("date") if isinstance(record.get("date"), str) else None
    return WikiDocument(doc_id, text, published, tuple(sentences), tuple(mentions))


def place_matches(location: Location | None, places: Sequence[str]) -> bool:
    """Whether the event's location names one of the gold place strings."""
    if location is None:
        return False
    names = [n for n in (location.name, location.canonical) if n]
    for gold in places:
        for name in names:
            if fold_name(name) == fold_name(gold) or place_key(name) == place_key(gold):
                return True
            if token_set_similarity(name, gold) >= _PLACE_SIMILARITY:
                return True
    return False


def _sentences_of(
    event: Event, sentence_words: Sequence[frozenset[str]], *, relaxed: bool, text: str
) -> set[int]:
    """The gold sentences the event's evidence is: its sentence, and the other sentences
    of the document that tell the same happening (``Event.evidence``)."""
    tellings = [words(event.text), *(words(text[a:b]) for a, b in event.evidence)]

    def same(evidence: frozenset[str], sentence: frozenset[str]) -> bool:
        if word_jaccard(evidence, sentence) >= SENTENCE_JACCARD:
            return True
        return relaxed and bool(evidence) and len(evidence & sentence) >= _CONTAINED * len(evidence)

    return {
        i
        for i, sentence in enumerate(sentence_words)
        if any(same(evidence, sentence) for evidence in tellings)
    }


def _score_document(
    document: WikiDocument, events: Sequence[Event], tally: Tally, *, relaxed: bool = False
) -> dict[str, Any]:
    sentence_words = [words(document.sentence_text(i)) for i in range(len(document.sentences))]
    violent = [
        (e, _sentences_of(e, sentence_words, relaxed=relaxed, text=document.text))
        for e in events
        if e.event_type in VIOLENT_TYPES
    ]
    arrests = [
        (e, _sentences_of(e, sentence_words, relaxed=relaxed, text=document.text))
        for e in events
        if e.sub_event_type == _ARRESTS
    ]
    missed, wrong_place = [], []
    for mention in document.mentions:
        if mention.type.startswith(ATTACK):
            kind, candidates = "attack", violent
        elif mention.type.startswith(ARREST):
            kind, candidates = "arrest", arrests
        else:
            continue
        recalling = [e for e, at in candidates if mention.sentence in at]
        tally.add("recall", bool(recalling))
        tally.add(f"{kind}_recall", bool(recalling))
        if not recalling:
            missed.append(_mention_row(document, mention))
            continue
        if kind == "attack" and mention.places:
            hit = any(place_matches(e.location, mention.places) for e in recalling)
            tally.add("place", hit)
            if not hit:
                wrong_place.append(
                    {
                        "gold": list(mention.places),
                        "ember": sorted({_place_name(e.location) for e in recalling}),
                    }
                )
    spurious = []
    families = [
        {m.family for m in document.mentions if m.sentence == i}
        for i in range(len(document.sentences))
    ]
    for event, at in violent:
        right = any(families[i] & PRECISION_FAMILIES for i in at)
        tally.add("precision", right)
        if not right:
            spurious.append({"sub_event_type": event.sub_event_type, "text": event.text[:_PREVIEW]})
    return {
        "doc_id": document.doc_id,
        "events": len(events),
        "violent_events": len(violent),
        "missed": missed,
        "spurious": spurious,
        "wrong_place": wrong_place,
    }


def _mention_row(document: WikiDocument, mention: WikiMention) -> dict[str, Any]:
    return {
        "type": mention.type,
        "trigger": mention.trigger,
        "sentence": mention.sentence,
        "text": document.sentence_text(mention.sentence)[:_PREVIEW],
    }


def _place_name(location: Location | None) -> str:
    if location is None:
        return "-"
    return location.canonical or location.name


_METRICS = ("recall", "precision", "place", "attack_recall", "arrest_recall")


def _score(documents: Sequence[WikiDocument], records: Sequence[ProseRecords]) -> Scored:
    tally, relaxed = Tally(), Tally()
    rows = []
    for document, found in zip(documents, records, strict=True):
        rows.append(_score_document(document, list(found.events), tally))
        _score_document(document, list(found.events), relaxed, relaxed=True)
    metrics = {metric: tally.rate(metric) for metric in _METRICS}
    counts = {metric: tally.totals[metric] for metric in _METRICS}
    for metric in ("recall", "precision"):
        metrics[f"{metric}_relaxed"] = relaxed.rate(metric)
        counts[f"{metric}_relaxed"] = relaxed.totals[metric]
    return Scored(metrics, counts, rows)


_OF: Mapping[str, str] = {
    "recall": "gold attack/arrest mentions",
    "precision": "ember violent events",
    "place": "recalled attacks with a Place",
    "attack_recall": "gold attack mentions",
    "arrest_recall": "gold arrest mentions",
    "recall_relaxed": "gold attack/arrest mentions",
    "precision_relaxed": "ember violent events",
}


WIKIEVENTS: ProseSuite[WikiDocument] = ProseSuite(
    suite="events",
    format="wikievents",
    title="WikiEvents",
    parse=parse_wikievents,
    score=_score,
    of=_OF,
)
evaluate_wikievents = WIKIEVENTS.evaluate
format_wikievents_table = WIKIEVENTS.table
