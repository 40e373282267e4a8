"""Dates written out in English report text, by closed regular patterns.

dateparser reads far more forms, but it takes about a second to import and will make
a date out of almost anything. The two uses here need less and must guess less: the
publication date a line *states* (``parse_stated``) and the latest date a text
*mentions* (``latest_mentioned``), a lower bound for when it was written. Relative
dates ("last March") need a base date, so both leave them alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from ..records import DatePrecision

__all__ = [
    "DATE_PATTERN", "StatedDate", "latest_mentioned", "mentioned_dates", "mentioned_periods",
    "parse_stated",
]  # fmt: skip

_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# Mentions in running text: capitalised month names only, so "may" the verb and
# "march" the noun are not read as months.
_MONTH_CAP = "(?:" + "|".join(m.capitalize() for m in sorted(_MONTHS, key=len, reverse=True)) + ")"
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_DAY = r"[0-3]?\d(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_DASH = r"\s*[-–—]\s*"

# Named pieces for ``parse_stated``; each is tried with fullmatch, in this order.
_STATED = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})\s+(?P<m1>{_MONTH}),?\s+(?P<y>{_YEAR})",
        rf"(?P<d1>{_DAY})\s+(?P<m1>{_MONTH}){_DASH}(?P<d2>{_DAY})\s+(?P<m2>{_MONTH}),?\s+(?P<y>{_YEAR})",
        rf"(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY}),?\s+(?P<y>{_YEAR})",
        rf"(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_MONTH}),?\s+(?P<y>{_YEAR})",
        rf"(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}),?\s+(?P<y>{_YEAR})",
        rf"(?P<y>{_YEAR})-(?P<m1>[01]\d)-(?P<d1>[0-3]\d)",
        rf"(?P<m1>{_MONTH}),?\s+(?P<y>{_YEAR})",
        rf"(?P<y>{_YEAR})",
    )
)

#: One stated date or date range, optionally after a weekday, for use inside larger
#: patterns (the cleaning rules write it as ``{date}``). No groups of its own.
DATE_PATTERN = (
    rf"(?i:(?:{_WEEKDAY},?\s*)?(?:"
    + "|".join(re.sub(r"\(\?P<\w+>", "(?:", p.pattern) for p in _STATED)
    + "))"
)


@dataclass(frozen=True, slots=True)
class StatedDate:
    """A date a line states: the start of the period, and how wide the period is."""

    iso: str
    precision: DatePrecision


def parse_stated(text: str) -> StatedDate | None:
    """The date ``text`` states (a day, a range of days, a month, a year), or None.

    A range such as "9 - 15 November 2017" (a weekly's issue) gives its first day with
    precision "week"; impossible or implausible dates give None."""
    text = re.sub(rf"^{_WEEKDAY},?\s*", "", text.strip(), flags=re.IGNORECASE)
    for pattern in _STATED:
        match = pattern.fullmatch(text)
        if match:
            return _stated(match.groupdict())
    return None


def _stated(parts: dict[str, str | None]) -> StatedDate | None:
    year = int(parts["y"] or 0)
    if parts.get("m1") is None:
        start_of_year = _valid(year, 1, 1)
        return StatedDate(start_of_year.isoformat(), "year") if start_of_year else None
    month = _month_number(parts["m1"] or "")
    start = _valid(year, month, _day_number(parts.get("d1")) or 1)
    if start is None:
        return None
    if parts.get("d2") is None:
        return StatedDate(start.isoformat(), "day" if parts.get("d1") else "month")
    end_month = _month_number(parts.get("m2") or "") or month
    end = _valid(year, end_month, _day_number(parts.get("d2")) or 0)
    if end is None or not 0 <= (end - start).days <= 31:
        return None
    return StatedDate(start.isoformat(), "week" if (end - start).days <= 7 else "month")


def _month_number(name: str) -> int:
    if name.isdigit():
        return int(name)
    return _MONTHS.get(name.rstrip(".").lower(), 0)


def _day_number(day: str | None) -> int | None:
    return int(re.sub(r"\D", "", day)) if day else None


def _valid(year: int, month: int, day: int) -> date | None:
    """The date, if it exists and lies between 1900 and today."""
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value if date(1900, 1, 1) <= value <= date.today() else None


_FULL_MENTIONS = (
    re.compile(rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH_CAP})\.?,?\s+(?P<y>{_YEAR})\b"),
    re.compile(rf"\b(?P<m>{_MONTH_CAP})\.?\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b"),
    re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    re.compile(rf"\b(?P<m>{_MONTH_CAP})\.?,?\s+(?P<y>{_YEAR})\b"),
)
# A bare year counts only after a word that makes it a time ("in 2019", "since 2014",
# "between 2007 and 2008"), and not when a plural noun follows, which makes it a
# count ("in 2000 attacks"). Years chained by "and", "to", dashes are all taken.
_YEAR_CONTEXT = (
    r"\b(?:[Ii]n|[Ss]ince|[Ff]rom|[Uu]ntil|[Tt]ill|[Bb]y|[Dd]uring|[Bb]efore|[Aa]fter|"
    r"[Tt]hrough|[Bb]etween|[Oo]f|[Ee]arly|[Ll]ate|[Mm]id|[Ss]ummer|[Ww]inter|"
    r"[Ss]pring|[Aa]utumn|[Ff]all|[Yy]ear)[\s-]+"
)
_NOT_PLURAL = (
    r"(?!\s+(?!(?:as|is|was|has|this|thus|its|his|whereas|plus|unless|across|"
    r"always|perhaps)\b)[a-z]+s\b)"
)
_YEARS = re.compile(
    rf"{_YEAR_CONTEXT}(?P<years>{_YEAR}(?:\s*(?:,|and|or|to|until|through|[-–—/])\s*{_YEAR})*)"
    rf"\b(?![-–,.]?\d){_NOT_PLURAL}"
)


def latest_mentioned(text: str) -> date | None:
    """The latest date ``text`` mentions, as the first day of the period it names."""
    return max((found for found, _written in mentioned_dates(text)), default=None)


def mentioned_dates(text: str) -> Iterator[tuple[date, str]]:
    """Every date ``text`` mentions (the first day of the period it names), with the
    words that state it."""
    for pattern in _FULL_MENTIONS:
        for match in pattern.finditer(text):
            found = _valid(
                int(match["y"]),
                _month_number(match["m"]),
                _day_number(match.groupdict().get("d")) or 1,
            )
            if found:
                yield found, match.group(0)
    for match in _YEARS.finditer(text):
        for year in re.findall(_YEAR, match["years"]):
            found = _valid(int(year), 1, 1)
            if found:
                yield found, match.group(0).strip()


def mentioned_periods(text: str) -> list[tuple[int, date, date]]:
    """The dates ``text`` states with their year, in text order: (offset, first day,
    last day of the period named: the day, the month, or the year)."""
    found: list[tuple[int, date, date]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _FULL_MENTIONS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            day = _day_number(match.groupdict().get("d"))
            first = _valid(int(match["y"]), _month_number(match["m"]), day or 1)
            if first is None:
                continue
            last = first if day else _month_last_day(first)
            taken.append((match.start(), match.end()))
            found.append((match.start(), first, last))
    for match in _YEARS.finditer(text):
        for year in re.finditer(_YEAR, match["years"]):
            at = match.start("years") + year.start()
            first = _valid(int(year.group(0)), 1, 1)
            if first is not None and not any(s <= at < e for s, e in taken):
                found.append((at, first, date(first.year, 12, 31)))
    return sorted(found)


def _month_last_day(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)
