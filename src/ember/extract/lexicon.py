"""The event lexicon: trigger words and the cues that qualify them, read from
``data/events/triggers.jsonl`` and ``data/events/cues.json``.

A trigger row: ``pattern`` (words; a multi-word pattern inflects its first word),
``pos`` (parts of speech a one-word pattern must have), ``sub_event_type`` (ACLED's),
``kind`` (how the sentence settles the type, ``TRIGGER_KINDS``), ``strength`` (0-1, how
surely the words tell the event), ``requires_near`` (words one of which the sentence
must hold) and ``place_object`` (the verb's direct object must name a place)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from spacy.vocab import Vocab

from ..nlp.matching import ExactMatcher
from ..taxonomy import event_type_of

__all__ = ["Cues", "Trigger", "build_matcher", "load_cues", "load_triggers"]

# How a trigger's sub-event type is settled once its sentence is read (see events.py).
TRIGGER_KINDS = (
    "fixed", "violence", "casualty", "territory", "announcement", "withdrawal", "arrest",
    "protest",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Trigger:
    key: str
    words: tuple[str, ...]
    pos: frozenset[str]
    sub_event_type: str
    kind: str
    strength: float
    requires_near: frozenset[str]
    # The trigger tells its event only when its direct object names a place ("left the
    # town of X", not "leaving the militants squeezed into a valley").
    place_object: bool = False


@dataclass(frozen=True, slots=True)
class Cues:
    modal_aux: frozenset[str]
    intention_heads: frozenset[str]
    conditional_marks: frozenset[str]
    negation_words: frozenset[str]
    generic_adverbs: frozenset[str]
    civilian_targets: frozenset[str]
    armed_targets: frozenset[str]
    near_cues: frozenset[str]
    place_preps: frozenset[str]
    metonymy_preps: frozenset[str]
    report_verbs: frozenset[str]
    place_words: frozenset[str]
    person_words: frozenset[str]
    hostage_words: frozenset[str]
    weapon_words: frozenset[str]
    defenceless_triggers: frozenset[str]
    perception_verbs: frozenset[str]


def _data(name: str) -> str:
    return resources.files("ember").joinpath(f"data/events/{name}").read_text("utf-8")


def _trigger(index: int, row: dict[str, Any]) -> Trigger:
    sub = row["sub_event_type"]
    event_type_of(sub)  # a name outside ACLED's taxonomy fails at load, not later
    kind = row.get("kind", "fixed")
    if kind not in TRIGGER_KINDS:
        raise ValueError(f"triggers.jsonl row {index}: unknown kind {kind!r}")
    return Trigger(
        key=f"T{index}",
        words=tuple(row["pattern"].lower().split()),
        pos=frozenset(row.get("pos", ())),
        sub_event_type=sub,
        kind=kind,
        strength=float(row["strength"]),
        requires_near=frozenset(row.get("requires_near", ())),
        place_object=bool(row.get("place_object", False)),
    )


@cache
def load_triggers() -> dict[str, Trigger]:
    rows = [json.loads(line) for line in _data("triggers.jsonl").splitlines() if line.strip()]
    triggers = (_trigger(i, row) for i, row in enumerate(rows))
    return {t.key: t for t in triggers}


@cache
def load_cues() -> Cues:
    raw = json.loads(_data("cues.json"))
    return Cues(**{name: frozenset(raw[name]) for name in Cues.__slots__})


def _patterns(trigger: Trigger) -> list[list[dict[str, Any]]]:
    """Exact-value token patterns only: spaCy's matcher checks those natively, while
    set predicates ({"IN": [...]}) cost a Python call per token."""
    words = trigger.words
    if len(words) == 1:
        if not trigger.pos:
            return [[{"LOWER": words[0]}]]
        return [
            [{attr: words[0], "POS": pos}]
            for attr in ("LEMMA", "LOWER")
            for pos in sorted(trigger.pos)
        ]
    return [
        [{"LOWER": word} for word in words],
        [{"LEMMA": word} for word in words],
        # verb-led phrases inflect their first word only ("blew himself up")
        [{"LEMMA": word} if i == 0 else {"LOWER": word} for i, word in enumerate(words)],
    ]


def build_matcher(vocab: Vocab) -> ExactMatcher:
    """The triggers' patterns, matched as spaCy's ``Matcher`` would (``matching``)."""
    return ExactMatcher(vocab, [(t.key, _patterns(t)) for t in load_triggers().values()])
