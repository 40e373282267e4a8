"""The report's view data (report/views.py), on a small store written for these tests:
two outlets report one clash (corroborated, with different tolls) and disagree on a
figure, a third document is hostile (markup and a javascript: source in every field), a
fourth is undated and on the web, a fifth places an event far from the rest.

``corpus_store`` is shared with the HTML tests."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ember.analyze.corroborate import merge_stored
from ember.ingest import content_id
from ember.records import Claim, DateRange, Document, Event, Location, Mention
from ember.report.html import build_report
from ember.report.views import (
    document_href,
    event_types,
    map_data,
    marker_radius,
    report_data,
    timeline_data,
    type_colour,
)
from ember.store import Store

XSS_TITLE = "<script>alert('title')</script>"
XSS_PUBLISHER = '<img src=x onerror="alert(1)">'
XSS_SOURCE = "javascript:alert(document.cookie)"
XSS_SENTENCE = "Gunmen </script><script>alert('text')</script> shelled the market in Ramadi."
XSS_ACTOR = '"><svg onload=alert(2)>'

COURIER_TEXT = (
    "Nine people died in clashes near Hit on Sunday, medics said. "
    "The provincial council puts the number of militants in the area at 200."
)
HERALD_TEXT = (
    "Twelve were killed when militants fought the army outside Hit on Sunday. "
    "Army officers say some 900 militants are active around the town."
)
ECHO_TEXT = (
    "A week after the fighting, the provincial council repeated that 200 militants remain near Hit."
)
WEB_TEXT = "Residents reported an explosion somewhere in the desert, at an unknown time."
FAR_TEXT = "A rally in Kansas City drew a crowd on 4 May 2021, organisers said."


def day(iso: str) -> DateRange:
    return DateRange(start=iso, end=iso, precision="day")


def place(name: str, lat: float, lon: float, country: str = "IQ", **fields: object) -> Location:
    values: dict[str, object] = {
        "name": name, "canonical": name, "key": f"test:{name.lower()}", "lat": lat,
        "lon": lon, "country": country, "admin1": "Anbar", "precision": 1,
    }  # fmt: skip
    return Location(**{**values, **fields})  # type: ignore[arg-type]


HIT = place("Hit", 33.64, 42.83)
RAMADI = place("<b>Ramadi</b>", 33.42, 43.30)
KANSAS = place("Kansas City", 39.10, -94.58, country="US", admin1="Missouri")


def document(text: str, **fields: object) -> Document:
    values: dict[str, object] = {"source": f"corpus/{content_id(text)}.txt", "format": "text"}
    return Document(id=content_id(text), text=text, **{**values, **fields})  # type: ignore[arg-type]


COURIER = document(COURIER_TEXT, title="Clashes near Hit", publisher="Valley Courier",
                   published="2021-05-03", published_precision="day")  # fmt: skip
HERALD = document(HERALD_TEXT, title="Twelve killed outside Hit", publisher="River Herald",
                  published="2021-05-04", published_precision="day")  # fmt: skip
ECHO = document(ECHO_TEXT, title="Council repeats its estimate", publisher="Plains Post",
                published="2021-05-09", published_precision="day")  # fmt: skip
HOSTILE = document(XSS_SENTENCE, title=XSS_TITLE, publisher=XSS_PUBLISHER, source=XSS_SOURCE,
                   author=XSS_ACTOR, published="2021-06-11", published_precision="day")  # fmt: skip
WEB = document(WEB_TEXT, title="Blast reported", source="https://news.example.org/blast")
FAR = document(FAR_TEXT, title="Rally", publisher="Midwest Daily", published="2021-05-05",
               published_precision="day")  # fmt: skip


def event(doc: Document, n: int, **fields: object) -> Event:
    values: dict[str, object] = {
        "id": f"{doc.id}-e{n}", "doc_id": doc.id, "event_type": "Battles",
        "sub_event_type": "Armed clash", "text": doc.text.split(". ")[0], "span": (0, 40),
        "confidence": 0.6,
    }  # fmt: skip
    return Event(**{**values, **fields})  # type: ignore[arg-type]


def fighters(doc: Document, n: int, value: float, source: str, **fields: object) -> Claim:
    values: dict[str, object] = {
        "id": f"{doc.id}-c{n}", "doc_id": doc.id, "subject": "fighters",
        "subject_text": "militants", "value_low": value, "value_high": value, "unit": "count",
        "quantity_text": str(int(value)), "quantity_span": (0, 3), "text": doc.text,
        "span": (0, len(doc.text)), "actor": "Islamic State", "places": (HIT,),
        "as_of": day("2021-05-02"), "attributed_to": source,
    }  # fmt: skip
    return Claim(**{**values, **fields})  # type: ignore[arg-type]


def mention(doc: Document, kind: str, canonical: str, location: Location | None = None) -> Mention:
    return Mention(doc_id=doc.id, kind=kind, text=canonical, start=0, end=len(canonical),  # type: ignore[arg-type]
                   canonical=canonical, location=location)  # fmt: skip


COURIER_CLASH = event(COURIER, 1, actor1="Islamic State", actor2="Military Forces of Iraq",
                      location=HIT, date=day("2021-05-02"), fatalities=9)  # fmt: skip
HERALD_CLASH = event(HERALD, 1, actor1="Islamic State", location=HIT, date=day("2021-05-02"),
                     fatalities=12, confidence=0.8)  # fmt: skip
HOSTILE_SHELLING = event(
    HOSTILE, 1, event_type="Explosions/Remote violence",
    sub_event_type="Shelling/artillery/missile attack", actor1=XSS_ACTOR, location=RAMADI,
    date=day("2021-06-10"), text=XSS_SENTENCE,
)  # fmt: skip
ECHO_ARRESTS = event(ECHO, 1, event_type="Strategic developments", sub_event_type="Arrests",
                     actor1="Military Forces of Iraq", location=HIT, date=day("2021-05-08"),
                     arrested=3)  # fmt: skip
WEB_BLAST = event(WEB, 1, event_type="Explosions/Remote violence",
                  sub_event_type="Remote explosive/landmine/IED")  # fmt: skip
FAR_RALLY = event(FAR, 1, event_type="Protests", sub_event_type="Peaceful protest",
                  location=KANSAS, date=DateRange(start="2021-05-01", end="2021-05-31",
                                                  precision="month"))  # fmt: skip


def build_store(path: Path) -> Store:
    """The test corpus in a fresh SQLite store, corroboration included."""
    store = Store.open(f"sqlite:///{path}")
    analyses: list[tuple[Document, list[Event], list[Mention], list[Claim]]] = [
        (COURIER, [COURIER_CLASH],
         [mention(COURIER, "actor", "Islamic State"), mention(COURIER, "place", "Hit", HIT)],
         [fighters(COURIER, 1, 200, "provincial council")]),
        (HERALD, [HERALD_CLASH],
         [mention(HERALD, "actor", "Islamic State"), mention(HERALD, "place", "Hit", HIT),
          mention(HERALD, "actor", "Military Forces of Iraq")],
         [fighters(HERALD, 1, 900, "army officers")]),
        (ECHO, [ECHO_ARRESTS], [mention(ECHO, "place", "Hit", HIT)],
         [fighters(ECHO, 1, 200, "provincial council")]),
        (HOSTILE, [HOSTILE_SHELLING],
         [mention(HOSTILE, "actor", XSS_ACTOR), mention(HOSTILE, "place", RAMADI.name, RAMADI)],
         []),
        (WEB, [WEB_BLAST], [], []),
        (FAR, [FAR_RALLY], [mention(FAR, "place", "Kansas City", KANSAS)], []),
    ]  # fmt: skip
    for doc, events, mentions, claims in analyses:
        store.add_document(doc, signature=None, run_id="test")
        store.add_analysis(doc.id, events, mentions, claims, version="test")
    store.set_corroboration({
        (COURIER.id, COURIER_CLASH.id): ("clash-hit", (HERALD.id,)),
        (HERALD.id, HERALD_CLASH.id): ("clash-hit", (COURIER.id,)),
    })  # fmt: skip
    return store


def test_merged_events_are_one_event_per_happening(tmp_path: Path) -> None:
    data = report_data(build_store(tmp_path / "r.db"))
    assert data["summary"]["events"] == 6
    assert data["summary"]["merged_events"] == len(data["events"]) == 5
    (clash,) = [e for e in data["events"] if e["corroborated"]]
    assert clash["reports"] == 2 and set(clash["doc_ids"]) == {COURIER.id, HERALD.id}
    assert (clash["fatalities"], clash["fatalities_reported"]) == (9, [9, 12])
    assert {s["outlet"] for s in clash["sources"]} == {"Valley Courier", "River Herald"}
    assert data["summary"]["corroborated"] == 1


def test_events_are_in_date_order_undated_last(tmp_path: Path) -> None:
    data = report_data(build_store(tmp_path / "r.db"))
    starts = [e["date"]["start"] for e in data["events"]]
    assert starts == ["2021-05-01", "2021-05-02", "2021-05-08", "2021-06-10", None]


def test_the_map_shows_located_events_and_leaves_far_ones_out(tmp_path: Path) -> None:
    store = build_store(tmp_path / "r.db")
    merged = merge_stored(store.iter_events())
    drawn = map_data(merged)
    ids = {f["id"] for f in drawn["features"]}
    far = next(m.id for m in merged if m.event.doc_id == FAR.id)
    blast = next(m.id for m in merged if m.event.doc_id == WEB.id)
    assert drawn["outside"] == [far]
    assert blast not in ids and far not in ids and len(ids) == 3
    layers = drawn["basemap"]["layers"]
    assert layers["land"] and layers["admin1"] and layers["lakes"], "provinces, lakes around Hit"
    projection = drawn["basemap"]["projection"]
    for feature in drawn["features"]:
        x = (feature["lon"] - projection["west"]) * projection["kx"]
        y = (projection["north"] - feature["lat"]) * projection["ky"]
        assert 0 <= x <= drawn["basemap"]["width"] and 0 <= y <= drawn["basemap"]["height"]


def test_the_timeline_counts_a_corroborated_event_once(tmp_path: Path) -> None:
    merged = merge_stored(build_store(tmp_path / "r.db").iter_events())
    timeline = timeline_data(merged)
    months = {row["key"]: row["counts"] for row in timeline["counts"]["month"]}
    assert months["2021-05"] == {"Battles": 1, "Protests": 1, "Strategic developments": 1}
    assert months["2021-06"] == {"Explosions/Remote violence": 1}
    assert timeline["undated"] == 1
    assert timeline["too_coarse"] == {"week": 1, "month": 0}
    assert timeline["periods"]["month"] == ["2021-05", "2021-06"]
    assert timeline["default_period"] == "week"
    assert len(timeline["events"]) == 5


def test_sources_are_numbered_and_only_web_addresses_are_links(tmp_path: Path) -> None:
    data = report_data(build_store(tmp_path / "r.db"))
    docs = {d["id"]: d for d in data["documents"]}
    assert [d["n"] for d in data["documents"]] == list(range(1, 7))
    assert docs[HOSTILE.id]["href"] is None
    assert docs[HOSTILE.id]["source"] == XSS_SOURCE  # shown as text
    assert docs[WEB.id]["href"] == "https://news.example.org/blast"
    assert docs[WEB.id]["date"] == "undated"
    assert data["documents"][-1]["id"] == WEB.id, "undated documents come last"


def test_document_href_refuses_every_scheme_but_http() -> None:
    def doc(source: str, url: str | None = None) -> Document:
        return Document(id="x", source=source, text="", format="text", url=url)

    assert document_href(doc("https://a.example/x")) == "https://a.example/x"
    assert document_href(doc("files/a.html", url="http://a.example/")) == "http://a.example/"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>x</b>",
                "vbscript:x", "file:///etc/passwd", "//evil.example/x", "http://",
                'http://a.example/"onmouseover=x', "folder/page.html"):  # fmt: skip
        assert document_href(doc(bad)) is None, bad


def test_filters_offer_the_actors_places_and_period_present(tmp_path: Path) -> None:
    data = report_data(build_store(tmp_path / "r.db"))
    filters = data["filters"]
    assert {"Islamic State", "Military Forces of Iraq", XSS_ACTOR} <= set(filters["actors"])
    assert {"Hit", "Anbar", "Iraq", "Kansas City", "United States"} <= set(filters["places"])
    assert (filters["from"], filters["to"]) == ("2021-05-01", "2021-06-10")
    assert [t["name"] for t in data["types"]] == [
        "Battles", "Explosions/Remote violence", "Protests", "Strategic developments",
    ]  # fmt: skip


def test_actors_and_places_tables_count_documents_and_events(tmp_path: Path) -> None:
    data = report_data(build_store(tmp_path / "r.db"))
    actors = {a["name"]: a for a in data["actors"]}
    assert actors["Islamic State"]["doc_ids"] == [COURIER.id, HERALD.id]
    assert actors["Islamic State"]["events"] == 1  # the merged clash, once
    assert actors["Military Forces of Iraq"]["events"] == 2
    hit = next(p for p in data["places"] if p["name"] == "Hit")
    assert (hit["mentions"], hit["events"], hit["country"]) == (3, 2, "Iraq")
    assert set(hit["doc_ids"]) == {COURIER.id, HERALD.id, ECHO.id}


def test_ledger_view_numbers_rows_and_adds_filter_fields(tmp_path: Path) -> None:
    ledger = report_data(build_store(tmp_path / "r.db"))["ledger"]
    entries = [entry for group in ledger["groups"] for entry in group["entries"]]
    assert sorted(e["value_text"] for e in entries) == ["200", "900"]
    echoed = next(e for e in entries if e["value_text"] == "200")
    assert echoed["echoes"] == 2 and echoed["places"] == ["Hit", "Anbar", "Iraq"]
    assert (echoed["start"], echoed["end"], echoed["as_of_text"]) == (
        "2021-05-02", "2021-05-02", "2021-05-02",
    )  # fmt: skip
    assert sorted(e["n"] for e in entries) == [1, 2]


def test_the_title_defaults_to_the_countries_and_months_of_the_data(tmp_path: Path) -> None:
    data = report_data(build_store(tmp_path / "r.db"))
    assert data["title"] == "Iraq and United States, May 2021 – June 2021"
    assert report_data(Store.open(f"sqlite:///{tmp_path / 'e.db'}"))["title"] == "ember report"


def test_report_data_is_plain_json(tmp_path: Path) -> None:
    data = report_data(build_store(tmp_path / "r.db"), title="Anbar, May 2021")
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data["title"] == "Anbar, May 2021"


def test_an_empty_store_gives_empty_views(tmp_path: Path) -> None:
    data = report_data(Store.open(f"sqlite:///{tmp_path / 'empty.db'}"))
    assert data["events"] == [] and data["documents"] == [] and data["brief"] == []
    assert data["map"]["basemap"] is None
    assert data["timeline"]["periods"] == {"week": [], "month": []}
    assert data["summary"]["merged_events"] == 0


def test_marker_radius_grows_by_area_within_bounds() -> None:
    assert marker_radius(None) == marker_radius(0) == 4.0
    assert marker_radius(1) < marker_radius(9) < marker_radius(100)
    # area, not radius, is proportional: 4x the deaths, about 2x the radius added
    assert abs((marker_radius(100) - 4) / (marker_radius(25) - 4) - 2) < 0.05
    assert marker_radius(10**6) == 28.0


def test_every_acled_type_has_its_own_colour() -> None:
    names = ["Battles", "Explosions/Remote violence", "Violence against civilians",
             "Protests", "Riots", "Strategic developments"]  # fmt: skip
    assert len({type_colour(name) for name in names}) == 6
    assert type_colour("Something else") not in {type_colour(name) for name in names}
    assert event_types([]) == []


def test_an_event_known_only_to_its_province_carries_its_precision() -> None:
    from ember.report.views import event_record

    doc = document("Shelling hit the Anbar countryside. More text follows here.")
    anbar = place("Anbar", 33.3, 42.0, precision=3)
    merged = merge_stored([event(doc, 1, location=anbar, date=day("2021-06-01"))])
    (record,) = [event_record(m, {doc.id: doc}) for m in merged]
    assert record["precision"] == 3
    town = merge_stored([event(doc, 2, location=HIT, date=day("2021-06-01"))])
    assert event_record(town[0], {doc.id: doc})["precision"] == 1


def test_local_sources_are_shown_relative_to_the_folder_ingested(tmp_path: Path) -> None:
    root = "/home/analyst/cases/hit"
    with Store.open(f"sqlite:///{tmp_path / 'rel.db'}") as store:
        for doc, folder in ((COURIER, "may"), (HERALD, "june")):
            source = f"{root}/{folder}/{doc.id}.txt"
            store.add_document(replace(doc, source=source), signature=None, run_id="test")
        store.add_document(WEB, signature=None, run_id="test")
        shown = {d["id"]: d["source"] for d in report_data(store)["documents"]}
        assert shown[COURIER.id] == f"may/{COURIER.id}.txt"
        assert shown[HERALD.id] == f"june/{HERALD.id}.txt"
        assert shown[WEB.id] == WEB.source  # a URL as given
        assert root not in build_report(store)
