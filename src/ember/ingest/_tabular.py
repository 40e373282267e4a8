"""JSON Lines and CSV: one document per row, its text from one column, the other columns
as metadata hints.

The text column is ``settings.text_column`` when set, else the first of
``TEXT_COLUMNS`` the file has, else the column with the longest string values in the
first rows. Rows stream through: a file is never held in memory, a row at most
``settings.max_record_bytes`` characters. A bad row is rejected alone (``notes.jsonl:7``
or ``events.csv:12``, the line it starts on, header = line 1); a CSV parse error stops
the file there, since what follows an unbalanced quote cannot be trusted."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from email.utils import parsedate_tz
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, BinaryIO, TextIO

from ..errors import DecodeFailed
from ..records import DatePrecision
from ..settings import Settings
from ._types import Hints, RawDocument, Rejection
from .decode import human_size, one_line, text_stream

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = ["HINT_COLUMNS", "TEXT_COLUMNS", "parse_date", "read_csv", "read_jsonl", "row_hints"]

Row = Mapping[str, object]
Numbered = tuple[int, Row | str]  # a line number and its row, or why it has none

# Column names (lower case, spaces and dashes as "_") that hold the text, best first.
TEXT_COLUMNS: tuple[str, ...] = (
    "text", "full_text", "fulltext", "body", "body_text", "article_text", "content",
    "article", "maintext", "main_text", "story", "notes", "description", "summary",
    "abstract", "message",
)  # fmt: skip
HINT_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "heading", "subject"),
    "url": ("url", "link", "href", "permalink", "source_url", "article_url", "canonical_url"),
    "published": (
        "published", "published_at", "publication_date", "date_published", "pubdate",
        "pub_date", "date", "datetime", "event_date", "timestamp",
    ),
    "author": ("author", "authors", "byline", "writer", "creator"),
    "publisher": (
        "publisher", "source", "outlet", "source_name", "site_name", "sitename", "site",
        "publication", "domain",
    ),
    "language": ("language", "lang", "language_code"),
}  # fmt: skip
_HINT_NAMES = frozenset(name for names in HINT_COLUMNS.values() for name in names)
_SAMPLE_ROWS = 10
_DELIMITERS = ",;\t|"
_HTML = re.compile(r"<(?:p|div|br|html|body|article|h[1-6]|ul|li|table|span|a)\b[^>]*>", re.I)
_LANGUAGE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*$", re.I)
_NEWLINES = ("\n", "\r")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]\d.*)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\d{4}(?:\d{2})?)?$")  # 20190323[1015[00]]
_SLASH_DATE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})\b")
_PERIODS: dict[str, DatePrecision] = {
    "time": "day", "day": "day", "week": "week", "month": "month",
    "quarter": "year", "year": "year",
}  # fmt: skip
_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_DATE_LANGUAGES = ["en", "ar", "fr", "es", "de", "tr", "ru"]


def _norm(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def read_jsonl(
    source: str, stream: BinaryIO, *, settings: Settings
) -> Iterator[RawDocument | Rejection]:
    """One document per JSON object line of ``stream``."""
    lines = _Lines(text_stream(stream, source=source), limit=settings.max_record_bytes)
    yield from _documents(source, _json_rows(lines), settings, fmt="jsonl")


def read_csv(
    source: str, stream: BinaryIO, *, settings: Settings
) -> Iterator[RawDocument | Rejection]:
    """One document per data row of ``stream``, a CSV file with a header row."""
    lines = _Lines(text_stream(stream, source=source), limit=settings.max_record_bytes)
    try:
        header_line = next(lines)
    except _LineTooLong:
        raise DecodeFailed("the header row is over the record cap", source=source) from None
    except StopIteration:
        raise DecodeFailed("empty (no header row)", source=source) from None
    delimiter = max(_DELIMITERS, key=header_line.count)
    header = _header(next(csv.reader([header_line], delimiter=delimiter), []))
    reader = csv.reader(lines, delimiter=delimiter)
    rows = _csv_rows(reader, lines, header, settings.max_record_bytes)
    yield from _documents(source, rows, settings, fmt="csv")


def _documents(
    source: str, rows: Iterator[Numbered], settings: Settings, *, fmt: str
) -> Iterator[RawDocument | Rejection]:
    head = _head(rows, settings.text_column)
    if not head:
        yield Rejection(source=source, reason="no rows")
        return
    sample = [row for _, row in head if not isinstance(row, str)]
    # No valid row at all: only rejections follow, the column does not matter.
    column = _text_column(sample, settings.text_column, source) if sample else ""
    for number, row in chain(head, rows):
        item = f"{source}:{number}"
        if isinstance(row, str):
            yield Rejection(source=item, reason=row)
        else:
            yield _document(item, row, column, fmt)


def _head(rows: Iterator[Numbered], wanted: str | None) -> list[Numbered]:
    """The first rows: enough valid ones to choose the text column (one that names a
    known column, or ``_SAMPLE_ROWS`` to compare lengths). Invalid rows are only their
    reasons, so any number may be held."""
    head: list[Numbered] = []
    valid = 0
    for numbered in rows:
        head.append(numbered)
        row = numbered[1]
        if isinstance(row, str):
            continue
        valid += 1
        if valid >= _SAMPLE_ROWS or wanted or _known(row):
            break
    return head


def _known(row: Row) -> bool:
    return any(_norm(key) in TEXT_COLUMNS for key in row)


def _text_column(sample: Sequence[Row], wanted: str | None, source: str) -> str:
    columns = list(dict.fromkeys(key for row in sample for key in row))
    by_norm = {_norm(c): c for c in reversed(columns)}  # the first spelling wins
    if wanted:
        if wanted in columns or _norm(wanted) in by_norm:
            return wanted if wanted in columns else by_norm[_norm(wanted)]
        raise DecodeFailed(f"no column {wanted!r} (columns: {_listing(columns)})", source=source)
    for name in TEXT_COLUMNS:
        if name in by_norm:
            return by_norm[name]
    candidates = [c for c in columns if _norm(c) not in _HINT_NAMES] or columns
    lengths = {c: _mean_length(sample, c) for c in candidates}
    best = max(candidates, key=lengths.__getitem__, default=None)
    if best is None or lengths[best] == 0:
        raise DecodeFailed(f"no column holds text (columns: {_listing(columns)})", source=source)
    return best


def _listing(columns: Sequence[str]) -> str:
    return one_line(", ".join(columns) or "none", limit=120)


def _mean_length(rows: Sequence[Row], column: str) -> float:
    return sum(len(v) for row in rows if isinstance(v := row.get(column), str)) / max(len(rows), 1)


def _document(source: str, row: Row, column: str, fmt: str) -> RawDocument | Rejection:
    value = row.get(column)
    if value is None:
        return Rejection(source=source, reason=f"no {column!r} field")
    if not isinstance(value, str):
        return Rejection(source=source, reason=f"{column!r} is a {type(value).__name__}, not text")
    if not value.strip():
        return Rejection(source=source, reason=f"empty {column!r}")
    html = "html" in _norm(column) or bool(_HTML.search(value[:4000]))
    return RawDocument(
        source=source,
        body=value,
        kind="html" if html else "text",
        format=fmt,
        hints=row_hints(row, exclude=column),
    )


def row_hints(row: Row, *, exclude: str | None = None) -> Hints:
    """Metadata from the columns of ``row`` named in ``HINT_COLUMNS``."""
    columns: dict[str, object] = {}
    for key, value in row.items():
        if key != exclude:
            columns.setdefault(_norm(key), value)
    published = next(
        (d for name in HINT_COLUMNS["published"] if (d := parse_date(columns.get(name)))), None
    )
    url = _first(columns, "url")
    language = _LANGUAGE.match(_first(columns, "language") or "")
    return Hints(
        title=_first(columns, "title"),
        author=_first(columns, "author"),
        publisher=_first(columns, "publisher"),
        published=published[0] if published else None,
        published_precision=published[1] if published else None,
        url=url if url and url.lower().startswith(("http://", "https://")) else None,
        language=language.group(1).lower() if language else None,
    )


def _first(columns: Mapping[str, object], field: str) -> str | None:
    for name in HINT_COLUMNS[field]:
        if text := _as_text(columns.get(name)):
            return text
    return None


def _as_text(value: object) -> str | None:
    if isinstance(value, list):
        value = ", ".join(t for v in value if (t := _as_text(v)))
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = " ".join(str(value).split())
    return text or None


def _json_rows(lines: _Lines) -> Iterator[Numbered]:
    while True:
        number = lines.count + 1
        try:
            line = next(lines)
        except StopIteration:
            return
        except _LineTooLong:
            yield number, f"line is over the {human_size(lines.limit)} record cap"
            continue
        if line.strip():
            yield number, _json_object(line)


def _json_object(line: str) -> Row | str:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"invalid JSON at column {exc.colno}: {exc.msg.removesuffix(' at')}"
    except (ValueError, RecursionError) as exc:
        return f"invalid JSON: {one_line(str(exc)) or 'nested too deeply'}"
    if not isinstance(value, dict):
        return f"a JSON {type(value).__name__}, not an object"
    return value


def _header(names: Iterable[str]) -> list[str]:
    header: list[str] = []
    for i, name in enumerate(names, 1):
        name = name.strip() or f"column_{i}"
        header.append(name if name not in header else f"{name}_{i}")
    return header


def _csv_rows(
    reader: Iterator[list[str]], lines: _Lines, header: list[str], limit: int
) -> Iterator[Numbered]:
    while True:
        number = lines.count + 1
        try:
            with _field_limit(limit):
                fields = next(reader)
        except StopIteration:
            return
        except _LineTooLong:
            yield number, f"row is over the {human_size(limit)} record cap"
            continue
        except csv.Error as exc:
            yield number, f"malformed CSV ({one_line(str(exc))}); stopped reading the file here"
            return
        if sum(map(len, fields)) > limit:
            yield number, f"row is over the {human_size(limit)} record cap"
        elif any(field.strip() for field in fields):
            yield number, dict(zip(header, fields, strict=False))


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """csv's process-wide field cap raised to ``limit`` (default 128 KB truncates long
    articles) while one row is parsed, then put back."""
    previous = csv.field_size_limit(min(limit, sys.maxsize, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


class _LineTooLong(Exception):
    """A physical line over the record cap; the rest of it has been skipped."""


class _Lines:
    """Lines of ``stream``, each at most ``limit`` characters, counted. An iterator
    class, not a generator, so that after ``_LineTooLong`` the next line still comes."""

    def __init__(self, stream: TextIO, *, limit: int) -> None:
        self._stream = stream
        self.limit = limit
        self.count = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._stream.readline(self.limit + 1)
        if not line:
            raise StopIteration
        self.count += 1
        if len(line) > self.limit and not line.endswith(_NEWLINES):
            while (rest := self._stream.readline(1 << 20)) and not rest.endswith(_NEWLINES):
                pass
            raise _LineTooLong
        return line


def parse_date(value: object) -> tuple[str, DatePrecision] | None:
    """``value`` (a date column) as an ISO date and its precision: ``2019-03`` is
    ``("2019-03-01", "month")``. The date part is taken as written, not moved to UTC.
    Relative dates ("yesterday") are refused: a column has no base to count from."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 2999:
        return f"{value:04d}-01-01", "year"
    if not isinstance(value, str) or not (text := value.strip()) or len(text) > 80:
        return None
    for pattern in (_ISO_DATE, _COMPACT_DATE, _SLASH_DATE):
        if match := pattern.match(text):
            return _iso(*match.groups())
    if parsed := parsedate_tz(text):
        return _iso(*map(str, parsed[:3]))
    return _dateparser_date(text)


def _iso(
    year: str, month: str | None = None, day: str | None = None
) -> tuple[str, DatePrecision] | None:
    precision: DatePrecision = "day" if day else "month" if month else "year"
    try:
        parsed = date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return parsed.isoformat(), precision


def _dateparser_date(text: str) -> tuple[str, DatePrecision] | None:
    # Without a written year dateparser fills in the current one ("Saturday") or reads
    # a day as one ("March 23" as 2023): the run date would leak in as a date.
    if not _FOUR_DIGIT_YEAR.search(text):
        return None
    data = _date_parser().get_date_data(text)
    if data.date_obj is None or (precision := _PERIODS.get(str(data.period))) is None:
        return None
    found = data.date_obj.date()
    if precision == "year":
        found = found.replace(month=1, day=1)
    elif precision == "month":
        found = found.replace(day=1)
    return found.isoformat(), precision


@lru_cache(maxsize=1)
def _date_parser() -> DateDataParser:
    from dateparser.date import DateDataParser  # imported when first needed: it is slow

    return DateDataParser(
        languages=_DATE_LANGUAGES,
        settings={
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["year"],
        },
    )
