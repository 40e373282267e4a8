"""Counts as reports write them: digits ("1,200", "1.5 million"), words ("twenty-three",
"a dozen"), ranges ("15 to 20 thousand", "between 10 and 12"), hedges ("at least eight",
"some 30") and vague quantifiers ("dozens", "tens of thousands").

``parse_quantity`` reads one such expression as a ``Quantity``; ``conservative_count``
turns it into the single figure ACLED would code (the lowest credible one). The word
lists live in ``data/numbers/`` with their sources."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "NumberWords",
    "Qualifier",
    "Quantity",
    "conservative_count",
    "number_words",
    "parse_quantity",
]

#: The normalised hedges: "about", "at least", "more than", "up to", "nearly", "fewer than".
Qualifier = str


@dataclass(frozen=True, slots=True)
class Quantity:
    """A count from ``low`` to ``high`` (equal for a point value such as "at least 8").

    ``vague`` marks a word rather than a figure ("dozens"); ``coded`` is then the count
    ACLED records for that word (12 for "dozens"), kept apart from the range."""

    low: float
    high: float
    qualifier: Qualifier | None = None
    vague: bool = False
    coded: int | None = None


@dataclass(frozen=True, slots=True)
class _Lexicon:
    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    idioms: dict[str, int]
    qualifiers: dict[str, str]
    vague: dict[str, Quantity]


@dataclass(frozen=True, slots=True)
class NumberWords:
    """The words ``parse_quantity`` reads, for finders that look for figures in text."""

    numbers: frozenset[str]  # units, tens and scales ("seven", "twenty", "thousand")
    idioms: frozenset[str]  # "a dozen", "a thousand"
    qualifiers: frozenset[str]  # "at least", "some"
    vague: frozenset[str]  # "dozens", "tens of thousands"


def number_words() -> NumberWords:
    lexicon = _lexicon()
    return NumberWords(
        numbers=frozenset([*lexicon.units, *lexicon.tens, *lexicon.scales]),
        idioms=frozenset(lexicon.idioms),
        qualifiers=frozenset(lexicon.qualifiers),
        vague=frozenset(lexicon.vague),
    )


@dataclass(frozen=True, slots=True)
class _Number:
    value: float
    scale: int  # the multiplier a trailing scale word applied (1 when none)


_DIGITS = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(k|mn|bn)?")
# Hedges written after the figure: "100 or more", "30 or so", "100+".
_SUFFIX_QUALIFIERS = (("or more", "at least"), ("or so", "about"), ("plus", "at least"))
_RANGE_PREFIXES = ("between ", "from ")
_RANGE_SEPARATORS = re.compile(r"\s*(?:\bto\b|\band\b|\bor\b|-)\s*")
_WORD_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_SUFFIX_SCALES = {"k": 1000, "mn": 1_000_000, "bn": 1_000_000_000}


def parse_quantity(text: str) -> Quantity | None:
    """The quantity ``text`` states, or None when it is not (only) a quantity.

    >>> parse_quantity("15 to 20 thousand")
    Quantity(low=15000.0, high=20000.0, qualifier=None, vague=False, coded=None)"""
    lexicon = _lexicon()
    words = _normalise(text)
    qualifier, words = _split_qualifier(words, lexicon)
    if not words:
        return None
    if (vague := lexicon.vague.get(words)) is not None:
        return Quantity(vague.low, vague.high, qualifier, vague=True, coded=vague.coded)
    if (single := _number(words, lexicon)) is not None:
        return Quantity(single.value, single.value, qualifier)
    bounds = _range(words, lexicon)
    if bounds is None:
        return None
    return Quantity(bounds[0], bounds[1], qualifier)


def conservative_count(q: Quantity) -> int:
    """ACLED's conservative figure: the lowest credible count. "at least eight" and
    "more than 50" give the figure itself, a range its low end, a vague word the count
    ACLED codes for it ("dozens" → 12)."""
    if q.vague and q.coded is not None:
        return q.coded
    return int(q.low)


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    text = _WORD_HYPHEN.sub(" ", text)
    text = re.sub(r"(?<=\d)\s*-\s*(?=\d)", " - ", text)
    text = re.sub(r"\s+", " ", text).strip(" \t.,;:!?\"'()[]")
    text = re.sub(r"^(?:us\s?\$|\$|€|£)\s*", "", text)
    return re.sub(r"\s+of$", "", text)


def _split_qualifier(words: str, lexicon: _Lexicon) -> tuple[Qualifier | None, str]:
    """The hedge before (or after) the figure, and the rest of ``words``."""
    qualifier: Qualifier | None = None
    for phrase in sorted(lexicon.qualifiers, key=len, reverse=True):
        if words.startswith(phrase + " "):
            qualifier = lexicon.qualifiers[phrase]
            words = words[len(phrase) + 1 :]
            break
    if words.endswith("+"):
        return qualifier or "at least", words[:-1].strip()
    for suffix, meaning in _SUFFIX_QUALIFIERS:
        if words.endswith(" " + suffix):
            return qualifier or meaning, words[: -len(suffix) - 1]
    return qualifier, words


def _range(words: str, lexicon: _Lexicon) -> tuple[float, float] | None:
    """ "15 to 20 thousand", "between 10 and 12", "10 - 12", "two or three"."""
    for prefix in _RANGE_PREFIXES:
        words = words.removeprefix(prefix)
    for separator in _RANGE_SEPARATORS.finditer(words):
        low = _number(words[: separator.start()], lexicon)
        high = _number(words[separator.end() :], lexicon)
        if low is None or high is None:
            continue
        low_value = low.value
        # "15 to 20 thousand": the scale written once applies to both ends.
        if low.scale == 1 and high.scale > 1 and low_value * high.scale <= high.value:
            low_value *= high.scale
        # "15-20,000": the thousands written once, on the high end.
        elif low.scale == 1 and words.endswith(",000") and low_value * 1000 <= high.value:
            low_value *= 1000
        if low_value <= high.value:
            return low_value, high.value
    return None


def _number(words: str, lexicon: _Lexicon) -> _Number | None:
    if words in lexicon.idioms:
        return _Number(float(lexicon.idioms[words]), 1)
    tokens = words.split()
    if len(tokens) > 1 and tokens[0] in ("a", "an") and tokens[1] in lexicon.scales:
        tokens[0] = "one"
    if tokens and tokens[0][0].isdigit():
        return _digits(tokens, lexicon)
    return _number_words(tokens, lexicon)


def _digits(tokens: list[str], lexicon: _Lexicon) -> _Number | None:
    match = _DIGITS.fullmatch(tokens[0])
    if match is None:
        return None
    whole, fraction, suffix = match.groups()
    value = float(whole.replace(",", "") + ("." + fraction if fraction else ""))
    scale = _SUFFIX_SCALES[suffix] if suffix else 1
    for token in tokens[1:]:
        if token not in lexicon.scales:
            return None
        scale *= lexicon.scales[token]
    return _Number(value * scale, scale)


def _number_words(tokens: list[str], lexicon: _Lexicon) -> _Number | None:
    """English number words: "two hundred and twelve", "twenty three", "two dozen"."""
    total = 0
    current = 0
    last_scale = 1
    seen = False
    previous = ""
    for i, token in enumerate(tokens):
        if token in lexicon.units or token in lexicon.tens:
            value = lexicon.units.get(token, lexicon.tens.get(token, 0))
            # "twenty three" joins; "three three" or "thirteen four" do not.
            if seen and previous not in lexicon.tens.keys() | lexicon.scales.keys() | {"and"}:
                return None
            current += value
            seen = True
        elif token in lexicon.scales and seen:
            scale = lexicon.scales[token]
            if scale >= 1000:
                total += max(current, 1) * scale
                current = 0
            else:
                current = max(current, 1) * scale
            last_scale = scale
        elif token == "and" and seen and previous in lexicon.scales and i + 1 < len(tokens):
            pass
        else:
            return None
        previous = token
    if not seen:
        return None
    return _Number(float(total + current), last_scale)


@cache
def _lexicon() -> _Lexicon:
    words = _load("words.json")
    vague = {
        entry["phrase"]: Quantity(
            float(entry["low"]), float(entry["high"]), vague=True, coded=int(entry["coded"])
        )
        for entry in _load("vague.json")["vague"]
    }
    return _Lexicon(
        units=words["units"],
        tens=words["tens"],
        scales=words["scales"],
        idioms=words["idioms"],
        qualifiers=_load("qualifiers.json")["qualifiers"],
        vague=vague,
    )


def _load(name: str) -> Any:
    path = resources.files("ember") / "data" / "numbers" / name
    return json.loads(path.read_text(encoding="utf-8"))
