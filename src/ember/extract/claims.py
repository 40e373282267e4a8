"""Quantitative claims: every figure a document states, what it counts, about whom and
where, as of when, and who says so ("US intelligence estimates 15 to 20 thousand
fighters" → fighters, 15000–20000, attributed to US intelligence).

A figure is found by a pattern built from the number words ``nlp.numbers`` reads, then
kept only when it is a count, a sum or a measure: dates, years, ages, durations,
references ("Issue 1368"), phone numbers, list indices and interface counters ("908
Comments") are left out. The parse then gives what it counts (the noun it modifies,
"of" phrases, "others" and "of them" pointing back), the verb that makes the counted
people killed, held or returned, the actor and places in its clause, the date nearest
to it, and the source that states it. The vocabulary, units, sources and cue words are
data files in ``data/claims/``."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..nlp.dates import is_age, is_month_name, sentence_dates, width_precision
from ..nlp.numbers import Quantity, number_words, parse_quantity
from ..nlp.text import doc_entities, doc_text, spans_overlapping, spans_within
from ..records import Claim, DateRange, Location
from .attribution import Attributor, claim_cues, claims_data
from .syntax import clause, governing_verb

__all__ = ["OTHER", "Subject", "extract_claims", "subject_vocabulary"]

OTHER = "other"
# Subjects that count things, not people: a verb such as "killed" never re-labels them.
_THING_SUBJECTS = frozenset({"attacks", "funds", "provinces", "territory", "weapons", "distance"})
# Subjects that describe a group's strength or reach: a count without a named actor is
# about the clause's actor, else the document's main group.
_GROUP_SUBJECTS = frozenset(
    {"fighters", "members", "foreign fighters", "provinces", "funds", "territory", "attacks"}
)
# A single one counts only as a casualty ("one soldier was killed"); "one state" or
# "one of the leaders" is not a figure anyone tracks.
_CASUALTIES = frozenset({"killed", "wounded", "arrested", "kidnapped"})
_DESTINATION_VERBS = frozenset(
    {"transfer", "send", "deport", "move", "return", "go", "come", "travel"}
)
# Strength subjects: a count of fighters with no group named is the document's main group's.
_STRENGTH = frozenset({"fighters", "members", "foreign fighters"})
_DEFINITE = frozenset({"the", "these", "those", "its", "their", "his", "her", "our"})
_BACK = frozenset({"them", "those", "these", "whom", "which"})
_PARTICLES = frozenset({"back", "home", "out", "up", "down", "off", "away"})
_YEAR = re.compile(r"(?:1[89]|20|21)\d\d")
_PHONE = re.compile(r"\+?\(?\d[\d ()./-]{6,}\d")
_LINE_INDEX = re.compile(r"(?:^|\n)[ \t]*$")
# A line of at most this many words is a page's furniture ("908 Comments | 12 Shares").
_COUNTER_LINE = 8


@dataclass(frozen=True, slots=True)
class _Anchor:
    """What "now" is for the report: its publication date, or the window
    ``start``..``latest`` of an undated report (``approximate``)."""

    start: str | None
    approximate: bool
    latest: str | None


@dataclass(frozen=True, slots=True)
class Subject:
    name: str
    compare_as: str
    words: tuple[str, ...]
    verbs: tuple[str, ...]
    context: tuple[str, ...]
    context_needs: tuple[str, ...]
    words_with_armed_group: tuple[str, ...]
    subject_verbs: tuple[str, ...]
    # Tallies of one incident: figures further apart than this count different incidents.
    incident_window_days: int | None = None


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    subjects: tuple[Subject, ...]
    by_phrase: dict[str, Subject]
    by_verb: dict[str, Subject]
    by_subject_verb: dict[str, Subject]
    with_armed_group: dict[str, Subject]
    people: frozenset[str]
    longest_phrase: int


@dataclass(frozen=True, slots=True)
class _Units:
    prefixes: dict[str, str]
    after: dict[str, tuple[str, float]]
    suffix_scales: dict[str, int]
    fractions: dict[str, float]
    currencies: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Cues:
    reference_words: frozenset[str]
    interface_nouns: frozenset[str]
    counters: frozenset[str]  # interface nouns that prose also counts ("14 million votes")
    time_nouns: frozenset[str]
    present_words: frozenset[str]
    hedges: dict[str, str]
    not_figures: frozenset[str]
    excluded_place_prepositions: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Figure:
    """A figure as written: its characters, tokens, reading and unit."""

    start: int
    end: int
    span: Span
    quantity: Quantity
    unit: str
    fraction: bool = False


@dataclass(frozen=True, slots=True)
class _Counted:
    """What a figure counts: the noun and the words naming it (None when unsaid)."""

    noun: Token | None
    words: Span | None
    refers_back: bool = False


def _data(name: str) -> Any:
    return json.loads(claims_data(name))


@cache
def subject_vocabulary() -> _Vocabulary:
    """The controlled vocabulary of ``data/claims/subjects.json``."""
    raw = _data("subjects.json")
    subjects = tuple(
        Subject(
            name=row["name"],
            compare_as=row.get("compare_as", row["name"]),
            words=tuple(row.get("words", ())),
            verbs=tuple(row.get("verbs", ())),
            context=tuple(row.get("context", ())),
            context_needs=tuple(row.get("context_needs", ())),
            words_with_armed_group=tuple(row.get("words_with_armed_group", ())),
            subject_verbs=tuple(row.get("subject_verbs", ())),
            incident_window_days=row.get("incident_window_days"),
        )
        for row in raw["subjects"]
    )
    by_phrase: dict[str, Subject] = {}
    by_verb: dict[str, Subject] = {}
    by_subject_verb: dict[str, Subject] = {}
    with_armed_group: dict[str, Subject] = {}
    for subject in subjects:
        for word in subject.words:
            by_phrase.setdefault(word, subject)
        for verb in subject.verbs:
            by_verb.setdefault(verb, subject)
        for verb in subject.subject_verbs:
            by_subject_verb.setdefault(verb, subject)
        for word in subject.words_with_armed_group:
            with_armed_group.setdefault(word, subject)
    longest = max(len(p.split()) for p in by_phrase)
    return _Vocabulary(
        subjects,
        by_phrase,
        by_verb,
        by_subject_verb,
        with_armed_group,
        frozenset(raw["people_words"]),
        longest,
    )


@cache
def _units() -> _Units:
    raw = _data("units.json")
    after = {
        words: (entry["unit"], float(entry.get("factor", 1)))
        for words, entry in raw["after"].items()
    }
    currencies = {*raw["currency_prefixes"].values()}
    currencies.update(entry["unit"] for entry in raw["after"].values() if entry.get("currency"))
    return _Units(
        raw["currency_prefixes"], after, raw["suffix_scales"], raw["fractions"],
        frozenset(currencies),
    )  # fmt: skip


@cache
def _cues() -> _Cues:
    raw = claim_cues()
    return _Cues(
        reference_words=frozenset(raw["reference_words"]),
        interface_nouns=frozenset(raw["interface_nouns"]),
        counters=frozenset(raw["interface_counters"]),
        time_nouns=frozenset(raw["time_nouns"]),
        present_words=frozenset(raw["present_words"]),
        hedges=raw["hedges"],
        not_figures=frozenset(raw["not_figures"]),
        excluded_place_prepositions=frozenset(raw["excluded_place_prepositions"]),
    )


def _alternation(words: Iterable[str]) -> str:
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in ordered)


@cache
def _finder() -> re.Pattern[str]:
    """One pattern for every figure ``parse_quantity`` can read, with the hedge before it,
    a currency sign, a scale suffix ("$100m") and a unit after it."""
    words = number_words()
    units = _units()
    skip = _cues().not_figures
    number_word = f"(?:{_alternation(words.numbers)})"
    word_number = rf"(?:(?:an?\s+)?{number_word}(?:(?:[\s-]+|\s+and\s+){number_word})*)"
    digits = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    suffix = f"(?:{_alternation(units.suffix_scales)})"
    digit_number = rf"(?:{digits}(?:\s?{suffix}(?![\w]))?(?:\s+{number_word})*)"
    one = f"(?:{_alternation(words.idioms - skip)}|{digit_number}|{word_number})"
    numeric = (
        rf"(?:(?:between|from)\s+{one}\s*(?:-|–|—|\bto\b|\band\b)\s*{one}"
        rf"|{one}(?:\s*(?:-|–|—|\bto\b|\bor\b)\s*{one})?)"
    )
    vague = f"(?:{_alternation(words.vague - skip)})"
    fraction = rf"(?:{_alternation(units.fractions)})(?=\s+of\b)"
    qualifier = rf"(?:(?:{_alternation(words.qualifiers)})\s+)?"
    currency = rf"(?:(?:{_alternation(units.prefixes)})\s?)?"
    unit_after = rf"(?:\s?(?:%|(?:{_alternation(w for w in units.after if w != '%')})(?![\w])))"
    trailing = r"(?:\s+or\s+more|\s+or\s+so|\+)?"
    pattern = (
        rf"(?<![\w.,$£€-]){qualifier}{currency}(?:{fraction}|{vague}|{numeric})"
        rf"(?:{unit_after}|(?![\w])){trailing}"
    )
    return re.compile(pattern, re.IGNORECASE)


def extract_claims(
    doc: Doc,
    *,
    doc_id: str,
    anchor: str | None = None,
    approximate: bool = False,
    latest: str | None = None,
) -> list[Claim]:
    """The claims of ``doc`` (a document annotated by ``nlp.pipeline.load_pipeline``) in
    text order. ``anchor`` is the publication date that "last March" is read against
    (``approximate`` when the report is undated: ``anchor``..``latest`` is then the
    window in which it can have been written). Each claim's ``places`` hold the place
    spans (name, start, end) unresolved; the pipeline resolves them."""
    attributor = Attributor(doc)
    claims: list[Claim] = []
    for sent in doc.sents:
        figures = list(_figures(sent))
        if not figures:
            continue
        dates = sentence_dates(sent, anchor=anchor, approximate=approximate, latest=latest)
        counts = [_counted(figure) for figure in figures]
        phrases = [_figure_phrase(f, c) for f, c in zip(figures, counts, strict=True)]
        made: list[Claim] = []
        for figure, counted in zip(figures, counts, strict=True):
            others = _other_phrases(figure, phrases)
            claim = _claim(
                figure, counted, others, made, dates, attributor, doc_id,
                _Anchor(anchor, approximate, latest),
            )  # fmt: skip
            if claim is not None:
                made.append(claim)
        claims.extend(made)
    return claims


# --- finding figures -------------------------------------------------------------------


def _figures(sent: Span) -> Iterator[_Figure]:
    doc = sent.doc
    text = sent.text
    for match in _finder().finditer(text):
        start, end = sent.start_char + match.start(), sent.start_char + match.end()
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not span.text.strip():
            continue
        figure = _read(match.group(0), start, end, span)
        article = re.match(r"an?\s+", match.group(0), re.IGNORECASE)
        if figure is None and article is not None:  # "a ten-point lead": the ten
            start += article.end()
            span = doc.char_span(start, end, alignment_mode="expand")
            figure = _read(match.group(0)[article.end() :], start, end, span) if span else None
        if figure is not None and not _not_a_claim(figure):
            yield figure


def _read(written: str, start: int, end: int, span: Span) -> _Figure | None:
    """The quantity and unit of one figure as written."""
    units = _units()
    text = written.strip()
    unit = "count"
    factor = 1.0
    lowered = text.lower()
    for prefix in sorted(units.prefixes, key=len, reverse=True):
        at = lowered.find(prefix)
        if at >= 0 and re.fullmatch(r"[a-z ]*", lowered[:at]):
            unit = units.prefixes[prefix]
            text = text[:at] + text[at + len(prefix) :]
            break
    lowered = text.lower().rstrip()
    for words in sorted(units.after, key=len, reverse=True):
        if unit != "count" and words in units.suffix_scales:
            continue  # "£59.5m": after a currency sign, "m" is millions, not metres
        if lowered.endswith(words) and (words == "%" or not lowered[: -len(words)][-1:].isalpha()):
            unit, factor = units.after[words]
            text = text[: len(lowered) - len(words)]
            break
    text = _expand_suffix(text, units, money=unit in units.currencies)
    folded = re.sub(r"[\s-]+", " ", text.lower()).strip()
    for name, value in units.fractions.items():
        if folded.endswith(name):
            qualifier = parse_quantity(folded[: -len(name)] + "1")
            hedge = qualifier.qualifier if qualifier else None
            return _Figure(start, end, span, Quantity(value, value, hedge), "share", fraction=True)
    quantity = parse_quantity(text)
    if quantity is None:
        return None
    if quantity.vague and quantity.qualifier is None:
        # "tens of thousands" is a range read from a word: hedged by nature.
        quantity = replace(quantity, qualifier="about")
    if factor != 1.0:
        quantity = replace(quantity, low=quantity.low * factor, high=quantity.high * factor)
    return _Figure(start, end, span, quantity, unit)


def _expand_suffix(text: str, units: _Units, *, money: bool) -> str:
    """ "100m" → "100 million" where a currency makes "m" a scale (else it is metres)."""

    def scale(match: re.Match[str]) -> str:
        word = match.group(2).lower()
        if word in ("m", "b") and not money:
            return match.group(0)
        return f"{match.group(1)} {units.suffix_scales[word]}".replace(" 1000000000", " billion")

    expanded = re.sub(r"(\d)\s?(bn|mn|k|m|b)\b", scale, text, flags=re.IGNORECASE)
    return expanded.replace(" 1000000", " million").replace(" 1000", " thousand")


def _not_a_claim(figure: _Figure) -> bool:
    """Dates, years, ages, durations, references, phone numbers, list indices and
    interface counters are figures but not claims."""
    span = figure.span
    doc = span.doc
    text = doc_text(doc)
    cues = _cues()
    before = _neighbour(doc, span.start - 1, -1)
    after = _neighbour(doc, span.end, 1)
    if figure.quantity.high <= 0:
        return True
    if before is not None and before.lower_.rstrip(".") in cues.reference_words:
        return True
    if before is not None and before.text == "#":
        return True
    if before is not None and before.lower_ in _DEFINITE and span.text.replace("-", "").isalpha():
        return True  # "the two countries" refers back; it states no figure
    if after is not None and after.lemma_ in cues.time_nouns:
        return True
    if after is not None and after.lower_ in cues.interface_nouns:
        # "908 Comments" on a line of its own; "received 14 million votes" is told
        line = text[text.rfind("\n", 0, figure.start) + 1 :].split("\n", 1)[0]
        if after.lower_ not in cues.counters or len(line.split()) <= _COUNTER_LINE:
            return True
    if after is not None and after.text == ":" and figure.end < len(text) - 1:
        return text[figure.end + 1 : figure.end + 2].isdigit()
    if is_age(text, figure.start, figure.end, text[figure.start : figure.end]):
        return True
    if _in_date(span) or _is_year(figure, after):
        return True
    if any(t is not None and is_month_name(t.text) for t in (before, after)):
        return True  # "11-13 Dec", "September 17": dates spaCy did not tag
    if _technical(text, figure.start, figure.end, after):
        return True
    if _LINE_INDEX.search(text[max(0, figure.start - 80) : figure.start]) and text[
        figure.end : figure.end + 1
    ] in (".", ")"):
        return True
    return _is_phone(text, figure.start, figure.end)


def _neighbour(doc: Doc, at: int, step: int) -> Token | None:
    """The nearest token at ``at`` or beyond in direction ``step`` that is not blank."""
    while 0 <= at < len(doc) and doc[at].is_space:
        at += step
    return doc[at] if 0 <= at < len(doc) else None


def _in_date(span: Span) -> bool:
    """A figure inside a DATE or TIME entity that names a month, weekday, year or unit of
    time ("April 12", "two weeks"). spaCy also tags bare counts as DATE; those stay."""
    for ent in doc_entities(span.doc):
        if ent.label_ not in ("DATE", "TIME") or ent.end <= span.start or ent.start >= span.end:
            continue
        if any(not (t.like_num or t.is_punct or t.lower_ in ("and", "to", "-")) for t in ent):
            return True
        if any(_YEAR.fullmatch(t.text) for t in ent):
            return True
    return False


def _is_year(figure: _Figure, after: Token | None) -> bool:
    written = figure.span.text.strip()
    if not _YEAR.fullmatch(written) or figure.unit != "count":
        return False
    return (
        after is None or after.pos_ not in ("NOUN", "PROPN") or after.lemma_ in _cues().time_nouns
    )


def _technical(text: str, start: int, end: int, after: Token | None) -> bool:
    """Citation marks ("[3]"), coordinates ("33°47′N"), "24/7", and a name's number
    ("Radio 4's")."""
    left, right = text[start - 1 : start], text[end : end + 1]
    if (left, right) == ("[", "]") or right in ("°", "/") or left == "/":
        return True
    if "°" in text[max(0, start - 30) : end + 30]:
        return True
    return after is not None and after.tag_ == "POS" and text[start - 2 : start - 1].isalpha()


def _is_phone(text: str, start: int, end: int) -> bool:
    window = text[max(0, start - 6) : end + 12]
    for match in _PHONE.finditer(window):
        digits = sum(c.isdigit() for c in match.group(0))
        if digits >= 8 and re.search(r"\d[ ./-]\d", match.group(0)):
            return True
    return False


# --- what a figure counts --------------------------------------------------------------


def _counted(figure: _Figure) -> _Counted:
    """The noun a figure counts: "7,000 fighters", "thousands of fighters", "1,000 of ISIS
    fighters"; "of them" and "others" point back to the sentence's previous count."""
    span = figure.span
    doc = span.doc
    sent = span.sent
    after = doc[span.end] if span.end < sent.end else None
    if after is not None and after.lower_ == "of":
        noun = _run_noun(doc, after.i + 1, sent.end)
        if noun is None:
            objects = [c for c in after.children if c.dep_ == "pobj"]
            noun = objects[0] if objects else _next_noun(doc, after.i + 1, sent.end)
        if noun is not None:
            refers = noun.lower_ in _BACK
            return _Counted(noun, doc[after.i + 1 : noun.i + 1], refers_back=refers)
    run_end = span.end
    while run_end < sent.end and _in_noun_run(doc[run_end]):
        run_end += 1
    nouns = [t for t in doc[span.end : run_end] if t.pos_ in ("NOUN", "PROPN")]
    heads = [t for t in nouns if t.dep_ not in ("compound", "amod", "nmod", "poss")]
    if nouns:
        noun = heads[0] if heads else nouns[-1]
        return _Counted(noun, doc[span.end : noun.i + 1], refers_back=noun.lower_ == "others")
    root = span.root
    modifies = root.dep_ in ("nummod", "quantmod", "amod", "compound") and root.head.pos_ == "NOUN"
    if modifies and span.end <= root.head.i <= span.end + 4:
        return _Counted(root.head, doc[span.end : root.head.i + 1])
    head = root.head.head if root.head.dep_ == "amod" else root.head
    described = all(t.pos_ in ("ADJ", "CCONJ", "PUNCT", "NOUN") for t in doc[span.end : head.i])
    if described and head.pos_ in ("NOUN", "PROPN") and span.end <= head.i <= span.end + 6:
        return _Counted(head, doc[span.end : head.i + 1])  # "8 million low- and middle-income"
    noun = _number_of(span) or _whole_of(span)
    if noun is None:
        return _Counted(None, None)
    modifiers = [c.i for c in noun.children if c.dep_ in ("amod", "compound")]
    return _Counted(noun, doc[min([*modifiers, noun.i]) : noun.i + 1])


def _run_noun(doc: Doc, start: int, end: int) -> Token | None:
    """The last noun of the noun phrase starting at ``start`` ("the «Da'ash» fighters",
    "IS' foreign fighters"), skipping its determiner."""
    while start < end and doc[start].pos_ in ("DET", "PRON") and doc[start].lower_ not in _BACK:
        start += 1
    run_end = start
    while run_end < end and _in_noun_run(doc[run_end]):
        run_end += 1
    nouns = [t for t in doc[start:run_end] if t.pos_ == "NOUN"]
    return nouns[-1] if nouns else None


def _in_noun_run(token: Token) -> bool:
    if token.text in ("«", "»", "'", "’") or token.tag_ == "POS":
        return True
    return token.pos_ in ("ADJ", "NOUN", "PROPN") and token.dep_ not in ("prep", "cc")


def _next_noun(doc: Doc, start: int, end: int) -> Token | None:
    for token in doc[start : min(end, start + 6)]:
        if token.pos_ in ("NOUN", "PROPN", "PRON") and token.head.pos_ not in ("NOUN", "PROPN"):
            return token
    return None


def _whole_of(span: Span) -> Token | None:
    """ "a population of 80,000", "a wealth of $400 million": the noun before "of"."""
    before = _neighbour(span.doc, span.start - 1, -1)
    if before is not None and before.lower_ == "of" and before.head.pos_ == "NOUN":
        return before.head
    return None


def _number_of(span: Span) -> Token | None:
    """ "The number of its members ... is estimated at 18,000": the counted noun is named
    earlier, after "number of" (or "total", "strength")."""
    for token in reversed(span.sent[: span.start - span.sent.start]):
        if token.lemma_ in ("number", "total", "tally", "strength", "size", "count"):
            for prep in token.children:
                if prep.lower_ == "of":
                    objects = [c for c in prep.children if c.dep_ == "pobj"]
                    if objects:
                        return objects[0]
    return None


def _subject(
    figure: _Figure, counted: _Counted, previous: Sequence[Claim], sent: Span
) -> tuple[str, str]:
    """The vocabulary subject and the counted words as written."""
    vocabulary = subject_vocabulary()
    words = counted.words.text if counted.words is not None else ""
    if counted.refers_back and previous:
        by_verb = _verb_subject(counted.noun, vocabulary) if counted.noun is not None else None
        by_verb = by_verb or _verb_subject(figure.span.root, vocabulary)
        if by_verb is not None:
            return by_verb.name, previous[-1].subject_text
        return previous[-1].subject, previous[-1].subject_text
    by_unit = _subject_by_unit(figure, sent)
    if by_unit is not None:
        return by_unit, words or _purpose(figure) or figure.span.text
    noun = counted.noun
    if noun is None:
        # "millions have been displaced", "killed 12": the verb says who is counted.
        by_verb = _verb_subject(figure.span.root, vocabulary)
        return (by_verb.name, figure.span.root.head.text) if by_verb else (OTHER, words)
    subject = _noun_subject(counted, sent, vocabulary)
    name = subject.name if subject is not None else None
    people = noun is not None and (noun.lemma_.lower() in vocabulary.people or name is not None)
    if noun is not None and name is None and not people:
        by_verb = _verb_subject(noun, vocabulary)
        if by_verb is not None and by_verb.name in _CASUALTIES:
            return by_verb.name, words  # "abducted 30 shepherds"
    if noun is not None and people and name not in _THING_SUBJECTS:
        by_verb = _verb_subject(noun, vocabulary) or _verb_subject(figure.span.root, vocabulary)
        if by_verb is not None:
            return by_verb.name, words
        by_context = _context_subject(noun, name, sent, vocabulary)
        if by_context is not None:
            return by_context.name, words
    return name or OTHER, words


def _purpose(figure: _Figure) -> str | None:
    """ "$200 million in financial support": what a sum is, written after it (a sum
    written after its noun, "a wealth of $400 million", is read by ``_whole_of``)."""
    doc = figure.span.doc
    after = _neighbour(doc, figure.span.end, 1)
    if after is None or after.lower_ not in ("in", "of", "for"):
        return None
    objects = [c for c in after.children if c.dep_ == "pobj"]
    if not objects:
        return None
    noun = objects[0]
    return doc[after.i + 1 : noun.i + 1].text


def _subject_by_unit(figure: _Figure, sent: Span) -> str | None:
    if figure.unit in _units().currencies:
        return "funds"
    if figure.unit == "km2" or figure.fraction:
        return "territory"
    if figure.unit in ("km", "m"):
        controlled = any(t.lemma_ in ("control", "hold", "seize", "hold out") for t in sent)
        return "territory" if controlled else "distance"
    return None


def _noun_subject(counted: _Counted, sent: Span, vocabulary: _Vocabulary) -> Subject | None:
    noun = counted.noun
    assert noun is not None
    tokens = [t for t in (counted.words or []) if t.i <= noun.i and t.is_alpha]
    tokens += [c for c in noun.children if c.dep_ in ("amod", "compound") and c not in tokens]
    tokens.sort(key=lambda t: t.i)
    modifiers = [t for t in tokens if t.i < noun.i]
    for size in range(min(vocabulary.longest_phrase, len(modifiers) + 1), 0, -1):
        words = modifiers[len(modifiers) - size + 1 :]
        for head in {noun.lemma_.lower(), noun.lower_}:
            for form in (
                " ".join(t.lower_ for t in words),
                " ".join(t.lemma_.lower() for t in words),
            ):
                phrase = f"{form} {head}".strip()
                if phrase in vocabulary.by_phrase:
                    return vocabulary.by_phrase[phrase]
    armed = vocabulary.with_armed_group.get(noun.lemma_.lower())
    if armed is not None and _has_armed_group(sent):
        return armed
    return None


def _has_armed_group(sent: Span) -> bool:
    actors = sent.doc.spans.get("actors", [])
    return any(a.start >= sent.start and a.end <= sent.end and a._.inter in (2, 3) for a in actors)


def _verb_subject(noun: Token, vocabulary: _Vocabulary) -> Subject | None:
    """ "274 people were killed", "killed 3500 fighters", "6,000 of them arrested",
    "fighters captured by the SDF", "2,000 members had gone back"."""
    for verb, as_subject in _governing_verbs(noun):
        lemma = verb.lemma_.lower()
        particle = next(
            (
                c.lower_
                for c in verb.children
                if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in _PARTICLES)
            ),
            None,
        )
        key = f"{lemma} {particle}" if particle else lemma
        table = vocabulary.by_subject_verb if as_subject else vocabulary.by_verb
        if key in table:
            return table[key]
    return None


def _governing_verbs(noun: Token) -> Iterator[tuple[Token, bool]]:
    """Verbs whose patient the noun is (False) or whose subject it is (True)."""
    if noun.dep_ in ("dobj", "nsubjpass", "nsubj") and noun.head.pos_ in ("VERB", "AUX"):
        verb = noun.head
        as_subject = noun.dep_ == "nsubj"
        yield verb, as_subject
        if noun.dep_ == "dobj":
            yield from ((c, False) for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB")
        if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
            yield verb.head, as_subject
        yield from (
            (c, as_subject) for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"
        )
    if noun.dep_ == "pobj" and noun.head.head.pos_ == "VERB":
        yield noun.head.head, False
    for child in noun.children:
        if child.dep_ in ("acl", "relcl") and child.pos_ == "VERB":
            yield child, child.tag_ != "VBN"


def _context_subject(
    noun: Token, name: str | None, sent: Span, vocabulary: _Vocabulary
) -> Subject | None:
    """ "citizens ... who are now in camps" → camp residents; "people from 110 countries
    ... to join IS" → foreign fighters."""
    if name not in (None, "fighters", "members"):
        return None
    verb = governing_verb(noun)
    scope = verb.subtree if verb is not None else noun.subtree
    lemmas = {t.lemma_.lower() for t in scope}
    for subject in vocabulary.subjects:
        needs = subject.context_needs
        if lemmas.intersection(subject.context) and all(need in lemmas for need in needs):
            return subject
    return None


# --- scope: actor, places, date ---------------------------------------------------------


def _actor(counted: _Counted, figure: _Figure, subject: str, source_tokens: set[int]) -> str | None:
    doc = figure.span.doc
    sent = figure.span.sent
    actors = spans_within(doc, "actors", sent.start, sent.end)
    phrase: set[int] = set(range(figure.span.start, figure.span.end))
    if counted.noun is not None:
        phrase.update(range(figure.span.end, counted.noun.i + 1))
        phrase.update(_own_phrase(counted.noun))
    for actor in actors:
        if phrase.intersection(range(actor.start, actor.end)) and actor.start not in source_tokens:
            # "displaced people" is a civilian actor span; the subject already says so.
            return str(actor.kb_id_) or None if actor._.inter != 7 else None
    if subject not in _GROUP_SUBJECTS:
        return None
    anchor = counted.noun or figure.span.root
    in_clause = {t.i for t in clause(anchor)}
    for actor in actors:
        if (
            actor.start in in_clause
            and actor.start not in source_tokens
            and actor._.inter in (2, 3)
        ):
            return str(actor.kb_id_) or None
    possessed = counted.noun is not None and any(
        c.lower_ in ("its", "their") for c in counted.noun.children
    )
    if possessed or subject in _STRENGTH:
        main = doc.spans["actors"].attrs.get("main_group") if "actors" in doc.spans else None
        return str(main) if main else None
    return None


def _own_phrase(noun: Token) -> set[int]:
    """The noun with its modifiers and "of"/"linked to" attachments, not its clauses."""
    found = {noun.i}
    for child in noun.children:
        if child.dep_ in ("relcl", "acl") and child.tag_ != "VBN":
            continue
        if child.dep_ in ("relcl", "acl", "prep", "amod", "compound", "poss", "nmod", "appos"):
            found.update(t.i for t in child.subtree)
    return found


def _places(
    figure: _Figure, counted: _Counted, others: set[int], source_tokens: set[int]
) -> tuple[Location, ...]:
    """The places the count is about: those in its own phrase ("prisoners held in
    Syria"), else in its clause ("Iraq holds 20,000 prisoners"). Origins and destinations
    ("from Bagouz", "transferred to Iraq") and the places inside the counted words ("US
    troops") are not its scope."""
    doc = figure.span.doc
    noun = counted.noun
    anchor = noun if noun is not None else figure.span.root
    skip = others | source_tokens | set(range(figure.span.start, figure.span.end))
    if counted.words is not None and not figure.fraction:
        skip.update(range(counted.words.start, counted.words.end))
    own = _own_phrase(noun) if noun is not None else set()
    if figure.fraction and counted.words is not None:
        own = set(range(counted.words.start, counted.words.end))  # "half of Iraq"
    scopes = (own, {t.i for t in clause(anchor)})
    # Only places that start in a scope count: read those, not the document's all.
    first = min(min(scope, default=len(doc)) for scope in scopes)
    last = max(max(scope, default=-1) for scope in scopes)
    places = [p for p in spans_overlapping(doc, "places", first, last + 1) if p.start >= first]
    places = [p for p in places if p.start not in skip]
    places = [p for p in places if not _origin_or_destination(p)]
    for scope in scopes:
        found: dict[str, Location] = {}
        for place in places:
            if place.start in scope and place.text not in found:
                found[place.text] = Location(
                    name=place.text, start=place.start_char, end=place.end_char
                )
        if found:
            return tuple(list(found.values())[:3])
    return ()


def _origin_or_destination(place: Span) -> bool:
    excluded = _cues().excluded_place_prepositions
    token = place.root
    for _ in range(4):
        if token.dep_ not in ("pobj", "compound", "appos", "conj"):
            return False
        head = token.head
        if token.dep_ == "pobj":
            if head.lower_ in excluded:
                return True
            if head.lower_ == "to" and head.head.lemma_ in _DESTINATION_VERBS:
                return True
            if head.lower_ != "of":
                return False
            token = head.head
        else:
            token = head
    return False


def _as_of(
    figure: _Figure,
    counted: _Counted,
    dates: Sequence[tuple[int, int, DateRange]],
    others: set[int],
    anchor: _Anchor,
) -> DateRange:
    """The date stated in the figure's clause, nearest first; else the publication date
    (a claim made in the present holds as of the report: for an undated report, any day
    of its window)."""
    doc = figure.span.doc
    unit = counted.noun if counted.noun is not None else figure.span.root
    in_clause = {t.i for t in clause(unit)} - others
    stated: list[tuple[int, DateRange]] = []
    for start, end, when in dates:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or span.start not in in_clause or when.start is None:
            continue
        stated.append((min(abs(start - figure.end), abs(figure.start - end)), when))
    present = _cues().present_words
    sent_start = figure.span.sent.start
    lead = [t.lower_ for t in doc[max(sent_start, figure.span.start - 4) : figure.span.start]]
    if counted.noun is not None:
        lead += [c.lower_ for c in counted.noun.children if c.dep_ == "advmod"]
    if stated and not present.intersection(lead):
        return min(stated, key=lambda s: s[0])[1]
    if anchor.start is None:
        return DateRange.unknown()
    last = anchor.latest if anchor.approximate and anchor.latest else anchor.start
    return DateRange(
        start=anchor.start, end=last, precision=width_precision(anchor.start, last),
        approximate=anchor.approximate,
    )  # fmt: skip


def _hedge(figure: _Figure, counted: _Counted) -> str | None:
    cues = _cues()
    written = figure.span.text.lower()
    for word, meaning in cues.hedges.items():
        if re.search(rf"\b{re.escape(word)}\b", written):
            return meaning
    token = counted.noun if counted.noun is not None else figure.span.root
    for _ in range(6):
        if token.head.i == token.i:
            break
        token = token.head
        modifiers = [c for c in token.children if c.dep_ in ("aux", "advmod", "auxpass")]
        for candidate in (token, *modifiers):
            if candidate.lower_ in cues.hedges and candidate.pos_ != "NOUN":
                return cues.hedges[candidate.lower_]
        if token.pos_ == "VERB" and token.dep_ in ("ROOT", "ccomp"):
            break
    return None


# --- the claim -------------------------------------------------------------------------


def _claim(
    figure: _Figure,
    counted: _Counted,
    others: set[int],
    previous: Sequence[Claim],
    dates: Sequence[tuple[int, int, DateRange]],
    attributor: Attributor,
    doc_id: str,
    anchor: _Anchor,
) -> Claim | None:
    sent = figure.span.sent
    figure = _unit_from_noun(figure, counted)
    subject, subject_text = _subject(figure, counted, previous, sent)
    if figure.fraction:
        subject_text = f"{figure.span.text} of {subject_text}"
    quantity = figure.quantity
    if subject == OTHER and counted.noun is None and figure.unit == "count":
        return None
    if subject_text == "" and counted.noun is None and subject != OTHER:
        subject_text = subject
    if quantity.high <= 1 and figure.unit == "count" and subject not in _CASUALTIES:
        return None
    source = attributor.source_of(figure.span)
    source_tokens = set(source.tokens) if source is not None else set()
    hedge = _hedge(figure, counted)
    if source is not None and source.hedge and hedge is None:
        hedge = source.hedge
    claim = Claim(
        id=_claim_id(doc_id, figure),
        doc_id=doc_id,
        subject=subject,
        subject_text=subject_text,
        value_low=quantity.low,
        value_high=quantity.high,
        unit=figure.unit,
        quantity_text=doc_text(figure.span.doc)[figure.start : figure.end],
        quantity_span=(figure.start, figure.end),
        text=sent.text,
        span=(sent.start_char, sent.end_char),
        qualifier=quantity.qualifier,
        vague=quantity.vague,
        actor=_actor(counted, figure, subject, source_tokens),
        places=_places(figure, counted, others, source_tokens),
        as_of=_as_of(figure, counted, dates, others, anchor),
        attributed_to=source.name if source is not None else None,
        attributed_text=source.text if source is not None else None,
        hedge=hedge,
    )
    return replace(claim, confidence=_confidence(claim, counted))


def _unit_from_noun(figure: _Figure, counted: _Counted) -> _Figure:
    """ "hundreds of millions of dollars", "thousands of kilometres": the unit is the noun."""
    if figure.unit != "count" or counted.noun is None:
        return figure
    found = _units().after.get(counted.noun.lower_)
    if found is None:
        return figure
    unit, factor = found
    q = figure.quantity
    return replace(figure, unit=unit, quantity=replace(q, low=q.low * factor, high=q.high * factor))


def _figure_phrase(figure: _Figure, counted: _Counted) -> set[int]:
    """The tokens of a figure and the phrase of what it counts."""
    phrase = _own_phrase(counted.noun) if counted.noun is not None else set()
    phrase.update(range(figure.span.start, figure.span.end))
    return phrase


def _other_phrases(figure: _Figure, phrases: Sequence[set[int]]) -> set[int]:
    """Tokens that belong to the sentence's other figures' phrases (their places and
    dates are theirs), unless that phrase holds this figure."""
    own = range(figure.span.start, figure.span.end)
    taken: set[int] = set()
    for phrase in phrases:
        if not phrase.intersection(own):
            taken.update(phrase)
    return taken


def _confidence(claim: Claim, counted: _Counted) -> float:
    score = 0.4
    score += 0.2 if claim.subject != OTHER else 0.0
    score += 0.1 if counted.noun is not None else 0.0
    score += 0.1 if claim.attributed_to else 0.0
    score += 0.1 if claim.as_of.precision != "unknown" else 0.0
    score -= 0.1 if claim.vague else 0.0
    return round(min(score, 0.95), 2)


def _claim_id(doc_id: str, figure: _Figure) -> str:
    digest = hashlib.sha1(f"{doc_id}:{figure.start}:{figure.end}".encode()).hexdigest()
    return f"c-{digest[:16]}"
