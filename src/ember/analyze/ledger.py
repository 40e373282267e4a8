"""The claims ledger: every figure stated about one thing, who says so, in which outlet,
as of when, lined up across documents so that an analyst sees at a glance how estimates
differ and evolve.

Claims are grouped by what they count (the subject's ``compare_as`` term, so "members"
of a group sit beside its "fighters"), the actor they are about and their place scope.
Within a group:

- **echoes collapse**: the same figure (subject, values, unit) from the same named
  source (``attributed_to``) in several documents is one estimate that lists every
  document and outlet, because repeating a figure does not make it more likely. A figure
  the document states itself (no attribution) is its outlet's own estimate and never
  collapses with another document's, except a near-duplicate copy of the same document;
  the same figure repeated within one document is one estimate;
- **conflicts are flagged**: two estimates conflict when both are dated, their dates lie
  within a window (a year by default; neither date approximate, and not one source's two
  figures in one document), neither is a vague word ("dozens") and their
  effective ranges (the qualifier widened: "about" ±10 %, "at least" open above, ...) do
  not overlap. Estimates in different units are never compared, nor figures that need
  not count the same thing: those of a group with neither an actor nor a place, or of
  an unclassified subject. Tallies of one incident (the dead of an attack) conflict
  only within their subject's ``incident_window_days``: further apart, they are two
  incidents.

Pure functions over ``Claim`` records and their ``Document`` metadata: no store, no I/O
except the subject vocabulary, read once from ``data/claims/subjects.json``."""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..errors import ConfigError
from ..extract.claims import OTHER, subject_vocabulary
from ..records import Claim, DateRange, Document

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "Ledger",
    "LedgerEntry",
    "LedgerFilters",
    "LedgerGroup",
    "build_ledger",
    "effective_range",
    "format_as_of",
    "format_value",
    "ledger_json",
    "load_compare_as",
    "outlet_of",
    "parse_day",
    "render_ledger",
]

#: Estimates further apart in time than this are the figure changing, not a conflict.
DEFAULT_WINDOW_DAYS = 365
# "about 1,000" is read as 900-1,100; "nearly 1,000" as 900-1,000. Ten per cent is the
# margin rounding words usually carry in reporting ("about", "some", "roughly").
_ABOUT_MARGIN = 0.10
_NEARLY_FLOOR = 0.90
_OPEN_ABOVE = frozenset({"at least", "more than"})
_CLOSED_BELOW = frozenset({"up to", "fewer than"})
# Currencies shown with their sign; any other unit follows the figure ("3 JOD", "6 km").
_CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}
_ISO_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


# --- records -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerFilters:
    """What the ledger was asked for. ``subject`` matches a claim's subject or its
    ``compare_as`` term exactly, ignoring case; ``actor`` and ``place`` are
    case-insensitive substrings of the claim's actor and scope; ``since``/``until``
    bound the start of ``as_of`` (inclusive), and when either is given, undated claims
    are left out."""

    subject: str | None = None
    actor: str | None = None
    place: str | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerEntry:
    """One estimate: a figure with every claim that states it (several when echoed).

    ``claims`` are in ledger order, the first being the earliest statement; the figure's
    fields are that claim's. ``outlets`` and ``doc_ids`` are distinct, in claim order.
    ``conflicts_with`` holds the ids of the entries of the same group it contradicts.
    ``id`` is the first claim's id."""

    id: str
    claims: tuple[Claim, ...]
    compare_as: str
    outlets: tuple[str, ...]
    doc_ids: tuple[str, ...]
    conflicts_with: tuple[str, ...] = ()

    @property
    def first(self) -> Claim:
        return self.claims[0]

    @property
    def subject(self) -> str:
        return self.first.subject

    @property
    def value_low(self) -> float:
        return self.first.value_low

    @property
    def value_high(self) -> float:
        return self.first.value_high

    @property
    def unit(self) -> str:
        return self.first.unit

    @property
    def qualifier(self) -> str | None:
        return self.first.qualifier

    @property
    def vague(self) -> bool:
        return self.first.vague

    @property
    def as_of(self) -> DateRange:
        return self.first.as_of

    @property
    def attributed_to(self) -> str | None:
        return self.first.attributed_to

    @property
    def echoes(self) -> int:
        """How many documents state this estimate."""
        return len(self.doc_ids)

    @property
    def range(self) -> tuple[float, float]:
        return effective_range(self.first)


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerGroup:
    """The estimates of one subject (``compare_as`` term) about one actor (None: no
    actor named) in one scope (None: no place named), in time order."""

    subject: str
    actor: str | None
    scope: str | None
    entries: tuple[LedgerEntry, ...]

    @property
    def has_conflicts(self) -> bool:
        return any(entry.conflicts_with for entry in self.entries)

    @property
    def conflicts(self) -> int:
        """How many estimates contradict another one of the group."""
        return sum(bool(entry.conflicts_with) for entry in self.entries)


@dataclass(frozen=True, slots=True, kw_only=True)
class Ledger:
    """Every group, ordered by subject, then by how many estimates it holds."""

    groups: tuple[LedgerGroup, ...]
    filters: LedgerFilters
    window_days: int
    claims: int

    @property
    def entries(self) -> int:
        return sum(len(group.entries) for group in self.groups)


# --- the subject vocabulary --------------------------------------------------------------


def load_compare_as() -> Mapping[str, str]:
    """Subject → the term it is compared as ("members" → "fighters"), from the subject
    vocabulary the extractor uses."""
    return {subject.name: subject.compare_as for subject in subject_vocabulary().subjects}


# --- small readings ----------------------------------------------------------------------


def parse_day(text: str, *, last: bool = False) -> date:
    """A ``--since``/``--until`` value: an ISO day, month or year ("2019-03-01",
    "2019-03", "2019"). A month or year means its first day, or with ``last`` (for
    ``--until``) its last day, so "--until 2019" keeps all of 2019."""
    match = _ISO_PREFIX.fullmatch(text.strip())
    if match is None:
        raise ConfigError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
    year, month, day = match.groups()
    try:
        if day is not None or not last:
            return date(int(year), int(month or 1), int(day or 1))
        if month is None:
            return date(int(year), 12, 31)
        return date(int(year), int(month), calendar.monthrange(int(year), int(month))[1])
    except ValueError as exc:
        raise ConfigError(f"not a date: {text!r} ({exc})") from exc


def _within(a: DateRange, b: DateRange, days: int) -> bool:
    """Whether every day of ``a`` and ``b`` lies within ``days`` of every other."""
    starts = [_iso_day(a.start), _iso_day(b.start)]
    ends = [_iso_day(a.end), _iso_day(b.end)]
    if None in starts or None in ends:
        return False
    first = min(d for d in starts if d is not None)
    last = max(d for d in ends if d is not None)
    return (last - first).days <= days


def _as_of_start(as_of: DateRange) -> date | None:
    return _iso_day(as_of.start)


def _iso_day(value: str | None) -> date | None:
    """The first day an ISO date or prefix names ("2019", "2019-03", "2019-03-23")."""
    if value is None:
        return None
    match = _ISO_PREFIX.match(value)
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def effective_range(claim: Claim) -> tuple[float, float]:
    """The values a claim allows, its qualifier taken at its word: "about" ±10 %,
    "at least"/"more than" open above, "up to"/"fewer than" down to 0, "nearly" from
    90 % of the figure up to it; no qualifier (or an unknown one) the stated range."""
    low, high = claim.value_low, claim.value_high
    match claim.qualifier:
        case "about":
            return low * (1 - _ABOUT_MARGIN), high * (1 + _ABOUT_MARGIN)
        case q if q in _OPEN_ABOVE:
            return low, math.inf
        case q if q in _CLOSED_BELOW:
            return 0.0, high
        case "nearly":
            return low * _NEARLY_FLOOR, high
        case _:
            return low, high


def outlet_of(document: Document | None, doc_id: str) -> str:
    """Who published a document: its publisher, else the host of its URL, else the file
    name of its source (the document id when nothing else is known)."""
    if document is None:
        return doc_id
    if document.publisher and document.publisher.strip():
        return document.publisher.strip()
    for candidate in (document.url, document.source):
        if candidate and "://" in candidate:
            host = urlsplit(candidate).hostname
            if host:
                return host.removeprefix("www.")
    name = PurePath(document.source.replace("\\", "/")).name if document.source else ""
    return name or doc_id


# --- building ----------------------------------------------------------------------------


def build_ledger(
    claims: Iterable[Claim],
    documents: Mapping[str, Document],
    *,
    filters: LedgerFilters | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    compare_as: Mapping[str, str] | None = None,
) -> Ledger:
    """The ledger of ``claims`` (from any number of documents; ``documents`` maps their
    ids to metadata for outlets and near-duplicates). ``compare_as`` maps a subject to
    the term it is grouped under; by default the subject vocabulary's."""
    if window_days < 0:
        raise ConfigError(f"the conflict window must be 0 days or more, not {window_days}")
    filters = filters or LedgerFilters()
    terms = load_compare_as() if compare_as is None else compare_as
    kept = [claim for claim in claims if _wanted(claim, filters, terms)]
    buckets: dict[tuple[str, str | None, str | None], list[Claim]] = {}
    for claim in sorted(kept, key=_claim_order):
        buckets.setdefault(_group_key(claim, terms), []).append(claim)
    windows = _incident_windows()
    groups = [
        LedgerGroup(
            subject=subject,
            actor=actor,
            scope=scope,
            entries=_with_conflicts(
                _entries(members, subject, documents),
                _conflict_window(subject, actor, scope, window_days, windows),
            ),
        )
        for (subject, actor, scope), members in buckets.items()
    ]
    groups.sort(key=_group_order)
    return Ledger(groups=tuple(groups), filters=filters, window_days=window_days, claims=len(kept))


def _incident_windows() -> Mapping[str, int]:
    return {
        subject.compare_as: subject.incident_window_days
        for subject in subject_vocabulary().subjects
        if subject.incident_window_days is not None
    }


def _conflict_window(
    subject: str,
    actor: str | None,
    scope: str | None,
    window_days: int,
    incident_windows: Mapping[str, int],
) -> int | None:
    """Days within which two figures of this group can conflict; None when they never
    can: figures of no named actor and no place, or of an unclassified subject, need
    not count the same thing, and two death tolls weeks apart are two incidents."""
    if subject == OTHER or (actor is None and scope is None):
        return None
    return min(window_days, incident_windows.get(subject, window_days))


def _term(claim: Claim, terms: Mapping[str, str]) -> str:
    return terms.get(claim.subject, claim.subject)


def _group_key(claim: Claim, terms: Mapping[str, str]) -> tuple[str, str | None, str | None]:
    return _term(claim, terms), claim.actor, claim.place


def _group_order(group: LedgerGroup) -> tuple[str, int, str, str]:
    return (group.subject.casefold(), -len(group.entries), group.actor or "", group.scope or "")


def _claim_order(claim: Claim) -> tuple[bool, date, str, int, int]:
    start = _as_of_start(claim.as_of)
    return start is None, start or date.min, claim.doc_id, claim.span[0], claim.quantity_span[0]


def _wanted(claim: Claim, filters: LedgerFilters, terms: Mapping[str, str]) -> bool:
    if filters.subject is not None:
        wanted = filters.subject.strip().casefold()
        if wanted not in (claim.subject.casefold(), _term(claim, terms).casefold()):
            return False
    if filters.actor is not None and not _contains(claim.actor, filters.actor):
        return False
    if filters.place is not None and not _contains(claim.place, filters.place):
        return False
    if filters.since is None and filters.until is None:
        return True
    start = _as_of_start(claim.as_of)
    if start is None:
        return False
    return (filters.since is None or start >= filters.since) and (
        filters.until is None or start <= filters.until
    )


def _contains(value: str | None, wanted: str) -> bool:
    return value is not None and wanted.strip().casefold() in value.casefold()


def _echo_key(claim: Claim, documents: Mapping[str, Document]) -> tuple[object, ...]:
    """Claims with equal keys are one estimate: same subject and figure, and the same
    named source, or (unattributed) the same document or a near-duplicate copy of it."""
    figure = (claim.subject, claim.value_low, claim.value_high, claim.unit)
    if claim.attributed_to:
        return ("source", claim.attributed_to.casefold(), *figure)
    return ("document", _original(claim.doc_id, documents), *figure)


def _original(doc_id: str, documents: Mapping[str, Document]) -> str:
    seen = {doc_id}
    document = documents.get(doc_id)
    while document is not None and document.duplicate_of and document.duplicate_of not in seen:
        doc_id = document.duplicate_of
        seen.add(doc_id)
        document = documents.get(doc_id)
    return doc_id


def _entries(
    members: Sequence[Claim], subject: str, documents: Mapping[str, Document]
) -> list[LedgerEntry]:
    """``members`` (in ledger order) collapsed into estimates, kept in that order."""
    collapsed: dict[tuple[object, ...], list[Claim]] = {}
    for claim in members:
        collapsed.setdefault(_echo_key(claim, documents), []).append(claim)
    entries = []
    for same in collapsed.values():
        doc_ids = tuple(dict.fromkeys(claim.doc_id for claim in same))
        outlets = tuple(dict.fromkeys(outlet_of(documents.get(d), d) for d in doc_ids))
        entries.append(
            LedgerEntry(
                id=same[0].id,
                claims=tuple(same),
                compare_as=subject,
                outlets=outlets,
                doc_ids=doc_ids,
            )
        )
    return entries


def _conflict(a: LedgerEntry, b: LedgerEntry, window_days: int) -> bool:
    # An approximate date (an undated report's) is the range of days it can be: the
    # figures conflict only if every day of both ranges lies within the window. Two
    # figures of one document from one source are that source telling a change ("from
    # 36 to 11"), not contradicting itself.
    if (a.as_of.approximate or b.as_of.approximate) and not _within(a.as_of, b.as_of, window_days):
        return False
    if set(a.doc_ids) & set(b.doc_ids) and a.attributed_to == b.attributed_to:
        return False
    start_a, start_b = _as_of_start(a.as_of), _as_of_start(b.as_of)
    if start_a is None or start_b is None or abs((start_a - start_b).days) > window_days:
        return False
    if a.vague or b.vague or a.unit != b.unit:
        return False
    (low_a, high_a), (low_b, high_b) = a.range, b.range
    return high_a < low_b or high_b < low_a


def _with_conflicts(
    entries: Sequence[LedgerEntry], window_days: int | None
) -> tuple[LedgerEntry, ...]:
    if window_days is None:
        return tuple(entries)
    result = []
    for entry in entries:
        against = tuple(
            other.id
            for other in entries
            if other is not entry and _conflict(entry, other, window_days)
        )
        result.append(_replace_conflicts(entry, against))
    return tuple(result)


def _replace_conflicts(entry: LedgerEntry, against: tuple[str, ...]) -> LedgerEntry:
    if not against:
        return entry
    return LedgerEntry(
        id=entry.id,
        claims=entry.claims,
        compare_as=entry.compare_as,
        outlets=entry.outlets,
        doc_ids=entry.doc_ids,
        conflicts_with=against,
    )


# --- as data -----------------------------------------------------------------------------


def _number(value: float) -> int | float | None:
    """JSON's view of a figure: whole numbers as ints, infinity as null."""
    if math.isinf(value) or math.isnan(value):
        return None
    return int(value) if value.is_integer() else value


def _date_json(as_of: DateRange) -> dict[str, Any]:
    return {
        "start": as_of.start,
        "end": as_of.end,
        "precision": as_of.precision,
        "approximate": as_of.approximate,
    }


def _claim_json(claim: Claim, documents: Mapping[str, Document]) -> dict[str, Any]:
    document = documents.get(claim.doc_id)
    return {
        "id": claim.id,
        "doc_id": claim.doc_id,
        "source": document.source if document is not None else None,
        "title": document.title if document is not None else None,
        "outlet": outlet_of(document, claim.doc_id),
        "subject_text": claim.subject_text,
        "quantity_text": claim.quantity_text,
        "quantity_span": list(claim.quantity_span),
        "qualifier": claim.qualifier,
        "as_of": _date_json(claim.as_of),
        "attributed_text": claim.attributed_text,
        "hedge": claim.hedge,
        "confidence": claim.confidence,
        "text": claim.text,
        "span": list(claim.span),
    }


def _entry_json(entry: LedgerEntry, documents: Mapping[str, Document]) -> dict[str, Any]:
    first = entry.first
    low, high = entry.range
    return {
        "id": entry.id,
        "subject": entry.subject,
        "compare_as": entry.compare_as,
        "subject_text": first.subject_text,
        "value_low": _number(entry.value_low),
        "value_high": _number(entry.value_high),
        "unit": entry.unit,
        "qualifier": entry.qualifier,
        "vague": entry.vague,
        "quantity_text": first.quantity_text,
        "range": [_number(low), _number(high)],
        "actor": first.actor,
        "place": first.place,
        "as_of": _date_json(entry.as_of),
        "attributed_to": entry.attributed_to,
        "hedge": first.hedge,
        "outlets": list(entry.outlets),
        "doc_ids": list(entry.doc_ids),
        "echoes": entry.echoes,
        "conflicts_with": list(entry.conflicts_with),
        "claims": [_claim_json(claim, documents) for claim in entry.claims],
    }


def ledger_json(ledger: Ledger, documents: Mapping[str, Document] | None = None) -> dict[str, Any]:
    """The ledger as plain JSON-able data (``ember claims --format json``): every field
    of every group, estimate and claim; figures as ints when whole, an open upper bound
    as null. ``documents`` adds each claim's source and title."""
    docs = documents or {}
    filters = ledger.filters
    return {
        "filters": {
            "subject": filters.subject,
            "actor": filters.actor,
            "place": filters.place,
            "since": filters.since.isoformat() if filters.since else None,
            "until": filters.until.isoformat() if filters.until else None,
        },
        "window_days": ledger.window_days,
        "claims": ledger.claims,
        "entries": ledger.entries,
        "groups": [
            {
                "subject": group.subject,
                "actor": group.actor,
                "scope": group.scope,
                "has_conflicts": group.has_conflicts,
                "conflicts": group.conflicts,
                "entries": [_entry_json(entry, docs) for entry in group.entries],
            }
            for group in ledger.groups
        ],
    }


# --- for people --------------------------------------------------------------------------


def _figure(value: float) -> str:
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _with_unit(value: float, unit: str) -> str:
    if unit in _CURRENCY_SIGNS:
        return _CURRENCY_SIGNS[unit] + _figure(value)
    if unit == "share":
        return f"{_figure(round(value * 100, 2))} %"
    if unit == "percent":
        return f"{_figure(value)} %"
    if unit == "count":
        return _figure(value)
    return f"{_figure(value)} {unit}"


def format_value(claim: Claim) -> str:
    """A figure as a reader writes it: "about 15,000–20,000", "$200,000,000", "50 %";
    a vague word as written ("tens of thousands")."""
    if claim.vague:
        return claim.quantity_text
    low = _with_unit(claim.value_low, claim.unit)
    if claim.value_high != claim.value_low:
        value = f"{low}–{_with_unit(claim.value_high, claim.unit)}"
        if claim.unit in ("share", "percent"):
            value = value.replace(" %–", "–", 1)
    else:
        value = low
    return f"{claim.qualifier} {value}" if claim.qualifier else value


def format_as_of(as_of: DateRange) -> str:
    """A date at its precision ("2019-03", "2019", "2019-03–2020-03" for a range across
    years); "~" marks one read against an undated report's window rather than a
    publication date; "?" unknown."""
    start, end = as_of.start, as_of.end
    if start is None or as_of.precision == "unknown":
        return "?"
    match as_of.precision:
        case "year":
            shown = start[:4] if not end or end[:4] == start[:4] else f"{start[:7]}–{end[:7]}"
        case "month":
            shown = start[:7] if not end or end[:7] == start[:7] else f"{start}–{end[5:]}"
        case "week":
            shown = f"wk {start}"
        case _:
            shown = start if not end or end == start else f"{start}–{end[5:]}"
    return f"~{shown}" if as_of.approximate else shown


def _short(doc_id: str) -> str:
    return doc_id[:8]


def _flags(entry: LedgerEntry, numbers: Mapping[str, int]) -> Text:
    flags = Text()
    if entry.conflicts_with:
        rows = ", ".join(f"#{numbers[i]}" for i in entry.conflicts_with if i in numbers)
        flags.append(f"CONFLICT with {rows}", style="bold red")
    if entry.echoes > 1:
        flags.append(("\n" if flags else "") + f"ECHO ×{entry.echoes}", style="yellow")
    return flags


def _group_title(group: LedgerGroup) -> str:
    parts = [group.subject]
    if group.actor:
        parts.append(group.actor)
    parts.append(group.scope or "no place named")
    count = len(group.entries)
    title = f"{' · '.join(parts)} — {count} estimate{'s' if count != 1 else ''}"
    if group.has_conflicts:
        title += f", {group.conflicts} in conflict"
    return title


def _group_table(group: LedgerGroup) -> Table:
    table = Table(
        title=Text(_group_title(group)),
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1),
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("as of", no_wrap=True)
    table.add_column("value", justify="right", min_width=13, max_width=24, overflow="fold")
    table.add_column("counted", overflow="fold")
    table.add_column("according to", overflow="fold")
    table.add_column("outlet(s)", overflow="fold")
    table.add_column("doc(s)", no_wrap=True)
    table.add_column("flags", min_width=8, max_width=16)
    numbers = {entry.id: n for n, entry in enumerate(group.entries, 1)}
    for n, entry in enumerate(group.entries, 1):
        first = entry.first
        attributed = entry.attributed_to or "(the outlet)"
        if first.hedge:
            attributed += f", {first.hedge}"
        table.add_row(
            Text(str(n)),
            Text(format_as_of(entry.as_of)),
            Text(format_value(first)),
            Text(first.subject_text),
            Text(attributed),
            Text("; ".join(entry.outlets)),
            Text("\n".join(_short(doc_id) for doc_id in entry.doc_ids)),
            _flags(entry, numbers),
        )
    return table


def render_ledger(ledger: Ledger, console: Console) -> None:
    """Print the ledger: per group, a table of its estimates in time order (as of, value,
    what is counted as written, who says so, outlets, documents, flags). Document text
    goes through rich's ``Text``, so markup in it is shown, never interpreted."""
    if not ledger.groups:
        console.print("No claims match.", markup=False, highlight=False)
        return
    for group in ledger.groups:
        console.print(_group_table(group), highlight=False)
        console.print()
    conflicts = sum(group.conflicts for group in ledger.groups)
    summary = (
        f"{ledger.claims} claim(s), {ledger.entries} estimate(s) in {len(ledger.groups)} "
        f"group(s); {conflicts} estimate(s) in conflict (window {ledger.window_days} days)"
    )
    console.print(summary, markup=False, highlight=False)
