"""Small measures the suites share: P/R/F1 from counts, word sets and their Jaccard
similarity, the gold sentence an evidence sentence belongs to, and the name comparisons
(folded place names, token-set similarity of actor names).

Words are the ``\\w+`` matches of the lowercased text, as the text suite counts tokens,
so "ARRESTED", "arrested" and "Arrested" are one word."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from anyascii import anyascii

__all__ = [
    "SENTENCE_JACCARD",
    "Counts",
    "Tally",
    "best_sentence",
    "f1_score",
    "fold_name",
    "ratio",
    "token_set_similarity",
    "word_jaccard",
    "words",
]

#: An evidence sentence is "the same sentence" as a gold one at this word Jaccard.
SENTENCE_JACCARD = 0.5

_TOKEN = re.compile(r"\w+")
_ARTICLE = re.compile(r"^(?:a|e)(?:[lnrtdz]|sh?)\b[\s'’-]*", re.IGNORECASE)


def ratio(part: int | float, whole: int | float) -> float:
    """``part / whole``, 0.0 when there is nothing to divide by."""
    return part / whole if whole else 0.0


def f1_score(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0.0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(slots=True)
class Counts:
    """True positives, false positives and false negatives of one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, *, gold: bool, predicted: bool) -> None:
        self.tp += gold and predicted
        self.fp += predicted and not gold
        self.fn += gold and not predicted

    @property
    def precision(self) -> float:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return f1_score(self.precision, self.recall)


@dataclass(slots=True)
class Tally:
    """Hits and denominators per metric."""

    hits: Counter[str] = field(default_factory=Counter)
    totals: Counter[str] = field(default_factory=Counter)

    def add(self, metric: str, hit: bool) -> None:
        self.totals[metric] += 1
        self.hits[metric] += int(hit)

    def rate(self, metric: str) -> float:
        return ratio(self.hits[metric], self.totals[metric])

    def rates(self, metrics: Sequence[str]) -> dict[str, float]:
        return {metric: self.rate(metric) for metric in metrics}


def words(text: str) -> frozenset[str]:
    """The set of lowercased ``\\w+`` words of ``text``."""
    return frozenset(_TOKEN.findall(text.lower()))


def word_jaccard(a: str | frozenset[str], b: str | frozenset[str]) -> float:
    """|A ∩ B| / |A ∪ B| of the two texts' word sets (0.0 when both have none)."""
    wa = a if isinstance(a, frozenset) else words(a)
    wb = b if isinstance(b, frozenset) else words(b)
    return ratio(len(wa & wb), len(wa | wb))


def best_sentence(
    evidence: str, sentences: Sequence[frozenset[str]], *, threshold: float = SENTENCE_JACCARD
) -> int | None:
    """The index of the gold sentence (given as word sets) whose words overlap those of
    ``evidence`` most, when that Jaccard reaches ``threshold``; the first on a tie."""
    wanted = words(evidence)
    best, best_score = None, threshold
    for index, sentence in enumerate(sentences):
        score = word_jaccard(wanted, sentence)
        if score > best_score or (best is None and score >= best_score):
            best, best_score = index, score
    return best


def fold_name(name: str) -> str:
    """A place name folded for comparison: ASCII, lowercase, no leading article, no
    punctuation or spaces ("Al-Hasakah" -> "hasakah", "Dêrik" -> "derik")."""
    ascii_name = anyascii(name).strip()
    ascii_name = _ARTICLE.sub("", ascii_name)
    return "".join(_TOKEN.findall(ascii_name.lower())).replace("_", "")


def token_set_similarity(a: str, b: str) -> float:
    """fuzzywuzzy's ``token_set_ratio`` / 100 on lowercased ``\\w+`` tokens.

    The shared tokens (sorted) are compared with each side's full sorted token string
    and the two full strings with each other; the best difflib ratio wins."""
    ta, tb = set(_TOKEN.findall(a.lower())), set(_TOKEN.findall(b.lower()))
    if not ta or not tb:
        return 0.0
    common = " ".join(sorted(ta & tb))
    with_a = " ".join(filter(None, (common, " ".join(sorted(ta - tb)))))
    with_b = " ".join(filter(None, (common, " ".join(sorted(tb - ta)))))
    pairs = [(with_a, with_b)]
    if common:
        pairs += [(common, with_a), (common, with_b)]
    return max(SequenceMatcher(None, x, y).ratio() for x, y in pairs)
