"""Casualty counts of one sentence: fatalities, wounded, arrested, kidnapped.

A trigger (a verb such as "killed", a noun such as "death toll" or "fatalities", from
``data/casualties/lexicon.json``) is linked through the dependency parse to who
suffered it: the object of an active verb ("killing seven policemen"), the subject of
a passive or intransitive one ("a man was beheaded", "eight civilians died"), the
number on a noun ("3 fatalities"), the figure a toll rose to. That phrase is counted:
a number (ACLED's conservative reading, ``nlp.numbers``), one for a singular person
("killed a soldier", "killing him"), the sum over "and" ("three soldiers and two
civilians" → 5), never what hangs off it ("including 2 children"). A count stated
as nil ("no one was hurt", "no casualties") is 0; a category the sentence does not
mention is None."""

from __future__ import annotations

import json
import re
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from spacy.tokens import Span, Token

from ..nlp.numbers import Quantity, conservative_count, parse_quantity
from ..nlp.pipeline import load_base_model
from ..nlp.text import doc_entities

__all__ = ["Casualties", "Category", "casualties", "casualties_text"]

Category = Literal["fatalities", "wounded", "arrested", "kidnapped"]
CATEGORIES: tuple[Category, ...] = ("fatalities", "wounded", "arrested", "kidnapped")


@dataclass(frozen=True, slots=True, kw_only=True)
class Casualties:
    """Counts a sentence states; None where it states none."""

    fatalities: int | None = None
    wounded: int | None = None
    arrested: int | None = None
    kidnapped: int | None = None


# Fates no one suffers together with death: a group told with both is split between them.
_NOT_WITH_DEATH = frozenset({"arrested", "wounded"})


def _split(fates: dict[str, int]) -> bool:
    """Whether one group is told as dead by one word and as wounded or held by another."""
    death = fates.get("fatalities")
    return death is not None and any(fates.get(other, death) != death for other in _NOT_WITH_DEATH)


def casualties(sent: Span, *, exclude: Container[int] = ()) -> Casualties:
    """The casualty counts ``sent`` (a parsed sentence) states, leaving out those told by
    the words at the document positions in ``exclude`` (a tally's "were killed").

    One group counted by a verb of death and one of wounds or arrest ("killing and
    arresting more than 50 members", "killed or wounded 30") says how many suffered one
    or the other, not how many died: it counts for neither. A group kidnapped and then
    killed counts for both."""
    lexicon = _lexicon()
    findings = [
        (token.i, found)
        for token in sent
        if token.i not in exclude
        for found in _findings(token, lexicon)
    ]
    fates: dict[int, dict[str, int]] = {}  # victim -> category -> the word that told it
    for told_by, found in findings:
        if not found.total:
            fates.setdefault(found.victim, {})[found.category] = told_by
    tally = {category: _Tally() for category in CATEGORIES}
    for _told_by, found in findings:
        if found.total or not _split(fates.get(found.victim, {})):
            tally[found.category].add(found)
    return Casualties(**{category: tally[category].count() for category in CATEGORIES})


def casualties_text(text: str) -> Casualties:
    """``casualties`` of each sentence of ``text`` (parsed with the bare spaCy model),
    summed per category."""
    doc = load_base_model()(text)
    totals: dict[str, int | None] = dict.fromkeys(CATEGORIES)
    for sent in doc.sents:
        found = casualties(sent)
        for category in CATEGORIES:
            value = getattr(found, category)
            if value is not None:
                totals[category] = (totals[category] or 0) + value
    return Casualties(**totals)


# --- lexicon ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Lexicon:
    verbs: dict[str, Category]
    intransitive: dict[str, Category]
    particles: dict[tuple[str, str], Category]
    person_object_only: frozenset[str]
    nouns: dict[str, Category]
    nouns_need_verb: dict[str, frozenset[str]]
    totals: frozenset[str]
    total_modifiers: dict[str, Category]
    casualty_nouns: frozenset[str]
    singular_counts: frozenset[str]
    none_words: frozenset[str]
    singular_pronouns: frozenset[str]
    collective: frozenset[str]
    persons: frozenset[str]
    # "an attempt to kill him", "tried to kill", "plotted to kill": no one died of it.
    attempt_heads: frozenset[str]


@cache
def _lexicon() -> _Lexicon:
    path = resources.files("ember") / "data" / "casualties" / "lexicon.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))

    def by_word(table: dict[str, list[str]]) -> dict[str, Category]:
        return {word: _category(name) for name, words in table.items() for word in words}

    return _Lexicon(
        verbs=by_word(data["verbs"]),
        intransitive=by_word(data["intransitive_verbs"]),
        particles={
            (verb, particle): _category(category)
            for category, pairs in data["verb_particles"].items()
            for verb, particle in pairs
        },
        person_object_only=frozenset(data["person_object_only"]),
        nouns=by_word(data["nouns"]),
        nouns_need_verb={k: frozenset(v) for k, v in data["nouns_need_verb"].items()},
        totals=frozenset(data["totals"]),
        total_modifiers=by_word(data["total_modifiers"]),
        casualty_nouns=frozenset(data["casualty_nouns"]),
        singular_counts=frozenset(data["singular_counts"]),
        none_words=frozenset(data["none_words"]),
        singular_pronouns=frozenset(data["singular_pronouns"]),
        collective=frozenset(data["collective_nouns"]),
        persons=frozenset(data["person_nouns"]),
        attempt_heads=frozenset(data["attempt_heads"]),
    )


def _category(name: str) -> Category:
    for category in CATEGORIES:
        if name == category:
            return category
    raise ValueError(f"unknown casualty category in the lexicon: {name!r}")


# --- findings -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Finding:
    category: Category
    count: int
    victim: int  # token index of the counted phrase, so two triggers count it once
    total: bool = False  # a toll: the whole figure, not one more group


@dataclass(slots=True)
class _Tally:
    groups: dict[int, int] = field(default_factory=dict)
    totals: list[int] = field(default_factory=list)

    def add(self, found: _Finding) -> None:
        if found.total:
            self.totals.append(found.count)
        else:
            self.groups[found.victim] = max(found.count, self.groups.get(found.victim, 0))

    def count(self) -> int | None:
        if not self.groups and not self.totals:
            return None
        return max([sum(self.groups.values()), *self.totals])


_NOT_COUNTS = frozenset({"TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_PASSIVE_SUBJECTS = ("nsubjpass",)
_OBJECTS = ("dobj",)
_RAISED = ("xcomp", "oprd", "acomp")


def _findings(token: Token, lexicon: _Lexicon) -> Iterator[_Finding]:
    lemma = _lemma(token, lexicon)
    # A verb, or a verb form the model took for a noun but gave an object ("wounding").
    if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB") or _has_object(token):
        yield from _verb_findings(token, lemma, lexicon)
    if token.pos_ in ("NOUN", "PROPN", "ADJ", "VERB") and not token.tag_.startswith("VBD"):
        yield from _noun_findings(token, lemma, lexicon)


def _has_object(token: Token) -> bool:
    return any(c.dep_ in _OBJECTS for c in token.children)


def _lemma(token: Token, lexicon: _Lexicon) -> str:
    """The token's lemma; for a verb form the model left as is ("wounding" read as a
    noun), the stem the lexicon knows."""
    lemma = token.lemma_.lower()
    if lemma in lexicon.verbs or lemma in lexicon.nouns or not token.lower_.endswith(("ing", "ed")):
        return lemma
    stem = token.lower_.removesuffix("ing").removesuffix("ed")
    for candidate in (stem, stem + "e", stem[:-1]):
        if candidate in lexicon.verbs or candidate in lexicon.intransitive:
            return candidate
    return lemma


def _verb_category(verb: Token, lemma: str, lexicon: _Lexicon) -> tuple[Category, str] | None:
    """The category of ``verb`` and the particle that made it one ("gunned down")."""
    for (head, particle), category in lexicon.particles.items():
        if head == lemma and _has_particle(verb, particle):
            return category, particle
    if lemma in lexicon.verbs:
        return lexicon.verbs[lemma], ""
    if lemma in lexicon.intransitive:
        return lexicon.intransitive[lemma], ""
    return None


def _has_particle(verb: Token, word: str) -> bool:
    for child in verb.children:
        if child.lemma_.lower() == word or child.lower_ == word:
            return True
        if child.dep_ == "prep" and any(g.lemma_.lower() == word for g in child.children):
            return True
    return False


def _verb_findings(verb: Token, lemma: str, lexicon: _Lexicon) -> Iterator[_Finding]:
    found = _verb_category(verb, lemma, lexicon)
    if found is None or verb.dep_ == "amod" or _negated(verb) or _attempted(verb, lexicon):
        return
    category, particle = found
    victims = _verb_victims(verb, lemma, particle, lexicon)
    needs_person = lemma in lexicon.person_object_only or f"{lemma} {particle}".strip() in (
        lexicon.person_object_only
    )
    for victim in victims:
        if needs_person and not _is_person(victim, lexicon):
            continue
        count = _group_count(victim, lexicon)
        if count is not None:
            yield _Finding(category, count, victim.i)


def _verb_victims(verb: Token, lemma: str, particle: str, lexicon: _Lexicon) -> list[Token]:
    """Who suffered ``verb``: its passive subject or object, the subject of "died", the
    counted subject of a bare participle ("12 wounded"), else what a verb it is joined
    to ("kidnapped and killed a trader") or raised under ("were reported killed") has."""
    victims = _own_victims(verb, lemma, particle, lexicon)
    if victims:
        return victims
    if verb.dep_ in _RAISED or verb.dep_ == "conj":
        head = verb.head
        if verb.dep_ in _RAISED:
            return [c for c in head.children if c.dep_ in _PASSIVE_SUBJECTS]
        return [c for c in head.children if c.dep_ in _PASSIVE_SUBJECTS + _OBJECTS]
    for joined in verb.children:
        if joined.dep_ == "conj" and joined.tag_.startswith("VB"):
            return [c for c in joined.children if c.dep_ in _OBJECTS]
    return []


def _own_victims(verb: Token, lemma: str, particle: str, lexicon: _Lexicon) -> list[Token]:
    children = list(verb.children)
    passive = [c for c in children if c.dep_ in _PASSIVE_SUBJECTS]
    objects = [c for c in children if c.dep_ in _OBJECTS and c.lemma_.lower() != particle]
    # "took two engineers hostage": parsed as the compound of the particle;
    # "claimed the lives of four people": the people are the particle's "of".
    for particle_object in (c for c in children if c.dep_ in _OBJECTS and c.lemma_ == particle):
        objects += [g for g in particle_object.children if g.dep_ == "compound"]
        objects += [
            g
            for prep in particle_object.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for g in prep.children
            if g.dep_ == "pobj"
        ]
    if passive or objects:
        return passive + objects
    subjects = [c for c in children if c.dep_ == "nsubj"]
    if lemma in lexicon.intransitive or particle == "life":
        return subjects
    has_perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in children)
    shares_object = any(c.dep_ == "conj" and c.tag_.startswith("VB") for c in children)
    if verb.tag_ == "VBN" and not has_perfect and subjects and not shares_object:
        # "12 wounded": a participle with its count as subject (not "forces killed and
        # arrested 50 fighters", a past tense the tagger read as a participle)
        return subjects
    if verb.tag_ == "VBN" and verb.dep_ == "acl":
        return [verb.head]  # "seven others injured", "the 25 people wounded"
    return []


def _attempted(verb: Token, lexicon: _Lexicon) -> bool:
    """ "made an unsuccessful bid to kill him", "tried to kill the mayor": the verb is
    what someone attempted, planned or threatened, not what befell its object."""
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    head = verb.head
    return head.i != verb.i and head.lemma_.lower() in lexicon.attempt_heads


def _negated(token: Token) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def _noun_findings(noun: Token, lemma: str, lexicon: _Lexicon) -> Iterator[_Finding]:
    if lemma in lexicon.totals:
        yield from _toll(noun, lexicon)
        return
    if lemma in lexicon.casualty_nouns:
        if _says_none(noun, lexicon):  # "no casualties": none killed, none hurt
            yield _Finding("fatalities", 0, noun.i)
            yield _Finding("wounded", 0, noun.i)
        return
    category = lexicon.nouns.get(lemma) or lexicon.nouns.get(noun.lower_)
    if category is None or noun.dep_ in ("amod", "compound"):
        return
    if noun.dep_ in _RAISED:
        yield from _left_findings(noun, category, lexicon)
        return
    if noun.tag_.startswith("VB"):
        return
    needed = lexicon.nouns_need_verb.get(lemma)
    if needed is not None and not _near_verb(noun, needed):
        return
    if _says_none(noun, lexicon):
        yield _Finding(category, 0, noun.i)
        return
    count = _number_on(noun, lexicon)
    if count is None:
        count = _of_victims(noun, lexicon)
    if count is None:  # "fatalities estimated as 10", "fatalities coded as 10"
        described = [c for c in noun.children if c.dep_ in ("acl", "relcl")]
        if noun.dep_ in ("nsubj", "nsubjpass"):
            described.append(noun.head)
        count = next((n for v in described for f in _figures(v) if (n := _number_count(f))), None)
    if count is None and lemma in lexicon.singular_counts and noun.tag_ == "NN":
        count = 1 if _determined(noun) else None  # "a man's body was found"
    if count is None and lemma == "hostage":
        for victim in _verb_victims(noun.head, noun.head.lemma_, lemma, lexicon):
            if (found := _group_count(victim, lexicon)) is not None:
                yield _Finding(category, found, victim.i)
        return
    if count is not None:
        # "3 fatalities" restates the sentence's tally rather than adding a group.
        tally = any(c.dep_ == "nummod" for c in noun.children)
        yield _Finding(category, count, noun.i, total=tally)


def _left_findings(adjective: Token, category: Category, lexicon: _Lexicon) -> Iterator[_Finding]:
    """ "left five people dead": the object of "leave" is the count; "left four dead"
    may carry it on the adjective itself."""
    if adjective.head.lemma_ != "leave":
        return
    objects = [c for c in adjective.head.children if c.dep_ in _OBJECTS]
    for victim in objects:
        if (count := _group_count(victim, lexicon)) is not None:
            yield _Finding(category, count, victim.i)
    if not objects and (count := _number_on(adjective, lexicon)) is not None:
        yield _Finding(category, count, adjective.i)


def _near_verb(noun: Token, verbs: frozenset[str]) -> bool:
    head = noun.head
    for _ in range(3):
        if head.lemma_.lower() in verbs:
            return True
        if head.head.i == head.i:
            break
        head = head.head
    return any(c.lemma_.lower() in verbs for c in noun.children)


def _toll(toll: Token, lexicon: _Lexicon) -> Iterator[_Finding]:
    """ "the death toll rose to 21", "a toll of 21", "raising the death toll to 21"."""
    modifiers = [c.lemma_.lower() for c in toll.children if c.dep_ in ("compound", "amod")]
    known = [lexicon.total_modifiers[m] for m in modifiers if m in lexicon.total_modifiers]
    category = known[0] if known else None
    if category is None:
        return
    places = [toll]
    if toll.dep_ in ("nsubj", "nsubjpass", "dobj"):
        places.append(toll.head)
    places += [c for c in toll.children if c.dep_ in ("acl", "relcl")]
    for place in places:
        for figure in _figures(place):
            if (count := _number_count(figure)) is not None:
                yield _Finding(category, count, figure.i, total=True)
                return


def _figures(place: Token) -> Iterator[Token]:
    for child in place.children:
        if child.dep_ == "prep" and child.lower_ in ("to", "at", "as", "of"):
            yield from (g for g in child.children if g.dep_ == "pobj")
        elif child.dep_ in ("attr", "dobj", "nummod"):
            yield child


def _of_victims(noun: Token, lexicon: _Lexicon) -> int | None:
    """ "the death of three students", "the bodies of two men"."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for victim in child.children:
                if victim.dep_ == "pobj":
                    count = _group_count(victim, lexicon)
                    if count is None and _bare_singular_person(victim, lexicon):
                        return 1  # "the beheading of policeman": an article dropped
                    return count
    return None


def _bare_singular_person(head: Token, lexicon: _Lexicon) -> bool:
    return (
        head.tag_ == "NN"
        and head.lemma_.lower() in lexicon.persons
        and head.lemma_.lower() not in lexicon.collective
        and not any(c.dep_ in ("det", "nummod", "poss", "conj") for c in head.children)
    )


# --- counting a phrase ------------------------------------------------------------


def _group_count(head: Token, lexicon: _Lexicon) -> int | None:
    """The count of the phrase headed by ``head`` plus the phrases joined to it by
    "and" ("three soldiers and two civilians"); appositions and "including ..." are
    parts of the same group and are not added."""
    counts = [c for token in _conjuncts(head) if (c := _head_count(token, lexicon)) is not None]
    return sum(counts) if counts else None


def _conjuncts(head: Token) -> Iterator[Token]:
    yield head
    lexicon = _lexicon()
    for child in head.children:
        lemma = child.lemma_.lower()
        # "the death of three students and three injuries": the injuries are no victims.
        if child.dep_ == "conj" and not (lemma in lexicon.nouns or lemma in lexicon.totals):
            yield from _conjuncts(child)


def _head_count(head: Token, lexicon: _Lexicon) -> int | None:
    lower = head.lower_
    if _says_none(head, lexicon):
        return 0
    if _is_number(head):
        return _number_count(head)
    if (count := _number_on(head, lexicon)) is not None:
        return count
    if lower in lexicon.singular_pronouns:
        return 1
    if lower == "both":
        return 2
    if _is_singular_person(head, lexicon):
        return 1
    return None


def _says_none(head: Token, lexicon: _Lexicon) -> bool:
    if head.lower_ in lexicon.none_words:
        return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in head.children)


def _not_a_count(token: Token) -> bool:
    """A time, sum, measure or date, not a head count. spaCy also tags a bare count
    as DATE ("wounding fourteen"): a DATE counts as a date only with a year or a word
    for time in it."""
    if token.ent_type_ in _NOT_COUNTS:
        return True
    if token.ent_type_ != "DATE":
        return False
    entity = next((e for e in doc_entities(token.doc) if e.start <= token.i < e.end), None)
    words = entity if entity is not None else [token]
    return any(not (w.like_num or w.is_punct) or _YEAR.fullmatch(w.text) for w in words)


def _is_number(token: Token) -> bool:
    if _not_a_count(token):
        return False
    if token.like_num or token.tag_ == "CD":
        return True
    return parse_quantity(token.text) is not None and token.lower_ not in ("a", "an")


def _number_on(noun: Token, lexicon: _Lexicon) -> int | None:
    """The count written on a noun: "seven policemen", "several civilians"."""
    for child in noun.children:
        if child.dep_ == "nummod" and _is_number(child):
            return _number_count(child)
    for child in noun.children:
        if child.dep_ in ("amod", "det") and (q := parse_quantity(child.text)) and q.vague:
            return conservative_count(q)
    return None


def _number_count(token: Token) -> int | None:
    """The conservative count of the figure at ``token``, read with the hedge and scale
    words around it ("at least eight", "15 to 20 thousand", "dozens of")."""
    quantity = _quantity_around(token)
    return None if quantity is None else conservative_count(quantity)


def _quantity_around(token: Token) -> Quantity | None:
    doc = token.doc
    end = token.i + 1
    while end < len(doc) and doc[end].like_num and not _not_a_count(doc[end]):
        end += 1
    best: Quantity | None = None
    for start in range(token.i, max(token.sent.start, token.i - 4) - 1, -1):
        quantity = parse_quantity(doc[start:end].text)
        if quantity is not None:
            best = quantity
    return best


def _is_singular_person(head: Token, lexicon: _Lexicon) -> bool:
    """A person named, or one thing with a determiner ("a soldier", "its owner"); the
    verbs that also take things ("captured the town") check ``_is_person`` first."""
    if head.pos_ == "PROPN" and head.ent_type_ in ("PERSON", ""):
        return True  # a name ("killing Kadhin"); groups are ORG, NORP, GPE
    if head.lower_ in ("another", "other") and (head.dep_ != "det"):
        return head.lower_ == "another" or _determined(head)  # "wounding the other"
    if head.tag_ != "NN" or head.lemma_.lower() in lexicon.collective:
        return False
    return _determined(head)


def _determined(head: Token) -> bool:
    return any(
        (c.dep_ == "det" and c.lower_ in ("a", "an", "the", "this", "that", "another"))
        or c.dep_ == "poss"
        for c in head.children
    )


def _is_person(head: Token, lexicon: _Lexicon) -> bool:
    for token in _conjuncts(head):
        target = token
        if _is_number(token):  # "captured two of the gunmen"
            of = [g for c in token.children if c.lower_ == "of" for g in c.children]
            if not of:
                continue
            target = of[0]
        if (
            target.lemma_.lower() in lexicon.persons
            or target.ent_type_ in ("PERSON", "NORP")
            or target.lower_ in lexicon.singular_pronouns
        ):
            return True
    return False
