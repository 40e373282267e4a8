"""When an undated report can have been written: a window, with what set each bound.

A report that states no publication date still says a lot about when it was written:

- the dates it mentions (it was written after the latest of them);
- landmark happenings it tells as past ("after the fall of Baghouz": after 23 March 2019)
  or as still to come ("Rawa, still held by IS": before its recapture), from the curated
  timeline in ``data/timeline/landmarks.jsonl``;
- time elapsed since a landmark ("a month after the declaration of the end of the
  caliphate", "one year has passed since the defeat in Baghouz");
- officials named by the title they hold ("acting Secretary of Defense Patrick
  Shanahan": within his tenure, ``data/timeline/tenures.jsonl``);
- and, for the upper bound, the day it was ingested.

Each piece of evidence is a set of date intervals the publication date must lie in; the
window is their intersection, taken in order of trust (stated dates first); a piece that
contradicts what is already known is dropped rather than emptying the window. When
nothing bounds the window from above, it is closed a year after its start
(``ASSUMED_SPAN_DAYS``): reports are written close to the latest happening they tell, and
an open window would make every relative date ("last March") mean any March since. That
bound says it is assumed.

The matching is regular expressions over sentences (this stage runs before the parser);
the timeline's patterns are data, with their sources."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from ._dates import mentioned_dates, mentioned_periods

__all__ = [
    "ASSUMED_SPAN_DAYS", "Window", "infer_window", "landmark_dates_told", "landmarks_told",
    "mentioned_periods",
    "stated_window",
]  # fmt: skip

#: How long after its start an otherwise open window is closed.
ASSUMED_SPAN_DAYS = 365
# A cue (still held, recaptured) speaks of a name when it is this close to it.
_CUE_REACH = 100
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "first": 1, "two": 2, "second": 2, "three": 3, "third": 3,
    "four": 4, "fourth": 4, "five": 5, "fifth": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")

_Interval = tuple[date, date]


@dataclass(frozen=True, slots=True)
class Window:
    """The publication window of a document: ISO dates, or None where nothing bounds it,
    and for each bound the evidence that set it."""

    after: str | None
    before: str | None
    after_basis: str | None = None
    before_basis: str | None = None


@dataclass(frozen=True, slots=True)
class _Evidence:
    intervals: tuple[_Interval, ...]
    basis: str
    trust: int
    # Something that began then and still goes on (the coalition, a war): it says the
    # report is later, not that it was written soon after.
    lasting: bool = False


def stated_window(published: str, precision: str | None) -> Window:
    """The window of a report that states when it was published: that day, or the whole
    month or year it names. What the text tells cannot move it."""
    basis = f"the publication date it states ({published})"
    year = int(published[:4])
    if precision == "year" or len(published) == 4:
        return Window(f"{year}-01-01", f"{year}-12-31", basis, basis)
    if precision == "month" or len(published) == 7:
        month = int(published[5:7])
        following = date(year + month // 12, month % 12 + 1, 1)
        last = following - timedelta(days=1)
        return Window(f"{published[:7]}-01", last.isoformat(), basis, basis)
    return Window(published[:10], published[:10], basis, basis)


def infer_window(text: str, *, today: date | None = None) -> Window:
    """The window in which ``text`` can have been written (see the module's docstring)."""
    today = today or date.today()
    evidence = sorted(_evidence(text, today), key=lambda e: e.trust)
    current: list[_Interval] = [(date.min, today)]
    after_basis: str | None = None
    before_basis: str | None = f"not after it was ingested ({today.isoformat()})"
    lasting = False
    for item in evidence:
        narrowed = _intersect(current, item.intervals)
        if not narrowed:
            continue
        if _start(narrowed) > _start(current):
            after_basis = item.basis
            lasting = item.lasting
        if _end(narrowed) < _end(current):
            before_basis = item.basis
        current = narrowed
    start, end = _start(current), _end(current)
    if start == date.min:
        return Window(after=None, before=end.isoformat(), before_basis=before_basis)
    if end == today and not lasting and start + timedelta(days=ASSUMED_SPAN_DAYS) < today:
        end = start + timedelta(days=ASSUMED_SPAN_DAYS)
        before_basis = (
            f"assumed: within {ASSUMED_SPAN_DAYS} days of the earliest date it can be"
            " (nothing in the text bounds it from above)"
        )
    return Window(
        after=start.isoformat(), before=end.isoformat(),
        after_basis=after_basis, before_basis=before_basis,
    )  # fmt: skip


def _start(intervals: list[_Interval]) -> date:
    return min(low for low, _high in intervals)


def _end(intervals: list[_Interval]) -> date:
    return max(high for _low, high in intervals)


def _intersect(current: list[_Interval], wanted: tuple[_Interval, ...]) -> list[_Interval]:
    out = []
    for low, high in current:
        for w_low, w_high in wanted:
            joined = (max(low, w_low), min(high, w_high))
            if joined[0] <= joined[1]:
                out.append(joined)
    return out


# -- evidence -------------------------------------------------------------------------


def _evidence(text: str, today: date) -> Iterator[_Evidence]:
    latest = max(mentioned_dates(text), default=None, key=lambda found: found[0])
    if latest is not None:
        day, written = latest
        yield _Evidence(((day, today),), f'mentions "{written}"', trust=0)
    for sentence in _sentences(text):
        yield from _tenure_evidence(sentence, today)
        yield from _landmark_evidence(sentence, today)
        yield from _year_evidence(sentence, today)


def _year_evidence(sentence: str, today: date) -> Iterator[_Evidence]:
    """A year told as complete ("in 2019 alone": written after it) or as still running
    ("so far in 2019": written during it)."""
    cues = _cues()
    for key, inside in (("year_done", False), ("year_so_far", True)):
        for found in cues[key].finditer(sentence):
            year = int(next(v for v in found.groups() if v))
            if not 1900 < year <= today.year:
                continue
            words = found.group(0).strip()
            if inside:
                end = min(today, date(year, 12, 31))
                yield _Evidence(((date(year, 1, 1), end),), f'"{words}": during {year}', trust=1)
            elif year < today.year:
                basis = f'"{words}": after {year} ended'
                yield _Evidence(((date(year + 1, 1, 1), today),), basis, trust=2)


def _sentences(text: str) -> Iterator[str]:
    for piece in _SENTENCE_END.split(text):
        folded = _fold(piece)
        if folded.strip():
            yield folded


def _fold(text: str) -> str:
    """Lower case, no diacritics, straight quotes: what the timeline's patterns expect."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bf", "'")
    return re.sub(r"[ \t]+", " ", text.lower())


def _tenure_evidence(sentence: str, today: date) -> Iterator[_Evidence]:
    cues = _cues()
    for tenure in _tenures():
        for name in tenure["names"].finditer(sentence):
            near = sentence[max(0, name.start() - 70) : name.end() + 40]
            title = tenure["title"].search(near)
            if title is None or cues["not_current"].search(near[: title.start() + 1][-25:]):
                continue
            end = tenure["end"] or today
            held = f"{tenure['start']}..{tenure['end'] or 'now'}"
            basis = f"names {tenure['person']} by a title held {held}"
            yield _Evidence(((tenure["start"], end),), basis, trust=1)
            break


def _landmark_evidence(sentence: str, today: date) -> Iterator[_Evidence]:
    cues = _cues()
    after: list[tuple[dict[str, Any], tuple[int, int]]] = []
    before: list[tuple[dict[str, Any], tuple[int, int]]] = []
    for landmark in _landmarks():
        found = _stance(landmark, sentence, cues)
        if found is not None:
            stance, span = found
            (after if stance == "after" else before).append((landmark, span))
    for group in _same_mention(after):
        # An ambiguous mention ("the fall of Mosul": 2014 or 2017) only says it is past
        # the earliest of the happenings it can mean.
        earliest = min(group, key=lambda lm: lm["date"])
        basis = f"tells as past: {earliest['what']} ({earliest['date'].isoformat()})"
        lasting = all(lm["lasting"] for lm in group)
        yield _Evidence(((earliest["date"], today),), basis, trust=2, lasting=lasting)
    for low, high, words, phrase_end in _elapsed(sentence, cues):
        # "a month after the fall of X": the landmark named right after the words.
        governed = [lm for lm, (start, _end) in after if 0 <= start - phrase_end <= _CUE_REACH]
        if not governed:
            continue
        intervals = tuple(
            (lm["date"] + timedelta(days=low), lm["date"] + timedelta(days=high)) for lm in governed
        )
        names = "; ".join(f"{lm['what']} ({lm['date'].isoformat()})" for lm in governed)
        yield _Evidence(intervals, f'"{words}" {names}', trust=3)
    for group in _same_mention(before):
        latest = max(group, key=lambda lm: lm["date"])
        basis = f"tells as still to come: {latest['what']} ({latest['date'].isoformat()})"
        yield _Evidence(((date.min, latest["date"]),), basis, trust=4)


# Words that make a landmark the time of something else ("after the fall of Baghouz").
_TIME_ANCHOR = re.compile(
    r"\b(?:after|since|following|before|until|till|ahead of|prior to|in the wake of|"
    r"(?:weeks?|months?|years?|days?) (?:after|before|since))\W+(?:\w+\W+){0,6}$"
)


def landmark_dates_told(sentence: str) -> set[date]:
    """The dates of the landmarks ``sentence`` tells as its own news: told as past, and
    not as the time of something else ("after the fall of Baghouz")."""
    return {day for day, _method in landmarks_told(sentence)}


def landmarks_told(sentence: str) -> list[tuple[date, str | None]]:
    """The landmarks ``sentence`` tells as its own news, as (date, ACLED sub-event type
    of the attack where the landmark's source states its method)."""
    folded = _fold(sentence)
    cues = _cues()
    told = []
    for landmark in _landmarks():
        found = _stance(landmark, folded, cues)
        if found is None or found[0] != "after":
            continue
        if _TIME_ANCHOR.search(folded[: found[1][0]]):
            continue
        told.append((landmark["date"], landmark["sub_event_type"]))
    return told


def _same_mention(
    found: list[tuple[dict[str, Any], tuple[int, int]]],
) -> list[list[dict[str, Any]]]:
    """The landmarks grouped by the words that name them: overlapping names are one
    mention that can mean any of its landmarks."""
    groups: list[tuple[tuple[int, int], list[dict[str, Any]]]] = []
    for landmark, span in sorted(found, key=lambda item: item[1]):
        if groups and span[0] < groups[-1][0][1]:
            (start, end), members = groups[-1]
            groups[-1] = ((start, max(end, span[1])), [*members, landmark])
        else:
            groups.append((span, [landmark]))
    return [members for _span, members in groups]


def _stance(
    landmark: dict[str, Any], sentence: str, cues: dict[str, Any]
) -> tuple[str, tuple[int, int]] | None:
    """("after", span) when ``sentence`` tells ``landmark`` as past, ("before", span)
    when as still to come, None when it does not mention it. ``span`` is where the
    landmark is first named."""
    groups: list[re.Pattern[str]] = landmark["names"]
    matches = [g.search(sentence) for g in groups]
    if any(m is None for m in matches):
        return None
    unless = landmark["unless"]
    if unless is not None and unless.search(sentence):
        return None
    anchor = matches[0]
    assert anchor is not None
    span = (min(m.start() for m in matches if m), anchor.end())
    before_cue = cues.get(landmark["before_when"] or "")
    to_come = _distance(before_cue, sentence, anchor) if before_cue is not None else None
    done = _distance(cues["done"], sentence, anchor)
    if to_come is not None and (done is None or to_come < done):
        return "before", span
    if landmark["needs_cue"] and done is None:
        return None
    return "after", span


def _distance(pattern: re.Pattern[str], sentence: str, anchor: re.Match[str]) -> int | None:
    """How far the nearest match of ``pattern`` lies from ``anchor`` (None beyond reach)."""
    best: int | None = None
    for found in pattern.finditer(sentence):
        if found.start() < anchor.end() and found.end() > anchor.start():
            continue
        gap = (
            anchor.start() - found.end()
            if found.end() <= anchor.start()
            else found.start() - anchor.end()
        )
        if gap <= _CUE_REACH and (best is None or gap < best):
            best = gap
    return best


def _elapsed(sentence: str, cues: dict[str, Any]) -> Iterator[tuple[int, int, str, int]]:
    """Time said to have passed since a landmark: (least, most) days, the words, and
    where they end."""
    for pattern in cues["elapsed"]:
        for found in pattern.finditer(sentence):
            parts = found.groupdict()
            count = _count(parts["count"])
            unit = _UNIT_DAYS[parts["unit"].rstrip("s")]
            if count is None:
                continue
            words, end = found.group(0).strip(), found.end()
            hedge = (parts.get("more") or "").strip()
            if "anniversary" in found.group(0):
                yield count * unit - 7, count * unit + 31, words, end
            elif hedge == "less than":
                yield 0, count * unit, words, end
            elif hedge in ("more than", "over"):
                yield count * unit, (2 * count + 1) * unit, words, end
            else:
                yield count * unit - unit // 4, (count + 1) * unit, words, end


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word) if 0 < int(word) < 100 else None
    return _COUNT_WORDS.get(word)


# -- data -----------------------------------------------------------------------------


def _data_text(name: str) -> str:
    return resources.files("ember").joinpath(f"data/timeline/{name}").read_text("utf-8")


@cache
def _cues() -> dict[str, Any]:
    raw = json.loads(_data_text("cues.json"))
    cues: dict[str, Any] = {
        key: re.compile(value) for key, value in raw.items() if key not in ("source", "elapsed")
    }
    cues["elapsed"] = [re.compile(p) for p in raw["elapsed"]]
    return cues


@cache
def _landmarks() -> tuple[dict[str, Any], ...]:
    out = []
    for line in _data_text("landmarks.jsonl").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        names = [n for n in entry["names"] if n != "@done"]
        out.append({
            "id": entry["id"],
            "date": date.fromisoformat(entry["date"]),
            "what": entry["what"],
            "names": [re.compile(n) for n in names],
            "needs_cue": "@done" in entry["names"],
            "unless": re.compile(entry["unless"]) if entry.get("unless") else None,
            "before_when": entry.get("before_when"),
            "lasting": bool(entry.get("lasting", False)),
            "sub_event_type": entry.get("sub_event_type"),
        })  # fmt: skip
    return tuple(out)


@cache
def _tenures() -> tuple[dict[str, Any], ...]:
    out = []
    for line in _data_text("tenures.jsonl").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        out.append({
            "person": entry["person"],
            "names": re.compile(entry["names"]),
            "title": re.compile(entry["title"]),
            "start": date.fromisoformat(entry["start"]),
            "end": date.fromisoformat(entry["end"]) if entry.get("end") else None,
        })  # fmt: skip
    return tuple(out)
