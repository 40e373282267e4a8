"""Search across spellings: transliterations of a place, an actor's aliases, prefixes,
the article "al-"; place and actor filters by folded key; sources shown relative."""

from __future__ import annotations

import pytest

from ember.records import Document, Event, Location, Mention
from ember.store import Store
from ember.store._search import Term, query_terms, shown_source, spellings

# Written for these tests: one place spelt four ways, one group named three ways.
TEXTS = {
    "a": "Coalition jets struck positions in Baguz overnight, the monitor reported.",
    "b": "Families left Baghuz on foot as the siege tightened along the river.",
    "c": "Fighters of ISIS were seen moving trucks near al-Baghouz before dawn.",
    "d": "Daesh claimed an ambush on a supply convoy in the desert.",
    "e": "A wedding in Tal Safa went ahead despite the curfew, residents said.",
}
BAGHOUZ = Location(name="Baguz", canonical="Baghouz", key="curated:baghouz", lat=34.45,
                   lon=40.93, country="SY")  # fmt: skip


def _doc(name: str, root: str = "/srv/reports") -> Document:
    return Document(id=name * 16, source=f"{root}/{name}.txt", text=TEXTS[name], format="text")


@pytest.fixture
def store(db_url: str) -> Store:
    store = Store.open(db_url)
    for name in TEXTS:
        store.add_document(_doc(name), signature=None, run_id="r")
    event = Event(id="ev-a", doc_id="a" * 16, event_type="Explosions/Remote violence",
                  sub_event_type="Air/drone strike", text=TEXTS["a"], span=(0, 10),
                  actor1="Global Coalition Against Daesh", location=BAGHOUZ)  # fmt: skip
    raid = Event(id="ev-d", doc_id="d" * 16, event_type="Battles", sub_event_type="Armed clash",
                 text=TEXTS["d"], span=(0, 10), actor1="Islamic State")  # fmt: skip
    mention = Mention(doc_id="a" * 16, kind="place", text="Baguz", start=33, end=38,
                      canonical="Baghouz", location=BAGHOUZ)  # fmt: skip
    store.add_analysis("a" * 16, [event], [mention], version="v")
    store.add_analysis("d" * 16, [raid], [], version="v")
    return store


def _found(store: Store, query: str) -> set[str]:
    return {hit.doc_id[0] for hit in store.search_documents(query, limit=50).hits}


@pytest.mark.parametrize("query", ["Baghouz", "Baguz", "Baghuz", "al-Baghuz", "baghouz"])
def test_every_spelling_of_a_place_finds_them_all(store: Store, query: str) -> None:
    assert _found(store, query) == {"a", "b", "c"}


def test_an_alias_finds_the_actor_by_every_name(store: Store) -> None:
    assert _found(store, "Daesh") == {"c", "d"}
    assert _found(store, "ISIS") == {"c", "d"}
    assert _found(store, "Daesh convoy") == {"d"}


def test_prefix_terms(store: Store) -> None:
    assert _found(store, "Bagh*") == {"b", "c"}
    assert _found(store, "Bag*") == {"a", "b", "c"}
    assert query_terms('Bagh* "supply con*"') == (Term("Bagh", True), Term("supply con", True))


def test_ordinary_words_are_not_expanded(store: Store) -> None:
    assert spellings(Term("wedding")) == (Term("wedding"),)
    assert _found(store, "wedding") == {"e"}


def test_place_and_actor_filters_fold(store: Store) -> None:
    for place in ("Baghuz", "Baguz", "al-Baghouz", "baghouz"):
        assert [e.id for e in store.list_events(place=place)[0]] == ["ev-a"], place
    assert [e.id for e in store.list_events(actor="Daesh")[0]] == ["ev-a", "ev-d"]
    assert [e.id for e in store.list_events(actor="ISIL")[0]] == ["ev-d"]


def test_sources_are_shown_relative_to_the_ingest_root(store: Store) -> None:
    [hit] = store.search_documents("wedding").hits
    assert hit.source == "e.txt"
    assert store.get_document("e" * 16).source == "/srv/reports/e.txt"  # type: ignore[union-attr]
    assert shown_source("https://x.example/a", "/srv") == "https://x.example/a"
    assert shown_source("notes/a.txt", "/srv") == "notes/a.txt"
    assert shown_source("/srv/reports/sub/a.txt", "/srv/reports") == "sub/a.txt"
