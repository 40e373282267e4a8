"""Full-text search and paged lists, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, insert, inspect, text

import ember.store
from ember.errors import ConfigError
from ember.ingest import content_id
from ember.records import Claim, DateRange, Document, Event, Location
from ember.store import SearchPage, Store, search_terms
from ember.store.schema import SEARCH_INDEX, SEARCH_TABLE, documents
from tests.store import pre_window_row

MIGRATIONS = Path(ember.store.__file__).with_name("migrations")

FERRY = (
    "Gunmen attacked a river ferry near Haditha at dawn, and two boatmen were killed. "
    "The ferry crossing had reopened in spring after a long closure."
)
MARKET = (
    "A car bomb killed five people at a vegetable market in Tuz Khurmatu on Thursday, "
    "a local council member said. Traders closed their stalls for the day."
)
CONVOY = "A supply convoy was ambushed on the road west of Rutba; the drivers escaped unhurt."
HOSTILE = 'Residents posted <script>alert("x")</script> under the ferry story, moderators said.'

HADITHA = Location(name="Haditha", canonical="Haditha", geonameid=97990, lat=34.14,
                   lon=42.38, country="IQ", admin1="Anbar", precision=1)  # fmt: skip
TUZ = Location(name="Tuz Khurmatu", canonical="Tuz Khurmatu", geonameid=97270, lat=34.88,
               lon=44.63, country="IQ", admin1="Salah ad Din", precision=1)  # fmt: skip


def make_doc(body: str, **fields: object) -> Document:
    return Document(id=content_id(body), source=f"test://{content_id(body)}", text=body,
                    format="text", **fields)  # type: ignore[arg-type]  # fmt: skip


def add(store: Store, body: str, **fields: object) -> Document:
    doc = make_doc(body, **fields)
    store.add_document(doc, signature=None, run_id="r")
    return doc


# -- the query language --------------------------------------------------------------


def test_terms_are_words_and_quoted_phrases() -> None:
    assert search_terms('ferry "car bomb" al-Qaim') == ("ferry", "car bomb", "al Qaim")
    assert search_terms('"unclosed phrase runs on') == ("unclosed phrase runs on",)
    assert search_terms("Ferry ferry ferry") == ("Ferry", "ferry")
    assert search_terms("NEAR(x y) OR z*") == ("NEAR x", "y", "OR", "z")


@pytest.mark.parametrize("query", ["", "   ", '""', "!!! ---", '" "', '"', "\\", "(("])
def test_a_query_without_words_is_a_clear_error(query: str, store: Store) -> None:
    with pytest.raises(ConfigError, match="nothing to search for"):
        store.search_documents(query)


# -- search ------------------------------------------------------------------------


def test_search_needs_every_term(db_url: str) -> None:
    with Store.open(db_url) as store:
        ferry, market = add(store, FERRY), add(store, MARKET)
        add(store, CONVOY)
        assert _ids(store.search_documents("killed")) == {ferry.id, market.id}
        assert _ids(store.search_documents("killed ferry")) == {ferry.id}
        assert _ids(store.search_documents("killed convoy")) == set()


def test_phrases_need_their_words_together(db_url: str) -> None:
    with Store.open(db_url) as store:
        market = add(store, MARKET)
        add(store, FERRY)
        assert _ids(store.search_documents('"car bomb"')) == {market.id}
        assert _ids(store.search_documents('"bomb car"')) == set()


def test_words_are_stemmed_and_case_folded(db_url: str) -> None:
    with Store.open(db_url) as store:
        ferry = add(store, FERRY)
        assert _ids(store.search_documents("KILLS")) == {ferry.id}
        assert _ids(store.search_documents("ferries")) == {ferry.id}


def test_the_title_is_searched_and_weighs(db_url: str) -> None:
    with Store.open(db_url) as store:
        titled = add(store, CONVOY, title="Ferry service suspended", publisher="River Post")
        mentioned = add(store, MARKET + " The ferry was not affected.")
        page = store.search_documents("ferry")
        assert [hit.doc_id for hit in page.hits][:1] == [titled.id]
        assert _ids(page) == {titled.id, mentioned.id}
        (hit,) = [h for h in page.hits if h.doc_id == titled.id]
        assert (hit.title, hit.publisher, hit.source) == (
            "Ferry service suspended", "River Post", titled.source,
        )  # fmt: skip


def test_hits_carry_a_plain_snippet_and_the_matched_words(db_url: str) -> None:
    with Store.open(db_url) as store:
        add(store, HOSTILE)
        (hit,) = store.search_documents("ferry story").hits
        # Plain text: no markup added, nothing escaped (the view escapes). SQLite keeps
        # the text as stored; PostgreSQL's headline leaves out what it parses as tags.
        assert 'alert("x")' in hit.snippet
        assert "<b>" not in hit.snippet and "&lt;" not in hit.snippet
        assert "\ue000" not in hit.snippet and "\ue001" not in hit.snippet
        assert {term.lower() for term in hit.terms} == {"ferry", "story"}
        assert hit.rank > 0


def test_near_duplicates_are_not_listed(db_url: str) -> None:
    with Store.open(db_url) as store:
        original = add(store, FERRY)
        add(store, FERRY + " Republished with permission.", duplicate_of=original.id)
        page = store.search_documents("ferry")
        assert (page.total, _ids(page)) == (1, {original.id})


def test_search_pages(db_url: str) -> None:
    with Store.open(db_url) as store:
        for n in range(5):
            add(store, f"{CONVOY} Bulletin number {n}.")
        pages = [store.search_documents("convoy", limit=2, offset=at) for at in (0, 2, 4, 6)]
        assert [page.total for page in pages] == [5, 5, 5, 5]
        ids = [hit.doc_id for page in pages for hit in page.hits]
        assert [len(page.hits) for page in pages] == [2, 2, 1, 0]
        assert len(set(ids)) == 5


HOSTILE_QUERIES = [
    'a" OR "b', "NEAR(ferry killed)", "title:ferry", "ferr*", "-ferry", "^ferry",
    "'; DROP TABLE documents; --", "ferry AND", "NOT ferry", "{ferry}",
    "%_%", "ferry & | ! <-> :*", "ferry\x00killed", "ferry\u2028killed",
]  # fmt: skip


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_no_user_text_is_query_syntax(query: str, db_url: str) -> None:
    with Store.open(db_url) as store:
        ferry = add(store, FERRY)
        page = store.search_documents(query)
        assert isinstance(page, SearchPage)
        assert _ids(page) <= {ferry.id}
        assert store.count_documents() == 1


def test_documents_stored_before_the_search_migration_are_found(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    doc = make_doc(FERRY)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0005")
        row = {**pre_window_row(doc), "seq": 1, "ingested_at": datetime.now(UTC)}
        conn.execute(insert(documents).values(**row))
    engine.dispose()
    with Store.open(sqlite_url) as store:
        assert _ids(store.search_documents("ferry")) == {doc.id}


def test_the_search_objects_exist(db_url: str) -> None:
    with Store.open(db_url) as store:
        inspector = inspect(store.engine)
        if store.engine.dialect.name == "sqlite":
            assert SEARCH_TABLE in inspector.get_table_names()
        else:
            assert SEARCH_INDEX in {ix["name"] for ix in inspector.get_indexes("documents")}


@pytest.mark.postgres
def test_postgres_search_uses_the_index(postgres_url: str) -> None:
    from ember.store._search import postgres_queries

    with Store.open(postgres_url) as store, store.engine.connect() as conn:
        _count, page = postgres_queries(["ferry"], limit=5, offset=0)
        conn.execute(text("SET enable_seqscan = off"))
        sql = str(page.compile(store.engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(row[0] for row in conn.execute(text(f"EXPLAIN {sql}")))
        assert SEARCH_INDEX in plan


def _ids(page: SearchPage) -> set[str]:
    return {hit.doc_id for hit in page.hits}


# -- paged lists -------------------------------------------------------------------


def make_event(doc: Document, n: int, **fields: object) -> Event:
    values: dict[str, object] = {
        "id": f"{doc.id}-{n}", "doc_id": doc.id, "event_type": "Battles",
        "sub_event_type": "Armed clash", "text": doc.text[:40], "span": (0, 40),
        "date": DateRange(start=f"2021-06-{n + 1:02d}", end=f"2021-06-{n + 1:02d}",
                          precision="day"),
    }  # fmt: skip
    return Event(**{**values, **fields})  # type: ignore[arg-type]


def test_list_events_filters_and_pages(db_url: str) -> None:
    with Store.open(db_url) as store:
        ferry, market = add(store, FERRY), add(store, MARKET)
        first = [
            make_event(ferry, 1, actor1="Islamic State", location=HADITHA),
            make_event(ferry, 2, actor2="Police Forces of Iraq", location=HADITHA),
            make_event(ferry, 3, event_type="Riots", sub_event_type="Mob violence"),
        ]
        second = [make_event(market, n, actor1="100%_Group", location=TUZ) for n in (4, 5, 6)]
        store.add_analysis(ferry.id, first, [], version="1")
        store.add_analysis(market.id, second, [], version="1")

        every, total = store.list_events(limit=4)
        assert total == 6 and every == list(store.iter_events())[:4]
        assert store.list_events(limit=4, offset=4)[0] == list(store.iter_events())[4:]
        assert _keys(store.list_events(actor="islamic")) == ([f"{ferry.id}-1"], 1)
        assert _keys(store.list_events(actor="POLICE"))[1] == 1  # actor2 too
        assert _keys(store.list_events(place="haditha"))[1] == 2
        assert _keys(store.list_events(place="salah ad"))[1] == 3  # the province
        assert _keys(store.list_events(event_type="Riots")) == ([f"{ferry.id}-3"], 1)
        assert _keys(store.list_events(doc_id=market.id, limit=1)) == ([f"{market.id}-4"], 3)
        assert _keys(store.list_events(since="2021-06-05", until="2021-06-06"))[1] == 2
        # % and _ are themselves, not wildcards.
        assert _keys(store.list_events(actor="0%_g"))[1] == 3
        assert _keys(store.list_events(actor="0%x"))[1] == 0
        assert store.list_events(offset=10) == ([], 6)


def test_list_claims_filters_and_pages(db_url: str) -> None:
    with Store.open(db_url) as store:
        doc = add(store, MARKET)
        claims = [
            _claim(doc, n, subject=("fighters", "displaced")[n % 2],
                   actor="Islamic State" if n < 2 else None, places=(TUZ,) if n else ())
            for n in range(5)
        ]  # fmt: skip
        store.add_analysis(doc.id, [], [], claims, version="1")
        page, total = store.list_claims(limit=2, offset=2)
        assert total == 5 and page == list(store.iter_claims())[2:4]
        assert store.list_claims(subject="displaced")[1] == 2
        assert store.list_claims(actor="islamic")[1] == 2
        assert store.list_claims(place="khurmatu", subject="fighters")[1] == 2


def test_negative_pages_are_a_bug(store: Store) -> None:
    with pytest.raises(ValueError, match="limit"):
        store.list_events(limit=-1)
    with pytest.raises(ValueError, match="offset"):
        store.search_documents("ferry", offset=-5)


def _claim(doc: Document, n: int, **fields: object) -> Claim:
    values: dict[str, object] = {
        "id": f"{doc.id}-c{n}", "doc_id": doc.id, "subject": "fighters",
        "subject_text": "people", "value_low": 5.0, "value_high": 5.0, "unit": "count",
        "quantity_text": "five", "quantity_span": (n, n + 1), "text": doc.text[:40],
        "span": (0, 40),
    }  # fmt: skip
    return Claim(**{**values, **fields})  # type: ignore[arg-type]


def _keys(found: tuple[list[Event], int]) -> tuple[list[str], int]:
    events, total = found
    return [event.id for event in events], total
