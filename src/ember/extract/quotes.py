"""Where a text quotes someone: the spans inside quotation marks and the speaker labels
of transcripts, found from the characters alone (the attributor names the speakers).

- Quotation marks: curly “…”, straight "…" and doubled apostrophes ''…'' (the style of
  some newspapers). A straight mark right after a digit is an inch mark (6'3"), not a
  quotation. A quotation left open at the end of a paragraph ends there; when the next
  paragraph opens with a mark, it goes on (a quotation over several paragraphs opens
  each one and closes only the last).
- Speaker labels: a paragraph that starts with a short name and a colon
  ("WALLACE: …", "Monitor: …" heading a story), optionally inside a quotation mark. The
  label holds for that paragraph."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Label", "Quote", "labels", "quotes"]

_MARKS = re.compile(r"“|”|''|\"")
_OPENS = {"“": "”", '"': '"', "''": "''"}
# "PENCE:", "Mr. Smith:", "Monitor:" at a paragraph's start: at most four words.
_LABEL = re.compile(
    r"^[ \t]*[\"“']*[ \t]*"
    r"(?P<name>[A-Z][\w.'’\-]*(?:[ \t][A-Z][\w.'’\-]*){0,3})[ \t]*:[ \t]+(?=\S)",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Quote:
    """The characters ``start``..``end`` inside one pair of marks (``opened`` and
    ``closed`` are the marks' offsets; ``closed`` None when the paragraph ends first).
    ``leads`` when the mark opens its paragraph, ``continued`` when it goes on a
    quotation the paragraph before left open."""

    opened: int
    start: int
    end: int
    closed: int | None
    leads: bool
    continued: bool


@dataclass(frozen=True, slots=True)
class Label:
    """A speaker label ``name`` (at ``start``..``end``) heading the paragraph that ends
    at ``until``."""

    name: str
    start: int
    end: int
    until: int
    upper: bool


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def quotes(text: str) -> list[Quote]:
    """The quotations of ``text`` in order."""
    found: list[Quote] = []
    left_open = False
    for start, end in _paragraphs(text):
        line = text[start:end]
        if not line.strip():
            continue
        first = start + len(line) - len(line.lstrip())
        opened: tuple[int, str] | None = None
        continued = False
        carried = left_open
        left_open = False
        for match in _MARKS.finditer(text, start, end):
            mark, at = match.group(0), match.start()
            if mark == '"' and at > 0 and text[at - 1].isdigit():
                continue  # an inch mark
            if opened is None:
                if mark == "”":
                    if carried:  # the quotation of the paragraph before closes here
                        found.append(Quote(first, first, at, at, True, True))
                    carried = False
                    continue
                opened = (at, mark)
                continued = carried and at == first
                carried = False
            elif _OPENS[opened[1]] == mark:
                at_open, kind = opened
                inner = at_open + len(kind)
                found.append(Quote(at_open, inner, at, at, at_open == first, continued))
                opened = None
                continued = False
        if opened is not None:
            at_open, kind = opened
            inner = at_open + len(kind)
            found.append(Quote(at_open, inner, end, None, at_open == first, continued))
            left_open = True
    return found


def labels(text: str) -> list[Label]:
    """The paragraphs that open with a speaker label, in order."""
    found: list[Label] = []
    for start, end in _paragraphs(text):
        match = _LABEL.match(text, start, end)
        if match is None:
            continue
        name = match.group("name")
        letters = [c for c in name if c.isalpha()]
        upper = len(letters) >= 2 and all(c.isupper() for c in letters)
        found.append(Label(name, match.start("name"), match.end("name"), end, upper))
    return found
