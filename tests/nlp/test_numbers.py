"""Counts in words and digits, ranges, hedges and vague words; ACLED's conservative count."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from ember.nlp.numbers import Quantity, conservative_count, parse_quantity


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("1,200", 1200, 1200),
        ("15,000", 15000, 15000),
        ("1.5 million", 1_500_000, 1_500_000),
        ("$ 200 million", 200_000_000, 200_000_000),
        ("seven", 7, 7),
        ("twenty-three", 23, 23),
        ("one hundred and four", 104, 104),
        ("a thousand", 1000, 1000),
        ("a dozen", 12, 12),
        ("two dozen", 24, 24),
        ("half a dozen", 6, 6),
        ("15 to 20 thousand", 15000, 20000),
        ("15-20,000", 15000, 20000),
        ("between 10 and 12", 10, 12),
        ("10-12", 10, 12),
        ("10–12", 10, 12),
        ("two or three", 2, 3),
    ],
)
def test_figures_and_ranges(text: str, low: float, high: float) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert (q.low, q.high, q.vague) == (low, high, False)


@pytest.mark.parametrize(
    ("text", "qualifier", "value"),
    [
        ("at least eight", "at least", 8),
        ("more than 50", "more than", 50),
        ("over 100", "more than", 100),
        ("some 30", "about", 30),
        ("around 40", "about", 40),
        ("roughly 5", "about", 5),
        ("almost 20", "nearly", 20),
        ("nearly two dozen", "nearly", 24),
        ("up to 300", "up to", 300),
        ("as many as 9", "up to", 9),
        ("fewer than 10", "fewer than", 10),
        ("100 or more", "at least", 100),
        ("more than a dozen", "more than", 12),
        ("3", None, 3),
    ],
)
def test_qualifiers_are_normalised(text: str, qualifier: str | None, value: float) -> None:
    assert parse_quantity(text) == Quantity(value, value, qualifier)


@pytest.mark.parametrize(
    ("text", "low", "high", "coded"),
    [
        ("dozens", 24, 99, 12),
        ("dozens of", 24, 99, 12),
        ("tens", 20, 90, 10),
        ("hundreds", 200, 999, 100),
        ("several", 3, 9, 10),
        ("a few", 3, 5, 3),
        ("tens of thousands", 20000, 90000, 10000),
        ("thousands", 2000, 9999, 1000),
    ],
)
def test_vague_words(text: str, low: float, high: float, coded: int) -> None:
    q = parse_quantity(text)
    assert q is not None and q.vague
    assert (q.low, q.high, conservative_count(q)) == (low, high, coded)


@pytest.mark.parametrize(
    "text", ["", "a", "the", "soldiers", "three three", "ten ten ten", "1,20,0"]
)
def test_not_quantities(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("at least eight", 8),
        ("more than 50", 50),
        ("15 to 20 thousand", 15000),
        ("between 10 and 12", 10),
        ("dozens", 12),
        ("tens", 10),
        ("hundreds", 100),
        ("some 30", 30),
    ],
)
def test_conservative_count(text: str, count: int) -> None:
    q = parse_quantity(text)
    assert q is not None and conservative_count(q) == count


def test_vague_data_file_is_well_formed() -> None:
    path = resources.files("ember") / "data" / "numbers" / "vague.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["source"]
    for entry in data["vague"]:
        assert entry["phrase"] == entry["phrase"].lower().strip()
        assert 0 < entry["low"] <= entry["high"]
        assert entry["coded"] > 0
