"""Who states a figure: "according to the New York Times", "Caggins said" (the full name
given earlier), "US intelligence estimations indicate", "a report by the Soufan Centre
estimated", "the centre concluded" (the centre named before), or a quote's speaker.

Sources resolve to canonical names: the sources table (``data/claims/sources.jsonl``:
outlets, research centres, monitors, agencies, with their spellings), then the people
and actors the NLP components found, then spaCy's organisations. A pronoun or a bare
role ("he", "it", "the official", "the report") refers to the last person or
organisation named before it."""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..nlp.fold import fold
from ..nlp.text import doc_entities, doc_text
from .syntax import clause, has_subject

__all__ = ["Attributor", "Source", "claim_cues", "claims_data"]

_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_ORG_PRONOUNS = frozenset({"it", "they", "its"})
_ROLE_NOUNS = frozenset(
    {
        "official", "spokesman", "spokeswoman", "spokesperson", "commander", "leader",
        "minister", "director", "general", "officer", "chief", "head", "researcher",
        "analyst", "expert", "envoy", "ambassador", "governor", "president", "secretary",
    }
)  # fmt: skip
# How far back "the official" or "he" looks for the person it means.
_NEARBY = 1500
_DETERMINERS = ("the ", "a ", "an ", "its ", "their ", "his ", "her ")
_QUOTES_CLOSE = '”"'


@dataclass(frozen=True, slots=True)
class Source:
    """A figure's source: ``name`` canonical (None when the text only hedges, as in
    "according to estimates"), ``text`` as written, the tokens it spans, and the hedge
    its wording carries."""

    name: str | None
    text: str
    tokens: tuple[int, ...]
    hedge: str | None = None


@dataclass(frozen=True, slots=True)
class _Named:
    start: int
    end: int
    name: str
    person: bool
    listed: bool = False  # in the sources table


@dataclass(frozen=True, slots=True)
class _Table:
    pattern: re.Pattern[str]
    names: dict[str, str]  # folded alias -> canonical


def claims_data(name: str) -> str:
    """A file of ``data/claims/`` (the claim components' one reader of it)."""
    return (resources.files("ember") / "data" / "claims" / name).read_text(encoding="utf-8")


@cache
def claim_cues() -> dict[str, Any]:
    """``data/claims/cues.json``, read once for the extractor and the attributor."""
    cues: dict[str, Any] = json.loads(claims_data("cues.json"))
    return cues


@cache
def _say_verbs() -> frozenset[str]:
    return frozenset(claim_cues()["say_verbs"])


@cache
def _report_nouns() -> frozenset[str]:
    return frozenset(claim_cues()["report_nouns"])


@cache
def _table() -> _Table:
    """One pattern over every alias: single words and short capitals match in their case
    ("AP", "Amnesty"), longer names in any case."""
    names: dict[str, str] = {}
    exact: list[str] = []
    loose: list[str] = []
    for line in claims_data("sources.jsonl").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        for alias in {row["name"], *row["aliases"]}:
            names[fold(alias)] = row["name"]
            (exact if " " not in alias.strip() else loose).append(alias)
    exact_part = "|".join(re.escape(a) for a in sorted(exact, key=len, reverse=True))
    loose_part = "|".join(re.escape(a) for a in sorted(loose, key=len, reverse=True))
    pattern = rf"(?<![\w])(?:(?i:{loose_part})|{exact_part})(?![\w])"
    return _Table(re.compile(pattern), names)


class Attributor:
    """Finds the source of each figure of one document."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.named = sorted(self._named(), key=lambda n: n.start)
        self.starts = [n.start for n in self.named]

    def _named(self) -> Iterator[_Named]:
        doc = self.doc
        table = _table()
        matched: list[tuple[int, int]] = []
        for match in table.pattern.finditer(doc_text(doc)):
            name = table.names.get(fold(match.group(0)))
            if name is not None:
                matched.append((match.start(), match.end()))
                yield _Named(match.start(), match.end(), name, person=False, listed=True)

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in matched)

        for span in doc.spans.get("persons", []):
            if free(span.start_char, span.end_char):
                yield _Named(span.start_char, span.end_char, span.kb_id_ or span.text, True)
        for span in doc.spans.get("actors", []):
            if free(span.start_char, span.end_char) and span._.inter != 7:
                yield _Named(span.start_char, span.end_char, span.kb_id_ or span.text, False)
        taken = {(s.start_char, s.end_char) for s in doc.spans.get("actors", [])}
        taken.update((s.start_char, s.end_char) for s in doc.spans.get("persons", []))
        for ent in doc_entities(doc):
            if ent.label_ not in ("ORG", "PERSON") or not free(ent.start_char, ent.end_char):
                continue
            if (ent.start_char, ent.end_char) not in taken and _overlaps_none(ent, taken):
                yield _Named(ent.start_char, ent.end_char, _clean(ent.text), ent.label_ == "PERSON")

    def source_of(self, figure: Span) -> Source | None:
        """The source stating ``figure``, or None when the document states it itself."""
        sent = figure.sent
        speaker, hedge = self._speaker(figure)
        found = (
            self._according_to(figure, sent)
            or speaker
            or self._quoted(figure, sent)
            or self._according_to(figure, sent, anywhere=True)
        )
        if found is None and hedge is not None:
            return Source(None, "", (), hedge)
        return found

    # -- the three ways a source is written -------------------------------------------

    def _according_to(self, figure: Span, sent: Span, *, anywhere: bool = False) -> Source | None:
        """ "according to X" in the figure's clause (or, ``anywhere``, its sentence)."""
        own = {t.i for t in clause(figure.root)}
        found: list[tuple[int, Source]] = []
        for token in sent:
            if token.lower_ != "according" or not (anywhere or token.i in own):
                continue
            to = next((c for c in token.children if c.lower_ == "to"), None)
            if to is None and token.i + 1 < sent.end and token.nbor().lower_ == "to":
                to = token.nbor()
            objects = [c for c in to.children if c.dep_ == "pobj"] if to is not None else []
            if not objects and to is not None and to.i + 1 < sent.end:
                objects = [to.nbor()]
            if objects:
                source = self._resolve(_phrase(objects[0]), objects[0])
                if source is not None:
                    found.append((abs(token.i - figure.start), source))
        return min(found, key=lambda f: f[0])[1] if found else None

    def _speaker(self, figure: Span) -> tuple[Source | None, str | None]:
        """The subject of the saying verb the figure depends on: "X said (that) ...",
        "X estimated ...", "US intelligence estimations indicate that ..."."""
        token = figure.root
        hedge: str | None = None
        for _ in range(12):
            if token.head.i == token.i:
                break
            if token.dep_ in ("advcl", "relcl", "parataxis") or (
                token.dep_ == "conj" and has_subject(token)
            ):
                break  # a clause of its own, not what the verb above says
            token = token.head
            if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in _say_verbs():
                continue
            speaker = _subject_of(token)
            if speaker is None:
                if token.lemma_.lower() == "estimate":
                    hedge = "estimated"
                continue
            if set(range(figure.start, figure.end)).intersection(t.i for t in speaker.subtree):
                continue
            source = self._resolve(_phrase(speaker), speaker)
            if source is not None:
                return source, hedge
        return None, hedge

    def _quoted(self, figure: Span, sent: Span) -> Source | None:
        """A figure inside quotation marks: the speaker named after the closing mark
        ("...,” Caggins said") or before the opening one ("the official said: “...")."""
        text = doc_text(self.doc)
        paragraph = text.rfind("\n", 0, figure.start_char) + 1
        before = text[paragraph : figure.start_char]
        curly_open = before.count("“") > before.count("”")
        if not curly_open and before.count('"') % 2 == 0:
            return None
        close = min(
            (i for i in (text.find(q, figure.end_char) for q in _QUOTES_CLOSE) if i >= 0),
            default=-1,
        )
        if close < 0:
            return None
        after = self.doc.char_span(close, close + 1, alignment_mode="expand")
        if after is None:
            return None
        window = self.doc[after.end : min(len(self.doc), after.end + 12)]
        for token in window:
            if token.pos_ == "VERB" and token.lemma_.lower() in _say_verbs() | {"continue"}:
                speaker = _subject_of(token) or _following_name(token)
                if speaker is not None:
                    return self._resolve(_phrase(speaker), speaker)
            if token.is_sent_end and token.i > after.end + 1:
                break
        return None

    # -- naming the source ------------------------------------------------------------

    def _resolve(self, phrase: list[Token], head: Token) -> Source | None:
        if not phrase:
            return None
        start, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1])
        tokens = tuple(t.i for t in phrase)
        written = doc_text(self.doc)[start:end]
        inside = [n for n in self.named if n.start >= start and n.end <= end]
        if inside and not (head.lemma_.lower() in _ROLE_NOUNS and _definite(head)):
            chosen = _preferred(inside, head)
            return Source(chosen.name, doc_text(self.doc)[chosen.start : chosen.end], tokens)
        if inside and all(not n.person for n in inside):
            earlier = self._last_before(start, person=True, within=_NEARBY)
            chosen = earlier or _preferred(inside, head)
            return Source(chosen.name, written, tokens)
        lemma = head.lemma_.lower()
        named = _appositive_name(head)
        if lemma in _ROLE_NOUNS and named is not None:
            return Source(named, named, tokens)
        if head.lower_ in _PERSON_PRONOUNS or (lemma in _ROLE_NOUNS and _definite(head)):
            earlier = self._last_before(start, person=True, within=_NEARBY)
            if earlier is not None:
                return Source(earlier.name, written, tokens)
            if head.lower_ in _PERSON_PRONOUNS:
                return None
            return Source(_clean(written), written, tokens)
        if head.lower_ in _ORG_PRONOUNS or _refers_back(head):
            word = lemma if head.pos_ == "NOUN" else ""
            earlier = self._last_before(start, person=False, word=word)
            return Source(earlier.name, written, tokens) if earlier else None
        if lemma in _report_nouns():
            return Source(None, written, tokens, hedge="estimated")
        if head.pos_ in ("PRON", "DET") or not head.is_alpha:
            return None
        return Source(_clean(written), written, tokens)

    def _last_before(
        self, at: int, *, person: bool, word: str = "", within: int | None = None
    ) -> _Named | None:
        """The last person (or organisation) named before ``at`` (and at most ``within``
        characters before it); for "the centre" the last organisation whose name holds
        that word, if any."""
        earliest = at - within if within is not None else -1
        named = self.named[: bisect_left(self.starts, at)]
        candidates = [n for n in named if n.person == person and n.start >= earliest]
        if word and not person:
            key = fold(word)[:4]
            matching = [n for n in candidates if key in fold(n.name)]
            if matching:
                return matching[-1]
        if not person:
            # "it said", "the report said": a source named as such, not any actor.
            listed = [n for n in candidates if n.listed]
            if listed:
                return listed[-1]
        return candidates[-1] if candidates else None


def _overlaps_none(ent: Span, taken: set[tuple[int, int]]) -> bool:
    return all(ent.end_char <= s or ent.start_char >= e for s, e in taken)


def _preferred(inside: Iterable[_Named], head: Token) -> _Named:
    """The name heading the phrase, else a person, else the first named."""
    ordered = list(inside)
    for named in ordered:
        if named.start <= head.idx < named.end:
            return named
    people = [n for n in ordered if n.person]
    return people[0] if people else ordered[0]


def _subject_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "expl"):
            return child if child.dep_ == "nsubj" else None
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    # "X said, explaining that ...": a participle or coordinated verb shares X.
    shares = verb.dep_ in ("conj", "xcomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG")
    if shares and verb.head.pos_ in ("VERB", "AUX"):
        return _subject_of(verb.head)
    return None


def _following_name(verb: Token) -> Token | None:
    """ "... ,” said Caggins": the name right after the verb."""
    doc = verb.doc
    if verb.i + 1 < len(doc) and doc[verb.i + 1].pos_ == "PROPN":
        return doc[verb.i + 1]
    return None


def _phrase(head: Token) -> list[Token]:
    """The noun phrase a source is written as, without its relative clauses."""
    tokens = {head}
    for child in head.children:
        if child.dep_ in ("relcl", "acl", "punct", "cc") and child.i > head.i:
            continue
        tokens.update(child.subtree)
    ordered = sorted(tokens, key=lambda t: t.i)
    while ordered and (ordered[-1].is_punct or ordered[-1].dep_ == "cc"):
        ordered.pop()
    while ordered and ordered[0].is_punct:
        ordered.pop(0)
    return ordered


def _appositive_name(head: Token) -> str | None:
    """ "the commander of the operations, Hafal Rooney": the name set beside a role."""
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            names = [t for t in child.subtree if t.pos_ == "PROPN"]
            return " ".join(t.text for t in names)
    return None


def _definite(head: Token) -> bool:
    return any(
        c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that") for c in head.children
    )


def _refers_back(head: Token) -> bool:
    """ "the report", "the centre", "the forum": a definite common noun."""
    determiners = [c for c in head.children if c.dep_ == "det"]
    names = [c for c in head.subtree if c.pos_ == "PROPN"]
    return head.pos_ == "NOUN" and not names and any(d.lower_ == "the" for d in determiners)


def _clean(text: str) -> str:
    cleaned = " ".join(text.split())
    lowered = cleaned.lower()
    for determiner in _DETERMINERS:
        if lowered.startswith(determiner):
            return cleaned[len(determiner) :]
    return cleaned
