"""Who acts and who is acted on, read off the dependency parse around a trigger.

``actor1`` is the trigger's agent: the subject of a trigger verb, the "by" phrase of a
passive, the modifier of a trigger noun ("coalition air strikes", "IS's attack") or the
subject of the verb that carries it ("militants carried out an attack"). ``actor2`` is
its patient: the object, the passive subject, or "against"/"on"/"targeting" phrases.
Both come from the actor spans the nlp stage marked (``doc.spans["actors"]``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from .lexicon import load_cues

__all__ = ["Roles", "find_roles"]

_SUBJECT = ("nsubj", "csubj")
_PASSIVE_SUBJECT = ("nsubjpass", "csubjpass")
_NOUN_AGENT_DEPS = ("compound", "amod", "poss", "nmod", "npadvmod")
_TARGET_PREPS = ("against", "on", "targeting", "upon", "at")
# Verbs that carry a trigger noun: "carried out an attack", "launched strikes".
_CLIMB_DEPS = ("conj", "xcomp", "advcl", "acl", "relcl", "pcomp")


@dataclass(frozen=True, slots=True)
class Roles:
    actor1: str | None = None
    actor1_text: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    actor2_text: str | None = None
    inter2: int | None = None
    place_object: bool = False
    person_object: bool = False
    weapon_object: bool = False
    # Lemmas of the patient phrase: what the event was done to ("a police patrol").
    patient_words: frozenset[str] = frozenset()


def _sentence_actors(sent: Span) -> list[Span]:
    doc = sent.doc
    return [a for a in doc.spans.get("actors", []) if a.start >= sent.start and a.end <= sent.end]


def _subtree(token: Token) -> set[int]:
    return {t.i for t in token.subtree}


def _actor_in(indices: set[int], actors: Sequence[Span]) -> Span | None:
    for actor in actors:
        if indices.intersection(range(actor.start, actor.end)):
            return actor
    return None


def _children(token: Token, deps: Iterable[str]) -> list[Token]:
    wanted = tuple(deps)
    return [child for child in token.children if child.dep_ in wanted]


def _prep_objects(token: Token, preps: Iterable[str]) -> list[Token]:
    wanted = tuple(preps)
    objects: list[Token] = []
    for prep in token.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in wanted:
            objects.extend(_children(prep, ("pobj", "pcomp")))
    return objects


def _agent_and_patient(trigger: Token) -> tuple[set[int], set[int]]:
    agent: set[int] = set()
    patient: set[int] = set()
    for token in _children(trigger, _SUBJECT):
        agent |= _subtree(token)
    for token in _prep_objects(trigger, ("by",)):
        agent |= _subtree(token)
    for token in _children(trigger, (*_PASSIVE_SUBJECT, "dobj", "obj")):
        patient |= _subtree(token)
    for token in _prep_objects(trigger, _TARGET_PREPS):
        patient |= _subtree(token)
    if trigger.pos_ in ("NOUN", "PROPN"):
        for token in _children(trigger, _NOUN_AGENT_DEPS):
            agent |= _subtree(token)
        for token in _prep_objects(trigger, ("of",)):
            patient |= _subtree(token)
        for acl in _children(trigger, ("acl",)):
            for token in _prep_objects(acl, ("by",)):
                agent |= _subtree(token)
    return agent, patient


def _carrier(trigger: Token) -> Token | None:
    """The verb whose subject acts for this trigger, when the trigger has none."""
    head = trigger.head
    if head.i == trigger.i:
        return None
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("dobj", "attr", "pobj"):
        if trigger.dep_ == "pobj":
            head = head.head
        return head if head.pos_ in ("VERB", "AUX") else None
    if trigger.dep_ in _CLIMB_DEPS:
        return head
    return None


def _object_kinds(patient: set[int], sent: Span) -> tuple[bool, bool, bool]:
    doc = sent.doc
    cues = load_cues()
    words = {doc[i].lower_ for i in patient}
    places = doc.spans.get("places", [])
    has_place = bool(words & cues.place_words) or any(
        patient.intersection(range(p.start, p.end)) for p in places
    )
    persons = any(doc[i].ent_type_ == "PERSON" for i in patient)
    has_person = (persons or bool(words & cues.person_words)) and not has_place
    has_weapon = bool(words & cues.weapon_words) and not has_place
    return has_place, has_person, has_weapon


def find_roles(trigger: Token, sent: Span) -> Roles:
    actors = _sentence_actors(sent)
    agent, patient = _agent_and_patient(trigger)
    carrier = _carrier(trigger)
    steps = 0
    while not agent and carrier is not None and steps < 3:
        carrier_agent, carrier_patient = _agent_and_patient(carrier)
        agent = carrier_agent
        if not patient and trigger.pos_ not in ("NOUN", "PROPN"):
            patient = carrier_patient
        carrier = _carrier(carrier)
        steps += 1
    place_object, person_object, weapon_object = _object_kinds(patient, sent)
    actor1 = _actor_in(agent, actors)
    actor2 = _actor_in(patient, actors)
    if actor2 is not None and actor2 == actor1:
        actor2 = None
    if actor1 is None:
        actor1 = _fallback_actor(actors, trigger, exclude=actor2)
    return Roles(
        actor1=actor1.kb_id_ if actor1 is not None else None,
        actor1_text=actor1.text if actor1 is not None else None,
        inter1=_inter(actor1),
        actor2=actor2.kb_id_ if actor2 is not None else None,
        actor2_text=actor2.text if actor2 is not None else None,
        inter2=_inter(actor2),
        place_object=place_object,
        person_object=person_object,
        weapon_object=weapon_object,
        patient_words=frozenset(sent.doc[i].lemma_.lower() for i in patient),
    )


def _fallback_actor(actors: Sequence[Span], trigger: Token, exclude: Span | None) -> Span | None:
    """With no syntactic agent, the first armed actor named before the trigger."""
    for actor in actors:
        if actor == exclude or actor.start > trigger.i:
            continue
        if _inter(actor) not in (7, None):
            return actor
    return None


def _inter(actor: Span | None) -> int | None:
    if actor is None:
        return None
    value = actor._.get("inter") if actor.has_extension("inter") else None
    return int(value) if value is not None else None
