"""Synthetic stores for the assessment, where the right answer is known: events written
directly as analysed records (no NLP), each in a document of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ember.records import Claim, DateRange, Document, Event, Location, Mention
from ember.store import Store

GROUP = "Islamic State"
ARMY = "Military Forces of Iraq"


def place(name: str, admin1: str, lat: float, lon: float, country: str = "IQ") -> Location:
    return Location(
        name=name,
        canonical=name,
        geonameid=abs(hash(name)) % 10**7,
        lat=lat,
        lon=lon,
        country=country,
        admin1=admin1,
        precision=1,
    )


MOSUL = place("Mosul", "Nineveh", 36.34, 43.13)
TAL_AFAR = place("Tal Afar", "Nineveh", 36.37, 42.45)
RAMADI = place("Ramadi", "Al Anbar", 33.42, 43.30)
BAQUBA = place("Baqubah", "Diyala", 33.75, 44.64)


@dataclass(frozen=True)
class Happening:
    day: str
    where: Location | None = MOSUL
    sub_event: str = "Remote explosive/landmine/IED"
    event_type: str = "Explosions/Remote violence"
    actor1: str | None = GROUP
    actor2: str | None = ARMY
    inter1: int | None = 2
    inter2: int | None = 1
    killed: int | None = None


def add_report(
    store: Store,
    text: str,
    *,
    published: str | None = None,
    publisher: str | None = None,
    events: Sequence[Happening] = (),
    claims: Sequence[dict[str, object]] = (),
    mentions: Sequence[tuple[str, str, str | None]] = (),
) -> Document:
    """One document holding ``text`` with the given events, claims and mentions
    ((kind, canonical, role), placed at the start of the text)."""
    from ember.ingest import content_id

    doc = Document(
        id=content_id(text),
        source=f"test://{content_id(text)}",
        text=text,
        format="text",
        published=published,
        published_precision="day" if published else None,
        publisher=publisher,
    )
    store.add_document(doc, signature=None, run_id="r")
    stored_events = [
        Event(
            id=f"{doc.id}-{n}",
            doc_id=doc.id,
            event_type=h.event_type,
            sub_event_type=h.sub_event,
            text=text[:80],
            span=(0, min(80, len(text))),
            actor1=h.actor1,
            actor2=h.actor2,
            inter1=h.inter1,
            inter2=h.inter2,
            location=h.where,
            fatalities=h.killed,
            date=DateRange(start=h.day, end=h.day, precision="day"),
        )
        for n, h in enumerate(events)
    ]
    stored_claims = [
        Claim(
            id=f"{doc.id}-c{n}",
            doc_id=doc.id,
            subject=str(c["subject"]),
            subject_text=str(c["subject"]),
            value_low=float(c["low"]),  # type: ignore[arg-type]
            value_high=float(c.get("high", c["low"])),  # type: ignore[arg-type]
            unit=str(c.get("unit", "count")),
            quantity_text=str(c["low"]),
            quantity_span=(0, 3),
            text=text[:80],
            span=(0, min(80, len(text))),
            actor=c.get("actor", GROUP),  # type: ignore[arg-type]
            attributed_to=c.get("source"),  # type: ignore[arg-type]
            as_of=DateRange(start=str(c["as_of"]), end=str(c["as_of"]), precision="day"),
        )
        for n, c in enumerate(claims)
    ]
    stored_mentions = [
        Mention(
            doc_id=doc.id,
            kind=kind,
            text=name,
            start=0,
            end=min(len(name), len(text)),  # type: ignore[arg-type]
            canonical=name,
            role=role,
        )
        for kind, name, role in mentions
    ]
    store.add_analysis(doc.id, stored_events, stored_mentions, stored_claims, version="t")
    return doc


def monthly_days(year: int, months: Sequence[int], per_month: int) -> list[str]:
    return [f"{year}-{m:02d}-{d + 1:02d}" for m in months for d in range(per_month)]
