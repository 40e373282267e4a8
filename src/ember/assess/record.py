"""Leadership and reach: who leads the group and what became of them, and where beyond
its home countries it acts or has affiliates.

Leaders are the people the actor table (``data/actors/persons.jsonl``) gives as the
actor's, mentioned with a leading role (``indicators.json``, ``leadership.roles``); the
sentence naming them tells their status ("killed", "captured", or only "named"). Reach is
the actor's events outside its home countries (the scope's countries, else those holding
a quarter or more of its located events) and the affiliates (actors of the table named
"<actor> (<province>)") that the documents mention or that act in events."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..analyze.corroborate import MergedEvent
from ..records import Mention
from .indicators import event_evidence
from .model import Evidence, Indicator
from .scope import ALL, Window, assess_data, in_window, perpetrated_by, same_actor

__all__ = ["home_countries", "leadership", "reach", "sentence_around"]

_HOME_SHARE = 0.25
_STATUS_ORDER = ("killed", "captured", "named")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
# A period after these ends no sentence: initials and abbreviations ("U.S.", "Dr.").
_NOT_AN_END = re.compile(
    r"(?:\b(?:[A-Z]\.)*[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Maj|Capt|No|vs))$"
)


def _ends(text: str, start: int, end: int) -> list[int]:
    return [
        m.end()
        for m in _SENTENCE_END.finditer(text, start, end)
        if m.group() != "." or not _NOT_AN_END.search(text, max(0, m.start() - 12), m.start())
    ]


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence (or line) holding ``text[start:end]``."""
    before = max(_ends(text, max(0, start - 2000), start), default=0)
    after = _ends(text, end, min(len(text), end + 2000))
    last = after[0] if after else len(text)
    while before < last and text[before].isspace():
        before += 1
    return before, last


def _status(sentence: str) -> str:
    words: dict[str, list[str]] = assess_data("indicators.json")["leadership"]["status_words"]
    lowered = sentence.casefold()
    for status in _STATUS_ORDER:
        if any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words.get(status, [])):
            return status
    return "named"


def leadership(
    mentions: Iterable[Mention], actor: str, text_of: Callable[[str], str | None]
) -> Indicator:
    """The actor's leaders the documents mention, each with role, status and sentences."""
    from ..nlp.actors import load_actor_table

    persons = load_actor_table().persons
    roles = set(assess_data("indicators.json")["leadership"]["roles"])
    found: dict[str, dict[str, Any]] = {}
    for mention in mentions:
        if mention.kind != "person":
            continue
        info = persons.get(mention.canonical)
        if info is None or info.affiliation is None:
            continue
        if actor != ALL and not same_actor(info.affiliation, actor):
            continue
        role = mention.role or info.role
        if role not in roles:
            continue
        text = text_of(mention.doc_id)
        if text is None:
            continue
        start, end = sentence_around(text, mention.start, mention.end)
        status = _status(text[start:end])
        person = found.setdefault(
            mention.canonical,
            {
                "name": mention.canonical,
                "role": role,
                "affiliation": info.affiliation,
                "status": "named",
                "doc_ids": [],
                "sentences": [],
            },
        )
        if _STATUS_ORDER.index(status) < _STATUS_ORDER.index(person["status"]):
            person["status"] = status
        if mention.doc_id not in person["doc_ids"]:
            person["doc_ids"].append(mention.doc_id)
        if (len(person["sentences"]) < 3 and status != "named") or not person["sentences"]:
            person["sentences"].append(
                {
                    "doc_id": mention.doc_id,
                    "span": [start, end],
                    "text": text[start:end],
                    "status": status,
                }
            )
    people = sorted(found.values(), key=lambda p: (_STATUS_ORDER.index(p["status"]), p["name"]))
    removed = [p for p in people if p["status"] in ("killed", "captured")]
    return Indicator(
        name="leadership",
        value=len(removed),
        baseline=None,
        unit="leaders killed or captured",
        evidence=tuple(
            Evidence(kind="document", id=doc_id, doc_ids=(doc_id,))
            for p in people
            for doc_id in p["doc_ids"]
        ),
        detail={"leaders": people},
        note=None if people else "no leader of the actor is named in the documents",
    )


def home_countries(events: Sequence[MergedEvent], countries: Sequence[str]) -> tuple[str, ...]:
    """The scope's countries, else those holding a quarter or more of the located events
    (at least the one with most)."""
    if countries:
        return tuple(countries)
    counts = Counter(
        m.event.location.country for m in events if m.event.location and m.event.location.country
    )
    if not counts:
        return ()
    total = sum(counts.values())
    top = counts.most_common()
    return tuple(c for n, (c, k) in enumerate(top) if n == 0 or k / total >= _HOME_SHARE)


def _affiliates(actor: str) -> list[str]:
    from ..nlp.actors import load_actor_table

    if actor == ALL:
        return []
    prefix = f"{actor} ("
    return sorted(name for name in load_actor_table().actors if name.startswith(prefix))


def reach(
    perpetrated: Sequence[MergedEvent],
    mentions: Iterable[Mention],
    actor: str,
    *,
    home: Sequence[str],
    window: Window,
    country_name: Callable[[str], str | None],
) -> Indicator:
    """Countries outside ``home`` where the actor (or an affiliate) acts, and the
    affiliates the documents name."""
    affiliates = _affiliates(actor)
    abroad: dict[str, list[MergedEvent]] = {}
    for merged in perpetrated:
        location = merged.event.location
        if location is None or not location.country or location.country in home:
            continue
        abroad.setdefault(location.country, []).append(merged)
    named: dict[str, list[str]] = {}
    for mention in mentions:
        if mention.kind == "actor" and mention.canonical in affiliates:
            docs = named.setdefault(mention.canonical, [])
            if mention.doc_id not in docs:
                docs.append(mention.doc_id)
    countries = [
        {
            "country": country_name(code) or code,
            "code": code,
            "events": len(events),
            "in_window": sum(in_window(m.event.date, window) for m in events),
            "dates": sorted({m.event.date.start[:10] for m in events if m.event.date.start}),
            "sub_events": sorted({m.event.sub_event_type for m in events}),
            "event_ids": [e.id for e in event_evidence(events, 10)],
            "doc_ids": sorted({d for m in events for d in m.doc_ids}),
        }
        for code, events in sorted(abroad.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    evidence = event_evidence([m for events in abroad.values() for m in events])
    evidence += tuple(
        Evidence(kind="document", id=doc, doc_ids=(doc,)) for docs in named.values() for doc in docs
    )
    return Indicator(
        name="reach",
        value=len(countries) + len(named),
        baseline=None,
        unit="countries abroad with attacks, and affiliates named",
        evidence=evidence,
        detail={
            "home": [country_name(code) or code for code in home],
            "abroad": countries,
            "affiliates": [{"name": n, "doc_ids": d} for n, d in sorted(named.items())],
        },
    )


def perpetrated_anywhere(merged: Iterable[MergedEvent], actor: str) -> list[MergedEvent]:
    """The actor's own events (or its affiliates'), wherever they are."""
    affiliates = _affiliates(actor)
    return [
        m
        for m in merged
        if perpetrated_by(m.event, actor) or any(perpetrated_by(m.event, a) for a in affiliates)
    ]
