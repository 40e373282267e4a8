"""The brief: a few sentences written from the data, each citing the documents it draws
on ("Across 16 reports from 3 November 2017 to 21 January 2022, ember found ...").

Sentences are plain text with the documents they cite (``BriefSentence``); how they are
shown (links, numbering, escaping) is the report's business. Their wording lives in
``data/report/brief.json``. Events are merged events (``analyze.corroborate``), counted
once however many documents report them; figures come from the claims ledger."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from ..records import DateRange, Document, Event
from .corroborate import MergedEvent
from .ledger import Ledger, LedgerEntry, LedgerGroup, format_as_of, format_value

__all__ = ["BriefSentence", "document_day", "month_label", "when_phrase", "write_brief"]

# A sentence about many events cites the documents behind most of them, at most this many.
_MAX_CITES = 6
# Lists in a sentence name at most this many items ("A (3), B (2) and C (1)").
_MAX_LISTED = 3
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BriefSentence:
    """One sentence of the brief and the documents it cites (never empty)."""

    text: str
    doc_ids: tuple[str, ...]


@cache
def _templates() -> dict[str, str]:
    raw = resources.files("ember").joinpath("data/report/brief.json").read_text("utf-8")
    templates: dict[str, str] = json.loads(raw)["sentences"]
    return templates


def write_brief(
    merged_events: Sequence[MergedEvent],
    documents: Sequence[Document],
    ledger: Ledger,
) -> list[BriefSentence]:
    """The brief of a corpus: an overview, then the most reported event types, places
    and actors, the deadliest events, corroboration, and the ledger's main figures,
    conflicts and echoes. Sentences without documents to cite are left out, so an empty
    corpus has an empty brief."""
    if not documents:
        return []
    sentences = [
        _overview(merged_events, documents, ledger),
        _ranking("types", merged_events, lambda e: [e.event_type]),
        _ranking("places", merged_events, _place_names),
        _ranking("actors", merged_events, _actor_names),
        *_deadliest(merged_events),
        _corroborated(merged_events),
        _ledger_summary(ledger),
        *_conflicts(ledger),
        _echo(ledger),
    ]
    return [s for s in sentences if s is not None and s.doc_ids]


# --- words ------------------------------------------------------------------------------


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def _listed(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _day(iso: str) -> str:
    day = date.fromisoformat(iso[:10])
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def month_label(iso: str) -> str:
    """The month of an ISO date ("2017-09" or "2017-09-14") in words: "September 2017"."""
    return f"{_MONTHS[int(iso[5:7]) - 1]} {iso[:4]}"


def when_phrase(when: DateRange) -> str:
    """When an event happened, as prose at its precision: "on 23 March 2019", "in the
    week of 18 March 2019", "in September 2017", "in 2014", "on an unknown date";
    "around" for a date read against the latest date the text mentions."""
    if when.start is None or when.precision == "unknown":
        return "on an unknown date"
    try:
        start = date.fromisoformat(when.start[:10])
    except ValueError:
        return f"on {when.start}"
    match when.precision:
        case "year":
            phrase = f"in {start.year}"
        case "month":
            phrase = f"in {month_label(when.start)}"
        case "week":
            phrase = f"in the week of {_day(when.start)}"
        case _:
            phrase = f"on {_day(when.start)}"
    return phrase.replace("on ", "around ", 1) if when.approximate else phrase


def document_day(document: Document) -> str | None:
    """The day a document speaks from: its publication date, else the latest date its
    text mentions (it was written after that); None when neither is known."""
    return document.published or document.published_after


def _what(event: Event) -> str:
    """The sub-event type as a noun phrase with its article ("an armed clash")."""
    sub = event.sub_event_type
    noun = sub[:1].lower() + sub[1:]
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _where(event: Event) -> str:
    location = event.location
    if location is None:
        return ""
    return f" in {location.canonical or location.name}"


def _place_names(event: Event) -> list[str]:
    location = event.location
    return [location.canonical or location.name] if location is not None else []


def _actor_names(event: Event) -> list[str]:
    named = (event.actor1, event.actor2, event.assoc_actor1, event.assoc_actor2)
    return list(dict.fromkeys(name for name in named if name))


def _cited(events: Iterable[MergedEvent]) -> tuple[str, ...]:
    """The documents behind most of ``events``, at most ``_MAX_CITES``."""
    counts: Counter[str] = Counter()
    for merged in events:
        counts.update(merged.doc_ids)
    return tuple(doc_id for doc_id, _ in counts.most_common(_MAX_CITES))


# --- sentences about events ------------------------------------------------------------


def _overview(
    merged_events: Sequence[MergedEvent], documents: Sequence[Document], ledger: Ledger
) -> BriefSentence:
    fields = {
        "reports": _plural(len(documents), "report"),
        "events": _plural(len(merged_events), "event"),
        "figures": _plural(ledger.entries, "figure"),
    }
    corroborated = sum(m.corroborated for m in merged_events)
    if corroborated:
        fields["events"] += f" ({corroborated:,} reported by more than one document)"
    dated = sorted(
        ((day, doc.id) for doc in documents if (day := document_day(doc)) is not None),
    )
    if not dated:
        text = _templates()["overview_undated"].format(**fields)
        return BriefSentence(text, tuple(doc.id for doc in documents[:_MAX_CITES]))
    (first, first_id), (last, last_id) = dated[0], dated[-1]
    text = _templates()["overview"].format(first=_day(first), last=_day(last), **fields)
    return BriefSentence(text, tuple(dict.fromkeys((first_id, last_id))))


def _ranking(
    kind: str,
    merged_events: Sequence[MergedEvent],
    names_of: Callable[[Event], list[str]],
) -> BriefSentence | None:
    """The names (types, places, actors) in the most events, with their counts."""
    counts: Counter[str] = Counter()
    for merged in merged_events:
        counts.update(names_of(merged.event))
    if not counts:
        return None
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:_MAX_LISTED]
    items = [
        f"{name} ({_plural(count, 'event')})" if n == 0 else f"{name} ({count:,})"
        for n, (name, count) in enumerate(top)
    ]
    names = {name for name, _ in top}
    behind = [m for m in merged_events if names & set(names_of(m.event))]
    return BriefSentence(_templates()[kind].format(list=_listed(items)), _cited(behind))


def _killed(merged: MergedEvent) -> dict[str, str]:
    event = merged.event
    reported = merged.fatalities_reported
    figures = ""
    if len(reported) > 1:
        figures = _templates()["figures"].format(all=_listed([f"{n:,}" for n in reported]))
    return {
        "what": _what(event),
        "where": _where(event),
        "when": when_phrase(event.date),
        "killed": f"{event.fatalities:,}",
        "figures": figures,
    }


def _deadliest(merged_events: Sequence[MergedEvent]) -> list[BriefSentence]:
    deadly = [m for m in merged_events if m.event.fatalities]
    deadly.sort(key=lambda m: -(m.event.fatalities or 0))
    kinds = ("deadliest", "next_deadliest")
    return [
        BriefSentence(_templates()[kind].format(**_killed(merged)), merged.doc_ids)
        for kind, merged in zip(kinds, deadly, strict=False)
    ]


def _corroborated(merged_events: Sequence[MergedEvent]) -> BriefSentence | None:
    corroborated = [m for m in merged_events if m.corroborated]
    if not corroborated:
        return None
    widest = max(corroborated, key=lambda m: len(m.doc_ids))
    event = widest.event
    count = _plural(len(corroborated), "event is", "events are")
    text = _templates()["corroborated"].format(
        count=count[:1].upper() + count[1:],
        what=_what(event),
        where=_where(event),
        when=when_phrase(event.date),
        reports=_plural(len(widest.doc_ids), "report"),
    )
    return BriefSentence(text, widest.doc_ids[:_MAX_CITES])


# --- sentences about figures -----------------------------------------------------------


def _group_label(group: LedgerGroup) -> str:
    label = group.subject
    if group.actor:
        label += f" of {group.actor}"
    if group.scope:
        label += f" in {group.scope}"
    return label


def _entry_docs(entries: Iterable[LedgerEntry]) -> tuple[str, ...]:
    doc_ids = dict.fromkeys(doc_id for entry in entries for doc_id in entry.doc_ids)
    return tuple(doc_ids)[:_MAX_CITES]


def _comparable(group: LedgerGroup) -> list[LedgerEntry]:
    """The group's figures (not vague words) in its most used unit: what a range of
    estimates can be given over."""
    figures = [entry for entry in group.entries if not entry.vague]
    if not figures:
        return []
    unit = Counter(entry.unit for entry in figures).most_common(1)[0][0]
    return [entry for entry in figures if entry.unit == unit]


def _ledger_summary(ledger: Ledger) -> BriefSentence | None:
    # "other" gathers whatever the vocabulary does not name: not one thing estimated.
    named = [g for g in ledger.groups if g.subject != "other" and len(_comparable(g)) > 1]
    if not named:
        return None
    group = max(named, key=lambda g: (len(_comparable(g)), bool(g.actor), bool(g.scope)))
    comparable = _comparable(group)
    low = min(comparable, key=lambda e: e.value_low)
    high = max(comparable, key=lambda e: e.value_high)
    text = _templates()["ledger"].format(
        estimates=_plural(ledger.entries, "estimate"),
        groups=_plural(len(ledger.groups), "group"),
        group=_group_label(group),
        count=_plural(len(comparable), "estimate"),
        low=format_value(low.first),
        high=format_value(high.first),
    )
    return BriefSentence(text, _entry_docs(group.entries))


def _source(entry: LedgerEntry) -> str:
    return entry.attributed_to or _listed(list(entry.outlets))


def _conflicts(ledger: Ledger, limit: int = 2) -> list[BriefSentence]:
    conflicting = sorted((g for g in ledger.groups if g.has_conflicts), key=lambda g: -g.conflicts)[
        :limit
    ]
    sentences = []
    for group in conflicting:
        by_id = {entry.id: entry for entry in group.entries}
        first = next(entry for entry in group.entries if entry.conflicts_with)
        second = by_id[first.conflicts_with[0]]
        text = _templates()["conflict"].format(
            group=_group_label(group),
            first=format_value(first.first),
            first_source=_source(first),
            first_date=format_as_of(first.as_of),
            second=format_value(second.first),
            second_source=_source(second),
            second_date=format_as_of(second.as_of),
        )
        sentences.append(BriefSentence(text, _entry_docs((first, second))))
    return sentences


def _echo(ledger: Ledger) -> BriefSentence | None:
    entries = [entry for group in ledger.groups for entry in group.entries if entry.echoes > 1]
    if not entries:
        return None
    entry = max(entries, key=lambda e: e.echoes)
    text = _templates()["echo"].format(
        value=format_value(entry.first),
        subject=entry.first.subject_text,
        documents=_plural(entry.echoes, "document"),
        outlets=_listed(list(entry.outlets)),
    )
    return BriefSentence(text, entry.doc_ids[:_MAX_CITES])
