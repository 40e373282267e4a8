"""Hypothesis on the Unicode boundary: whatever a string holds, the repaired text is
valid UTF-8 with nothing left to repair, and an escaped name is one valid line that
gives the name back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ember.ingest.boundary import escape_name, one_line_name, unescape_name, valid_text

# Every code point, lone surrogates included (what JSON "\udc80" and undecodable file
# names put in a str).
ANY_TEXT = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=80)
SOME_BACKSLASHES = st.text(alphabet=st.sampled_from("\\xuU0af9\udc80\n\x00é"), max_size=30)


@given(ANY_TEXT)
def test_valid_text_is_valid_and_stable(value: str) -> None:
    repaired, count = valid_text(value)
    repaired.encode("utf-8")
    assert len(repaired) == len(value)
    assert count == sum(a != b for a, b in zip(value, repaired, strict=True))
    assert valid_text(repaired) == (repaired, 0)


@given(st.one_of(ANY_TEXT, SOME_BACKSLASHES))
def test_escaped_names_are_one_valid_line_and_reversible(name: str) -> None:
    escaped = escape_name(name)
    escaped.encode("utf-8")
    assert "\n" not in escaped and "\r" not in escaped
    assert unescape_name(escaped) == name
    assert escape_name(escaped) == escaped.replace("\\", "\\\\")


@given(ANY_TEXT)
def test_reasons_are_one_valid_line(reason: str) -> None:
    line = one_line_name(reason)
    line.encode("utf-8")
    assert "\n" not in line
