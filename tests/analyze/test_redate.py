"""An undated report that tells a happening a dated report dates is re-dated from it."""

from __future__ import annotations

from datetime import date

from ember.analyze.redate import redatings
from ember.records import DateRange, Document, Event, Location

TOWN = Location(name="Eastmarch", canonical="Eastmarch", lat=35.0, lon=40.0, precision=1)


def doc(doc_id: str, **fields: object) -> Document:
    return Document(id=doc_id, source=f"{doc_id}.txt", text="...", format="text", **fields)  # type: ignore[arg-type]


def event(doc_id: str, when: DateRange, cluster: str | None = "k1") -> Event:
    return Event(
        id=f"{doc_id}-e", doc_id=doc_id, event_type="Battles", sub_event_type="Armed clash",
        text="...", span=(0, 3), location=TOWN, date=when, cluster_id=cluster,
    )  # fmt: skip


STATED = DateRange(start="2021-05-04", end="2021-05-04", precision="day")
RANGED = DateRange(start="2020-06-01", end="2021-06-30", precision="year", approximate=True)


def run(docs: list[Document], events: list[Event]) -> list[tuple[str, str, str | None, str]]:
    by_id = {d.id: d for d in docs}
    found = redatings(events, by_id.get, today=date(2026, 12, 2))
    return [(r.doc_id, r.after, r.before, r.after_basis) for r in found]


def test_a_corroborated_happening_moves_the_window_start_and_an_assumed_end() -> None:
    dated = doc("d", published="2021-05-05", publisher="The Wire")
    undated = doc(
        "u", published_after="2020-06-01", published_before="2021-06-01",
        published_before_basis="assumed: within a year",
    )  # fmt: skip
    ((doc_id, after, before, basis),) = run(
        [dated, undated], [event("d", STATED), event("u", RANGED)]
    )
    assert (doc_id, after, before) == ("u", "2021-05-04", "2022-05-04")
    assert "The Wire dates 2021-05-04" in basis


def test_a_window_the_text_bounds_keeps_its_end_and_is_never_contradicted() -> None:
    dated = doc("d", published="2021-05-05")
    bounded = doc(
        "u", published_after="2020-06-01", published_before="2021-07-01",
        published_before_basis="names X by a title held 2019..2021-07-01",
    )  # fmt: skip
    assert run([dated, bounded], [event("d", STATED), event("u", RANGED)])[0][2] == "2021-07-01"
    early = doc(
        "u", published_after="2020-06-01", published_before="2021-01-01",
        published_before_basis="tells as still to come: ...",
    )  # fmt: skip
    assert run([dated, early], [event("d", STATED), event("u", RANGED)]) == []


def test_only_stated_dates_of_dated_reports_date_others() -> None:
    undated = doc("u", published_after="2020-06-01", published_before="2021-06-01")
    other = doc("v", published_after="2020-01-01", published_before="2022-01-01")
    # Two undated reports, or a clustered event with no cluster partner, date nothing.
    assert run([undated, other], [event("v", RANGED), event("u", RANGED)]) == []
    dated = doc("d", published="2021-05-05")
    assert run([dated, undated], [event("d", STATED, cluster=None), event("u", RANGED)]) == []


def test_a_window_already_past_the_happening_is_left_alone() -> None:
    dated = doc("d", published="2021-05-05")
    later = doc("u", published_after="2021-06-01", published_before="2022-06-01")
    assert run([dated, later], [event("d", STATED), event("u", RANGED)]) == []
