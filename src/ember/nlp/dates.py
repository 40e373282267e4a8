"""Dates as reports write them, resolved to a ``DateRange``.

``resolve_date`` reads one expression: absolute ("9 March 2019", "mid-2018"), or
relative to an anchor, the document's publication date ("on Friday", "last March",
"three weeks ago", "the end of last July", "earlier this month"), or to the date
mentioned just before ("two days later", "the same day"). ``sentence_dates`` finds the
expressions in a parsed sentence and resolves them in order.

Conventions (news writing): a weekday or a day without a year is the most recent one
on or before the anchor; a month without a year is this year's when it has begun by
the anchor, else last year's ("in March" in a June article is this March, in a
February article last March). What cannot be resolved is ``DateRange.unknown()``;
the run date never stands in for a missing part."""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from ..records import DatePrecision, DateRange
from .text import doc_text, span_entities

if TYPE_CHECKING:
    from dateparser.date import DateDataParser
    from spacy.tokens import Span

__all__ = [
    "hull",
    "is_age",
    "is_month_name",
    "resolve_date",
    "sentence_dates",
    "width_precision",
]


@dataclass(frozen=True, slots=True)
class _Context:
    anchor: date | None
    previous: date | None
    # The latest the anchor can be: an undated report's anchor is the window
    # ``anchor``..``latest`` in which it can have been written.
    latest: date | None = None
    # In an undated report, the period the last date stated with its year names (the
    # narrative's time): "On 9 October 2019 ... On 13 October" is that October.
    narrative: tuple[date, date] | None = None
    # The window's start (``anchor`` moves to ``latest`` while a window is resolved).
    earliest: date | None = None


# A parsed expression: given the anchor and the previous date, its range (None when
# they are missing).
_Rule = Callable[[_Context], DateRange | None]

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"),
            ("thursday", "thu", "thurs"), ("friday", "fri"), ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}  # fmt: skip
# Northern-hemisphere seasons as (first month, number of months).
_SEASONS = {"spring": (3, 3), "summer": (6, 3), "autumn": (9, 3), "fall": (9, 3), "winter": (12, 3)}
_UNITS: dict[str, DatePrecision] = {
    "day": "day", "days": "day", "week": "week", "weeks": "week", "fortnight": "week",
    "month": "month", "months": "month", "year": "year", "years": "year",
}  # fmt: skip
_SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "a few": 3, "few": 3, "several": 3,
}  # fmt: skip

_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = "(?P<weekday>" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_COUNT = r"(?P<count>\d+|" + "|".join(sorted(_SMALL_NUMBERS, key=len, reverse=True)) + ")"
_UNIT = "(?P<unit>" + "|".join(_UNITS) + ")"
_PART = (
    r"(?:(?P<part>early|mid|late|the (?:end|beginning|start|middle) of|"
    r"end of|beginning of|start of|middle of)[\s-]+)?"
)
_RELATIVE = r"(?:(?P<relative>last|this|next|past|previous|coming)\s+)?"

# Leading words that do not change the date ("on Friday", "in 2019 alone").
_LEAD = re.compile(
    r"^(?:(?:on|in|at|over|during|since|by|from|as of|until|till|of|around|about|circa|"
    r"sometime|some time|in the|the|late on|early on)\s+)+"
)
_TRAIL = re.compile(
    r"(?:\s+(?:alone|so far|morning|afternoon|evening|night|overnight|"
    r"at dawn|at dusk|local time))+$"
)


def resolve_date(
    expression: str,
    *,
    anchor: str | None,
    approximate: bool = False,
    previous: DateRange | None = None,
    latest: str | None = None,
) -> DateRange:
    """The dates ``expression`` names, resolved against ``anchor`` (an ISO date: the
    publication date; or, with ``approximate=True``, the start of an undated report's
    window, whose end is ``latest``) and, for "two days later" or "the same day",
    ``previous`` (the date mentioned just before). Against a window the result is
    every date the expression can mean for a report written in it ("last March" in a
    report of April 2019 to March 2020: March 2019 to March 2020), with the precision
    its width allows, and ``approximate`` set. ``DateRange.unknown()`` when it cannot
    be said."""
    rule = _parse(expression)
    if rule is None:
        return DateRange.unknown()
    return _apply(rule, _context(anchor, previous, latest), approximate=approximate)


def sentence_dates(
    sent: Span,
    *,
    anchor: str | None,
    approximate: bool = False,
    previous: DateRange | None = None,
    latest: str | None = None,
) -> list[tuple[int, int, DateRange]]:
    """The date expressions of ``sent`` as (start, end) character offsets in its doc
    and their resolution (as ``resolve_date``), in order. Durations ("for three weeks",
    "a four-year war") and ages ("eight years old") are not dates and are left out; a
    date that needs an anchor the caller lacks is kept, resolved as unknown."""
    found: list[tuple[int, int, DateRange]] = []
    periods = _stated_periods(doc_text(sent.doc)) if approximate and latest else ()
    for start, end, rule in _candidates(sent):
        context = _context(anchor, previous, latest)
        if periods:
            context = replace(context, narrative=_narrative(periods, start))
        resolved = _apply(rule, context, approximate=approximate)
        found.append((start, end, resolved))
        if resolved.start is not None:
            previous = resolved
    return found


def _apply(rule: _Rule, context: _Context, *, approximate: bool) -> DateRange:
    resolved = rule(context)
    if resolved is None:
        return DateRange.unknown()
    uses_anchor = _uses_anchor(rule)
    if uses_anchor and context.latest is not None and context.latest != context.anchor:
        # Every rule moves forward with its anchor, so the dates it can mean for any
        # anchor in the window lie between what it gives at the window's two ends.
        last = rule(replace(context, anchor=context.latest))
        if last is not None:
            resolved = hull(resolved, last)
    return replace(resolved, approximate=approximate and uses_anchor)


def hull(one: DateRange, other: DateRange) -> DateRange:
    """The smallest range holding both, with the precision its width allows."""
    if one.start is None or other.start is None or one.end is None or other.end is None:
        return one if other.start is None else other
    start, end = min(one.start, other.start), max(one.end, other.end)
    if (start, end) == (one.start, one.end):
        return one
    return DateRange(start=start, end=end, precision=width_precision(start, end))


def width_precision(start: str, end: str) -> DatePrecision:
    """The unit a range of these ends is known to: a day, a week (up to 7 days), a month
    (up to two: ACLED's "month" precision, dated to the middle), else a year (even when
    it is longer: the ends say how long)."""
    days = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    if days <= 1:
        return "day"
    if days <= 7:
        return "week"
    return "month" if days <= 62 else "year"


def _uses_anchor(rule: _Rule) -> bool:
    """Whether ``rule`` needs the anchor: absolute dates are not approximate."""
    return rule(_Context(anchor=None, previous=None)) is None


def _context(anchor: str | None, previous: DateRange | None, latest: str | None) -> _Context:
    return _Context(
        anchor=_iso_date(anchor),
        previous=_iso_date(previous.start) if previous is not None else None,
        latest=_iso_date(latest),
        earliest=_iso_date(anchor),
    )


@lru_cache(maxsize=8)
def _stated_periods(text: str) -> tuple[tuple[int, date, date], ...]:
    from ..ingest.window import mentioned_periods

    return tuple(mentioned_periods(text))


def _narrative(periods: tuple[tuple[int, date, date], ...], at: int) -> tuple[date, date] | None:
    """The period of the last date stated with its year before offset ``at``."""
    index = bisect_left(periods, (at, date.min, date.min))
    if index == 0:
        return None
    _offset, first, last = periods[index - 1]
    return first, last


def _closest_year(c: _Context, build: Callable[[int], date | None]) -> date | None:
    """For a date without a year in an undated report: of the years the window allows
    (within a year before its start, never after its end), the one that puts it in or
    nearest to the narrative's period, when that period is itself that recent ("its
    area in 2014" is background, not the time the report tells)."""
    if c.narrative is None or c.latest is None or c.earliest is None:
        return None
    first, last = c.narrative
    allowed_from = c.earliest - timedelta(days=366)
    if last < allowed_from or first > c.latest:
        return None
    best: tuple[int, date] | None = None
    for year in range(first.year - 1, last.year + 2):
        found = build(year)
        if found is None or not allowed_from <= found <= c.latest:
            continue
        gap = (
            0
            if first <= found <= last
            else min(abs((found - first).days), abs((found - last).days))
        )
        if best is None or gap < best[0]:
            best = (gap, found)
    return best[1] if best else None


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# --- parsing: expression -> rule -------------------------------------------------


def _normalise(expression: str) -> str:
    text = expression.lower().replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"[,\u2019']", " ", text)
    text = re.sub(r"\s+", " ", text).strip(' .;:()"')
    text = _LEAD.sub("", text)
    return _TRAIL.sub("", text).strip()


def _parse(expression: str) -> _Rule | None:
    text = _normalise(expression)
    if not text or len(text) > 60:
        return None
    for pattern, build in _GRAMMAR:
        match = pattern.fullmatch(text)
        if match:
            rule = build(match.groupdict())
            if rule is not None:
                return rule
    return _dateparser_rule(text)


def _absolute_day(g: dict[str, str | None]) -> _Rule | None:
    found = _valid(int(g["year"] or 0), _MONTHS[g["month"] or ""], int(g["day"] or 0))
    return None if found is None else _fixed(_day(found))


def _day_range(g: dict[str, str | None]) -> _Rule | None:
    year, month = int(g["year"] or 0), _MONTHS[g["month"] or ""]
    first, last = _valid(year, month, int(g["day"] or 0)), _valid(year, month, int(g["day2"] or 0))
    if first is None or last is None or not 0 < (last - first).days <= 31:
        return None
    precision: DatePrecision = "week" if (last - first).days <= 7 else "month"
    return _fixed(_range(first, last, precision))


def _absolute_month(g: dict[str, str | None]) -> _Rule | None:
    year = int(g["year"] or 0)
    return _fixed(_part_of_month(year, _MONTHS[g["month"] or ""], g.get("part")))


def _absolute_year(g: dict[str, str | None]) -> _Rule | None:
    return _fixed(_part_of_year(int(g["year"] or 0), g.get("part")))


def _season_of_year(g: dict[str, str | None]) -> _Rule | None:
    return _fixed(_season(int(g["year"] or 0), g["season"] or ""))


def _day_range_without_year(g: dict[str, str | None]) -> _Rule | None:
    """ "the night of 26 to 27 October": the two days, in the year the last of them
    falls in as ``_day_without_year`` reads it."""
    last_day = _day_without_year({"day": g["day2"], "month": g["month"]})
    first_day, second = int(g["day"] or 0), int(g["day2"] or 0)
    if last_day is None or not 0 < second - first_day <= 31:
        return None
    read_last = last_day

    def rule(c: _Context) -> DateRange | None:
        last = read_last(c)
        if last is None or last.start is None:
            return None
        end = date.fromisoformat(last.start)
        start = end - timedelta(days=second - first_day)
        span = (end - start).days
        precision: DatePrecision = "day" if span <= 1 else "week" if span <= 7 else "month"
        return _range(start, end, precision)

    return rule


def _day_without_year(g: dict[str, str | None]) -> _Rule | None:
    month, day = _MONTHS[g["month"] or ""], int(g["day"] or 0)
    if not 1 <= day <= 31 or day > _LEAP_DAYS[month]:
        return None

    def rule(c: _Context) -> DateRange | None:
        if c.anchor is None:
            return None
        in_narrative = _closest_year(c, lambda year: _valid(year, month, day))
        if in_narrative is not None:
            return _day(in_narrative)
        # The most recent such day on or before the anchor (29 February: a leap year's).
        for year in range(c.anchor.year, c.anchor.year - 8, -1):
            found = _valid(year, month, day)
            if found is not None and found <= c.anchor:
                return _day(found)
        return None

    return rule


_LEAP_DAYS = {m: calendar.monthrange(2000, m)[1] for m in range(1, 13)}


def _month_without_year(g: dict[str, str | None]) -> _Rule | None:
    month, relative, part = _MONTHS[g["month"] or ""], g.get("relative"), g.get("part")

    def rule(c: _Context) -> DateRange | None:
        if c.anchor is None:
            return None
        if relative is None:
            in_narrative = _closest_year(c, lambda year: _valid(year, month, 1))
            if in_narrative is not None:
                return _part_of_month(in_narrative.year, month, part)
        year = c.anchor.year
        if relative in ("last", "past", "previous"):
            year -= month >= c.anchor.month
        elif relative in ("next", "coming"):
            year += month <= c.anchor.month
        elif relative != "this":
            year -= month > c.anchor.month
        return _part_of_month(year, month, part)

    return rule


def _weekday(g: dict[str, str | None]) -> _Rule | None:
    weekday, relative = _WEEKDAYS[g["weekday"] or ""], g.get("relative")

    def rule(c: _Context) -> DateRange | None:
        if c.anchor is None:
            return None
        back = (c.anchor.weekday() - weekday) % 7
        if relative in ("next", "coming"):
            return _day(c.anchor + timedelta(days=(weekday - c.anchor.weekday()) % 7 or 7))
        if relative in ("last", "past", "previous") and back == 0:
            back = 7
        return _day(c.anchor - timedelta(days=back))

    return rule


def _season_relative(g: dict[str, str | None]) -> _Rule | None:
    season, relative = g["season"] or "", g.get("relative")
    first_month = _SEASONS[season][0]

    def rule(c: _Context) -> DateRange | None:
        if c.anchor is None:
            return None
        # The year the season starts in; winter starts in the December before.
        year = c.anchor.year - (first_month == 12)
        this = _season(year, season)
        ended = this.end is not None and this.end < c.anchor.isoformat()
        if relative in ("last", "past", "previous"):
            return this if ended else _season(year - 1, season)
        if relative in ("next", "coming"):
            started = this.start is not None and this.start <= c.anchor.isoformat()
            return _season(year + 1, season) if started else this
        return this

    return rule


def _named_day(g: dict[str, str | None]) -> _Rule | None:
    offsets = {
        "today": 0, "tonight": 0, "this": 0, "yesterday": 1, "last night": 1,
        "the day before yesterday": 2, "day before yesterday": 2,
    }  # fmt: skip
    back = offsets[g["name"] or ""]

    def rule(c: _Context) -> DateRange | None:
        return None if c.anchor is None else _day(c.anchor - timedelta(days=back))

    return rule


def _weekend(g: dict[str, str | None]) -> _Rule | None:
    """ "the weekend", "last weekend": the latest Saturday..Sunday begun by the anchor."""
    skip = 1 if g.get("relative") in ("last", "past", "previous") else 0

    def rule(c: _Context) -> DateRange | None:
        if c.anchor is None:
            return None
        saturday = c.anchor - timedelta(days=(c.anchor.weekday() - 5) % 7 + 7 * skip)
        return _range(saturday, saturday + timedelta(days=1), "week")

    return rule


def _period(g: dict[str, str | None]) -> _Rule | None:
    """ "last week", "this month", "earlier this year", "next year"."""
    unit, relative = _UNITS[g["unit"] or ""], g.get("relative") or "this"
    step = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[relative]
    up_to_anchor = bool(g.get("earlier")) and step == 0

    def rule(c: _Context) -> DateRange | None:
        if c.anchor is None:
            return None
        period = _shift_period(c.anchor, unit, step)
        # "earlier this month": the month so far.
        return replace(period, end=c.anchor.isoformat()) if up_to_anchor else period

    return rule


def _ago(g: dict[str, str | None]) -> _Rule | None:
    """ "three weeks ago": the week (month, year) that holds that day."""
    count, unit = _count(g["count"]), _UNITS[g["unit"] or ""]
    if count is None or g["unit"] == "fortnight":
        return None
    step = -count

    def rule(c: _Context) -> DateRange | None:
        return None if c.anchor is None else _shift_period(c.anchor, unit, step)

    return rule


def _past_span(g: dict[str, str | None]) -> _Rule | None:
    """ "the past three weeks": from that many units back up to the anchor."""
    count, unit = _count(g["count"]), _UNITS[g["unit"] or ""]
    if count is None:
        return None

    def rule(c: _Context) -> DateRange | None:
        if c.anchor is None:
            return None
        return _range(_minus(c.anchor, unit, count), c.anchor, unit)

    return rule


def _after_previous(g: dict[str, str | None]) -> _Rule | None:
    """ "two days later", "the next day", "a week earlier", "the same day"."""
    words = g.get("when") or ""
    unit: DatePrecision = "day"
    if words in ("same day", "that day", "that same day", "same", "that same", "that"):
        count, sign = 0, 1
    elif words in ("next day", "following day"):
        count, sign = 1, 1
    elif words in ("day before", "previous day", "preceding day"):
        count, sign = 1, -1
    else:
        amount = _count(g.get("count"))
        if amount is None:
            return None
        count, unit, sign = amount, _UNITS[g["unit"] or ""], 1 if g["dir"] == "later" else -1

    def rule(c: _Context) -> DateRange | None:
        if c.previous is None:
            return None
        moved = _minus(c.previous, unit, -sign * count) if count else c.previous
        return _day(moved) if unit == "day" else _shift_period(moved, unit, 0)

    return rule


def _iso_day(g: dict[str, str | None]) -> _Rule | None:
    found = _valid(int(g["year"] or 0), int(g["month"] or 0), int(g["day"] or 0))
    return None if found is None else _fixed(_day(found))


def _this_time_of_day(g: dict[str, str | None]) -> _Rule | None:
    """ "this morning", once the trailing time of day is cut: the anchor's day."""
    return _named_day({"name": "today"})


_GRAMMAR: tuple[tuple[re.Pattern[str], Callable[[dict[str, str | None]], _Rule | None]], ...] = (
    (re.compile(rf"{_DAY} (?:of )?{_MONTH} {_YEAR}"), _absolute_day),
    (re.compile(rf"{_MONTH} {_DAY} {_YEAR}"), _absolute_day),
    (re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"), _iso_day),
    (re.compile(rf"{_DAY} ?(?:-|to|and) ?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)? {_MONTH} {_YEAR}"),
     _day_range),
    (re.compile(rf"{_MONTH} {_DAY} ?(?:-|to|and) ?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)? {_YEAR}"),
     _day_range),
    (re.compile(rf"{_PART}{_MONTH} (?:of )?{_YEAR}"), _absolute_month),
    (re.compile(rf"{_PART}{_YEAR}"), _absolute_year),
    (re.compile(rf"(?:the )?(?P<season>{'|'.join(_SEASONS)}) (?:of )?{_YEAR}"), _season_of_year),
    (re.compile(rf"{_DAY} ?(?:-|–|to|and) ?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)? {_MONTH}"),
     _day_range_without_year),
    (re.compile(rf"{_DAY} (?:of )?{_MONTH}"), _day_without_year),
    (re.compile(rf"{_MONTH} {_DAY}"), _day_without_year),
    (re.compile(rf"{_PART}{_RELATIVE}{_MONTH}"), _month_without_year),
    (re.compile(rf"{_RELATIVE}{_WEEKDAY}"), _weekday),
    (re.compile(rf"{_RELATIVE}weekend"), _weekend),
    (re.compile(rf"{_RELATIVE}(?P<season>{'|'.join(_SEASONS)})"), _season_relative),
    (re.compile(r"(?P<name>today|tonight|yesterday|last night|(?:the )?day before yesterday)"),
     _named_day),
    (re.compile(r"this"), _this_time_of_day),
    (re.compile(r"(?:(?P<earlier>earlier) |later )?"
                r"(?P<relative>last|this|past|previous|next|coming) (?P<unit>week|month|year)"),
     _period),
    (re.compile(rf"{_COUNT} {_UNIT} ago"), _ago),
    (re.compile(rf"(?:the )?(?:past|last|previous) {_COUNT} {_UNIT}"), _past_span),
    (re.compile(r"(?:the )?(?P<when>(?:that )?same day|that day|next day|following day|"
                r"day before|previous day|preceding day|"
                # "the same night", "that evening", once the part of the day is trimmed
                r"same|that same|that)"), _after_previous),
    (re.compile(rf"{_COUNT} {_UNIT} (?P<dir>later|earlier|after|before)"), _after_previous),
)  # fmt: skip


def _count(word: str | None) -> int | None:
    if word is None:
        return None
    if word.isdigit():
        return int(word) if 0 < int(word) < 1000 else None
    return _SMALL_NUMBERS.get(word)


# --- building ranges -------------------------------------------------------------


def _fixed(found: DateRange | None) -> _Rule | None:
    if found is None:
        return None
    return lambda c: found


def _valid(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2099:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day(found: date) -> DateRange:
    return DateRange(start=found.isoformat(), end=found.isoformat(), precision="day")


def _range(first: date, last: date, precision: DatePrecision) -> DateRange:
    return DateRange(start=first.isoformat(), end=last.isoformat(), precision=precision)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _part_of_month(year: int, month: int, part: str | None) -> DateRange | None:
    """A month, or a third of it: early (1-10), mid (11-20), late or the end (21-)."""
    if _valid(year, month, 1) is None:
        return None
    last = _month_end(year, month)
    if part is None:
        return _range(date(year, month, 1), last, "month")
    third = _third(part)
    first_day, last_day = ((1, 10), (11, 20), (21, last.day))[third]
    return _range(date(year, month, first_day), date(year, month, last_day), "week")


def _part_of_year(year: int, part: str | None) -> DateRange | None:
    """A year, or a third of it: early (Jan-Apr), mid (May-Aug), late or the end (Sep-)."""
    if _valid(year, 1, 1) is None:
        return None
    if part is None:
        return _range(date(year, 1, 1), date(year, 12, 31), "year")
    first_month = 1 + 4 * _third(part)
    return _range(date(year, first_month, 1), _month_end(year, first_month + 3), "month")


def _third(part: str) -> int:
    if part.endswith(("early", "beginning of", "start of")):
        return 0
    return 1 if part.endswith(("mid", "middle of")) else 2


def _season(year: int, season: str) -> DateRange:
    first_month, length = _SEASONS[season]
    first = date(year, first_month, 1)
    last_month = (first_month + length - 2) % 12 + 1
    last = _month_end(year + (last_month < first_month), last_month)
    return _range(first, last, "month")


def _minus(day: date, unit: DatePrecision, count: int) -> date:
    if unit == "day":
        return day - timedelta(days=count)
    if unit == "week":
        return day - timedelta(weeks=count)
    months = count * (12 if unit == "year" else 1)
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _shift_period(anchor: date, unit: DatePrecision, step: int) -> DateRange:
    """The day, week (Monday..Sunday), month or year ``step`` units from the anchor's."""
    moved = _minus(anchor, unit, -step)
    if unit == "day":
        return _day(moved)
    if unit == "week":
        monday = moved - timedelta(days=moved.weekday())
        return _range(monday, monday + timedelta(days=6), "week")
    if unit == "month":
        return _range(moved.replace(day=1), _month_end(moved.year, moved.month), "month")
    return _range(date(moved.year, 1, 1), date(moved.year, 12, 31), "year")


# --- dateparser, for written forms the grammar lacks --------------------------------

_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_PERIODS: dict[str, DatePrecision] = {
    "day": "day", "week": "week", "month": "month", "year": "year",
}  # fmt: skip


def _dateparser_rule(text: str) -> _Rule | None:
    """Absolute dates only, and only with a written year: without one dateparser fills
    in the current year or day, and the run date would leak in."""
    if not _FOUR_DIGIT_YEAR.search(text) or not re.search(r"\d", text.replace(" ", "")):
        return None
    data = _date_parser().get_date_data(text)
    precision = _PERIODS.get(str(data.period))
    if data.date_obj is None or precision is None:
        return None
    found = data.date_obj.date()
    if not _FOUR_DIGIT_YEAR.search(str(found.year)) or str(found.year) not in text:
        return None
    if precision == "year":
        return _fixed(_part_of_year(found.year, None))
    if precision == "month":
        return _fixed(_part_of_month(found.year, found.month, None))
    return _fixed(_day(found)) if precision == "day" else None


@lru_cache(maxsize=1)
def _date_parser() -> DateDataParser:
    from dateparser.date import DateDataParser  # imported when first needed: it is slow

    return DateDataParser(
        languages=["en"],
        settings={
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PARSERS": ["custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["year"],
            "DATE_ORDER": "DMY",
        },
    )


# --- finding expressions in a sentence ---------------------------------------------

_MONTH_CAP = "|".join(m.capitalize() for m in sorted(_MONTHS, key=len, reverse=True) if len(m) > 3)
_WEEKDAY_CAP = "|".join(
    w.capitalize() for w in sorted(_WEEKDAYS, key=len, reverse=True) if len(w) > 4
)
# What spaCy's DATE entities miss or cut short.
_EXTRA = re.compile(
    rf"\b[0-3]?\d(?:st|nd|rd|th)?\s*(?:-|–|to|and)\s*[0-3]?\d(?:st|nd|rd|th)?\s+"
    rf"(?:{_MONTH_CAP})(?:\s+\d{{4}})?\b|"
    r"\b(?:(?:[Tt]he\s+)?(?:end|beginning|start|middle)\s+of\s+)?"
    r"(?:(?:[Ll]ast|[Tt]his|[Nn]ext|[Ee]arly|[Ll]ate|[Mm]id)[\s-]+)?"
    rf"(?:(?:{_MONTH_CAP})(?:\s+\d{{4}})?|(?:{_WEEKDAY_CAP})(?!s\b)"
    r"(?:\s+(?:morning|afternoon|evening|night))?)\b"
    r"|\b(?:[Ll]ast|[Tt]his|[Nn]ext)\s+(?:summer|winter|spring|autumn|week|month|year)\b"
    r"|\b(?:[Yy]esterday|[Tt]oday|[Ll]ast night)\b"
    r"|\b(?:[Tt]he\s+)?same\s+(?:night|evening|morning|afternoon)\b"
    r"|\b[Tt]hat\s+(?:night|evening|morning|afternoon)\b"
)
_AGE_BEFORE = re.compile(r"\b(?:aged?|ages)\s*$", re.IGNORECASE)
_AGE_AFTER = re.compile(r"^\s*-?\s*(?:years?[- ])?old\b", re.IGNORECASE)
_AGE_INSIDE = re.compile(r"\byears?[- ]old\b", re.IGNORECASE)


def _candidates(sent: Span) -> Iterator[tuple[int, int, _Rule]]:
    text_of_doc = doc_text(sent.doc)
    spans = [
        (e.start_char, e.end_char) for e in span_entities(sent) if e.label_ in ("DATE", "TIME")
    ]
    spans += [
        (sent.start_char + m.start(), sent.start_char + m.end()) for m in _EXTRA.finditer(sent.text)
    ]
    kept_end = -1
    for start, end in sorted(set(spans), key=lambda s: (s[0], -s[1])):
        if start < kept_end:
            continue
        text = text_of_doc[start:end]
        if is_age(text_of_doc, start, end, text):
            continue
        rule = _parse(text)
        if rule is None:
            continue
        kept_end = end
        yield start, end, rule


def is_month_name(word: str) -> bool:
    """ "March", "sept", "Dec." """
    return word.lower().rstrip(".") in _MONTHS


def is_age(full_text: str, start: int, end: int, text: str) -> bool:
    """Whether ``text`` at ``full_text[start:end]`` is an age ("aged 25", "eight years old")."""
    return bool(
        _AGE_INSIDE.search(text)
        or _AGE_AFTER.match(full_text[end : end + 12])
        or _AGE_BEFORE.search(full_text[max(0, start - 8) : start])
    )
