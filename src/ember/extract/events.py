"""Events from an annotated ``Doc``: who did what to whom, where, when, how many.

One sentence at a time: trigger words (``data/events/triggers.jsonl``) propose an
ACLED sub-event; cues (``data/events/cues.json``) drop what is not a happening
(negations, predictions, hypotheticals, capabilities); the dependency parse picks the
actors, the place and the date; ``casualties`` counts the dead, wounded, arrested and
kidnapped. Places are left as written: ``geo`` resolves them afterwards."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from ..ingest.window import landmark_dates_told, landmarks_told
from ..nlp.actors import actor_info
from ..nlp.dates import sentence_dates
from ..nlp.matching import ExactMatcher
from ..nlp.places import direction_words, place_words
from ..nlp.text import doc_spans, doc_text, span_entities, spans_within
from ..records import DateRange, Event, Location
from ..taxonomy import event_type_of
from .casualties import Casualties, casualties
from .classifier import NONE, Prediction, SubEventClassifier
from .eventive import (
    SENTENCE_REASONS,
    is_conceded,
    is_history,
    load_rules,
    non_eventive,
    opens_past_frame,
)
from .happenings import merge_one_happening, tells_toll
from .lexicon import Cues, Trigger, build_matcher, load_cues, load_triggers
from .roles import Roles, document_claimant, find_roles, inter_of, responsible_actor

__all__ = ["Hit", "extract_events", "find_hits"]

# When several triggers share a sentence, the most specific names the event; the rest
# (an "attack" that was a car bomb, "killing" seven) add nothing but their counts.
SPECIFICITY = (
    "Suicide bomb", "Chemical weapon", "Remote explosive/landmine/IED", "Grenade",
    "Air/drone strike", "Shelling/artillery/missile attack", "Sexual violence",
    "Abduction/forced disappearance", "Government regains territory",
    "Non-state actor overtakes territory", "Arrests", "Excessive force against protesters",
    "Protest with intervention", "Violent demonstration", "Mob violence", "Peaceful protest",
    "Disrupted weapons use", "Looting/property destruction", "Agreement",
    "Headquarters or base established", "Non-violent transfer of territory",
    "Change to group/activity", "Attack", "Armed clash", "Other",
)  # fmt: skip
_RANK = {name: i for i, name in enumerate(SPECIFICITY)}
# Generic words of violence yield to any specific trigger in the same sentence.
_GENERIC_KINDS = frozenset({"violence", "casualty"})
_LOOKBACK_SENTENCES = 3
# How many sentences back a date's own context is read ("two days later" after "the
# next day" after "on 3 May").
_DATE_CONTEXT_DEPTH = 3
_INSTRUMENT_PREPS = ("with", "using", "via", "by")
# Dependencies of a clause: what such a trigger tells is not the main event's weapon.
_CLAUSE_DEPS = frozenset({"advcl", "xcomp", "ccomp", "conj", "relcl", "acl", "parataxis"})
# How far up the parse a negation, modal or intention still governs a trigger.
_CLIMB_LIMIT = 6


@dataclass(frozen=True, slots=True)
class Hit:
    trigger: Trigger
    span: Span
    sent: Span

    @property
    def root(self) -> Token:
        return self.span.root


def find_hits(doc: Doc, sentences: Sequence[Span] | None = None) -> list[Hit]:
    """Trigger matches, longest first where they overlap, in text order."""
    sentences = list(doc.sents) if sentences is None else sentences
    # Span.sent walks the document each time: look sentences up by token instead.
    sentence_of = [0] * len(doc)
    for number, sent in enumerate(sentences):
        sentence_of[sent.start : sent.end] = [number] * len(sent)
    triggers = load_triggers()
    matcher = _matcher(doc)
    found: list[Hit] = []
    taken: set[int] = set()
    matches = sorted(matcher(doc), key=lambda m: (-(m[2] - m[1]), m[1]))
    for match_id, start, end in matches:
        if taken.intersection(range(start, end)):
            continue
        trigger = triggers[doc.vocab.strings[match_id]]
        span = doc[start:end]
        sent = sentences[sentence_of[start]]
        if not _requirements_met(trigger, sent):
            continue
        taken.update(range(start, end))
        found.append(Hit(trigger, span, sent))
    return sorted(found, key=lambda hit: hit.span.start)


_MATCHERS: dict[int, ExactMatcher] = {}


def _matcher(doc: Doc) -> ExactMatcher:
    """One matcher per vocabulary (one per loaded pipeline)."""
    key = id(doc.vocab)
    if key not in _MATCHERS:
        _MATCHERS[key] = build_matcher(doc.vocab)
    return _MATCHERS[key]


def _requirements_met(trigger: Trigger, sent: Span) -> bool:
    if not trigger.requires_near:
        return True
    words = {token.lower_ for token in sent} | {token.lemma_.lower() for token in sent}
    return not trigger.requires_near.isdisjoint(words)


# -- is it a happening? -----------------------------------------------------------


def is_asserted(hit: Hit, cues: Cues) -> bool:
    """False for negated, modal, conditional, intended or habitual triggers, and for
    those that tell no happening (``eventive.non_eventive``: history, time anchors,
    trends, plans, figures of speech, page furniture)."""
    sent = hit.sent
    if sent.text.rstrip().endswith("?"):
        return False
    if non_eventive(hit.span) is not None:
        return False
    token: Token | None = hit.root
    for depth in range(_CLIMB_LIMIT):
        if token is None:
            break
        if _blocks(token, cues, is_trigger=depth == 0):
            return False
        if token.dep_ == "ROOT":
            break
        if token.head.lemma_ in cues.report_verbs:
            # "officials did not say" leaves the event unsaid; "denied" is not a negation.
            return not any(child.dep_ == "neg" for child in token.head.children)
        token = token.head if token.head.i != token.i else None
    return True


def _blocks(token: Token, cues: Cues, *, is_trigger: bool) -> bool:
    if not is_trigger and token.lemma_.lower() in cues.intention_heads:
        return True
    for child in token.children:
        word = child.lower_
        if child.dep_ == "neg" or (child.dep_ in ("det", "preconj") and word in ("no", "neither")):
            return True
        if child.dep_ in ("aux", "auxpass") and child.lemma_.lower() in cues.modal_aux:
            return True
        if child.dep_ == "mark" and word in cues.conditional_marks:
            return True
        if child.dep_ == "advmod" and word in cues.generic_adverbs:
            return True
    return False


# -- the sentence's event(s) --------------------------------------------------------


# -- the learned classifier ----------------------------------------------------------

# The model names a sentence's event alone only when it is this sure, and the sentence
# names an actor or a place (a general remark names neither).
_MODEL_ALONE = 0.85
# It overrides a rule's sub-event when this sure and the rule's trigger is a weak one.
_MODEL_OVERRIDES = 0.6
_WEAK_TRIGGER = 0.8
# It vetoes a weak rule event when this sure that the sentence tells no event.
_MODEL_VETO = 0.9
_VETO_BELOW = 0.6


def _predictions(sentences: Sequence[Span]) -> dict[int, Prediction]:
    texts = [sent.text for sent in sentences]
    if not texts:
        return {}
    predicted = SubEventClassifier.load().predict(texts)
    return {sent.start: p for sent, p in zip(sentences, predicted, strict=True)}


def _model_hits(
    sentences: Sequence[Span], predictions: dict[int, Prediction], covered: set[int], cues: Cues
) -> list[Hit]:
    """Events the rules missed, proposed by the classifier for the sentence's main verb."""
    doc_spans = sentences[0].doc.spans if sentences else {}
    named = {
        i for group in ("actors", "places") for span in doc_spans.get(group, [])
        for i in range(span.start, span.end)
    }  # fmt: skip
    hits = []
    for sent in sentences:
        prediction = predictions.get(sent.start)
        if sent.start in covered or prediction is None or prediction.label == NONE:
            continue
        if prediction.probability < _MODEL_ALONE or named.isdisjoint(range(sent.start, sent.end)):
            continue
        trigger = Trigger(
            key="model", words=(), pos=frozenset(), sub_event_type=prediction.label,
            kind="fixed", strength=round(prediction.probability * 0.8, 3),
            requires_near=frozenset(),
        )  # fmt: skip
        root = _content_verb(sent.root, cues).i - sent.start
        hit = Hit(trigger, sent[root : root + 1], sent)
        if is_asserted(hit, cues):
            hits.append(hit)
    return hits


def _content_verb(root: Token, cues: Cues) -> Token:
    """What a sentence tells, not that it was said: "the forum said [the forces will
    seek to track the cells]" is about the seeking."""
    if root.lemma_ not in cues.report_verbs:
        return root
    said = [child for child in root.children if child.dep_ in ("ccomp", "parataxis")]
    return said[0] if said else root


# The rules tell these apart by who was hit (ACLED: armed people can fight back).
_BY_TARGET = frozenset({"Attack", "Armed clash"})


def _reconcile(
    sub: str | None,
    hit: Hit,
    prediction: Prediction | None,
    roles: Roles | None = None,
    others: frozenset[str] = frozenset(),
) -> str | None:
    """The rules' sub-event, unless the model is sure of another and the trigger is weak.
    Whether violence was a clash or an attack on civilians is the target's to decide once
    the target is known ("shot seven policemen" is a clash whatever the words suggest).
    ``others``: the sub-events of the sentence's triggers set aside as telling no event
    of it; a model label among them reads that, not this happening ("although police
    arrested five men, protests went on": the protest is not an arrest by protesters)."""
    if sub is None and hit.trigger.kind == "territory" and prediction is not None:
        # "parents took over the school": nothing the rules know was taken; the model,
        # when sure the sentence tells another kind of event, reads what happened. (That
        # it tells territory taken the rules have just refused: "were clearing them".)
        if prediction.label == NONE or prediction.probability < _MODEL_ALONE:
            return None
        other_kind = event_type_of(prediction.label) != event_type_of(hit.trigger.sub_event_type)
        return prediction.label if other_kind and prediction.label not in others else None
    if sub is None or prediction is None or prediction.label == sub:
        return sub
    if prediction.label in others:
        return sub
    known_target = roles is not None and roles.inter2 is not None
    if known_target and {sub, prediction.label} <= _BY_TARGET:
        return sub
    if hit.trigger.kind == "territory" and roles is not None and _object_decides(roles):
        return sub  # "captured Ahmed Hassan": a person taken is an arrest, not a town
    strength = hit.trigger.strength
    if prediction.label == NONE:
        veto = prediction.probability >= _MODEL_VETO and strength < _VETO_BELOW
        return None if veto else sub
    if prediction.probability >= _MODEL_OVERRIDES and strength <= _WEAK_TRIGGER:
        if hit.trigger.kind in _GENERIC_KINDS and event_type_of(prediction.label) == (
            "Strategic developments"
        ):
            return sub  # "police opened fire on mobs looting shops": the firing, not the looting
        return prediction.label
    return sub


def _object_decides(roles: Roles) -> bool:
    """Whether what was taken is a person or a weapon: it, not the sentence's words,
    says that "captured" was an arrest or a seizure. (Who conquers a place decides
    between the territory types, and whose territory it was the rules do not know:
    "Russian forces took control of a town" in Luhansk is no government's regain.)"""
    return roles.person_object or roles.weapon_object


def _generic(hit: Hit, when: DateRange) -> bool:
    """A statement about many events or a trend ("its attacks are rising", "carried out
    139 attacks in 2019") rather than one happening: a plural trigger noun dated to a
    month or a year, or one whose sentence is told in the present tense."""
    root = hit.root
    if root.tag_ not in ("NNS", "NNPS") or when.precision in ("day", "week"):
        return False
    if when.precision in ("month", "year"):
        return True
    main = root.sent.root
    return main.tag_ in ("VBZ", "VBP") or any(
        child.dep_ in ("aux", "auxpass") and child.tag_ in ("VBZ", "VBP") for child in main.children
    )


def _principal_hits(hits: Sequence[Hit], cues: Cues) -> list[Hit]:
    """The hits that each make an event: the one highest in the sentence's parse (the
    main clause, not "amid shelling" or "protesting against air strikes"), with a
    more specific weapon absorbed into a generic attack ("a car bomb attack"); plus any
    coordinated verb of another event type ("kidnapped two men and shelled a village"),
    and any verb of violence with its own victims in a place of its own ("kidnapped
    people near Diyala; we saw them attacking shepherds in Deir ez-Zor")."""
    if not hits:
        return []
    ranked = sorted(hits, key=_salience)
    principal = _instrument(ranked[0], hits)
    chosen = [principal]
    for hit in ranked[1:]:
        if hit is principal:
            continue
        if hit.trigger.kind in _GENERIC_KINDS:
            if _elsewhere(hit, chosen, cues):
                chosen.append(hit)
            continue
        if _separate_clause(hit, chosen) and hit.trigger.sub_event_type not in {
            c.trigger.sub_event_type for c in chosen
        }:
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.span.start)


def _joined(a: Token, b: Token) -> bool:
    return (a.dep_ == "conj" and a.head == b) or (b.dep_ == "conj" and b.head == a)


def _killings_by_others(hits: Sequence[Hit], chosen: Sequence[Hit], sent: Span) -> list[Hit]:
    """Killings the sentence tells with a doer of their own, other than the doers of the
    events already chosen ("a communal clash in X, where four were burnt alive and two
    killed in police firing"): another happening, with its own dead."""
    doers = {find_roles(c.root, sent).actor1 for c in chosen}
    found = []
    for hit in hits:
        if hit in chosen or hit.trigger.kind != "casualty":
            continue
        if any(_joined(hit.root, c.root) for c in chosen):
            continue  # "killing and arresting 50": one act, one doer
        doer = find_roles(hit.root, sent).actor1
        if doer is not None and doer not in doers:
            found.append(hit)
            doers.add(doer)
    return found


def _elsewhere(hit: Hit, chosen: Sequence[Hit], cues: Cues) -> bool:
    """A verb with its own object, placed by a place of its own that is not where the
    events already chosen happened: another happening."""
    root = hit.root
    if root.pos_ != "VERB" or not any(c.dep_ == "dobj" for c in root.children):
        return False
    if any(root.head == c.root and root.dep_ in ("advcl", "xcomp", "acl") for c in chosen):
        return False  # "stormed the town, attacking residents": how it went, not another
    own = _location(hit, hit.sent, cues)
    if own is None or own.start is None or own.end is None:
        return False
    place = hit.sent.doc.char_span(own.start, own.end)
    if place is None or not _is_ancestor(root, place.root):
        return False
    return all(_location(c, c.sent, cues) != own for c in chosen)


def _salience(hit: Hit) -> tuple[int, int, float]:
    depth = sum(1 for _ in hit.root.ancestors)
    if hit.trigger.kind == "casualty":
        depth += 2  # "killing seven" reports a result of the main event
    return depth, _RANK.get(hit.trigger.sub_event_type, 99), -hit.trigger.strength


def _instrument(principal: Hit, hits: Sequence[Hit]) -> Hit:
    """A surer trigger that modifies the main one names the event: "a grenade attack",
    "a grenade blast", "an attack with a car bomb", "chemical weapons pounded ..."."""
    for hit in hits:
        if hit is principal or hit.trigger.kind in _GENERIC_KINDS:
            continue
        if hit.trigger.strength <= principal.trigger.strength:
            continue
        if hit.root.dep_ in _CLAUSE_DEPS:
            continue  # "opened fire on mobs, looting goods": a clause of its own, not a weapon
        head = hit.root.head
        if head == principal.root or (
            head.dep_ == "prep" and head.lower_ in _INSTRUMENT_PREPS
            and head.head == principal.root
        ):  # fmt: skip
            return hit
    return principal


def _separate_clause(hit: Hit, chosen: Sequence[Hit]) -> bool:
    """A verb of its own joined to the main one ("recaptured X and shelled Y"), or an
    event noun carried by such a verb ("recaptured X and launched an offensive on Y")."""
    root = _clause_verb(hit.root)
    if root.pos_ != "VERB":
        return False
    return all(
        c.root.pos_ == "VERB" and (root.head == c.root or c.root.head == root)
        and root.dep_ in ("conj", "ROOT") and c.root.dep_ in ("conj", "ROOT")
        for c in chosen
    )  # fmt: skip


def _clause_verb(root: Token) -> Token:
    """The verb that carries an event noun ("launched an offensive"), else the trigger."""
    if root.dep_ == "dobj" and root.head.lemma_.lower() in load_rules().light_verbs:
        return root.head
    return root


def _settle_sub_event(
    hit: Hit, roles: Roles, sent: Span, cues: Cues, following: Span | None
) -> str | None:
    """The trigger's sub-event once the sentence's roles are known; None drops it."""
    trigger = hit.trigger
    kind = trigger.kind
    if kind in _GENERIC_KINDS:
        return _violence_type(hit, roles, sent, cues)
    if kind == "territory":
        return _territory_type(hit, roles)
    if kind == "announcement":
        return "Non-state actor overtakes territory" if _non_state(roles.inter1) else (
            "Government regains territory")  # fmt: skip
    if kind == "arrest":
        if _killed_with(hit.root) and not _fought_words(hit.root, roles).isdisjoint(
            cues.armed_targets
        ):
            return "Armed clash"  # "killing and arresting 50 fighters": a fight, not a raid
        return _ABDUCTION if _non_state(roles.inter1) else "Arrests"
    if kind == "protest":
        return _protest_type(sent, following)
    if kind == "withdrawal":
        if trigger.place_object and not _object_is_place(hit.root, sent, cues):
            return None
        return trigger.sub_event_type if roles.place_object else None
    return trigger.sub_event_type


_KILL_LEMMAS = frozenset({"kill", "slay", "shoot", "eliminate", "neutralize", "neutralise"})


def _killed_with(verb: Token) -> bool:
    """The arrest verb is joined to a verb of killing ("killing and arresting")."""
    joined = [c for c in verb.children if c.dep_ == "conj"]
    if verb.dep_ == "conj":
        joined.append(verb.head)
    return any(j.lemma_.lower() in _KILL_LEMMAS for j in joined)


def _fought_words(verb: Token, roles: Roles) -> frozenset[str]:
    """Who was killed and arrested: the patient, or the object the joined verbs share."""
    joined = [verb, *(c for c in verb.children if c.dep_ == "conj")]
    if verb.dep_ == "conj":
        joined.append(verb.head)
    shared = {
        t.lemma_.lower() for j in joined for o in j.children if o.dep_ == "dobj" for t in o.subtree
    }
    return roles.patient_words | shared


def _refers_back(hit: Hit) -> bool:
    """A trigger noun named as a happening already known: "the attack", "Saturday's
    attack", "this bombing"."""
    root = hit.root
    if root.pos_ not in ("NOUN", "PROPN") or root.tag_ in ("NNS", "NNPS"):
        return False
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in root.children):
        return False  # "the beheading of a policeman": a new happening, described in full
    return any(
        (c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS)
        or (c.dep_ == "poss" and (c.ent_type_ in ("DATE", "TIME") or c.lower_ in ("its", "their")))
        for c in root.children
    )


def _names_place_anaphorically(hit: Hit, cues: Cues) -> bool:
    """The sentence places the event by a definite place noun ("on the enclave")."""
    return any(
        token.lower_ in cues.place_words and token.dep_ in ("pobj", "dobj")
        and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children)
        for token in hit.sent
    )  # fmt: skip


def _focus_place(before: Sequence[Span], hit: Hit, cues: Cues) -> Location | None:
    """The place the report has named most often so far (the first of equals)."""
    doc = hit.sent.doc
    counts: dict[str, int] = {}
    first: dict[str, Span] = {}
    for sent in before:
        for place in _place_spans(doc, sent):
            key = place.text.lower()
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, place)
    if not counts:
        return None
    best = max(counts, key=lambda k: (counts[k], -first[k].start))
    if counts[best] < 2:
        return None
    place = first[best]
    return Location(
        name=place.text, start=place.start_char, end=place.end_char, near=_is_near(place, cues)
    )


def _object_is_place(verb: Token, sent: Span, cues: Cues) -> bool:
    """The verb's direct object is a place: a place name, or a place noun ("the town")."""
    places = _place_spans(sent.doc, sent)
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        if obj.lower_ in cues.place_words or obj.lemma_.lower() in cues.place_words:
            return True
        if any(p.start <= obj.i < p.end for p in places):
            return True
    return False


def _non_state(inter: int | None) -> bool:
    return inter in (2, 3, 4)


def _violence_type(hit: Hit, roles: Roles, sent: Span, cues: Cues) -> str:
    """ACLED: violence against armed people who can fight back is a clash; against
    civilians an attack. The patient decides; failing that, the whole sentence. A
    beheading or an execution is done to someone who cannot fight back: an attack on
    whoever it is done to."""
    if hit.root.lower_ in cues.defenceless_triggers or hit.root.lemma_.lower() in (
        cues.defenceless_triggers
    ):
        return "Attack"
    if roles.inter2 == 7:
        return "Attack"
    if roles.inter2 in (1, 2, 3, 4, 8):
        return "Armed clash"
    for words in (roles.patient_words, frozenset(t.lemma_.lower() for t in sent)):
        armed = not words.isdisjoint(cues.armed_targets)
        civilian = not words.isdisjoint(cues.civilian_targets)
        if armed != civilian:
            return "Armed clash" if armed else "Attack"
    return "Attack"


_ABDUCTION = "Abduction/forced disappearance"


def _territory_type(hit: Hit, roles: Roles) -> str | None:
    if roles.person_object:
        hostages = not roles.patient_words.isdisjoint(load_cues().hostage_words)
        return _ABDUCTION if hostages or _non_state(roles.inter1) else "Arrests"
    if roles.weapon_object:
        return "Disrupted weapons use"
    if not roles.place_object:
        return None
    if roles.inter1 == 1 or roles.inter1 == 8:
        return "Government regains territory"
    if _non_state(roles.inter1):
        return "Non-state actor overtakes territory"
    return hit.trigger.sub_event_type


def _protest_type(sent: Span, following: Span | None) -> str:
    """Police action against a protest is often told in the sentence after it."""
    tokens = list(sent) + (list(following) if following is not None else [])
    lemmas = {t.lemma_.lower() for t in tokens}
    if lemmas & {"riot", "rioter", "torch", "burn", "stone", "storm", "vandalize", "clash"}:
        return "Violent demonstration"
    force = lemmas & {"kill", "shoot", "live"}
    if force and lemmas & {"police", "force", "security", "troop", "soldier"}:
        return "Excessive force against protesters"
    if lemmas & {"disperse", "tear", "teargas", "arrest", "detain", "baton", "beat", "intervene"}:
        return "Protest with intervention"
    return "Peaceful protest"


# -- where and when -----------------------------------------------------------------


# A best place scoring this low is a name used as an adjective ("US-led") or for a
# government ("talks with Damascus"), or inside an actor's name: the sentence names none.
_NOT_A_PLACE = -3


def _place_spans(doc: Doc, sent: Span) -> list[Span]:
    return spans_within(doc, "places", sent.start, sent.end)


def _location(hit: Hit, sent: Span, cues: Cues) -> Location | None:
    places = _place_spans(sent.doc, sent)
    if not places:
        return None
    actors = doc_spans(sent.doc, "actors")
    scores = {p.start: _place_score(p, hit, actors, cues) for p in places}
    for place in places:
        if any(_contains(place, other) for other in places if other.end <= place.start):
            scores[place.start] -= 2  # "Ftireh town in Idleb countryside": Idleb holds it
    best = min(places, key=lambda p: (-scores[p.start], p.start))
    if scores[best.start] <= _NOT_A_PLACE:
        return None  # only names used as adjectives or for governments: no place stated
    return Location(
        name=best.text, start=best.start_char, end=best.end_char, near=_is_near(best, cues)
    )


def _place_score(place: Span, hit: Hit, actors: Iterable[Span], cues: Cues) -> int:
    if any(a.start <= place.start and place.end <= a.end for a in actors):
        return _NOT_A_PLACE - 3  # "the Iraqi army in Anbar": a name inside an actor's
    if _is_hyphen_modifier(place):
        return _NOT_A_PLACE - 3  # "the US-led coalition": a name inside an adjective
    if _is_speakers_setting(place.root, hit.root, cues):
        return _NOT_A_PLACE - 3  # "speaking at the White House, he said...": not the event's
    if _in_planned_event(place.root, hit.root):
        return _NOT_A_PLACE - 3  # "arrested militants planning attacks on Baghdad": a target
    score = 0
    root = place.root
    governing = root.head
    if governing.lower_ == "of" and governing.head.lower_ in direction_words():
        score -= 2  # "north of Baghdad": a bearing from a reference point, not the place
    if governing.lower_ in cues.metonymy_preps or root.dep_ in ("nsubj", "nsubjpass"):
        score -= 3  # "a deal with Damascus", "Ankara said": the government, not a place
    elif governing.lower_ in cues.place_preps:
        score += 2
        if governing.lower_ == "from":
            score -= 2
    trigger_root = hit.root
    if _is_ancestor(trigger_root, root) or _is_ancestor(trigger_root.head, root):
        score += 3
    if root.head.i == trigger_root.i or (
        root.head.dep_ == "prep" and root.head.head.i == trigger_root.i
    ):
        score += 2  # the trigger's own argument ("recaptured Rawa, a town on the Euphrates")
    if place.start >= hit.span.start:
        score += 1
    return score


def _in_planned_event(place: Token, trigger: Token) -> bool:
    """Whether ``place`` is an argument of another event word, between it and the
    trigger, that someone is told to be plotting ("planning attacks on Baghdad")."""
    rules = load_rules()
    for ancestor in place.ancestors:
        if ancestor.i == trigger.i:
            return False
        if ancestor.lemma_.lower() not in rules.event_heads:
            continue
        plotters = [
            ancestor.head,
            *(c for c in ancestor.children if c.dep_ in ("compound", "amod")),
        ]
        if any(
            t.lower_ in rules.plot_heads or t.lemma_.lower() in rules.plot_heads for t in plotters
        ):
            return True
    return False


# What may stand between a place and the larger place that holds it: "Kafr X village
# in the Y district of Z province", "X (Y)", "X, Y".
_CONTAINER_LINKS = frozenset({"in", "of", "near", "the", ",", "(", ")", "-", "'s", "’s"})


def _contains(outer: Span, inner: Span) -> bool:
    """Whether ``outer`` is named as the larger place holding ``inner`` (which comes
    first): only place words and links lie between them."""
    between = outer.doc[inner.end : outer.start]
    if not between or len(between) > 6:
        return False
    words = place_words()
    if not any(t.lower_ in ("in", "of", "(", ",") for t in between):
        return False
    return all(t.lower_ in _CONTAINER_LINKS or t.lower_ in words for t in between)


def _is_hyphen_modifier(place: Span) -> bool:
    doc = place.doc
    return (
        place.end + 1 < len(doc)
        and doc[place.end].text == "-"
        and not doc[place.end - 1].whitespace_
    )


def _is_speakers_setting(place: Token, trigger: Token, cues: Cues) -> bool:
    """The first verb above the place is a reporting verb ("told reporters at the
    Pentagon that..."), or a clause hung on one ("Speaking at the White House, he
    said..."), not the event's trigger: the setting of a statement."""
    above = [a for a in place.ancestors if a.i == trigger.i or a.pos_ in ("VERB", "AUX")]
    verb = above[0] if above else None  # "claimed an attack in X": the attack's place
    if verb is None or verb.i == trigger.i:
        return False
    if verb.lemma_ in cues.report_verbs:
        return True
    return verb.dep_ == "advcl" and verb.head.lemma_ in cues.report_verbs


def _is_ancestor(ancestor: Token, token: Token) -> bool:
    return any(a == ancestor for a in token.ancestors)


def _is_near(place: Span, cues: Cues) -> bool:
    token = place.root
    for ancestor in list(token.ancestors)[:3]:
        if ancestor.lower_ in cues.near_cues and ancestor.lower_ not in ("of",):
            return True
    right = place.doc[place.end] if place.end < len(place.doc) else None
    return right is not None and right.lower_ in ("area", "countryside", "outskirts", "vicinity")


def _fallback_date(
    *, anchor: str | None, approximate: bool, previous: DateRange | None
) -> DateRange:  # an undated report's window says when it was written, not when this was
    """The date of a sentence that states none: the last one stated just before it, or
    else the week before a known publication date (what a news report most often means)."""
    if previous is not None:
        return previous
    if anchor is None or approximate:
        return DateRange.unknown()
    end = date.fromisoformat(anchor)
    return DateRange(
        start=(end - timedelta(days=6)).isoformat(), end=anchor, precision="week",
        approximate=True,
    )  # fmt: skip


# -- putting it together -----------------------------------------------------------


def extract_events(
    doc: Doc,
    *,
    doc_id: str,
    anchor: str | None = None,
    approximate: bool = False,
    latest: str | None = None,
) -> list[Event]:
    """Every asserted event of ``doc``, in text order.

    ``anchor`` is the date relative expressions count from: the publication date, or,
    with ``approximate`` set, the start of an undated report's window, whose end is
    ``latest`` (a relative date then means every date it can for a report written in
    that window)."""
    cues = load_cues()
    sentences = list(doc.sents)
    predictions = _predictions(sentences)
    triggered = find_hits(doc, sentences)
    hits = [hit for hit in triggered if is_asserted(hit, cues)]
    # A sentence the rules judged to tell no happening is not the model's to fill either.
    reasons = {hit.span.start: non_eventive(hit.span) for hit in triggered}
    judged = {hit.sent.start for hit in triggered if reasons[hit.span.start] in SENTENCE_REASONS}
    tallied: dict[int, frozenset[int]] = {}
    for hit in triggered:
        if reasons[hit.span.start] == "tally":
            tallied[hit.sent.start] = tallied.get(hit.sent.start, frozenset()) | {hit.root.i}
    covered = {hit.sent.start for hit in hits} | judged
    hits += _model_hits(sentences, predictions, covered, cues)
    by_sentence: dict[int, list[Hit]] = {}
    for hit in hits:
        by_sentence.setdefault(hit.sent.start, []).append(hit)
    paragraph_starts = _paragraph_starts(doc_text(doc), sentences)
    dates = _SentenceDates(sentences, paragraph_starts, anchor, approximate, latest)
    events: list[Event] = []
    # Events told as already past by a dated statement or a toll: their date bounds them.
    told_past: set[str] = set()
    # Events named as one already told ("Saturday's attack", "the bombing").
    told_before: set[str] = set()
    last: tuple[int, Event] | None = None
    in_past_frame = False
    for index, sent in enumerate(sentences):
        if index == 0 or index in paragraph_starts:
            in_past_frame = opens_past_frame(sent)
        sentence_hits = by_sentence.get(sent.start)
        if not sentence_hits or in_past_frame:
            continue
        stated_when = dates.of(index)
        landmark_day = None if stated_when else _attack_landmark_day(sent, latest or anchor)
        if landmark_day is not None:
            when = landmark_day  # "the Easter attacks in Sri Lanka", told with no date
        else:
            when = stated_when or _fallback_date(
                anchor=anchor, approximate=approximate, previous=dates.before(index)
            )
            when = _on_landmark(when, sent, latest or anchor)
        if is_history(when, sent, anchor=anchor):
            continue  # background: dated long before the report was written
        sentence_hits = [h for h in sentence_hits if not is_conceded(h.root, when, anchor)]
        if not sentence_hits:
            continue
        following = sentences[index + 1] if index + 1 < len(sentences) else None
        stated = dates.stated(index)
        found = _sentence_events(
            doc_id, sent, sentence_hits, when, cues, following, by_sentence, len(events),
            predictions.get(sent.start), tallied.get(sent.start, frozenset()), stated,
        )  # fmt: skip
        statement = dated_by_statement(sent)
        for event, hit in found:
            event = _typed_by_landmark(event, sent)
            if statement or (hit.trigger.kind == "casualty" and tells_toll(sent.text)):
                told_past.add(event.id)
            if _refers_back(hit):
                told_before.add(event.id)
            if event.location is None and _names_place_anaphorically(hit, cues):
                # "opened its final offensive on the enclave": the place the report is
                # about, not whatever the sentence before named.
                event = replace(event, location=_focus_place(sentences[:index], hit, cues))
            elif event.location is None and index > 0 and index not in paragraph_starts:
                # "Police were told of a car bomb in al-Tarmiyah. On checking the car,
                # gunmen shot seven policemen": the sentence before set the scene.
                event = replace(event, location=_location(hit, sentences[index - 1], cues))
            if (
                last is not None
                and _continues(hit, index - last[0], paragraph_starts, index)
                and not (event.actor1 and events[-1].actor1 and event.actor1 != events[-1].actor1)
            ):  # "... were killed in police firing" after the mob's attack: the police's
                merged = _merge_into(events[-1], event, sent)
                events[-1] = merged
                last = (index, merged)
                continue
            events.append(event)
            last = (index, event)
    happenings = merge_one_happening(
        events, [sent.start_char for sent in sentences], told_past=frozenset(told_past),
        told_before=frozenset(told_before),
    )  # fmt: skip
    return _with_mentions(happenings, triggered)


def _with_mentions(events: list[Event], triggered: Sequence[Hit]) -> list[Event]:
    """Sentences that only name a violent happening already told ("He said no group had
    claimed the explosion", "After the blast, ...") are evidence of the last such event
    told before them, not events of their own nor lost."""
    told = {span for event in events for span in (event.span, *event.evidence)}
    out = list(events)
    for hit in sorted(triggered, key=lambda h: h.span.start):
        sent = hit.sent
        where = (sent.start_char, sent.end_char)
        if where in told or not _violent(hit.trigger.sub_event_type) or not _bare_mention(hit):
            continue
        target = next(
            (
                i for i in range(len(out) - 1, -1, -1)
                if out[i].span[0] < where[0] and _violent(out[i].sub_event_type)
            ),
            None,
        )  # fmt: skip
        if target is None:
            continue
        out[target] = replace(out[target], evidence=(*out[target].evidence, where))
        told.add(where)
    return out


def _bare_mention(hit: Hit) -> bool:
    """A happening named only as one already known: "the explosion", "this attack",
    "Saturday's blast" — not "the 2015 attacks", "the Paris attack", "the attack on the
    market" (a happening described, perhaps another)."""
    root = hit.root
    plural_back = root.tag_ in ("NNS", "NNPS") and any(
        c.dep_ == "det" and c.lower_ in ("these", "those") for c in root.children
    )  # "in the light of these attacks"
    if not (_refers_back(hit) or plural_back):
        return False
    described = {"prep", "compound", "amod", "nummod", "appos", "acl", "relcl"}
    return not any(
        c.dep_ in described
        and (c.dep_ != "prep" or c.lower_ in ("on", "in", "at", "against"))
        # "these deadly attacks" is a mention; "the 2015 attack", "the French raid" not
        and (c.dep_ != "amod" or c.pos_ == "PROPN" or bool(c.ent_type_))
        for c in root.children
    )


# Sub-event types a general word gives ("attacks", "bombings") that a landmark's stated
# method makes precise.
_GENERAL_ATTACKS = frozenset({"Attack", "Armed clash", "Remote explosive/landmine/IED"})


def _typed_by_landmark(event: Event, sent: Span) -> Event:
    """ "the Easter attacks in Sri Lanka": a landmark whose source states its method (the
    suicide bombings of 21 April 2019) types the event the sentence tells of it, when
    the event is dated to that day."""
    if event.sub_event_type not in _GENERAL_ATTACKS or event.date.start is None:
        return event
    methods = {
        method
        for day, method in landmarks_told(sent.text)
        if method and day.isoformat() == event.date.start[:10]
    }
    if len(methods) != 1:
        return event
    (method,) = methods
    return replace(event, sub_event_type=method, event_type=event_type_of(method))


def _landmark_day(sent: Span, written_by: str | None) -> DateRange | None:
    """The day of the one landmark ``sent`` tells as its own news, if that is not after
    ``written_by`` (the latest the report can have been written)."""
    told = {
        d for d in landmark_dates_told(sent.text) if not written_by or d.isoformat() <= written_by
    }
    if len(told) != 1:
        return None
    (day,) = told
    return DateRange(start=day.isoformat(), end=day.isoformat(), precision="day", approximate=True)


def _attack_landmark_day(sent: Span, written_by: str | None) -> DateRange | None:
    """The day of the one named attack (a landmark whose method its source states)
    ``sent`` tells as its own news: a report's "the Easter attacks in Sri Lanka" happened
    then, not in the week before the report. Other landmarks are named too loosely
    ("the caliphate crumbled") to date a sentence of a dated report."""
    told = {
        day
        for day, method in landmarks_told(sent.text)
        if method and (not written_by or day.isoformat() <= written_by)
    }
    if len(told) != 1:
        return None
    (day,) = told
    return DateRange(start=day.isoformat(), end=day.isoformat(), precision="day", approximate=True)


def _on_landmark(when: DateRange, sent: Span, written_by: str | None = None) -> DateRange:
    """An undated report's wide range narrowed to the day of the landmark the sentence
    tells ("at the end of last March the SDF took Baghouz": 23 March 2019), when that
    day lies in the range and no other landmark's does; a sentence that states no date
    but tells one landmark ("the Easter attacks in Sri Lanka") takes its day, if that
    is not after ``written_by`` (the latest the report can have been written)."""
    if when.start is None:
        return _landmark_day(sent, written_by) or when
    if not when.approximate or when.end is None:
        return when
    if when.precision in ("day", "week"):
        return when
    told = landmark_dates_told(sent.text)
    inside = {day for day in told if when.start <= day.isoformat() <= when.end}
    if len(inside) != 1:
        return when
    (day,) = inside
    iso = day.isoformat()
    return DateRange(start=iso, end=iso, precision="day", approximate=True)


def _paragraph_starts(text: str, sentences: Sequence[Span]) -> set[int]:
    """Indices of the sentences that open a paragraph (a line break before them)."""
    # spaCy may keep the line break inside the sentence before: look at what ends it.
    return {
        i for i in range(1, len(sentences))
        if text[sentences[i - 1].start_char : sentences[i].start_char].rstrip(" \t").endswith("\n")
    }  # fmt: skip


class _SentenceDates:
    """Each sentence's stated date, read only for the sentences that need one (those
    with events and the few before them): date parsing is the costliest step."""

    def __init__(
        self, sentences: Sequence[Span], paragraph_starts: set[int], anchor: str | None,
        approximate: bool, latest: str | None = None,
    ) -> None:  # fmt: skip
        self._sentences = sentences
        self._paragraph_starts = paragraph_starts
        self._anchor = anchor
        self._approximate = approximate
        self._latest = latest
        self._dates: dict[int, DateRange | None] = {}
        self._stated: dict[int, list[tuple[int, int, DateRange]]] = {}

    def of(self, index: int, depth: int = 0) -> DateRange | None:
        if index not in self._dates:
            # "It came on the same night that ...": a date told in the paragraph before
            # is what such a sentence refers to, though it does not date a bare one.
            # The sentences before are read for their own dates only a few deep: a long
            # paragraph with no date must not walk back through the whole document.
            previous = None
            if depth < _DATE_CONTEXT_DEPTH:
                previous = self.before(index, depth + 1) or self._last_told(index)
            stated = sentence_dates(
                self._sentences[index], anchor=self._anchor, approximate=self._approximate,
                previous=previous, latest=self._latest,
            )  # fmt: skip
            self._stated[index] = [d for d in stated if d[2].precision != "unknown"]
            self._dates[index] = self._stated[index][0][2] if self._stated[index] else None
        return self._dates[index]

    def stated(self, index: int) -> list[tuple[int, int, DateRange]]:
        """Every date the sentence states, with its character offsets."""
        self.of(index)
        return self._stated[index]

    def _last_told(self, index: int) -> DateRange | None:
        """The last date already read in the sentences just before, across paragraphs
        (only those read: reading more would walk back through the whole document)."""
        for earlier in range(index - 1, max(-1, index - 1 - 2 * _LOOKBACK_SENTENCES), -1):
            when = self._dates.get(earlier)
            if when is not None:
                return when
        return None

    def before(self, index: int, depth: int = 0) -> DateRange | None:
        """The last date stated in the few sentences before, within the same paragraph."""
        for earlier in range(index - 1, max(-1, index - 1 - _LOOKBACK_SENTENCES), -1):
            if earlier + 1 in self._paragraph_starts:
                return None
            when = self.of(earlier, depth)
            if when is not None:
                return when
        return None


_ANAPHORIC_DETS = frozenset({"the", "this", "that", "these", "those"})


def _continues(hit: Hit, distance: int, paragraph_starts: set[int], index: int) -> bool:
    """Whether a sentence goes on telling the event before it ("The blast killed five.",
    "IS claimed the attack.") rather than a new one: a trigger noun with a definite
    article, or only a casualty verb, one or two sentences on, in the same paragraph."""
    if distance > 2 or any(index - d in paragraph_starts for d in range(distance)):
        return False
    root = hit.root
    definite = root.pos_ in ("NOUN", "PROPN") and any(
        child.dep_ in ("det", "poss") and child.lower_ in _ANAPHORIC_DETS for child in root.children
    )
    return definite or hit.trigger.kind == "casualty"


def _merge_into(first: Event, more: Event, sent: Span) -> Event:
    """Fill what the first telling left open; counts keep the first figure given."""
    claimer = _claimant(sent)
    actor1 = first.actor1 or more.actor1
    actor1_text, inter1 = (first.actor1_text, first.inter1) if first.actor1 else (
        more.actor1_text, more.inter1)  # fmt: skip
    if claimer is not None and (first.actor1 is None or _generic_actor(first.actor1)):
        actor1, actor1_text, inter1 = claimer
    actor2, actor2_text, inter2 = _other_side(
        actor1,
        (first.actor2, first.actor2_text, first.inter2),
        (more.actor2, more.actor2_text, more.inter2),
    )
    return replace(
        first,
        actor1=actor1, actor1_text=actor1_text, inter1=inter1,
        actor2=actor2, actor2_text=actor2_text, inter2=inter2,
        location=first.location or more.location,
        fatalities=_first_count(first.fatalities, more.fatalities),
        wounded=_first_count(first.wounded, more.wounded),
        arrested=_first_count(first.arrested, more.arrested),
        kidnapped=_first_count(first.kidnapped, more.kidnapped),
        evidence=(*first.evidence, more.span, *more.evidence),
    )  # fmt: skip


def _first_count(first: int | None, more: int | None) -> int | None:
    return first if first is not None else more


def _generic_actor(canonical: str) -> bool:
    """An actor named only by its kind ("gunmen"), which a claim of the event replaces."""
    try:
        return actor_info(canonical).generic
    except KeyError:
        return False


_Side = tuple[str | None, str | None, int | None]


def _other_side(actor1: str | None, *candidates: _Side) -> _Side:
    """The first actor2 given that is not actor1: an actor never faces itself."""
    for candidate in candidates:
        if candidate[0] is not None and candidate[0] != actor1:
            return candidate
    return None, None, None


def _claimant(sent: Span) -> tuple[str, str, int | None] | None:
    """The actor that claimed the event in this sentence or is held responsible for it
    ("IS later claimed responsibility", "the FMLN is responsible for these attacks",
    "attributed the attack to X": ``roles.responsible_actor``)."""
    return responsible_actor(sent)


# How many sentences after an event a claim of responsibility may follow it.
_CLAIM_LOOKAHEAD = 2


def _acting(roles: Roles, sent: Span, sub: str | None = None) -> Roles:
    """Who acted: a claimant replaces an unknown or generic actor1 ("at least eight
    soldiers were killed in a car bombing. IS later claimed responsibility"), from this
    sentence or the next two in the same paragraph, else, for violence nobody is named
    for, the one actor the document holds responsible; actor2 is never actor1."""
    claimer = None
    if roles.actor1 is None or _generic_actor(roles.actor1):
        claimer = _claimant(sent) or _later_claimant(sent)
    if claimer is None and roles.actor1 in (None, _UNIDENTIFIED) and _violent(sub):
        claimer = document_claimant(sent.doc)
    if claimer is not None and claimer[0] == roles.actor2:
        claimer = None  # the group held responsible is this event's target
    if claimer is not None and claimer[0] != roles.actor1:
        roles = replace(roles, actor1=claimer[0], actor1_text=claimer[1], inter1=claimer[2])
    if roles.actor2 is not None and roles.actor2 == roles.actor1:
        roles = replace(roles, actor2=None, actor2_text=None, inter2=None)
    return roles


# Pronouns that stand for a force or group named just before ("they opened fire").
_GROUP_PRONOUNS = frozenset({"they", "it", "we"})
# How many sentences back such a pronoun may reach, within the paragraph.
_PRONOUN_REACH = 2


def _seen_doing(hit: Hit, patient: str | None) -> tuple[bool, Span | None]:
    """ "We also saw them attacking shepherds": the one seen doing the act is its doer
    (a pronoun: the last armed actor named before it), never who saw it. Returns whether
    the trigger is told so, and the doer if it can be named."""
    root = hit.root
    verb = root.head
    if root.dep_ not in ("advcl", "xcomp", "ccomp", "acl") or verb.i == root.i:
        return False, None
    if verb.lemma_.lower() not in load_cues().perception_verbs:
        return False, None
    seen = [c for c in verb.children if c.dep_ == "dobj"]
    seen = seen or [c for c in root.children if c.dep_ == "nsubj"]  # "saw [them attacking]"
    if not seen:
        return False, None
    doc = hit.sent.doc
    actors = [a for a in doc.spans.get("actors", []) if inter_of(a) not in (None, 7)]
    named = next((a for a in actors if a.start <= seen[0].i < a.end), None)
    if named is not None:
        return True, named if named.kb_id_ != patient else None
    if seen[0].lower_ not in ("them", "him", "it"):
        return False, None
    reach = max(0, hit.sent.start - 80)
    before = [a for a in actors if reach <= a.start and a.end <= seen[0].i]
    before = [a for a in before if a.kb_id_ != patient]
    return True, before[-1] if before else None


def _pronoun_doer(hit: Hit, patient: str | None) -> Span | None:
    """ "Police used tear gas. They opened fire to disperse the mob.": a pronoun subject
    of the trigger (or of the verb that carries a trigger noun) stands for the last
    armed actor named as a subject in the sentences just before, in the same paragraph."""
    root = hit.root
    verb = root if root.pos_ in ("VERB", "AUX") else root.head
    pronoun = next(
        (c for c in verb.children if c.dep_ == "nsubj" and c.lower_ in _GROUP_PRONOUNS), None
    )
    if pronoun is None:
        return None
    doc = hit.sent.doc
    earlier: list[Span] = [  # "Syria's army announced that it had recaptured the city"
        a for a in doc.spans.get("actors", [])
        if hit.sent.start <= a.start and a.end <= pronoun.i and a.root.dep_ == "nsubj"
        and inter_of(a) not in (None, 7) and a.kb_id_ != patient
    ]  # fmt: skip
    if earlier:
        return earlier[-1]
    start = hit.sent.start
    for _ in range(_PRONOUN_REACH):
        if start == 0 or "\n\n" in doc[start - 1].text_with_ws:
            return None
        previous = doc[start - 1].sent
        subjects: list[Span] = [
            a for a in doc.spans.get("actors", [])
            if previous.start <= a.start and a.end <= previous.end
            and a.root.dep_ in ("nsubj", "nsubjpass", "agent", "pobj")
            and inter_of(a) not in (None, 7) and a.kb_id_ != patient
        ]  # fmt: skip
        if subjects:
            return subjects[-1]
        start = previous.start
    return None


# Violence whose doer a clause about how it went may name.
_VIOLENCE_BY_TARGET = frozenset({"Attack", "Armed clash"})


def _sole_armed_subject(hit: Hit, patient: str | None) -> Span | None:
    """The one armed actor that is the subject of a clause under the verb that tells the
    event ("the assault on the prison began at dusk, when IS fighters drove car bombs at
    the gate"): with no agent of its own, the event is theirs. None when several could be."""
    sent = hit.sent
    governing = next(
        (t for t in (hit.root, *hit.root.ancestors) if t.pos_ in ("VERB", "AUX")), None
    )
    if governing is None:
        return None
    below = {t.i for t in governing.subtree}
    found = {
        a.kb_id_: a for a in sent.doc.spans.get("actors", [])
        if sent.start <= a.start and a.end <= sent.end and a.root.dep_ == "nsubj"
        and a.root.head.i in below and a.root.head.i != governing.i
        and inter_of(a) not in (None, 7) and a.kb_id_ != patient
        and a.root.head.lemma_.lower() not in load_cues().report_verbs
        and not _coordinated_under(a.root.head, governing)
        # Police named in a clause under the killing respond to it ("as police struggled
        # to restore order"): with no agent of its own, an attack is not theirs.
        and _kind_of(a.kb_id_) != "police"
    }  # fmt: skip
    return next(iter(found.values())) if len(found) == 1 else None


def _kind_of(canonical: str) -> str | None:
    try:
        return actor_info(canonical).kind
    except KeyError:
        return None


def _coordinated_under(verb: Token, governing: Token) -> bool:
    """Whether ``verb``'s clause is joined to ``governing``'s as an act of its own ("two
    men were stabbed and police acted to arrest a suspect"), not under it ("... began
    when IS fighters drove car bombs at the gate")."""
    token = verb
    while token.head.i != governing.i and token.head.i != token.i:
        token = token.head
    return token.dep_ == "conj"


_UNIDENTIFIED = "Unidentified Armed Group"


def _violent(sub: str | None) -> bool:
    return sub is not None and event_type_of(sub) in (
        "Battles", "Explosions/Remote violence", "Violence against civilians"
    )  # fmt: skip


def _later_claimant(sent: Span) -> tuple[str, str, int | None] | None:
    doc = sent.doc
    end = sent.end
    for _ in range(_CLAIM_LOOKAHEAD):
        if end >= len(doc):
            return None
        nxt = doc[end].sent
        if "\n\n" in doc_text(doc)[doc[end - 1].idx : nxt.start_char]:
            return None  # a new paragraph
        claimer = _claimant(nxt)
        if claimer is not None:
            return claimer
        end = nxt.end
    return None


def _own_date(hit: Hit, stated: Sequence[tuple[int, int, DateRange]]) -> DateRange | None:
    """A date stated inside the trigger's own phrase or clause, when the sentence's first
    date lies outside it ("last week a group claimed an attack that killed several
    policemen on 20 October": the attack's day, not the claim's)."""
    if len(stated) < 2:
        return None
    doc = hit.sent.doc
    own = {t.idx for t in hit.root.subtree}
    inside = [when for start, _end, when in stated if _token_at(doc, start) in own]
    first_start = stated[0][0]
    if not inside or _token_at(doc, first_start) in own:
        return None
    return inside[0]


def _token_at(doc: Doc, char: int) -> int:
    """The character offset of the token that holds ``char``."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0].idx if span is not None and len(span) else char


# Verbs of saying and publishing: a date on them dates the statement.
_STATEMENT_VERBS = frozenset({"release", "publish", "issue", "brief"})


def dated_by_statement(sent: Span) -> bool:
    """Whether the sentence's date dates a statement about a happening it tells as
    already past ("told reporters on 30 October that two children had died", "in a
    final toll released on 31 January, 121 had been killed"): that day bounds the
    happening from above, and it may be one told before."""
    if not any(t.tag_ == "VBN" and any(c.lower_ == "had" for c in t.children) for t in sent):
        return False
    dates = [e for e in span_entities(sent) if e.label_ == "DATE"]
    if not dates:
        return False
    verb = next((a for a in dates[0].root.ancestors if a.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return False
    lemma = verb.lemma_.lower()
    return lemma in load_cues().report_verbs or lemma in _STATEMENT_VERBS


def _sentence_events(
    doc_id: str,
    sent: Span,
    hits: Sequence[Hit],
    when: DateRange,
    cues: Cues,
    following: Span | None,
    by_sentence: dict[int, list[Hit]],
    offset: int,
    prediction: Prediction | None = None,
    tallied: frozenset[int] = frozenset(),
    stated: Sequence[tuple[int, int, DateRange]] = (),
) -> list[tuple[Event, Hit]]:
    # A count that belongs to a tally ("139 attacks, in which 274 people were killed")
    # is the tally's, not the one happening the same sentence tells.
    counts = casualties(sent, exclude=tallied | {hit.root.i for hit in hits if _generic(hit, when)})
    borrow = following is not None and following.start not in by_sentence
    events: list[tuple[Event, Hit]] = []
    # A statement about many events ("its attacks are rising") makes none, and does not
    # hide the one happening the same sentence tells ("... and car bombs exploded in X").
    specific = [hit for hit in hits if not _generic(hit, when)]
    chosen = _principal_hits(specific, cues)
    chosen += _killings_by_others(specific, chosen, sent)
    # A killing told with its own doer counts only its own dead.
    apart = {
        hit.root.i for hit in chosen if hit.trigger.kind == "casualty" and hit is not chosen[0]
    }
    if apart:
        counts = casualties(sent, exclude=tallied | apart)
    for hit in sorted(chosen, key=lambda h: h.span.start):
        roles = find_roles(hit.root, sent)
        settled = _settle_sub_event(hit, roles, sent, cues, following)
        # The model reads the whole sentence: its label is the main event's, not another's.
        # Triggers of the sentence set aside as no event of it (conceded: "although
        # police arrested five men, ..."): the model reads them all the same.
        others = frozenset(
            h.trigger.sub_event_type for h in by_sentence.get(sent.start, ()) if h not in hits
        )
        sub = _reconcile(settled, hit, prediction if hit is chosen[0] else None, roles, others)
        if sub is None:
            continue
        location = _location(hit, sent, cues)
        event_counts = counts
        if hit.root.i in apart:
            event_counts = casualties(sent, exclude={t.i for t in sent} - {hit.root.i})
        if borrow and following is not None:
            event_counts, location = _borrow(counts, location, following, cues, hit)
        own = _own_date(hit, stated)
        event = _event(
            doc_id, sent, hit, sub, roles, location, own or when, event_counts,
            offset + len(events),
        )  # fmt: skip
        events.append((event, hit))
    return events


def _borrow(
    counts: Casualties, location: Location | None, following: Span, cues: Cues, hit: Hit
) -> tuple[Casualties, Location | None]:
    """Fill what the sentence leaves out from the next one, when that one tells no
    event of its own ("Seven policemen died." after the ambush)."""
    if counts.fatalities is None and counts.wounded is None:
        nxt = casualties(following)
        counts = replace(
            counts,
            fatalities=nxt.fatalities,
            wounded=nxt.wounded,
            arrested=counts.arrested if counts.arrested is not None else nxt.arrested,
            kidnapped=counts.kidnapped if counts.kidnapped is not None else nxt.kidnapped,
        )
    if location is None:
        actors = following.doc.spans.get("actors", [])
        places = [
            p for p in _place_spans(following.doc, following)
            if _place_score(p, hit, actors, cues) > _NOT_A_PLACE
        ]  # fmt: skip
        if places:
            place = places[0]
            location = Location(
                name=place.text, start=place.start_char, end=place.end_char,
                near=_is_near(place, cues),
            )  # fmt: skip
    return counts, location


def _event(
    doc_id: str,
    sent: Span,
    hit: Hit,
    sub: str,
    roles: Roles,
    location: Location | None,
    when: DateRange,
    counts: Casualties,
    index: int,
) -> Event:
    perceived, seen = _seen_doing(hit, roles.actor2)
    if perceived:
        roles = replace(
            roles, actor1=seen.kb_id_ if seen else None, actor1_text=seen.text if seen else None,
            inter1=inter_of(seen) if seen else None,
        )  # fmt: skip
    roles = _acting(roles, sent, sub)
    if roles.actor1 is None:
        doer = _pronoun_doer(hit, roles.actor2)
        if doer is not None:
            roles = replace(roles, actor1=doer.kb_id_, actor1_text=doer.text, inter1=inter_of(doer))
    if roles.actor1 is None and sub in _VIOLENCE_BY_TARGET:
        doer = _sole_armed_subject(hit, roles.actor2)
        if doer is not None:
            roles = replace(roles, actor1=doer.kb_id_, actor1_text=doer.text, inter1=inter_of(doer))
    confidence = 0.5 * hit.trigger.strength + 0.5 * (
        (roles.actor1 is not None) * 0.4 + (location is not None) * 0.3
        + (when.precision != "unknown") * 0.3
    )  # fmt: skip
    if sub == _ABDUCTION and counts.kidnapped is None and counts.arrested is not None:
        # "IS fighters captured two soldiers": people a non-state group takes are
        # kidnapped, whatever verb took them.
        counts = replace(counts, kidnapped=counts.arrested, arrested=None)
    digest = hashlib.sha256(f"{doc_id}:{sent.start_char}:{index}:{sub}".encode()).hexdigest()
    return Event(
        id=digest[:16],
        doc_id=doc_id,
        event_type=event_type_of(sub),
        sub_event_type=sub,
        text=sent.text,
        span=(sent.start_char, sent.end_char),
        actor1=roles.actor1,
        actor1_text=roles.actor1_text,
        actor2=roles.actor2,
        actor2_text=roles.actor2_text,
        inter1=roles.inter1,
        inter2=roles.inter2,
        location=location,
        date=when,
        fatalities=counts.fatalities,
        wounded=counts.wounded,
        arrested=counts.arrested,
        kidnapped=counts.kidnapped,
        confidence=round(min(confidence, 1.0), 3),
    )
