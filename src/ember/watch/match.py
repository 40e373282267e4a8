"""Alert rules against what a poll added: the events and claims of the new documents,
the claims ledger's new conflicts, the assessment's tempo.

Each alert has a stable key, the rule id and the record's id (an event's or claim's id,
the two ledger entries of a conflict, the actor and month of a tempo rise), so the store
raises it once however often the same records are checked."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..analyze.ledger import build_ledger, format_value
from ..assess.scope import actor_names
from ..errors import EmberError
from ..geo import haversine_km
from ..nlp.fold import fold
from ..records import Claim, Event
from ..store import Store
from .rules import Rule

__all__ = ["Alert", "alerts_for", "claim_alerts", "event_alerts"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Alert:
    rule: Rule
    record_id: str
    doc_id: str | None
    summary: str
    payload: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.rule.id}:{self.record_id}"


def _same_actor(name: str, canonical: str) -> bool:
    from ..nlp.actors import load_actor_table

    return fold(name) == fold(canonical) or load_actor_table().names.get(name) == canonical


def event_matches(rule: Rule, event: Event) -> bool:
    """Whether ``event`` meets every condition of the event rule."""
    if rule.actor and not any(_same_actor(n, rule.actor) for n in actor_names(event)):
        return False
    if rule.event_type and event.event_type != rule.event_type:
        return False
    if rule.sub_event_type and event.sub_event_type != rule.sub_event_type:
        return False
    if rule.min_fatalities is not None and (event.fatalities or 0) < rule.min_fatalities:
        return False
    if rule.min_fatalities is not None and event.fatalities is None:
        return False
    if rule.near is not None:
        place = event.location
        if place is None or place.lat is None or place.lon is None:
            return False
        if haversine_km(place.lat, place.lon, rule.near.lat, rule.near.lon) > rule.near.km:
            return False
    return True


def _event_payload(event: Event) -> dict[str, Any]:
    place = event.location
    return {
        "event_id": event.id,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "actor2": event.actor2,
        "location": None
        if place is None
        else {"name": place.name, "canonical": place.canonical, "lat": place.lat,
              "lon": place.lon, "country": place.country},
        "date": {"start": event.date.start, "end": event.date.end,
                 "precision": event.date.precision},
        "fatalities": event.fatalities,
        "text": event.text,
    }  # fmt: skip


def _event_summary(event: Event) -> str:
    actors = " v ".join(name for name in (event.actor1, event.actor2) if name)
    place = event.location.canonical or event.location.name if event.location else None
    parts = [event.sub_event_type]
    if actors:
        parts.append(actors)
    if place:
        parts.append(f"at {place}")
    if event.date.start:
        parts.append(f"on {event.date.start}")
    if event.fatalities is not None:
        parts.append(f"{event.fatalities} killed")
    return ", ".join(parts)


def event_alerts(rules: Sequence[Rule], events: Iterable[Event]) -> Iterator[Alert]:
    wanted = [rule for rule in rules if rule.kind == "event"]
    for event in events:
        for rule in wanted:
            if event_matches(rule, event):
                yield Alert(
                    rule=rule, record_id=event.id, doc_id=event.doc_id,
                    summary=_event_summary(event), payload=_event_payload(event),
                )  # fmt: skip


def _side(rule: Rule, claim: Claim) -> bool:
    """Whether ``claim`` is over the rule's line: at or above ``above``, at or below
    ``below``."""
    if rule.above is not None:
        return claim.value_high >= rule.above
    assert rule.below is not None
    return claim.value_low <= rule.below


def _claim_payload(claim: Claim) -> dict[str, Any]:
    return {
        "claim_id": claim.id, "subject": claim.subject, "value_low": claim.value_low,
        "value_high": claim.value_high, "unit": claim.unit, "qualifier": claim.qualifier,
        "actor": claim.actor, "attributed_to": claim.attributed_to,
        "as_of": claim.as_of.start, "text": claim.text,
    }  # fmt: skip


def claim_alerts(
    rules: Sequence[Rule], new: Sequence[Claim], earlier: Iterable[Claim]
) -> Iterator[Alert]:
    """Claims of ``new`` that cross a claim rule's value: the last estimate before them
    (``earlier``, then the new ones in order) of the subject (and actor) was on the other
    side of it, or there was none."""
    wanted = [rule for rule in rules if rule.kind == "claim"]
    if not wanted or not new:
        return
    before = list(earlier)
    for rule in wanted:
        last: Claim | None = None
        for claim in before:
            if _claim_in_rule(rule, claim):
                last = claim
        for claim in new:
            if not _claim_in_rule(rule, claim):
                continue
            if _side(rule, claim) and (last is None or not _side(rule, last)):
                line = (
                    f"above {rule.above:g}" if rule.above is not None else f"below {rule.below:g}"
                )
                yield Alert(
                    rule=rule, record_id=claim.id, doc_id=claim.doc_id,
                    summary=f"{claim.subject}: {format_value(claim)} ({line})"
                    + (f", {claim.actor}" if claim.actor else ""),
                    payload=_claim_payload(claim),
                )  # fmt: skip
            last = claim


def _line(rule: Rule) -> str:
    return f"above {rule.above:g}" if rule.above is not None else f"below {rule.below:g}"


def _claim_in_rule(rule: Rule, claim: Claim) -> bool:
    if rule.subject and claim.subject != rule.subject:
        return False
    return not rule.actor or (claim.actor is not None and _same_actor(claim.actor, rule.actor))


def conflict_alerts(rules: Sequence[Rule], store: Store, new_docs: set[str]) -> Iterator[Alert]:
    """Conflicts of the claims ledger where one side holds a claim of ``new_docs``."""
    wanted = [rule for rule in rules if rule.kind == "conflict"]
    if not wanted or not new_docs:
        return
    claims = list(store.iter_claims())
    if not any(claim.doc_id in new_docs for claim in claims):
        return
    documents = {doc.id: replace(doc, text="") for doc in store.iter_documents()}
    ledger = build_ledger(claims, documents)
    for group in ledger.groups:
        entries = {entry.id: entry for entry in group.entries}
        for entry in group.entries:
            if not any(claim.doc_id in new_docs for claim in entry.claims):
                continue
            for other_id in entry.conflicts_with:
                other = entries.get(other_id)
                if other is None:
                    continue
                for rule in wanted:
                    if rule.subject and rule.subject not in (group.subject, entry.compare_as):
                        continue
                    if rule.actor and not (group.actor and _same_actor(group.actor, rule.actor)):
                        continue
                    first, second = entry.claims[0], other.claims[0]
                    yield Alert(
                        rule=rule, record_id="~".join(sorted((entry.id, other.id))),
                        doc_id=first.doc_id,
                        summary=f"{group.subject}: {format_value(first)} against "
                        f"{format_value(second)}" + (f", {group.actor}" if group.actor else ""),
                        payload={"subject": group.subject, "actor": group.actor,
                                 "scope": group.scope, "claims": [_claim_payload(first),
                                                                  _claim_payload(second)]},
                    )  # fmt: skip


def tempo_alerts(rules: Sequence[Rule], store: Store) -> Iterator[Alert]:
    """The assessment's tempo test says "rising" for a tempo rule's actor and scope."""
    from ..assess import AssessFilters, assess

    for rule in (r for r in rules if r.kind == "tempo"):
        filters = AssessFilters(actor=rule.actor, countries=(rule.country,) if rule.country else ())
        try:
            assessment = assess(store, filters, with_statements=False)
        except EmberError:  # no evidence for the actor, or no dated one: nothing rises
            continue
        tempo = assessment.indicator("tempo")
        test = tempo.detail["test"]
        if test.get("verdict") != "rising":
            continue
        yield Alert(
            rule=rule, record_id=f"{assessment.actor}:{assessment.until[:7]}", doc_id=None,
            summary=f"{assessment.actor}: tempo rising, {tempo.value} events a month "
            f"against {tempo.baseline} ({assessment.since} to {assessment.until})",
            payload={"actor": assessment.actor, "since": assessment.since,
                     "until": assessment.until, "per_month": tempo.value,
                     "baseline_per_month": tempo.baseline, "test": test},
        )  # fmt: skip


def alerts_for(rules: Sequence[Rule], store: Store, doc_ids: Sequence[str]) -> list[Alert]:
    """Every alert the rules raise on the documents ``doc_ids`` (and the whole store,
    for conflicts and tempo, when those documents add claims or events)."""
    new_docs = set(doc_ids)
    if not rules or not new_docs:
        return []
    events = [event for doc in doc_ids for event in store.iter_events(doc_id=doc)]
    found = list(event_alerts(rules, events))
    if any(rule.kind == "claim" for rule in rules):
        new = [claim for doc in doc_ids for claim in store.iter_claims(doc_id=doc)]
        subjects = {rule.subject for rule in rules if rule.kind == "claim"}
        earlier = (
            claim
            for subject in sorted(s for s in subjects if s)
            for claim in store.iter_claims(subject=subject)
            if claim.doc_id not in new_docs
        )
        found.extend(claim_alerts(rules, new, earlier))
    found.extend(conflict_alerts(rules, store, new_docs))
    if events:
        found.extend(tempo_alerts(rules, store))
    return found
