"""Toponyms: the spaCy component that sets ``doc.spans["places"]`` and
``doc.spans["place_adjectives"]``.

- ``places`` (label ``PLACE``): spaCy's GPE, LOC and FAC entities, less names that are
  not places ("Islamic State" tagged GPE, or a span an actor component already claimed),
  plus the curated names spaCy misses ("the Badia", "al-Hol camp", "Baghouz");
- ``place_adjectives`` (label ``PLACE_ADJ``): nationality adjectives and demonyms
  ("Syrian", "Iraqis"), which name a country without being the place where something
  happens. They are kept apart so that events never take them as their location.

The names come from ``data/geo`` (curated places, aliases, demonyms, not-places); the
``geo`` stage resolves the spans against the gazetteer."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

import pycountry
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from .fold import ARTICLES, fold

__all__ = [
    "PLACE_LABELS", "PlaceRecognizer", "add_place_components", "direction_words", "place_words",
]  # fmt: skip

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# spaCy's small model often tags Arabic place names as people or organisations ("Ras
# al-Ain", "Abu Kamal"): such an entity is a place when a locative word precedes it.
_RELABELLED = frozenset({"PERSON", "ORG"})
_FACTORY = "ember_place_recognizer_v1"
_DATA = "ember.data.geo"


class PlaceRecognizer:
    """Collects toponym spans after ``ner`` (and after the actor components, if any)."""

    def __init__(self, nlp: Language) -> None:
        self._matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._matcher.add("PLACE", [nlp.make_doc(name) for name in sorted(_curated_names())])

    def __call__(self, doc: Doc) -> Doc:
        adjectives = [s for s in _single_tokens_and_ents(doc) if fold(s.text) in _demonyms()]
        claimed = _actor_spans(doc)
        found = [
            _extend_over_articles(ent)
            for ent in doc.ents
            if (ent.label_ in PLACE_LABELS or _after_locative(ent) or _is_country(ent))
            and (ent.start_char, ent.end_char) not in claimed
        ]
        found += [doc[start:end] for _, start, end in self._matcher(doc)]
        found += [span for span in _named_before_place_noun(doc) if not _claimed(span, claimed)]
        cased = _is_cased(doc)
        found = [span for span in found if _looks_like_a_toponym(span, cased=cased)]
        found += _repeated_names(doc, found, claimed, cased=cased)
        places = filter_spans(found)
        taken = {i for span in places for i in range(span.start, span.end)}
        doc.spans["places"] = [Span(doc, s.start, s.end, label="PLACE") for s in places]
        doc.spans["place_adjectives"] = [
            Span(doc, s.start, s.end, label="PLACE_ADJ")
            for s in filter_spans(adjectives)
            if not taken.intersection(range(s.start, s.end))
        ]
        return doc


# A file name or address is not a toponym, though spaCy may tag one as GPE
# ("notes_iraq.txt", "www.example.com").
_FILE_OR_ADDRESS = re.compile(r"[_/@\\]|\.[A-Za-z0-9]{2,5}$")
# Contractions and clitics the tokenizer splits off ("has|n't", "ISIS|'s").
_CLITIC = re.compile(r"^(?:n['’]t|['’][a-z]{1,2})$", re.IGNORECASE)
# Names longer than this (in tokens) are not looked for again across the document.
_REPEAT_MAX_TOKENS = 4


def _looks_like_a_toponym(span: Span, *, cased: bool) -> bool:
    """What no place name is: a clitic or punctuation only ("n't"), a word listed in
    ``not_places.json`` (holidays, vague regions, common words) unless it is curated,
    a file name or address, and, in a cased document, a span without a capital letter
    ("marijuana" tagged GPE)."""
    words = [t for t in span if any(ch.isalpha() for ch in t.text) and not _CLITIC.match(t.text)]
    if not any(sum(ch.isalpha() for ch in t.text) >= 2 for t in words):
        return False
    if _FILE_OR_ADDRESS.search(span.text) or any(t.like_url or t.like_email for t in span):
        return False
    if cased and not any(ch.isupper() for ch in span.text):
        return False
    folded = fold(span.text)
    return _without_the(folded) not in _not_places() or folded in _curated_folded()


def _is_cased(doc: Doc) -> bool:
    """A document written in mixed case (not all lower case, as some feeds are)."""
    return any(t.is_title or t.is_upper for t in doc if t.is_alpha and not t.is_sent_start)


def _repeated_names(
    doc: Doc, found: list[Span], claimed: set[tuple[int, int]], *, cased: bool
) -> list[Span]:
    """One name, one sense in a document: where a name was recognised as a place once,
    its other occurrences are places too, whatever spaCy tagged them ("Edmonton" as GPE
    in one sentence and as ORG or PERSON in the next), and so are the same words inside
    an organisation's name that no actor claimed ("the Edmonton police")."""
    known = {
        tuple(t.lower_ for t in span)
        for span in found
        if len(span) <= _REPEAT_MAX_TOKENS
        and span[0].lower_ != "the"
        and fold(span.text) not in _demonyms()  # "Syrian" is an adjective wherever it is
    }
    if not known:
        return []
    taken = {i for span in found for i in range(span.start, span.end)}
    lengths = sorted({len(name) for name in known}, reverse=True)
    repeats = []
    lowers = [t.lower_ for t in doc]
    persons = [ent for ent in doc.ents if ent.label_ == "PERSON"]  # read once, not per name
    for token in doc:
        for size in lengths:
            end = token.i + size
            if end > len(doc) or tuple(lowers[token.i : end]) not in known:
                continue
            span = doc[token.i : end]
            if (
                not taken.intersection(range(token.i, end))
                and not _claimed(span, claimed)
                and not _inside_a_person(span, persons)
                and (not cased or span[0].is_title or span[0].is_upper)
            ):
                repeats.append(span)
                taken.update(range(token.i, end))
            break
    return repeats


def _inside_a_person(span: Span, persons: list[Span]) -> bool:
    """ "Georgia" in "Georgia Brooks" is a person's name."""
    return any(
        ent.start <= span.start and span.end <= ent.end and len(ent) > len(span)
        for ent in persons
    )  # fmt: skip


def _without_the(folded: str) -> str:
    return folded[4:] if folded.startswith("the ") else folded


def _named_before_place_noun(doc: Doc) -> list[Span]:
    """ "Wardyah town", "the Kafr Khasher axis": capitalised words right before a place
    noun name a place, though spaCy tags small villages as nothing or as a person."""
    found = []
    nouns = _words("place_nouns_after")
    for token in doc:
        if token.lower_ not in nouns or token.i == 0:
            continue
        start = token.i
        while start > 0 and _name_part(doc[start - 1]):
            start -= 1
        if start < token.i and any(t.is_title for t in doc[start : token.i]):
            while start < token.i and not doc[start].is_title:
                start += 1
            if not doc[start].is_sent_start:
                found.append(doc[start : token.i])
    return found


def _name_part(token: Token) -> bool:
    if token.is_title:
        # spaCy tags many village names NORP or ORG ("Ftireh town", "Kafr Ruma town"):
        # only a real nationality word ("Syrian town") is not part of the name, and a
        # span an actor claims ("PKK area") is dropped by the caller.
        if token.ent_type_ == "NORP" and fold(token.text) in _demonyms():
            return False
        return token.pos_ in ("PROPN", "NOUN", "ADJ", "VERB", "X") and token.ent_type_ not in (
            "DATE", "TIME", "CARDINAL",
        )  # fmt: skip
    return fold(token.text) in ARTICLES or token.text in ("-", "'", "’")


def _claimed(span: Span, claimed: set[tuple[int, int]]) -> bool:
    return any(
        start <= span.start_char < end or start < span.end_char <= end for start, end in claimed
    )


def _after_locative(ent: Span) -> bool:
    """ "near Abu Kamal", "the town of Tell Abyad": a PERSON/ORG entity that is a place;
    so is a NORP one after a place noun ("the border town of Serekaniye", which the
    model reads as a people)."""
    if ent.start == 0:
        return False
    if ent.label_ == "NORP":
        return (
            ent.start >= 2 and ent.doc[ent.start - 1].lower_ == "of"
            and ent.doc[ent.start - 2].lower_ in _words("place_nouns")
        )  # fmt: skip
    if ent.label_ not in _RELABELLED:
        return False
    before = ent.doc[ent.start - 1].lower_
    if before in _words("locative_words"):
        return True
    return (
        before == "of" and ent.start >= 2 and ent.doc[ent.start - 2].lower_ in _words("place_nouns")
    )


def _is_country(ent: Span) -> bool:
    """A country name spaCy tagged otherwise ("US" as ORG, "Jamaica" as PERSON)."""
    return ent.label_ in _RELABELLED and fold(ent.text) in _country_names()


def _extend_over_articles(span: Span) -> Span:
    """spaCy cuts "Deir ez-Zor" after "Deir": take in a following "ez-Zor", "al-Qaim"."""
    doc, end = span.doc, span.end
    while (
        end + 2 < len(doc)
        and fold(doc[end].text) in ARTICLES
        and doc[end + 1].text == "-"
        and doc[end + 2].is_title
    ):
        end += 3
    return doc[span.start : end] if end != span.end else span


def _single_tokens_and_ents(doc: Doc) -> list[Span]:
    """NORP entities ("South Korean") and capitalised single tokens ("Syrian"), not
    plural nouns ("Syrians" are people, not a place) and not a word of a longer NORP
    entity ("American" in "Central American")."""
    norp = [ent for ent in doc.ents if ent.label_ == "NORP"]
    inside = {i for ent in norp if len(ent) > 1 for i in range(ent.start, ent.end)}
    spans = list(norp)
    spans += [
        doc[t.i : t.i + 1]
        for t in doc
        if t.is_title and t.pos_ in ("ADJ", "PROPN", "NOUN") and t.i not in inside
    ]
    return [span for span in spans if span[-1].tag_ not in ("NNS", "NNPS")]


def _actor_spans(doc: Doc) -> set[tuple[int, int]]:
    if "actors" not in doc.spans:
        return set()
    return {(span.start_char, span.end_char) for span in doc.spans["actors"]}


@cache
def _curated_names() -> frozenset[str]:
    names = set()
    for line in _data_text("curated_places.jsonl").splitlines():
        if line.strip():
            entry = json.loads(line)
            names.update([entry["name"], *entry.get("aliases", [])])
    for line in _data_text("aliases.tsv").splitlines():
        if line.strip() and not line.startswith("#"):
            names.add(line.split("\t")[1])
    # Short aliases (US, UK, KP) are left to spaCy: as phrases they match ordinary words.
    return frozenset(name for name in names if len(name) > 3)


@cache
def _demonyms() -> frozenset[str]:
    return frozenset(
        fold(line.split("\t")[0])
        for line in _data_text("demonyms.tsv").splitlines()
        if line.strip() and not line.startswith("#")
    )


@cache
def _country_names() -> frozenset[str]:
    names = {
        fold(name)
        for country in pycountry.countries
        for name in (country.name, getattr(country, "common_name", None))
        if name
    }
    for line in _data_text("aliases.tsv").splitlines():
        if line.startswith("country:"):
            names.add(fold(line.split("\t")[1]))
    return frozenset(names)


@cache
@cache
def direction_words() -> frozenset[str]:
    """Compass words ("north", "south-east") from ``name_parts.json``."""
    return _words("direction_words")


@cache
def place_words() -> frozenset[str]:
    """Words that name a kind of place after its name ("town", "district", "province",
    "countryside"), from ``name_parts.json``."""
    feature_words: dict[str, str] = json.loads(_data_text("name_parts.json"))["feature_words"]
    return _words("place_nouns_after") | frozenset(feature_words)


@cache
def _words(field: str) -> frozenset[str]:
    words: list[str] = json.loads(_data_text("name_parts.json"))[field]
    return frozenset(words)


@cache
def _not_places() -> frozenset[str]:
    """Folded names that are never places: armed groups named after a state
    (``name_parts.json``) and the groups of ``not_places.json``."""
    words: list[str] = json.loads(_data_text("name_parts.json"))["not_places"]
    for group in json.loads(_data_text("not_places.json"))["groups"]:
        words += group["words"]
    return frozenset(_without_the(fold(word)) for word in words)


@cache
def _curated_folded() -> frozenset[str]:
    return frozenset(fold(name) for name in _curated_names())


def _data_text(name: str) -> str:
    return resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")


@Language.factory(_FACTORY, assigns=["doc.spans"])
def _make_place_recognizer(nlp: Language, name: str) -> PlaceRecognizer:
    return PlaceRecognizer(nlp)


def add_place_components(nlp: Language) -> None:
    """Add the place recognizer after spaCy's ``ner`` (and any component after it)."""
    if _FACTORY not in nlp.pipe_names:
        nlp.add_pipe(_FACTORY, name=_FACTORY, last=True)
