"""Reviews in the store: every read sees reviewed values, a re-analysis keeps them,
rejected records are hidden but kept, and the trail records who changed what."""

from __future__ import annotations

import pytest

from ember.errors import ConfigError
from ember.records import DateRange, Document, Event, Location
from ember.store import Store
from ember.store._review import REVIEWED_ONLY, RecordNotFound, Reviews

TEXT = (
    "Gunmen of the Ashen Hand ambushed a patrol near Tal Ruman on 2 March 2022, killing two. "
    "Later, villagers marched in the square to demand the road be reopened."
)


def _doc() -> Document:
    return Document(id="d" * 16, source="test://one", text=TEXT, format="text")


def _events() -> list[Event]:
    place = Location(name="Tal Ruman", canonical="Tal Ruman", lat=36.0, lon=40.0, country="SY")
    when = DateRange(start="2022-03-02", end="2022-03-02", precision="day")
    return [
        Event(id="ev-ambush", doc_id="d" * 16, event_type="Battles", sub_event_type="Armed clash",
              text=TEXT[:88], span=(0, 88), actor1="Ashen Hand", location=place, date=when,
              fatalities=2),
        Event(id="ev-march", doc_id="d" * 16, event_type="Protests",
              sub_event_type="Peaceful protest", text=TEXT[89:], span=(89, len(TEXT))),
    ]  # fmt: skip


@pytest.fixture
def store(sqlite_url: str) -> Store:
    store = Store.open(sqlite_url)
    store.add_document(_doc(), signature=None, run_id="r")
    store.add_analysis("d" * 16, _events(), [], version="v1")
    return store


def test_an_edit_is_read_back_and_logged(store: Store) -> None:
    reviews = Reviews(store)
    [entry] = reviews.set("event", "ev-ambush", "fatalities", "3", by="alice")
    assert (entry.old, entry.new, entry.by, entry.field) == (2, 3, "alice", "fatalities")
    [event] = [e for e in store.iter_events() if e.id == "ev-ambush"]
    assert event.fatalities == 3
    reviews.set("event", "ev-ambush", "sub_event_type", "attack", by="bob")
    reviews.set("event", "ev-ambush", "actor1", "Daesh", by="bob")
    reviews.set("event", "ev-ambush", "date", "2022-03", by="bob")
    events, total = store.list_events(event_type="Violence against civilians")
    assert total == 1 and events[0].sub_event_type == "Attack"
    assert events[0].actor1 == "Islamic State" and events[0].inter1 == 2
    assert (events[0].date.start, events[0].date.end) == ("2022-03-01", "2022-03-31")
    log, count = reviews.log()
    assert count == 4 and [e.by for e in log] == ["bob", "bob", "bob", "alice"]
    assert log[-2].old == "Battles / Armed clash"
    assert log[-2].new == "Violence against civilians / Attack"


def test_the_same_value_again_logs_nothing(store: Store) -> None:
    assert Reviews(store).set("event", "ev-ambush", "fatalities", "2", by="alice") == []
    assert Reviews(store).log()[1] == 0


def test_reanalysis_keeps_reviewed_fields(store: Store) -> None:
    reviews = Reviews(store)
    reviews.set("event", "ev-ambush", "fatalities", "5", by="alice")
    reviews.set("event", "ev-ambush", "place", "", by="alice")
    reviews.reject("event", "ev-march", by="alice")
    store.add_analysis("d" * 16, _events(), [], version="v2")
    events = list(store.iter_events())
    assert [e.id for e in events] == ["ev-ambush"]
    assert events[0].fatalities == 5 and events[0].location is None
    assert store.count_events() == 1
    # Rejected, not deleted: the review page still reads it.
    assert reviews.record("event", "ev-march") is not None


def test_reviewed_only_keeps_accepted_and_edited(store: Store) -> None:
    Reviews(store).accept("event", "ev-march", by="carol")
    token = REVIEWED_ONLY.set(True)
    try:
        assert [e.id for e in store.iter_events()] == ["ev-march"]
        assert store.list_events()[1] == 1
    finally:
        REVIEWED_ONLY.reset(token)
    assert store.count_events() == 2


def test_bad_fields_values_and_ids_are_one_line_errors(store: Store) -> None:
    reviews = Reviews(store)
    with pytest.raises(RecordNotFound, match="no event 'nope'"):
        reviews.accept("event", "nope", by="alice")
    with pytest.raises(ConfigError, match="no event field 'colour'"):
        reviews.set("event", "ev-ambush", "colour", "red", by="alice")
    with pytest.raises(ConfigError, match="no sub-event type 'Picnic'"):
        reviews.set("event", "ev-ambush", "sub_event_type", "Picnic", by="alice")
    with pytest.raises(ConfigError, match="whole number"):
        reviews.set("event", "ev-ambush", "fatalities", "-4", by="alice")
    with pytest.raises(ConfigError, match="not a kind of"):
        reviews.set("event", "ev-ambush", "event_type", "Protests", by="alice")
    with pytest.raises(ConfigError, match="reviewer"):
        reviews.accept("event", "ev-ambush", by="  ")
    assert reviews.log()[1] == 0
