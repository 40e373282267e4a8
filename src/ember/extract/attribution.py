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
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..nlp.fold import fold
from ..nlp.text import doc_entities, doc_text
from .quotes import Label, Quote, labels, quotes

__all__ = ["Attributor", "Source", "claim_cues", "claims_data"]

_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
_ORG_PRONOUNS = frozenset({"it", "they", "its", "their", "them"})
_OWNERS = frozenset({"its", "their", "his", "her"})
_RELATIVES = frozenset({"which", "who", "that"})
# How far back "the official" or "he" looks for the person it means.
_NEARBY = 1500
_DETERMINERS = ("the ", "a ", "an ", "its ", "their ", "his ", "her ", "this ", "these ")
# Words that count estimates without naming whose they are ("most estimates").
_QUANTIFIERS = frozenset(
    {"most", "some", "many", "several", "various", "other", "multiple", "few", "all"}
)
# Verbs of saying whose object is who is told ("..., the minister told Reuters.").
_ADDRESSING = frozenset({"tell", "inform", "brief", "assure", "remind"})
# Determiners of one source not named: "a study", "one estimate", "another poll".
_ONE = frozenset({"a", "an", "one", "another"})
# Determiners of a noun that refers back: "the report", "this finding".
_BACK = frozenset({"the", "this", "these"})
# A quotation's speaker after its closing mark: within this many tokens, before a stop.
_TAG_WINDOW = 16
_TAG_PUNCT = ",?!—–-…"
_TAG_STOPS = frozenset({".", "!", "?", ";"})
_QUOTE_TOKENS = frozenset({"“", "”", '"', "''", "``"})
_DASHES = frozenset({"--", "—", "–"})
# How far up the parse a figure looks for the verb that states it.
_DEPTH = 24
# Dependents of a verb of saying that are what it says.
_CLAUSES = frozenset({"ccomp", "xcomp", "parataxis"})
_OBJECTS = frozenset({"dobj", "obj", "attr", "oprd", "acomp"})
_CONTENT_PREPOSITIONS = frozenset({"of", "about", "on"})
# How a figure hangs on the noun it is part of ("2 percent", "5,000 fighters").
_FIGURE_DEPS = frozenset({"nummod", "quantmod", "compound", "nmod"})
# Auxiliaries of a clause told as a prospect ("would add", "will cost").
_PROSPECT = frozenset({"would", "will", "could", "might", "may", "should", "'d", "'ll"})
# Auxiliaries of a saying not (yet) done: "will announce", "plans to say", "may claim".
_UNSAID = frozenset(
    {"will", "would", "shall", "'ll", "wo", "may", "might", "could", "should", "to", "can"}
)


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
def _finding_verbs() -> frozenset[str]:
    return frozenset(claim_cues()["finding_verbs"])


@cache
def _finding_subjects() -> frozenset[str]:
    return frozenset(claim_cues()["finding_subjects"])


@cache
def _statement_nouns() -> frozenset[str]:
    return frozenset(claim_cues()["statement_nouns"]) | _report_nouns()


@cache
def _role_nouns() -> frozenset[str]:
    return frozenset(claim_cues()["role_nouns"])


@cache
def _person_nouns() -> frozenset[str]:
    return frozenset(claim_cues()["person_nouns"]) | _role_nouns()


@cache
def _org_nouns() -> frozenset[str]:
    return frozenset(claim_cues()["organisation_nouns"])


@cache
def _cue_words(key: str) -> frozenset[str]:
    """One word list of ``data/claims/cues.json``."""
    return frozenset(claim_cues()[key])


def _estimates() -> frozenset[str]:
    return _cue_words("estimate_nouns")


def _proposals() -> frozenset[str]:
    return _cue_words("proposal_nouns")


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
        self.labels = list(self._speaker_labels())
        self.quotes = quotes(doc_text(doc))
        self._speakers: dict[int, Source | None] = {}
        self.breaks = [m.start() for m in re.finditer("\n", doc_text(doc))]

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
        """The source stating ``figure``, or None when the document states it itself.
        The innermost source wins: a speaker label over the quotation it holds, a
        quotation's speaker over whatever is said inside the quotation, and in a
        sentence the nearest source above the figure in the parse."""
        if figure.root.pos_ in ("VERB", "AUX") and figure.root.i == figure.start < figure.end - 1:
            figure = self.doc[figure.start + 1 : figure.end]  # "estimated 500,000": the verb's
        start, end = figure.start_char, figure.end_char
        found = self._labelled(start) or self._quoted(start, end)
        if found is not None:
            return found
        found, hedge = self._stated(figure)
        if found is None and hedge is not None:
            return Source(None, "", (), hedge)
        return found or self._continued(figure) or self._proposed(figure)

    # -- speaker labels and quotations --------------------------------------------------

    def _speaker_labels(self) -> Iterator[tuple[Label, _Named | None]]:
        """The labels that name a speaker: a person or organisation named there, or a
        label in capitals ("WALLACE:") that the text uses for several turns."""
        found = labels(doc_text(self.doc))
        upper = Counter(fold(label.name) for label in found if label.upper)
        ignored = {fold(word) for word in claim_cues()["not_speaker_labels"]}
        places = [(s.start_char, s.end_char) for s in self.doc.spans.get("places", [])]
        for label in found:
            if fold(label.name) in ignored:
                continue
            if any(s < label.end and label.start < e for s, e in places):
                continue
            named = next(
                (n for n in self.named if n.start < label.end and label.start < n.end), None
            ) or next((n for n in self.named if fold(n.name) == fold(label.name)), None)
            if named is not None:
                yield label, (self._person_called(label.name) if label.upper else None) or named
            elif label.upper and upper[fold(label.name)] >= 2:
                yield label, self._person_called(label.name)

    def _person_called(self, label: str) -> _Named | None:
        """The person a transcript label ("PENCE") stands for: one named with that last name."""
        key = fold(label)
        people = [n for n in self.named if n.person and fold(n.name).split()[-1:] == [key]]
        return people[0] if people else None

    def _labelled(self, at: int) -> Source | None:
        for label, named in self.labels:
            if label.end <= at < label.until:
                tokens = self.doc.char_span(label.start, label.end, alignment_mode="expand")
                ids = tuple(t.i for t in tokens) if tokens is not None else ()
                name = named.name if named is not None else label.name.title()
                return Source(name, label.name, ids)
        return None

    def _quoted(self, start: int, end: int) -> Source | None:
        """A figure inside a quotation: the quotation's speaker."""
        for index, quote in enumerate(self.quotes):
            if quote.start <= start and end <= quote.end:
                return self._speaker_of(index)
            if quote.start > start:
                break
        return None

    def _speaker_of(self, index: int) -> Source | None:
        """Who a quotation is given to: the speaker named after the closing mark
        ("...,” Caggins said"), else before the opening one ("the official said: “...");
        else, for a quotation that opens its paragraph or sentence, the speaker of the
        quotation just before it (a quotation over several paragraphs, or a speaker
        quoted at length)."""
        if index in self._speakers:
            return self._speakers[index]
        self._speakers[index] = None  # no cycles
        quote = self.quotes[index]
        found = self._tag_after(quote) or self._tag_before(quote) or self._parsed_speaker(quote)
        if found is None and self._opens_sentence(quote):
            for before in range(index - 1, -1, -1):
                if not self._adjacent(self.quotes[before], quote):
                    break
                found = self._speaker_of(before)
                if found is not None:
                    break
        # a quotation left open goes on in the next paragraph, which may name its speaker
        after = index + 1
        while found is None and self.quotes[after - 1].closed is None:
            if after >= len(self.quotes) or not self.quotes[after].continued:
                break
            going_on = self.quotes[after]
            found = self._tag_after(going_on) or self._tag_before(going_on)
            after += 1
        self._speakers[index] = found
        return found

    def _opens_sentence(self, quote: Quote) -> bool:
        before = doc_text(self.doc)[: quote.opened].rstrip()
        return quote.leads or quote.continued or (bool(before) and before[-1] in ".!?”\"'")

    def _adjacent(self, previous: Quote, quote: Quote) -> bool:
        """Whether ``previous`` is in the same paragraph as ``quote`` or in the one just
        before it."""
        if quote.continued:
            return True
        lines = doc_text(self.doc)[previous.end : quote.opened].split("\n")
        return all(not line.strip() for line in lines[1:-1])

    def _tag_after(self, quote: Quote) -> Source | None:
        text = doc_text(self.doc)
        if quote.closed is None:
            return None
        inside = text[quote.start : quote.closed].rstrip().rstrip("'’‘").rstrip()
        mark = self.doc.char_span(quote.closed, quote.closed + 1, alignment_mode="expand")
        if mark is None or not inside:
            return None
        follows = text[mark.end_char : mark.end_char + 2].lstrip(" ")
        if inside[-1] not in _TAG_PUNCT and not follows.startswith(","):
            return None
        for token in self.doc[mark.end : min(len(self.doc), mark.end + _TAG_WINDOW)]:
            if token.text in _TAG_STOPS or "\n" in token.text or token.text in _QUOTE_TOKENS:
                break
            if token.dep_ in ("relcl", "acl") or not _says(token, tag=True):
                continue
            if any(c.dep_ in ("ccomp", "xcomp") and c.i > token.i for c in token.children):
                return None  # "... ” He said that ...": a new statement
            speaker = _subject_of(token) or _following_name(token)
            if speaker is not None and speaker.idx > quote.closed:
                return self._resolve(_phrase(speaker), speaker)
            return None
        return None

    def _tag_before(self, quote: Quote) -> Source | None:
        text = doc_text(self.doc)
        before = text[: quote.opened].rstrip()
        if not before:
            return None
        last = before[-1]
        token = self._token_ending(len(before))
        if token is None:
            return None
        if last in ":,":
            token = token.nbor(-1) if token.i > 0 else token
            if token.lower_ == "that" and token.i > 0:
                token = token.nbor(-1)
        elif "\n" in text[len(before) : quote.opened] or not _says(token, tag=True):
            return None  # only "X reported “...” right before the mark
        verb = token
        while not _says(verb, tag=True) and verb.head.i != verb.i and verb.dep_ != "ROOT":
            if verb.pos_ in ("VERB", "AUX") and verb.dep_ not in ("xcomp", "conj"):
                break
            verb = verb.head
        speaker: Token | None = None
        stated = [c for c in verb.children if c.dep_ in _OBJECTS]
        if _says(verb, tag=True):
            # "rated this statement by Trump:" is Trump's statement
            for noun in stated:
                owned = self._noun_source(noun, None, set())
                if owned is not None:
                    return owned
            speaker = _named_before(verb) or _subject_of(verb) or _following_name(verb)
        elif token.lemma_.lower() in _statement_nouns() and token.dep_ in _OBJECTS:
            speaker = _subject_of(token.head)  # "Sanders made the following comment:"
        elif token.lemma_.lower() in _statement_nouns() and last == ":":
            speaker = token  # "... is shown by this finding: “...”"
        if speaker is None or speaker.idx > quote.opened:
            return None
        speaker = _antecedent(speaker)
        return self._resolve(_phrase(speaker), speaker)

    def _parsed_speaker(self, quote: Quote) -> Source | None:
        """A quotation set in a sentence ("Sanders called the plan “a tax on 40 million
        families”"): the source above it in the parse, named outside it."""
        span = self.doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        inside = set(range(span.start, span.end))
        for token in span:
            if token.head.i in inside or token.head.i == token.i or token.is_punct:
                continue
            found, _, _ = self._stated_at(token.head, inside, child=token)
            if found is not None and not inside.intersection(found.tokens):
                return found
            return None
        return None

    def _token_ending(self, at: int) -> Token | None:
        span = self.doc.char_span(max(0, at - 1), at, alignment_mode="expand")
        return span[-1] if span is not None and len(span) else None

    # -- a source in the sentence's parse -------------------------------------------------

    def _stated(self, figure: Span) -> tuple[Source | None, str | None]:
        """Up the parse from the figure: its own "according to X" (or one set on any
        phrase above it), an aside ("the benefit, it says, would be ..."), a statement
        noun with its owner ("the ministry's estimate of ..."), a verb of saying whose
        content holds the figure ("X said (that) ...", "a report by X estimated ...");
        else a source the whole sentence is told by ("According to X, ...", "..., X
        said.")."""
        own = set(range(figure.start, figure.end))
        found, hedge, stopped = self._stated_at(figure.root, own)
        if found is None and stopped != "described":
            # after the writer's aside only a source for the whole sentence
            found = self._sentence_source(figure.sent, own, tags=stopped is None)
        return found, hedge

    def _stated_at(
        self, root: Token, own: set[int], *, child: Token | None = None
    ) -> tuple[Source | None, str | None, str | None]:
        """The walk up from ``root`` (reached from ``child``): the source, the hedge, and
        where the walk stopped at the writer's own words ("aside": between commas or
        dashes; "described": the description of a speaker)."""
        hedge: str | None = None
        outer: Source | None = None
        node = root
        paragraph = self._paragraph(root.idx)
        aside = _dashed(root, [t for t in root.sent if self._paragraph(t.idx) == paragraph])
        for _ in range(_DEPTH):
            if self._paragraph(node.idx) != paragraph:
                break  # the parser ran two paragraphs into one sentence
            if child is not None and _writers_aside(node, child, aside):
                return None, hedge, "aside"
            described = (
                child is not None
                and child.dep_ in ("nsubj", "nsubjpass")
                and _says(node)
                and node.dep_ not in ("amod", "acl", "compound")
            )
            if node.lower_ == "according" or (described and node.dep_ not in _CLAUSES):
                return None, hedge, "described"  # the figure describes the source itself
            for according, source in self._according_at(node, child, own):
                if _says(node) and according.i < node.i:
                    outer = outer or source  # "according to X, Y said ...": Y is nearer
                else:
                    return source, hedge, None
            found = self._aside_at(node, child, own)
            if found is None and (child is None or child.dep_ in _FIGURE_DEPS):
                found = self._made_by(node, own)
            if found is None and child is not None:
                found = (
                    self._noun_source(node, child, own)
                    or self._said_at(node, child, own)
                    or self._revised_at(node, child, own)
                )
                if found is None and node.lemma_.lower() == "estimate":
                    hedge = hedge or ("estimated" if _subject_of(node) is None else None)
            if found is not None:
                return found, hedge, None
            if node.head.i == node.i:
                break
            child, node = node, node.head
        return outer, hedge, None

    def _sentence_source(self, sent: Span, own: set[int], *, tags: bool = True) -> Source | None:
        """ "According to X, ..." opening the sentence or "..., according to X." closing
        it; else a verb of saying set in it as a tag (", Stumpf explained,", "..., X
        said.") whatever the parse made of it."""
        paragraph = self._paragraph(self.doc[min(own)].idx)
        tokens = [t for t in sent if not t.is_space and self._paragraph(t.idx) == paragraph]
        if not tokens:
            return None
        framed = self._frame(tokens[0], own) if tokens[0].dep_ == "prep" else None
        if framed is not None:  # "In the latest poll, ...", "Under the mayor's plan, ..."
            return framed
        for token in tokens:
            if token.lower_ != "according" or self._quote_at(token.idx) is not None:
                continue
            opens = token.i == tokens[0].i
            closes = token.i > sent.start and self.doc[token.i - 1].text == ","
            rest = [t for t in self.doc[token.i : sent.end] if not (t.is_punct or t.is_space)]
            closes = closes and all(t.i in {d.i for d in token.subtree} for t in rest)
            if opens or closes:
                for _, source in self._according_at(token.head, None, own):
                    return source
        for token in tokens if tags else ():
            if not _says(token) or _unsaid(token) or self._quote_at(token.idx) is not None:
                continue
            speaker = _subject_of(token)
            if speaker is None or own.intersection(t.i for t in speaker.subtree):
                continue
            if _is_tag(token, speaker) and speaker.left_edge.i > sent.start + 1:
                return self._resolve(_phrase(speaker), speaker)
        return None

    def _paragraph(self, at: int) -> int:
        return bisect_left(self.breaks, at)

    def _quote_at(self, at: int) -> int | None:
        for index, quote in enumerate(self.quotes):
            if quote.start <= at < quote.end:
                return index
            if quote.start > at:
                break
        return None

    def _according_at(
        self, node: Token, child: Token | None, own: set[int]
    ) -> Iterator[tuple[Token, Source]]:
        for token in node.children:
            if child is not None and token.i == child.i:
                continue
            if token.lower_ == "by" and token.dep_ == "prep":  # "by its own count, ..."
                objects = [c for c in token.children if c.dep_ == "pobj"]
                if objects and not own.intersection(t.i for t in objects[0].subtree):
                    owned = self._noun_source(objects[0], None, own)
                    if owned is None and objects[0].lemma_.lower() in _report_nouns():
                        # "by one estimate": named as written; "by most estimates": a hedge
                        owned = self._resolve(_phrase(objects[0]), objects[0])
                    if owned is not None:
                        yield token, owned
                continue
            if token.lower_ in ("in", "under") and token.dep_ == "prep" and not _says(node):
                framed = self._frame(token, own)
                if framed is not None:
                    yield token, framed
                continue
            if token.lower_ != "according":
                continue
            quoted = self._quote_at(token.idx)
            if quoted is not None and self._quote_at(self.doc[min(own)].idx) != quoted:
                continue  # "... according to its website,'' the report says": not the figure's
            to = next((c for c in token.children if c.lower_ == "to"), None)
            if to is None and token.i + 1 < len(self.doc) and token.nbor().lower_ == "to":
                to = token.nbor()
            if to is None:
                continue
            objects = [c for c in to.children if c.dep_ == "pobj"]
            if not objects and to.i + 1 < len(self.doc):
                objects = [to.nbor()]
            if not objects or own.intersection(t.i for t in objects[0].subtree):
                continue  # "according to a 52-count complaint": the figure is the source's
            source = self._resolve(_phrase(objects[0]), objects[0])
            if source is not None:
                yield token, source

    def _frame(self, prep: Token, own: set[int]) -> Source | None:
        """ "in the latest Gallup poll" (a survey the figure is found in), "under the
        mayor's plan" (a proposal its owner makes): who states what the clause says."""
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        if not objects or own.intersection(t.i for t in objects[0].subtree):
            return None
        noun, lemma = objects[0], objects[0].lemma_.lower()
        if prep.lower_ == "in" and lemma in _cue_words("survey_nouns"):
            found = self._resolve(_phrase(noun), noun)
            return found if found is not None and found.name is not None else None
        if prep.lower_ == "under" and lemma in _cue_words("proposal_nouns"):
            return self._owner(noun, own)
        return None

    def _made_by(self, noun: Token, own: set[int]) -> Source | None:
        """ "the alliance's recommended 2 percent", "the ministry's estimated 5,000
        fighters": a figure described as said, with its sayer as possessor."""
        if not any(c.dep_ == "amod" and c.tag_ == "VBN" and _says(c) for c in noun.children):
            return None
        for owner in noun.children:
            if owner.dep_ == "poss" and owner.i not in own:
                return self._resolve(_phrase(owner), owner)
        return None

    def _revised_at(self, verb: Token, child: Token, own: set[int]) -> Source | None:
        """ "It raised its forecast to 3 percent", "held the ministry's estimate steady at
        40": an estimate's new or kept value is its maker's; "the centre put the toll at
        30": the subject of a verb that sets an estimate."""
        if verb.pos_ not in ("VERB", "AUX") or child.dep_ != "prep":
            return None
        if child.lower_ not in ("to", "at", "by") or any(c.dep_ == "neg" for c in verb.children):
            return None
        setting = any(form in _cue_words("estimate_verbs") for form in _lemmas(verb))
        for noun in verb.children:
            if noun.dep_ not in ("dobj", "obj") or noun.lemma_.lower() not in _estimates():
                continue
            found = self._owner(noun, own)
            if found is not None:
                return found
            speaker = _subject_of(verb) if setting and child.lower_ == "at" else None
            if speaker is not None and not own.intersection(t.i for t in speaker.subtree):
                return self._resolve(_phrase(speaker), speaker)
        return None

    def _continued(self, figure: Span) -> Source | None:
        """ "The researchers reported that A holds $5 billion; B holds $2 billion": a
        clause after a semicolon goes on with what the clause before it states."""
        sent = figure.sent
        for token in reversed(self.doc[sent.start + 1 : figure.start]):
            if token.text != ";" or self._quote_at(token.idx) != self._quote_at(figure.start_char):
                continue
            before = token.nbor(-1)
            found, _, _ = self._stated_at(before, {before.i})
            if found is not None and found.name is not None:
                return found
        return None

    def _proposed(self, figure: Span) -> Source | None:
        """ "The senator's plan would cap the rate at 28 percent": what a proposal its
        owner names would do is the owner's (when nothing else in the sentence states it)."""
        node, paragraph = figure.root, self._paragraph(figure.root.idx)
        own = set(range(figure.start, figure.end))
        child: Token | None = None
        for _ in range(_DEPTH):
            if self._paragraph(node.idx) != paragraph:
                return None
            if child is not None and _writers_aside(node, child, None):
                return None  # "the plan ignores the rate, which, at 35 percent, ..."
            prospect = any(c.dep_ == "aux" and c.lower_ in _PROSPECT for c in node.children)
            if node.pos_ in ("VERB", "AUX") and prospect:
                for subject in (c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")):
                    if subject.i in own or subject.lemma_.lower() not in _proposals():
                        continue
                    return self._owner(subject, own)
            if node.head.i == node.i:
                return None
            child, node = node, node.head
        return None

    def _aside_at(self, node: Token, child: Token | None, own: set[int]) -> Source | None:
        """ "The benefit, it says, would be $300": a verb of saying set in the clause."""
        for token in node.children:
            if child is not None and token.i == child.i:
                continue
            aside = token.dep_ == "parataxis" or (
                token.dep_ == "advcl" and any(c.lower_ == "as" for c in token.children)
            )
            if not aside or not _says(token) or _unsaid(token):
                continue
            if any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in token.children):
                continue
            speaker = _subject_of(token)
            if speaker is not None and not own.intersection(t.i for t in speaker.subtree):
                return self._resolve(_phrase(speaker), speaker)
        return None

    def _said_at(self, verb: Token, child: Token, own: set[int]) -> Source | None:
        """The subject of a verb of saying whose content (``child``) holds the figure."""
        finding = any(form in _finding_verbs() for form in _lemmas(verb))
        if verb.pos_ not in ("VERB", "AUX") or not (finding or _says(verb)) or _unsaid(verb):
            return None
        if not _content(verb, child):
            return None
        speaker = _subject_of(verb)
        if speaker is None or own.intersection(t.i for t in speaker.subtree):
            return None
        if child.i < verb.i and not _is_tag(verb, speaker):
            return None  # content before the verb only as "..., X said"
        speaker = _antecedent(speaker)
        # "a study found 31 cases", not "troops found 20 bombs"
        counts = finding and not _says(verb) and child.dep_ not in _CLAUSES
        finders = _report_nouns() | _finding_subjects()
        if counts and speaker.lemma_.lower() not in finders and not self._listed(speaker):
            return None
        if _counted_thing(speaker) and not self._named_in(speaker):
            return None  # "27 companies reported 16,389 ...": what is counted
        return self._resolve(_phrase(speaker), speaker)

    def _noun_source(self, noun: Token, child: Token | None, own: set[int]) -> Source | None:
        """ "the ministry's estimate of 5,000", "a New York Times report that ...": a
        statement noun whose own phrase names who made it (``child``: the content the
        walk came from, None for the noun itself)."""
        if noun.pos_ not in ("NOUN", "PROPN") or noun.lemma_.lower() not in _statement_nouns():
            return None
        if child is None:
            return self._owner(noun, own) or self._issued(noun, own)
        content = child.dep_ in ("acl", "ccomp") or (
            child.dep_ == "prep" and child.lower_ in ("of", "about", "on", "that")
        )
        if child.dep_ == "relcl":  # "a report that Trump had ...": "that" opens a statement
            opener = child.left_edge
            subjects = [c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")]
            content = opener.lower_ == "that" and any(c.i != opener.i for c in subjects)
        if not content:
            return None
        skip = {t.i for t in child.subtree} | own
        return self._owner(noun, skip) or self._issued(noun, skip)

    def _issued(self, noun: Token, skip: set[int]) -> Source | None:
        """ "the council issued a statement calling ...", "X said in a statement that ...":
        a statement noun given out by the subject of its verb."""
        verb = noun.head
        if noun.dep_ == "pobj" and verb.lower_ == "in" and _says(verb.head):
            verb = verb.head  # "X said in a statement that ...": X's statement
        else:
            issuing = any(form in _cue_words("issue_verbs") for form in _lemmas(verb))
            if noun.dep_ not in _OBJECTS or verb.i == noun.i or not issuing:
                return None
        if _unsaid(verb):
            return None
        speaker = _subject_of(verb)
        if speaker is None or skip.intersection(t.i for t in speaker.subtree):
            return None
        speaker = _antecedent(speaker)
        return self._resolve(_phrase(speaker), speaker)

    def _owner(self, noun: Token, skip: set[int]) -> Source | None:
        """Who made a statement noun: its possessor, "by X", or a name in its phrase."""
        for token in noun.children:
            if token.i in skip:
                continue
            if token.dep_ == "poss":
                return self._resolve(_phrase(token), token)
            if token.dep_ == "prep" and token.lower_ in ("by", "from"):
                objects = [c for c in token.children if c.dep_ == "pobj"]
                if objects:
                    return self._resolve(_phrase(objects[0]), objects[0])
        kept = [t.idx for t in noun.subtree if t.i not in skip]
        start, end = (min(kept) if kept else noun.idx), noun.idx + len(noun)
        inside = [n for n in self.named if n.start >= start and n.end <= end]
        if inside:
            chosen = _preferred(inside, noun)
            return Source(chosen.name, doc_text(self.doc)[chosen.start : chosen.end], (noun.i,))
        return None

    def _named_in(self, head: Token) -> bool:
        start = min(t.idx for t in head.subtree)
        end = max(t.idx + len(t) for t in head.subtree)
        return any(n.start >= start and n.end <= end for n in self.named)

    def _listed(self, head: Token) -> bool:
        start = min(t.idx for t in head.subtree)
        end = max(t.idx + len(t) for t in head.subtree)
        return any(n.listed and n.start >= start and n.end <= end for n in self.named)

    # -- naming the source ------------------------------------------------------------

    def _resolve(self, phrase: list[Token], head: Token) -> Source | None:
        if not phrase:
            return None
        start, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1])
        tokens = tuple(t.i for t in phrase)
        written = doc_text(self.doc)[start:end]
        lemma = head.lemma_.lower()
        role = lemma in _role_nouns() and head.tag_ != "NNS"  # "the authors" are not one
        inside = [n for n in self.named if n.start >= start and n.end <= end]
        if inside and not (role and _definite(head)):
            chosen = _preferred(inside, head)
            return Source(chosen.name, doc_text(self.doc)[chosen.start : chosen.end], tokens)
        if inside and all(not n.person for n in inside):
            earlier = self._last_before(start, person=True, within=_NEARBY)
            chosen = earlier or _preferred(inside, head)
            return Source(chosen.name, written, tokens)
        named = _appositive_name(head)
        if role and named is not None:
            return Source(named, named, tokens)
        if head.lower_ in _PERSON_PRONOUNS or (role and _definite(head)):
            earlier = self._last_before(start, person=True, within=_NEARBY)
            if earlier is not None:
                return Source(earlier.name, written, tokens)
            if head.lower_ in _PERSON_PRONOUNS:
                return self._role_before(head, tokens)
            return Source(_clean(written), written, tokens)
        if head.lower_ in _ORG_PRONOUNS:
            earlier = self._last_before(start, person=False)
            return Source(earlier.name, written, tokens) if earlier else None
        owner = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in _OWNERS), None)
        if owner is not None:  # "its own website", "their count": the owner's
            found = self._resolve([owner], owner)
            return Source(found.name, written, tokens) if found is not None else None
        if _refers_back(head):
            return self._referred(head, start, written, tokens)
        if lemma in _report_nouns():
            return self._report(head, written, tokens)
        if head.pos_ in ("PRON", "DET") or not head.is_alpha:
            return None
        return Source(_clean(written), written, tokens)

    def _role_before(self, pronoun: Token, tokens: tuple[int, ...]) -> Source | None:
        """ "The governor spoke on Monday. “...,” she said.": with no person named, a
        pronoun is the last one named by a role who is the subject of a clause."""
        earliest = pronoun.idx - _NEARBY
        for token in reversed(self.doc[: pronoun.i]):
            if token.idx < earliest:
                break
            if token.dep_ not in ("nsubj", "nsubjpass") or token.tag_ != "NN":
                continue
            if token.lemma_.lower() in _role_nouns() and self._quote_at(token.idx) is None:
                written = " ".join(t.text for t in _phrase(token))
                return Source(_clean(written), written, tokens)
        return None

    def _referred(self, head: Token, start: int, written: str, tokens: tuple[int, ...]) -> Source:
        """ "the centre" (the centre named before), "the report" (the last source named
        as such), "the company" (the last organisation), "the campaign" (itself)."""
        lemma = head.lemma_.lower()
        earlier = self._org_called(start, lemma)
        if earlier is None and lemma in _report_nouns():
            earlier = self._last_before(start, person=False, listed=True)
        elif earlier is None and lemma in _org_nouns():
            earlier = self._last_before(start, person=False, within=_NEARBY, any_kind=True)
        if earlier is not None:
            return Source(earlier.name, written, tokens)
        return Source(_clean(written), written, tokens)

    def _report(self, head: Token, written: str, tokens: tuple[int, ...]) -> Source:
        """ "an infographic published by X" is X's; "federal statistics" and "one study"
        are named so; bare "estimates" name no one (a hedge)."""
        for acl in (c for c in head.children if c.dep_ == "acl"):
            for agent in (c for c in acl.children if c.dep_ == "agent"):
                objects = [c for c in agent.children if c.dep_ == "pobj"]
                if objects:
                    found = self._resolve(_phrase(objects[0]), objects[0])
                    if found is not None:
                        return Source(found.name, found.text, tokens, hedge=found.hedge)
        modified = any(
            c.dep_ in ("amod", "compound", "nmod")
            and c.pos_ in ("ADJ", "NOUN", "PROPN")
            and c.lower_ not in _QUANTIFIERS
            for c in head.children
        )
        if modified:
            return Source(_clean(written), written, tokens)
        hedge = "estimated" if head.lemma_.lower() in _estimates() else None
        single = head.tag_ == "NN" and any(
            c.dep_ in ("det", "nummod") and c.lower_ in _ONE for c in head.children
        )
        if single:  # "one study found", "by one estimate": a source named as written
            return Source(_clean(written), written, tokens, hedge=hedge)
        return Source(None, written, tokens, hedge="estimated")

    def _org_called(self, at: int, word: str) -> _Named | None:
        """The last organisation named before ``at`` whose name holds ``word``."""
        key = fold(word)[:4]
        named = self.named[: bisect_left(self.starts, at)]
        matching = [n for n in named if not n.person and key in fold(n.name)]
        return matching[-1] if matching else None

    def _last_before(
        self,
        at: int,
        *,
        person: bool,
        within: int | None = None,
        listed: bool = False,
        any_kind: bool = False,
    ) -> _Named | None:
        """The last person (or organisation) named before ``at`` (and at most ``within``
        characters before it). For an organisation ("it said"), a source named as such
        if there is one (only such a one when ``listed``), else any."""
        earliest = at - within if within is not None else -1
        named = self.named[: bisect_left(self.starts, at)]
        candidates = [n for n in named if n.person == person and n.start >= earliest]
        if not person and not any_kind:
            # "it said", "the report said": a source named as such, not any actor.
            sources = [n for n in candidates if n.listed]
            if sources or listed:
                return sources[-1] if sources else None
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


def _says(token: Token, *, tag: bool = False) -> bool:
    """A verb of saying (``tag``: or one that tags a quotation, "he continued")."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    verbs = _say_verbs() | (frozenset(claim_cues()["quote_tag_verbs"]) if tag else frozenset())
    return any(form in verbs for form in _lemmas(token))


def _lemmas(token: Token) -> tuple[str, ...]:
    """The token's lemma, and the stems its form allows when the lemmatiser slips
    ("rated" read as "rat")."""
    word = token.lower_
    stems = [token.lemma_.lower()]
    for suffix, keep in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stems.append(word[: -len(suffix)] + keep)
    return tuple(stems)


def _unsaid(verb: Token) -> bool:
    """ "will announce", "plans to say", "did not confirm": nothing stated (yet)."""
    return any(
        (c.dep_ in ("aux", "auxpass") and c.lower_ in _UNSAID) or c.dep_ == "neg"
        for c in verb.children
    )


def _content(verb: Token, child: Token) -> bool:
    """Whether ``child`` is what ``verb`` says, not when, where or to whom."""
    if child.dep_ == "xcomp":
        # "wants to recruit 5,000", not "warned officials to boost ..."
        return not any(c.dep_ in ("dobj", "dative") for c in verb.children)
    if child.dep_ in _CLAUSES or child.dep_ in _OBJECTS or child.dep_ == "acl":
        return True
    if child.lower_ == "based" and child.dep_ in ("advcl", "prep", "acl"):
        return True  # "Based on an analysis of ..., the centre concluded"
    if child.lower_ in ("compared", "comparing") and child.dep_ in ("prep", "advcl"):
        return True  # "X said 30 percent ..., compared with 20 percent a year before"
    if child.dep_ == "conj" and _goes_on(verb, child):
        return True
    if child.dep_ == "advcl" and any(c.lower_ == "to" and c.dep_ == "aux" for c in child.children):
        # "announced plans this week to give $15 million": the plan's content
        stated = [c for c in verb.children if c.dep_ in _OBJECTS and c.i < child.i]
        return any(c.lemma_.lower() in _statement_nouns() for c in stated)
    if child.dep_ != "prep":
        return False
    word, lemma = child.lower_, verb.lemma_.lower()
    if word in ("from", "of", "out") and any(
        c.dep_ in _OBJECTS and c.right_edge.i + 1 == child.i for c in verb.children
    ):
        return True  # "cited endorsements from 88 generals": the parser hangs it on the verb
    if word in ("at", "by"):  # "put the toll at 30", "ahead by 3 points", not "said at a forum"
        objects = [c for c in child.children if c.dep_ == "pobj"]
        return any(o.like_num or any(c.dep_ == "nummod" for c in o.children) for o in objects)
    return (
        word in _CONTENT_PREPOSITIONS
        or (word == "to" and lemma in ("point", "refer"))
        or (word == "for" and lemma == "call")
        or (word == "with" and lemma == "charge")  # "charged two men with defrauding ..."
    )


def _goes_on(verb: Token, conj: Token) -> bool:
    """ "X says it would depress revenue at first, but would eventually add $84 billion":
    a prospect with no subject of its own, joined to what the verb says, goes on with it
    (the parser hangs it on the verb of saying)."""
    if conj.pos_ not in ("VERB", "AUX"):
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in conj.children):
        return False
    if not any(c.dep_ == "aux" and c.lower_ in _PROSPECT for c in conj.children):
        return False
    return any(c.dep_ == "ccomp" and c.i < conj.i for c in verb.children)


def _is_tag(verb: Token, speaker: Token) -> bool:
    """ "..., officials said.", ", Stumpf explained earlier," "..., said Caggins": a verb
    of saying set after what it says, saying nothing else."""
    start = min(speaker.left_edge.i, verb.i)
    if start == 0 or verb.doc[start - 1].text not in {",", *_DASHES, *_QUOTE_TOKENS}:
        return False
    doc = verb.doc
    stops = {",", *_TAG_STOPS}
    end = next((t.i for t in doc[verb.i :] if t.text in stops or "\n" in t.text), len(doc))
    after = [c for c in verb.children if verb.i < c.i < end]
    if any(c.dep_ in ("ccomp", "xcomp") for c in after):
        return False
    addressed = any(form in _ADDRESSING for form in _lemmas(verb))  # "..., X told the BBC."
    if any(c.dep_ == "dobj" for c in after) and not addressed:
        return False
    if any(c.dep_ == "prep" and c.lower_ in ("for", "of", "about") for c in after):
        return False
    named = {t.i for t in speaker.subtree}
    words = [t for t in doc[verb.i + 1 : end] if not t.is_punct and t.i not in named]
    return len(words) <= _TAG_WINDOW // 2


def _dashed(root: Token, sent: Iterable[Token]) -> tuple[int, int] | None:
    """The pair of dashes around ``root`` in its sentence ``sent`` ("the top 1 percent
    -- those earning more than $750,000 -- would ..."), if any."""
    dashes = [t.i for t in sent if t.text in _DASHES]
    # in order, each opening dash pairs with the next: "-- A -- x -- B --" sets x outside
    for opened, closed in zip(dashes[::2], dashes[1::2], strict=False):
        if opened < root.i < closed:
            return opened, closed
    return None


def _writers_aside(node: Token, child: Token, dashes: tuple[int, int] | None) -> bool:
    """Whether the walk from ``child`` up to ``node`` leaves words the writer set into a
    reported statement: a clause between dashes, a relative clause after a comma ("...
    in Mosul, which has a million residents")."""
    if dashes is not None and not dashes[0] < node.i < dashes[1]:
        return True
    if child.dep_ != "relcl":
        return False
    left = child.left_edge
    return left.i > 0 and left.nbor(-1).text in {",", *_DASHES}


def _antecedent(token: Token) -> Token:
    """ "the department, which reported ...": the department."""
    if token.lower_ not in _RELATIVES:
        return token
    if token.head.dep_ == "relcl":
        return token.head.head
    previous = token.nbor(-1) if token.i > 0 else token
    if previous.is_punct and previous.i > 0:
        previous = previous.nbor(-1)
    while previous.dep_ == "compound" and previous.head.i > previous.i:
        previous = previous.head
    return previous if previous.pos_ in ("NOUN", "PROPN") else token


def _counted_thing(head: Token) -> bool:
    """ "27 companies": a phrase with a figure of its own, not a person who speaks."""
    counted = any(
        c.dep_ == "nummod" and c.like_num and c.lower_ not in ("one", "1") for c in head.children
    )  # "one study found ..." is a source, not a count
    return counted and head.lemma_.lower() not in _person_nouns()


def _subject_of(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
    if len(subjects) > 1:  # "His promises notwithstanding, analysts agree ...": the nearest
        return subjects[-1]
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
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head  # "footage of Clinton asking, “...”"
    return None


def _named_before(verb: Token) -> Token | None:
    """ "footage of Clinton asking, “...”": the name right before a participle."""
    if verb.tag_ == "VBG" and verb.i > 0 and verb.nbor(-1).pos_ == "PROPN":
        return verb.nbor(-1)
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
    names = [c for c in _phrase(head) if c.pos_ == "PROPN"]  # not "the report, released Monday"
    return head.pos_ == "NOUN" and not names and any(d.lower_ in _BACK for d in determiners)


def _clean(text: str) -> str:
    cleaned = " ".join(text.split())
    lowered = cleaned.lower()
    for determiner in _DETERMINERS:
        if lowered.startswith(determiner):
            return cleaned[len(determiner) :]
    return cleaned
