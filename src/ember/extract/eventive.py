"""Does a trigger tell a happening? Analytic and news prose names events it does not
report: as history and time anchors ("five months after the fall of X"), habits and
trends ("frequent attacks", "the number of kidnappings rose"), plans, demands and
capabilities ("demanded the arrest of", "the means to detain them"), conditions,
figures of speech ("rocket fuel on the fire", "a virtual house arrest"), kinds of
things ("an arrest warrant", "riot police") and page furniture ("See also" lists).

Each check reads the dependency parse around one trigger and the word lists of
``data/events/eventive.json`` (each list says there why it drops a trigger).
:func:`non_eventive` returns the name of the first check that drops it, or None."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from spacy.tokens import Span, Token

from ..nlp.text import span_entities
from ..records import DateRange
from .lexicon import load_triggers

__all__ = [
    "CHECKS",
    "SENTENCE_REASONS",
    "EventiveRules",
    "is_conceded",
    "is_history",
    "load_rules",
    "non_eventive",
    "opens_past_frame",
    "told_in_irrealis",
]

_PLURAL = ("NNS", "NNPS")
_PRESENT = ("VBZ", "VBP")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass(frozen=True, slots=True)
class EventiveRules:
    furniture: tuple[re.Pattern[str], ...]
    past_frames: tuple[re.Pattern[str], ...]
    bullet_marks: frozenset[str]
    bullet_limit: int
    event_heads: frozenset[str]
    modifier_deps: frozenset[str]
    non_event_modifiers: frozenset[str]
    modifiers_by_trigger: Mapping[str, frozenset[str]]
    figurative_objects: Mapping[str, frozenset[str]]
    figurative_of: Mapping[str, frozenset[str]]
    figurative_frames: Mapping[str, frozenset[str]]
    idioms: tuple[tuple[str, ...], ...]
    anchor_preps: frozenset[str]
    anchor_frames: frozenset[str]
    response_frames: frozenset[str]
    anchor_with: frozenset[str]
    definite_dets: frozenset[str]
    history_marks: frozenset[str]
    duration_heads: frozenset[str]
    method_heads: frozenset[str]
    frequency_modifiers: frozenset[str]
    present_habitual_adverbs: frozenset[str]
    generic_predicates: frozenset[str]
    generic_links: frozenset[str]
    tally_heads: frozenset[str]
    tally_toll_verbs: frozenset[str]
    trend_verbs: frozenset[str]
    tally_verbs: frozenset[str]
    irrealis_heads: frozenset[str]
    plot_heads: frozenset[str]
    realized_heads: frozenset[str]
    light_verbs: frozenset[str]
    gathering_heads: frozenset[str]
    quantity_dets: frozenset[str]
    negative_subjects: frozenset[str]
    counterfactual_aux: frozenset[str]
    analysis_verbs: frozenset[str]
    anaphor_subjects: frozenset[str]
    reference_verbs: frozenset[str]
    presupposing_participles: frozenset[str]
    kind_heads: frozenset[str]
    kind_of_heads: frozenset[str]
    generic_quantities: frozenset[str]
    habitual_adverbs: frozenset[str]
    habit_spans: frozenset[str]
    concessive_marks: frozenset[str]
    generic_scopes: frozenset[str]
    generic_scope_preps: frozenset[str]
    person_heads: frozenset[str]
    factive_heads: frozenset[str]
    history_days: int
    tally_min_count: int
    tally_min_toll: int
    trigger_words: frozenset[str]


def _words(raw: dict[str, Any], name: str) -> frozenset[str]:
    return frozenset(word.lower() for word in raw[name])


def _by_word(raw: dict[str, Any], name: str) -> dict[str, frozenset[str]]:
    return {key.lower(): frozenset(w.lower() for w in words) for key, words in raw[name].items()}


@cache
def load_rules() -> EventiveRules:
    text = resources.files("ember").joinpath("data/events/eventive.json").read_text("utf-8")
    raw = json.loads(text)
    mapped = ("modifiers_by_trigger", "figurative_objects", "figurative_of", "figurative_frames")
    special = {
        "furniture_patterns", "past_frame_patterns", "bullet_limit", "idioms", "history_days",
        "tally_min_count", "tally_min_toll", *mapped,
    }  # fmt: skip
    lists = {
        name: _words(raw, name) for name in EventiveRules.__slots__
        if name in raw and name not in special
    }  # fmt: skip
    fields: dict[str, Any] = {name: _by_word(raw, name) for name in mapped} | lists
    return EventiveRules(
        furniture=tuple(re.compile(p, re.IGNORECASE) for p in raw["furniture_patterns"]),
        past_frames=tuple(re.compile(p, re.IGNORECASE) for p in raw["past_frame_patterns"]),
        bullet_limit=int(raw["bullet_limit"]),
        idioms=tuple(tuple(w.lower() for w in idiom) for idiom in raw["idioms"]),
        history_days=int(raw["history_days"]),
        tally_min_count=int(raw["tally_min_count"]),
        tally_min_toll=int(raw["tally_min_toll"]),
        trigger_words=frozenset(t.words[0] for t in load_triggers().values() if len(t.words) == 1),
        **fields,
    )


# -- helpers ---------------------------------------------------------------------------


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _phrase_head(token: Token) -> Token:
    """The first of coordinated nouns ("years of siege, shelling and air strikes"), or
    the event noun a trigger modifies ("shelling and air strikes" parsed as one phrase):
    the one whose role in the sentence the others share."""
    rules = load_rules()
    for _ in range(6):
        if token.head.i == token.i:
            break
        if token.dep_ == "conj" or (
            token.dep_ in ("nmod", "compound") and _lemma(token.head) in rules.trigger_words
        ):
            token = token.head
            continue
        break
    return token


def _governing_verb(token: Token) -> Token | None:
    current = token
    for _ in range(8):
        if current.pos_ in ("VERB", "AUX"):
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def _is_definite(noun: Token, rules: EventiveRules) -> bool:
    for child in noun.children:
        if child.dep_ == "det" and child.lower_ in rules.definite_dets:
            return True
        if child.dep_ == "poss":
            return True
        if child.dep_ in ("amod", "compound") and child.lower_ in ("last", "latest", "recent"):
            return True
    return False


def _all_caps(sent: Span) -> bool:
    letters = [c for c in sent.text if c.isalpha()]
    return len(letters) > 20 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "nmod", "compound", "conj"})


def _is_noun(token: Token) -> bool:
    """A noun, or a gerund in a noun's place ("years of shelling")."""
    if token.pos_ in ("NOUN", "PROPN") or token.tag_.startswith("NN"):
        return True
    return token.tag_ == "VBG" and token.dep_ in _NOMINAL_DEPS


# -- the checks ------------------------------------------------------------------------

Check = Callable[[Token, Span, EventiveRules], bool]


def _furniture(root: Token, span: Span, rules: EventiveRules) -> bool:
    """A "See also" or "Related stories" list, or a run of bullets: links, not prose."""
    sent = root.sent
    for _ in range(4):  # a list the sentence splitter cut in pieces
        if any(pattern.search(sent.text) for pattern in rules.furniture):
            return True
        bullets = sum(1 for token in sent if token.text in rules.bullet_marks)
        if bullets >= rules.bullet_limit:
            return True
        if (bullets == 0 and sent[0].text not in rules.bullet_marks) or sent.start == 0:
            return False
        sent = sent.doc[sent.start - 1].sent
    return False


def _modifier(root: Token, span: Span, rules: EventiveRules) -> bool:
    """The trigger only names a kind of thing or people: "an arrest warrant", "riot
    police", "battle-tested fighters", "rocket fuel", "displaced people", "the displaced"."""
    nominal = root.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
    if root.tag_ == "VBN" and nominal and any(c.dep_ == "det" for c in root.children):
        return _lemma(root) not in rules.presupposing_participles  # "the displaced"
    if root.dep_ not in rules.modifier_deps:
        return False
    head = root.head
    if head.i == root.i or head.i in range(span.start, span.end):
        return False
    if _all_caps(root.sent):  # an upper-case telex parses too poorly to trust the rest
        return head.lower_ in rules.kind_heads
    presupposing = root.tag_ == "VBN" and _lemma(root) in rules.presupposing_participles
    if presupposing and (head.lower_ in rules.person_heads or _lemma(head) in rules.person_heads):
        return False  # "the arrested persons were identified as ..."
    if root.dep_ == "amod" and root.pos_ == "ADJ" and not root.tag_.startswith("V"):
        return False  # an adjective the matcher took for a trigger noun
    words = (head.lower_, _lemma(head))
    return not any(w in rules.event_heads or w in rules.trigger_words for w in words)


def _figurative(root: Token, span: Span, rules: EventiveRules) -> bool:
    """Figures of speech and other senses: "a heart attack", "fight corruption", "an
    explosion of joy", "keep a vigil"."""
    lemma = _lemma(root)
    near = [*root.children]
    near += [g for c in near if c.dep_ == "compound" for g in c.children]
    for child in near:
        if child.i in range(span.start, span.end):
            continue
        if child.dep_ in ("amod", "compound", "npadvmod", "nmod"):
            word = child.lower_
            if word in rules.non_event_modifiers or _lemma(child) in rules.non_event_modifiers:
                return True
            if word in rules.modifiers_by_trigger.get(lemma, ()):
                return True
    objects = rules.figurative_objects.get(lemma, frozenset())
    if objects and any(_lemma(o) in objects or o.lower_ in objects for o in _objects(root)):
        return True
    of_words = rules.figurative_of.get(lemma, frozenset())
    if of_words and any(
        child.lower_ == "of" and any(_lemma(p) in of_words for p in child.children)
        for child in root.children
    ):
        return True
    phrase = _phrase_head(root)
    frames = rules.figurative_frames.get(lemma, frozenset())
    if frames and phrase.dep_ in ("dobj", "pobj") and _lemma(phrase.head) in frames:
        return True
    return _in_idiom(root, rules)


def _objects(root: Token) -> list[Token]:
    """What a trigger acts on: its direct object, a passive subject, "against"/"on" X,
    and the first of coordinated objects."""
    found = []
    for child in root.children:
        if child.dep_ in ("dobj", "nsubjpass", "attr", "compound"):
            found.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("against", "on", "of"):
            found.extend(c for c in child.children if c.dep_ == "pobj")
    more = [c for o in found for c in o.children if c.dep_ in ("compound", "conj")]
    return found + more


def _in_idiom(root: Token, rules: EventiveRules) -> bool:
    own = (root.lower_, _lemma(root))  # every window read holds the trigger's own word
    idioms = [idiom for idiom in rules.idioms if own[0] in idiom or own[1] in idiom]
    if not idioms:
        return False
    # Line breaks inside the phrase (wire copy breaks lines anywhere) are no words.
    words = [t for t in root.sent if not t.is_space]
    lowers = [t.lower_ for t in words]
    lemmas = [_lemma(t) for t in words]
    at = next(i for i, t in enumerate(words) if t.i == root.i)
    for idiom in idioms:
        size = len(idiom)
        for start in range(max(0, at - size + 1), min(at, len(lowers) - size) + 1):
            window = range(start, start + size)
            if all(idiom[k] in (lowers[i], lemmas[i]) for k, i in enumerate(window)):
                return True
    return False


def _anchor(root: Token, span: Span, rules: EventiveRules) -> bool:
    """A known event as a time anchor or a cause: "five months after the fall of X",
    "three days after the bombing", "in the wake of the attacks", "in response to the
    riots"."""
    noun = _phrase_head(root)
    if not _is_noun(root) or noun.dep_ != "pobj":
        return False
    prep = noun.head
    if prep.lower_ == "of" and prep.head.lower_ in rules.anchor_frames:
        return True
    if prep.lower_ in ("to", "for") and _lemma(prep.head) in rules.response_frames:
        return True  # "in response to the riots", "in retaliation for the killing"
    word = prep.lower_
    if word in ("to", "of") and prep.head.lower_ in rules.anchor_preps:
        word = prep.head.lower_
    if word == "with" and _lemma(prep.head) in rules.anchor_with:
        word = "since"  # "the campaign that began with the battle for Mosul"
    if word not in rules.anchor_preps or not _is_definite(noun, rules):
        return False
    # "were killed after the bombing of a market": the deaths are the bombing's own.
    verb = prep.head
    timed = any(c.dep_ in ("npadvmod", "advmod") for c in prep.children)
    return timed or _lemma(verb) not in ("kill", "die", "wound", "injure", "hurt")


def _history(root: Token, span: Span, rules: EventiveRules) -> bool:
    """Told as the start of a period: "since IS seized Mosul", "since 2014, when IS
    seized ...", "since the government declared victory"."""
    token: Token = root
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in rules.history_marks for c in token.children):
            return True
        if token.dep_ == "prep" and token.lower_ in rules.history_marks:
            return True
        if token.dep_ == "advcl" and any(  # "Since 2014, when IS seized ..., fighters ..."
            c.dep_ == "prep" and c.lower_ in rules.history_marks and c.i < token.i
            for c in token.head.children
        ):
            return True
        if token.dep_ in ("ROOT",) or token.head.i == token.i:
            return False
        if token.dep_ in ("ccomp", "conj") and token.pos_ in ("VERB", "AUX"):
            return False  # a clause of its own
        token = token.head
    return False


def _duration(root: Token, span: Span, rules: EventiveRules) -> bool:
    """Many happenings over a long span ("after years of air strikes", "a spate of
    attacks"), or what a group does ("an insurgency of night raids and kidnappings")."""
    noun = _phrase_head(root)
    if not _is_noun(root) or noun.dep_ != "pobj":
        return False
    prep = noun.head
    head = prep.head
    if prep.lower_ == "of" and (
        head.lower_ in rules.duration_heads or _lemma(head) in rules.duration_heads
    ):
        return True
    if prep.lower_ in ("as", "like", "including") and head.dep_ == "prep":
        head = head.head  # "tactics such as kidnappings"
    if prep.lower_ == "as" and head.lower_ == "such" and head.head.i != head.i:
        head = head.head  # "atrocities such as executions", parsed with "such" as a modifier
    methods = head.lower_ in rules.method_heads or _lemma(head) in rules.method_heads
    return methods and noun.tag_ in _PLURAL and not _counted(noun)


def _kind(root: Token, span: Span, rules: EventiveRules) -> bool:
    """A kind of act named in law or in general: "the crime of murder", "charges of
    rape", "the penalty for kidnapping"."""
    noun = _phrase_head(root)
    if not _is_noun(root) or noun.dep_ != "pobj" or noun.head.lower_ not in ("of", "for"):
        return False
    head = noun.head.head
    return head.lower_ in rules.kind_of_heads or _lemma(head) in rules.kind_of_heads


def _world_over(noun: Token, rules: EventiveRules) -> bool:
    """A bare plural event noun told over the whole world or region ("carrying out
    attacks around the world"): what a group does, not one happening."""
    if noun.tag_ not in _PLURAL or _counted(noun):
        return False
    verb = _governing_verb(noun)
    holders = [noun] if verb is None else [noun, verb]
    return any(
        prep.dep_ == "prep" and prep.lower_ in rules.generic_scope_preps
        and any(_lemma(o) in rules.generic_scopes for o in prep.children if o.dep_ == "pobj")
        for holder in holders for prep in holder.children
    )  # fmt: skip


def _counted(noun: Token) -> bool:
    return any(c.dep_ in ("det", "nummod", "poss") for c in noun.children)


def _habitual(root: Token, span: Span, rules: EventiveRules) -> bool:
    """Habits and kinds: "frequent attacks", "the group still carries out bombings", "have been
    reporting aerial strikes", "suicide bombings had become rare"."""
    if any(
        c.dep_ in ("amod", "advmod") and c.lower_ in rules.frequency_modifiers
        for c in root.children
    ):
        return True
    noun = _phrase_head(root)
    if _is_noun(root) and _world_over(noun, rules):
        return True
    if _habit_adverb(root, rules) or _perfect_over_many(root, rules):
        return True
    if _perfect_for_long(root if root.pos_ == "VERB" else _governing_verb(noun), rules):
        return True
    verb = _governing_verb(noun)
    if verb is None:
        return False
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if _is_noun(root) and noun.dep_ == "dobj" and verb.tag_ == "VBG" and "been" in aux:
        return bool(aux & {"have", "has", "'ve"})  # "have been reporting strikes"
    present = verb.tag_ in _PRESENT or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in _PRESENT for c in verb.children
    )
    if (
        present
        and verb.tag_ != "VBG"
        and any(
            c.dep_ == "advmod" and c.lower_ in rules.present_habitual_adverbs for c in verb.children
        )
    ):
        return root.tag_ in _PLURAL or verb.i == root.i
    if noun.dep_ in ("nsubj", "nsubjpass") and _lemma(verb) in rules.generic_links:
        return any(
            c.dep_ in ("acomp", "oprd", "attr") and _lemma(c) in rules.generic_predicates
            for c in verb.children
        )
    return False


def _habit_adverb(root: Token, rules: EventiveRules) -> bool:
    """ "always end up killing each other", "by always fighting them": an adverb of habit
    on the trigger, or on the verb the trigger completes."""
    holders = [root]
    if root.dep_ in ("xcomp", "pcomp") and root.head.pos_ in ("VERB", "AUX"):
        holders.append(root.head)
    return any(
        c.dep_ == "advmod" and c.lower_ in rules.habitual_adverbs
        for holder in holders for c in holder.children
    )  # fmt: skip


def _perfect_for_long(verb: Token | None, rules: EventiveRules) -> bool:
    """ "Rebels have been planting mines along the roads for years": a present perfect
    held over years or months tells a practice, not one happening."""
    if verb is None or verb.tag_ not in ("VBN", "VBG"):
        return False
    if not any(c.dep_ == "aux" and c.lower_ in ("have", "has", "'ve") for c in verb.children):
        return False
    return any(
        prep.dep_ == "prep" and prep.lower_ == "for"
        and any(o.dep_ == "pobj" and o.lower_ in rules.habit_spans for o in prep.children)
        for prep in verb.children
    )  # fmt: skip


def _perfect_over_many(root: Token, rules: EventiveRules) -> bool:
    """ "They have killed many people": a present perfect over a vague number, with no
    date in the sentence, sums up what an actor has done."""
    if root.pos_ != "VERB" or root.tag_ != "VBN":
        return False
    if not any(c.dep_ == "aux" and c.lower_ in ("have", "has", "'ve") for c in root.children):
        return False
    if any(e.label_ == "DATE" for e in span_entities(root.sent)):
        return False
    return any(
        c.dep_ == "dobj" and any(
            g.lower_ in rules.generic_quantities for g in c.children if g.dep_ in ("amod", "nummod")
        )
        for c in root.children
    )  # fmt: skip


def _tally(root: Token, span: Span, rules: EventiveRules) -> bool:
    """A count or a trend, which is a claim: "the number of attacks", "a rise in
    kidnappings", "attacks have doubled", "the UN estimated 180,000 were displaced"."""
    noun = _phrase_head(root)
    toll = _lemma(root) in rules.tally_toll_verbs
    for above in list(root.ancestors)[:4] if toll else ():
        if above.tag_ in _PLURAL and _counted_at_least(above, rules.tally_min_count):
            return True  # "139 attacks ..., in which 274 people were killed": their toll
    if (
        toll
        and root.dep_ in ("advcl", "conj", "xcomp")
        and any(
            c.dep_ == "dobj" and c.tag_ in _PLURAL and _counted_at_least(c, rules.tally_min_count)
            for c in root.head.children
        )
    ):
        return True  # "carried out 210 attacks, killing 150 people"
    if (
        toll
        and not _is_noun(root)
        and any(
            c.dep_ in ("dobj", "nsubjpass") and _counted_at_least(c, rules.tally_min_toll)
            for c in root.children
        )
    ):
        return True  # "his forces killed 3,500 fighters"
    if (
        toll
        and _is_noun(root)
        and any(
            _counted_at_least(o, rules.tally_min_toll) or _figure_at_least(o, rules.tally_min_toll)
            for o in _prep_pobjs(root, "of")
        )
    ):
        return True  # "the killing of over 70,000 people"
    if _is_noun(root):
        if noun.dep_ == "pobj" and noun.head.lower_ in ("of", "in", "on"):
            head = noun.head.head
            quantity = any(  # "fired a number of missiles"
                c.dep_ == "det" and c.lower_ in rules.quantity_dets for c in head.children
            )
            tally = head.lower_ in rules.tally_heads or _lemma(head) in rules.tally_heads
            if tally and not quantity:
                return True
        if noun.dep_ == "nsubj" and root.tag_ in _PLURAL:
            return _lemma(noun.head) in rules.trend_verbs
        return False
    counted = any(
        c.dep_ in ("nsubjpass", "nsubj") and (c.like_num or any(g.like_num for g in c.children))
        for c in root.children
    )
    return counted and root.dep_ == "ccomp" and _lemma(root.head) in rules.tally_verbs


def _prep_pobjs(token: Token, prep: str) -> list[Token]:
    return [o for c in token.children if c.lower_ == prep for o in c.children if o.dep_ == "pobj"]


def _figure_at_least(token: Token, least: int) -> bool:
    """Whether ``token`` is itself a figure of at least ``least`` (the parse may make the
    figure the object: "the killing of over 70,000 [people]")."""
    digits = token.text.replace(",", "")
    return token.like_num and digits.isdigit() and int(digits) >= least


def _counted_at_least(token: Token, least: int) -> bool:
    """Whether ``token`` is counted by a figure of at least ``least`` ("139 attacks")."""
    for child in token.children:
        if child.dep_ == "nummod" and child.like_num:
            digits = child.text.replace(",", "")
            if digits.isdigit() and int(digits) >= least:
                return True
    return False


def _negated(root: Token, span: Span, rules: EventiveRules) -> bool:
    """Negated by its subject or a preposition: "nobody was arrested", "no one was
    hurt", "dispersed without arrests"."""
    for child in root.children:
        if child.dep_ not in ("nsubj", "nsubjpass"):
            continue
        if child.lower_ in rules.negative_subjects:
            return True
        if child.lower_ == "one" and any(c.lower_ == "no" for c in child.children):
            return True
    noun = _phrase_head(root)
    return noun.dep_ in ("pobj", "pcomp") and noun.head.lower_ == "without"


def _counterfactual(root: Token, span: Span, rules: EventiveRules) -> bool:
    """A condition told by inversion: "had he been detained earlier, ...", "were they
    to attack"."""
    verb = _governing_verb(root)
    if verb is None:
        return False
    subjects = [c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return False
    return any(
        c.dep_ in ("aux", "auxpass") and c.lower_ in rules.counterfactual_aux
        and c.i < min(subjects) < verb.i
        for c in verb.children
    )  # fmt: skip


def _irrealis(root: Token, span: Span, rules: EventiveRules) -> bool:
    """A simple "to" infinitive is a purpose, plan or possibility ("the means to detain
    them", "ordered to arrest", "sent to carry out attacks"), unless its verb says it
    happened ("began to shell"); so is an event under a word of demand, permission,
    capability, fear or depiction ("demanded the arrest of", "videos of ...")."""
    verb = root if root.pos_ in ("VERB", "AUX") else None
    if verb is None:
        noun = _phrase_head(root)
        if noun.dep_ == "dobj" and _lemma(noun.head) in rules.light_verbs:
            verb = noun.head
    realized = verb is not None and (
        (verb.dep_ == "xcomp" and _lemma(verb.head) in rules.realized_heads)
        or (verb.dep_ in ("advcl", "xcomp") and _lemma(verb.head) in rules.gathering_heads)
    )
    if verb is not None and _plain_infinitive(verb) and not realized:
        return True
    return told_in_irrealis(root, rules)


def _plain_infinitive(verb: Token) -> bool:
    if verb.tag_ != "VB":
        return False
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return any(c.lower_ == "to" for c in aux) and not any(_lemma(c) == "have" for c in aux)


def told_in_irrealis(root: Token, rules: EventiveRules, limit: int = 6) -> bool:
    """A word of demand, permission, capability, fear or depiction above the trigger,
    within ``limit`` steps and before any reporting clause. A known event ("the murder
    of X", "Saturday's attack") is told as real unless the word governs it directly
    ("demanded the arrest of", "fears of the attack"), not when it is what a verb acts on
    ("to investigate the murder") or what a feeling is about ("alarm over the murder")."""
    known = _is_noun(root) and _is_definite(_phrase_head(root), rules)
    token = root
    via = ""
    for _ in range(limit):
        if token.head.i == token.i:
            return False
        if token.dep_ == "prep":
            via = token.lower_
        child, token = token, token.head
        if child.dep_ in ("nsubj", "nsubjpass", "agent"):
            return False  # "the rioters demanded jobs": who demands, not what is demanded
        if (
            token.pos_ in ("VERB", "AUX")
            and child.dep_ in ("dobj", "pobj", "prep")
            and _lemma(token) in rules.factive_heads
        ):
            return False  # "filmed the beheading": the verb, unlike "a film of", says it happened
        if token.pos_ in ("NOUN", "VERB", "ADJ", "PROPN") and (
            _lemma(token) in rules.irrealis_heads or token.lower_ in rules.irrealis_heads
        ):
            return not known or via in ("", "of")
        if known and token.pos_ in ("VERB", "AUX") and child.dep_ in ("dobj", "pobj", "prep"):
            if _plain_infinitive(token) and _lemma(token.head) not in rules.realized_heads:
                return True  # "in order to proceed with the bombing"
            if child.dep_ != "dobj":
                return False
        if token.dep_ == "ROOT":
            return False
    return False


def _analysis(root: Token, span: Span, rules: EventiveRules) -> bool:
    """A known event as the subject of an analyst's verb ("the attack showed that ...")
    or the predicate of a demonstrative ("this was its first attack")."""
    if not _is_noun(root):
        return False
    noun = _phrase_head(root)
    if noun.dep_ == "nsubj" and _is_definite(noun, rules):
        return _lemma(noun.head) in rules.analysis_verbs
    by = noun.head
    if noun.dep_ == "pobj" and by.dep_ == "agent" and _is_definite(noun, rules):
        return (
            _lemma(by.head) in rules.analysis_verbs
        )  # "the discharge was prompted by the bombing"
    if noun.dep_ == "attr":
        cleft = any(c.dep_ in ("relcl", "ccomp") for c in (*noun.children, *noun.head.children))
        return not cleft and any(  # "it was two car bombs that killed nine" tells them
            c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in rules.anaphor_subjects
            for c in noun.head.children
        )
    return False


def _reference(root: Token, span: Span, rules: EventiveRules) -> bool:
    """An event that already exists, as what is breached or observed ("breaching the
    truce", "violations of the ceasefire")."""
    if not _is_noun(root):
        return False
    noun = _phrase_head(root)
    if noun.dep_ == "dobj":
        return _lemma(noun.head) in rules.reference_verbs
    if noun.dep_ == "pobj" and noun.head.lower_ == "of":
        return _lemma(noun.head.head) in rules.reference_verbs
    return False


CHECKS: tuple[tuple[str, Check], ...] = (
    ("furniture", _furniture),
    ("modifier", _modifier),
    ("figurative", _figurative),
    ("anchor", _anchor),
    ("history", _history),
    ("duration", _duration),
    ("kind", _kind),
    ("habitual", _habitual),
    ("tally", _tally),
    ("negated", _negated),
    ("counterfactual", _counterfactual),
    ("irrealis", _irrealis),
    ("analysis", _analysis),
    ("reference", _reference),
)


#: Reasons that judge the whole sentence (a list of links, a span of years, a habit, a
#: trend, a condition), not only one word in it ("riot police", "after the bombing"):
#: the learned model adds no event there.
SENTENCE_REASONS = frozenset(
    {"furniture", "duration", "habitual", "tally", "counterfactual", "figurative"}
)


def non_eventive(span: Span, rules: EventiveRules | None = None) -> str | None:
    """The name of the check by which the trigger ``span`` tells no happening, or None
    when it may tell one (negations, modals and conditionals are ``is_asserted``'s)."""
    if rules is None:  # the data's rules: judged once per trigger span of a document
        judged: dict[tuple[int, int], str | None] = span.doc.user_data.setdefault(_JUDGED, {})
        key = (span.start, span.end)
        if key not in judged:
            judged[key] = non_eventive(span, load_rules())
        return judged[key]
    root = span.root
    for name, check in CHECKS:
        if check(root, span, rules):
            return name
    return None


_JUDGED = "ember.eventive.judged"


def is_conceded(root: Token, when: DateRange, anchor: str | None) -> bool:
    """An event told in a concessive clause ("although the Pentagon announced its
    defeat in the battle of X in 2019") and dated before the report (``anchor``):
    background the report grants, not news it tells."""
    if anchor is None or when.end is None or when.end[:10] >= anchor[:10]:
        return False
    marks = load_rules().concessive_marks
    token = root
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in marks for c in token.children):
            return True
        if token.head.i == token.i:
            return False
        token = token.head
    return False


def opens_past_frame(sent: Span, rules: EventiveRules | None = None) -> bool:
    """Whether ``sent``, opening a paragraph, sets that paragraph in the group's past
    ("At the height of its power, the group ..."): what the paragraph tells is background."""
    rules = load_rules() if rules is None else rules
    return any(pattern.search(sent.text) for pattern in rules.past_frames)


def is_history(
    when: DateRange, sent: Span, *, anchor: str | None, rules: EventiveRules | None = None
) -> bool:
    """A sentence dated long before its report (``anchor``: the publication date, or the
    start of an undated report's window), that names no recent year: background."""
    rules = load_rules() if rules is None else rules
    if anchor is None or when.end is None or when.precision == "unknown":
        return False
    try:
        report = date.fromisoformat(anchor[:10])
        end = date.fromisoformat(when.end[:10])
    except ValueError:
        return False
    cutoff = report - timedelta(days=rules.history_days)
    if end >= cutoff:
        return False
    return all(int(year) < cutoff.year for year in _YEAR.findall(sent.text))
