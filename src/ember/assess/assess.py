"""``assess``: the threat assessment of one actor (or all political violence) in a place
scope and a window of time, from what the store holds: merged events, the claims ledger,
mentions and the documents' own judgments."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from ..analyze.brief import document_day
from ..analyze.corroborate import MergedEvent, merge_stored
from ..analyze.ledger import build_ledger, outlet_of
from ..errors import EmberError
from ..records import Claim, Document, Mention
from .capability import capabilities, tallies
from .indicators import EventSets, event_indicators, monthly_counts, region_counts
from .model import Assessment, Indicator
from .record import home_countries, leadership, perpetrated_anywhere, reach
from .scope import (
    ALL,
    AssessFilters,
    admin1_matches,
    assess_data,
    baseline_window,
    date_range_days,
    default_actor,
    default_window,
    in_window,
    involves,
    perpetrated_by,
    place_in_scope,
    resolve_actor,
)
from .statements import SourceOf, find_statements, judgments_ledger
from .verdict import Inputs, key_judgments, verdict, watch_list

__all__ = ["NoEvidence", "assess", "assess_records"]


class NoEvidence(EmberError):
    """The store holds no event of the actor in the scope: nothing to assess."""


def _country_namer() -> Callable[[str], str | None]:
    from ..geo import load_gazetteer

    gazetteer = load_gazetteer()

    def name(code: str) -> str | None:
        return gazetteer.country_name(code) or code

    return name


def _main_groups(mentions: Iterable[Mention]) -> dict[str, str | None]:
    """Each document's most mentioned armed group (inter 2-4 in the actor table)."""
    from ..nlp.actors import load_actor_table

    actors = load_actor_table().actors
    armed = set(assess_data("indicators.json")["armed_group_inter"])
    counts: dict[str, Counter[str]] = {}
    for mention in mentions:
        info = actors.get(mention.canonical)
        if mention.kind == "actor" and info is not None and info.inter in armed:
            counts.setdefault(mention.doc_id, Counter())[mention.canonical] += 1
    return {doc: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for doc, c in counts.items()}


def _latest(events: Sequence[MergedEvent], documents: Mapping[str, Document]) -> date:
    days = [d[0] for m in events if (d := date_range_days(m.event.date))]
    for merged in events:
        for doc_id in merged.doc_ids:
            document = documents.get(doc_id)
            day = document_day(document) if document else None
            if day:
                days.append(date.fromisoformat(day[:10]))
    if not days:
        raise NoEvidence("no event or document in scope has a date: there is no window to assess")
    return max(days)


def _claim_in_scope(filters: AssessFilters) -> Callable[[Claim], bool]:
    def in_scope(claim: Claim) -> bool:
        if not claim.places:
            return True
        if filters.countries and not any(p.country in filters.countries for p in claim.places):
            return False
        return filters.admin1 is None or any(
            admin1_matches(p, filters.admin1) for p in claim.places
        )

    return in_scope


def _no_events(actor: str, scoped: Sequence[MergedEvent], filters: AssessFilters) -> NoEvidence:
    counts = Counter(name for m in scoped for name in (m.event.actor1, m.event.actor2) if name)
    where = " in the scope asked for" if filters.countries or filters.admin1 else ""
    others = ", ".join(f"{name} ({n})" for name, n in counts.most_common(5))
    hint = f"; actors with most events: {others}" if others else ""
    return NoEvidence(f"no events for {actor!r}{where}: nothing to assess{hint}")


def assess(
    store: Any,
    filters: AssessFilters,
    *,
    with_statements: bool = True,
    source_for: Callable[[str], SourceOf] | None = None,
) -> Assessment:
    """The assessment of what ``store`` holds (a ``Store``) for ``filters``. Raises
    ``NoEvidence`` when the actor has no event in scope."""
    documents = [replace(doc, text="") for doc in store.iter_documents()]
    return assess_records(
        merge_stored(store.iter_events()),
        list(store.iter_claims()),
        list(store.iter_mentions()),
        documents,
        filters,
        text_of=lambda doc_id: found.text if (found := store.get_document(doc_id)) else None,
        with_statements=with_statements,
        source_for=source_for,
    )


def assess_records(
    merged: Sequence[MergedEvent],
    claims: Sequence[Claim],
    mentions: Sequence[Mention],
    documents: Sequence[Document],
    filters: AssessFilters,
    *,
    text_of: Callable[[str], str | None],
    with_statements: bool = True,
    source_for: Callable[[str], SourceOf] | None = None,
) -> Assessment:
    """The assessment from records (``assess`` reads them from a store)."""
    rules = assess_data("indicators.json")
    violent = set(rules["violent_types"])
    by_id = {doc.id: doc for doc in documents}
    scoped = [m for m in merged if place_in_scope(m.event.location, filters)]
    if filters.actor is None:
        actor = default_actor(scoped, rules["armed_group_inter"])
        if actor is None:
            raise _no_events("an armed group", scoped, filters)
    else:
        actor = resolve_actor(filters.actor, merged)
    involving = [m for m in scoped if involves(m.event, actor)]
    if not involving or (
        actor == ALL and not any(m.event.event_type in violent for m in involving)
    ):
        raise _no_events(actor, scoped, filters)
    window = default_window(_latest(involving, by_id), since=filters.since, until=filters.until)
    base = baseline_window(window, filters)
    perpetrated = [
        m for m in involving if perpetrated_by(m.event, actor) and m.event.event_type in violent
    ]
    record = [
        m
        for m in involving
        if (days := date_range_days(m.event.date)) is None or days[0] <= window.until
    ]
    sets = EventSets(
        actor=actor,
        window=window,
        base=base,
        period=tuple(m for m in perpetrated if in_window(m.event.date, window)),
        baseline=tuple(m for m in perpetrated if in_window(m.event.date, base)),
        record=tuple(record),
    )
    namer = _country_namer()
    monthly = monthly_counts(sets.period, window)
    indicators, _changes = event_indicators(sets, monthly)
    doc_actor = _main_groups(mentions)
    in_scope = _claim_in_scope(filters)
    ledger = build_ledger(claims, by_id)
    caps = capabilities(ledger, actor, doc_actor, until=window.until, in_scope=in_scope)
    indicators.append(
        tallies(ledger, claims, actor, doc_actor, window=window, base=base, in_scope=in_scope)
    )
    texts: dict[str, str | None] = {}

    def text(doc_id: str) -> str | None:
        if doc_id not in texts:
            texts[doc_id] = text_of(doc_id)
        return texts[doc_id]

    relevant = {d for m in involving for d in m.doc_ids} | {
        doc for doc, group in doc_actor.items() if actor == ALL or group == actor
    }
    scoped_mentions = [m for m in mentions if m.doc_id in relevant]
    indicators.append(leadership(scoped_mentions, actor, text))
    home = home_countries(involving, filters.countries)
    anywhere = [
        m
        for m in perpetrated_anywhere(merged, actor)
        if m.event.event_type in violent
        and ((days := date_range_days(m.event.date)) is None or days[0] <= window.until)
    ]
    indicators.append(
        reach(anywhere, mentions, actor, home=home, window=window, country_name=namer)
    )
    statements = []
    if with_statements:
        with_text = [
            replace(doc, text=text(doc.id) or "") for doc in documents if doc.id in relevant
        ]
        kwargs = {"source_for": source_for} if source_for is not None else {}
        statements = find_statements(with_text, actor, doc_actor, **kwargs)
        statements = [
            s
            for s in statements
            if s.date is None or date.fromisoformat(s.date[:10]) <= window.until
        ]
    ledger_view = judgments_ledger(statements)
    indicators.append(_judgments_indicator(statements, ledger_view))
    named = {i.name: i for i in indicators}
    cited = _cited_documents(indicators, caps, statements)
    cited += [d for m in sets.baseline for d in m.doc_ids if d not in cited]
    country_names = tuple(namer(c) or c for c in filters.countries)
    inputs = Inputs(
        actor="all political violence" if actor == ALL else actor,
        scope=_scope_words(country_names, filters.admin1, [namer(c) or c for c in home]),
        window=window,
        base=base,
        indicators=named,
        capabilities=caps,
        statements=statements,
        judgments_ledger=ledger_view,
        period_events=sets.period,
        record_events=sets.record,
        documents={doc: outlet_of(by_id.get(doc), doc) for doc in cited},
        figures=sum(len(c.sources) for c in caps) + len(named["tallies"].evidence),
    )
    result = verdict(inputs)
    return Assessment(
        actor=actor,
        countries=filters.countries,
        country_names=country_names,
        admin1=filters.admin1,
        since=window.since.isoformat(),
        until=window.until.isoformat(),
        baseline_since=base.since.isoformat() if base else None,
        baseline_until=base.until.isoformat() if base else None,
        verdict=result,
        indicators=tuple(indicators),
        regions=region_counts(sets, namer),
        monthly=monthly,
        capabilities=tuple(caps),
        judgments=tuple(key_judgments(inputs, result)),
        statements=tuple(statements),
        watch=tuple(watch_list(inputs, result)),
        documents={doc: _document_row(by_id.get(doc), doc) for doc in cited},
    )


def _judgments_indicator(statements: Sequence[Any], ledger_view: dict[str, Any]) -> Indicator:
    from .model import Evidence

    counts = ledger_view["counts"]
    return Indicator(
        name="judgments",
        value=counts["rising"] + counts["persisting"],
        baseline=None,
        unit="sources judging the threat rising or persisting",
        evidence=tuple(
            Evidence(kind="document", id=doc, doc_ids=(doc,))
            for doc in dict.fromkeys(s.doc_id for s in statements)
        ),
        detail=ledger_view,
        note=None if statements else "no document states a judgment of the threat",
    )


def _cited_documents(
    indicators: Sequence[Indicator], caps: Sequence[Any], statements: Sequence[Any]
) -> list[str]:
    docs = [d for i in indicators for e in i.evidence for d in e.doc_ids]
    docs += [d for c in caps for s in c.sources for d in s.doc_ids]
    docs += [s.doc_id for s in statements]
    return list(dict.fromkeys(docs))


def _scope_words(
    countries: Sequence[str | None], admin1: str | None, home: Sequence[str | None]
) -> str:
    names = [c for c in countries if c] or [c for c in home if c]
    where = " and ".join(names) if names else "the area the documents cover"
    return f"{admin1}, {where}" if admin1 else where


def _document_row(document: Document | None, doc_id: str) -> dict[str, Any]:
    if document is None:
        return {"id": doc_id}
    return {
        "id": doc_id,
        "title": document.title,
        "source": document.source,
        "outlet": outlet_of(document, doc_id),
        "date": document_day(document),
    }
