"""A token matcher for exact-value patterns, found by lookup instead of by trying every
pattern at every token.

spaCy's ``Matcher`` starts each of its patterns at each token, so the event lexicon's
hundreds of one- to four-word patterns cost it more than any other step of extraction
after parsing. Patterns whose every token is a dict of exact ``LOWER``, ``LEMMA`` and
``POS`` values (at least one of ``LOWER``/``LEMMA``) can instead be indexed by the
first token's word: each token is tried only against the patterns that start with it.

The matches are the ``Matcher``'s own, in its order (by end, then start, then the order
the patterns were added, each (key, start, end) once), so the two are interchangeable.
Other patterns, and documents missing an attribute the patterns test (where the
``Matcher`` refuses), go to a ``Matcher``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["ExactMatcher"]

_COLUMNS = {"LOWER": 0, "LEMMA": 1, "POS": 2}
_WORDS = ("LOWER", "LEMMA")
_ANNOTATIONS = {"LEMMA": "LEMMA", "POS": "POS"}

# One token's test: (column, value) pairs; a pattern: its tokens' tests.
_Test = tuple[tuple[int, int], ...]


class ExactMatcher:
    """``matcher(doc)`` gives ``(match_id, start, end)`` as ``Matcher(vocab)`` with the
    same ``add`` calls would."""

    def __init__(self, vocab: Vocab, rules: Iterable[tuple[str, Sequence[Sequence[Any]]]]) -> None:
        self._rules = [(key, [list(p) for p in patterns]) for key, patterns in rules]
        self._vocab = vocab
        self._fallback: Matcher | None = None
        self._keys: list[int] = []
        self._patterns: list[tuple[_Test, ...]] = []
        self._starting: dict[tuple[int, int], list[int]] = {}
        self._attrs: set[str] = set()
        self.exact = True
        for key, patterns in self._rules:
            match_id = vocab.strings.add(key)
            for pattern in patterns:
                tests = _tests(vocab, pattern)
                if tests is None:
                    self.exact = False
                    continue
                self._attrs.update(attr for spec in pattern for attr in spec)
                index = len(self._patterns)
                self._keys.append(match_id)
                self._patterns.append(tests)
                first = next(test for test in tests[0] if test[0] != _COLUMNS["POS"])
                self._starting.setdefault(first, []).append(index)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        if not self.exact or any(
            attr in self._attrs and not doc.has_annotation(attr) for attr in _ANNOTATIONS
        ):
            return self._matcher()(doc)
        rows: list[list[int]] = doc.to_array(list(_COLUMNS)).tolist()
        length = len(rows)
        found: list[tuple[int, int, int]] = []  # (end, start, pattern)
        starting = self._starting
        for start, row in enumerate(rows):
            # A pattern is indexed by one word of its first token: the lists never overlap.
            for index in (*starting.get((0, row[0]), ()), *starting.get((1, row[1]), ())):
                tests = self._patterns[index]
                end = start + len(tests)
                if end <= length and all(
                    rows[at][column] == value
                    for at, test in enumerate(tests, start)
                    for column, value in test
                ):
                    found.append((end, start, index))
        found.sort()
        seen: set[tuple[int, int, int]] = set()
        matches = []
        for end, start, index in found:
            match = (self._keys[index], start, end)
            if match not in seen:
                seen.add(match)
                matches.append(match)
        return matches

    def _matcher(self) -> Matcher:
        if self._fallback is None:
            self._fallback = Matcher(self._vocab)
            for key, patterns in self._rules:
                self._fallback.add(key, patterns)
        return self._fallback


def _tests(vocab: Vocab, pattern: Sequence[Any]) -> tuple[_Test, ...] | None:
    """The pattern as column tests, or None when it is not exact-valued."""
    tests = []
    for spec in pattern:
        if not isinstance(spec, dict) or not spec or not set(spec) <= set(_COLUMNS):
            return None
        if not any(attr in spec for attr in _WORDS):
            return None
        if not all(isinstance(value, str) for value in spec.values()):
            return None
        tests.append(tuple((_COLUMNS[a], vocab.strings.add(v)) for a, v in spec.items()))
    return tuple(tests) if tests else None
