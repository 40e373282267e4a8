"""Hypothesis on the parsers every document passes through: cleaning, stated and
mentioned dates, tabular dates, the number parser and date resolution never raise, and
what they return is well formed."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ember.ingest._dates import mentioned_dates, mentioned_periods, parse_stated
from ember.ingest._tabular import parse_date
from ember.ingest.clean import clean_text, read_layout
from ember.nlp.dates import resolve_date
from ember.nlp.numbers import parse_quantity

ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
WORDS = [
    "killed", "at least", "15", "to", "20", "thousand", "dozens", "$", "200", "million",
    "a", "thousand", "1,500", "9223372036854775808", "1e400", "-3", "½", "٣", "2019",
    "March", "last", "week", "on", "Monday", "31", "February", "2021-02-30", "ago", "three",
    "days", "\n\n", "Posted", "By", "Cookie", "©", "|", "Share", "«", "Reuters", "\u200b",
]  # fmt: skip
PHRASES = st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join)
TEXT = st.one_of(PHRASES, st.text(max_size=200))


@given(TEXT)
def test_cleaning_never_raises(text: str) -> None:
    cleaned = clean_text(text)
    assert isinstance(cleaned, str)
    layout = read_layout(text)
    assert all(isinstance(p, str) for p in layout.paragraphs())


@given(TEXT)
def test_stated_and_mentioned_dates_are_real_dates(text: str) -> None:
    stated = parse_stated(text)
    if stated is not None:
        assert ISO.fullmatch(stated.iso), stated
    for day, _ in mentioned_dates(text):
        assert 1 <= day.year <= 9999
    for _, start, end in mentioned_periods(text):
        assert start <= end


@given(st.one_of(TEXT, st.integers(), st.floats(), st.none()))
def test_tabular_dates_are_iso_or_none(value: object) -> None:
    parsed = parse_date(value)
    if parsed is not None:
        assert ISO.fullmatch(parsed[0]), parsed


@given(TEXT)
def test_quantities_are_ordered_numbers(text: str) -> None:
    quantity = parse_quantity(text)
    if quantity is not None:
        assert quantity.low <= quantity.high or quantity.low != quantity.low


@given(TEXT, st.sampled_from([None, "2019-04-02", "0001-01-01", "9999-12-31"]))
def test_date_resolution_never_raises(text: str, anchor: str | None) -> None:
    resolved = resolve_date(text, anchor=anchor)
    for bound in (resolved.start, resolved.end):
        assert bound is None or ISO.fullmatch(bound)
