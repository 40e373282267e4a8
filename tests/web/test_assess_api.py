"""``/api/assess`` and ``/assess``: the JSON contract of issue 13 (what ``ember assess
--format json`` prints), the CLI's filters, clear 4xx errors (a bad filter is a 400, no
events for the actor a 404 with code ``no_events``), the OpenAPI entry, and the page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ember.assess import AssessFilters, assess, assessment_json
from ember.store import Store
from ember.web import create_app
from tests.report.test_assessment_section import HOSTILE_SOURCE, fill
from tests.report.test_html import Page

CONTRACT = {
    "actor": None,
    "scope": {"country", "admin1"},
    "period": {"since", "until", "baseline_since", "baseline_until"},
    "verdict": {"level", "trend", "confidence", "summary"},
    "indicators": {"name", "value", "baseline", "change", "unit", "evidence"},
    "regions": {"country", "admin1", "events", "fatalities", "baseline_events"},
    "monthly": {"month", "events", "fatalities"},
    "capabilities": {"subject", "low", "high", "as_of", "sources", "conflict"},
    "judgments": {"text", "cites"},
    "statements": {"text", "source", "stance", "hedge", "date", "doc_id"},
}


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('assess-web') / 'web.db'}"
    with Store.open(url) as store:
        fill(store)
    return url


@pytest.fixture(scope="module")
def assessed(db_url: str) -> Iterator[TestClient]:
    """The app over the store of ``fill`` (the conftest's ``client`` is the hostile one)."""
    with TestClient(create_app(db_url), raise_server_exceptions=False) as test_client:
        yield test_client


def _ok(client: TestClient, query: str = "") -> dict[str, object]:
    response = client.get(f"/api/assess{query}")
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def _error(client: TestClient, query: str, status: int) -> dict[str, object]:
    response = client.get(f"/api/assess{query}")
    assert response.status_code == status, response.text
    error: dict[str, object] = response.json()["error"]
    assert error["status"] == status
    assert "\n" not in str(error["message"]) and "Traceback" not in str(error["message"])
    return error


def test_the_api_answers_the_contract_of_ember_assess(assessed: TestClient, db_url: str) -> None:
    body = _ok(assessed)
    for key, fields in CONTRACT.items():
        assert key in body, key
        value = body[key]
        if fields is None:
            continue
        rows = value if isinstance(value, list) else [value]
        assert rows, key
        for row in rows:
            assert fields <= set(row), (key, fields - set(row))  # type: ignore[arg-type]
    with Store.open(db_url) as store:
        expected = assessment_json(assess(store, AssessFilters()))
    assert body == json.loads(json.dumps(expected)), "the API adds and recomputes nothing"
    assert all(j["cites"] for j in body["judgments"])  # type: ignore[attr-defined, index]


def test_the_filters_are_the_cli_s(assessed: TestClient) -> None:
    one = _ok(assessed, "?country=Iraq")
    assert one["scope"] == {"country": "Iraq", "countries": ["IQ"], "admin1": None}
    assert _ok(assessed, "?country=Iraq&country=Syria")["scope"]["countries"] == ["IQ", "SY"]  # type: ignore[index]
    assert _ok(assessed, "?country=iraq,%20SY")["scope"]["countries"] == ["IQ", "SY"]  # type: ignore[index]
    nineveh = _ok(assessed, "?admin1=Nineveh&statements=false")
    assert {r["admin1"] for r in nineveh["regions"]} == {"Nineveh"}  # type: ignore[attr-defined, index]
    window = _ok(assessed, "?since=2020-06&until=2020-11&statements=false")
    assert window["period"] == {
        "since": "2020-06-01",
        "until": "2020-11-30",
        "baseline_since": "2019-12-01",
        "baseline_until": "2020-05-31",
    }
    assert len(window["monthly"]) == 6  # type: ignore[arg-type]
    base = _ok(assessed, "?baseline=2019&statements=false")["period"]
    assert (base["baseline_since"], base["baseline_until"]) == ("2019-01-01", "2019-12-31")  # type: ignore[index]
    none = _ok(assessed, "?baseline=none&statements=false")["period"]
    assert none["baseline_since"] is None  # type: ignore[index]
    assert _ok(assessed, "?actor=ISIS&statements=false")["actor"] == "Islamic State"
    assert _ok(assessed, "?actor=all&statements=false")["actor"] == "all"
    blank = _ok(assessed, "?actor=&country=&since=&baseline=&statements=false")
    assert blank["actor"] == "Islamic State" and blank["scope"]["countries"] == []  # type: ignore[index]
    assert _ok(assessed, "?statements=false")["statements"] == []


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("?since=2020-13", "not a date"),
        ("?until=soon", "not a date"),
        ("?country=Narnia", "not a country ember knows: 'Narnia'"),
        ("?baseline=2020..2019", "the baseline ends before it starts"),
        ("?since=2020-10&until=2020-02", "is before"),
    ],
)
def test_a_bad_filter_is_a_400_that_says_which(
    assessed: TestClient, query: str, words: str
) -> None:
    error = _error(assessed, query, 400)
    assert error["code"] == "bad_request" and words in str(error["message"])


def test_no_events_for_the_actor_is_a_404(assessed: TestClient) -> None:
    error = _error(assessed, "?actor=Nobody%20At%20All", 404)
    assert error["code"] == "no_events"
    assert str(error["message"]).startswith("no events for 'Nobody At All'")
    assert "Islamic State (" in str(error["message"]), "it names the actors that have events"
    assert _error(assessed, "?admin1=Basra", 404)["code"] == "no_events"


def test_an_over_long_value_is_a_422(assessed: TestClient) -> None:
    assert _error(assessed, f"?actor={'x' * 201}", 422)["code"] == "invalid"


def test_an_empty_store_has_nothing_to_assess(tmp_path: Path) -> None:
    with TestClient(create_app(f"sqlite:///{tmp_path / 'e.db'}")) as empty:
        response = empty.get("/api/assess")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "no_events"
        page = empty.get("/assess")
        assert page.status_code == 404 and "no events for" in page.text


def test_the_openapi_schema_documents_the_contract(assessed: TestClient) -> None:
    schema = assessed.get("/openapi.json").json()
    operation = schema["paths"]["/api/assess"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"actor", "country", "admin1", "since", "until", "baseline", "statements"} <= names
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    model = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(CONTRACT) <= set(model["properties"])
    assert {"400", "404", "422"} <= set(operation["responses"])
    verdict = schema["components"]["schemas"]["AssessVerdictOut"]
    assert {"level", "trend", "confidence", "summary"} <= set(verdict["required"])


def test_the_page_shows_the_assessment_with_links_to_its_documents(assessed: TestClient) -> None:
    body = _ok(assessed)
    response = assessed.get("/assess")
    assert response.status_code == 200
    page = response.text
    assert 'href="/assess" class="active" aria-current="page"' in page
    summary = body["verdict"]["summary"]  # type: ignore[index]
    assert f'<p class="verdict-summary">{summary}</p>' in page
    judgments = re.findall(r'<li data-kind="[^"]+">(.*?)</li>', page, re.S)
    assert len(judgments) == len(body["judgments"])  # type: ignore[arg-type]
    for item in judgments:
        links = re.findall(r'<a class="cite" href="/documents/([0-9a-f]+)">\[(\d+)\]</a>', item)
        assert links, item
        numbers = [int(n) for _, n in links]
        assert numbers == sorted(numbers)
    cited = {d for j in body["judgments"] for d in j["cites"]}  # type: ignore[attr-defined, index]
    for doc_id in sorted(cited)[:3]:
        assert assessed.get(f"/documents/{doc_id}").status_code == 200
    assert '<polyline class="spark-line"' in page
    assert 'id="capabilities"' in page and 'id="judgments-ledger"' in page
    assert '<link rel="stylesheet" href="/static/report/assess.css">' in page
    assert assessed.get("/static/report/assess.css").status_code == 200
    assert "<script>alert" not in page and HOSTILE_SOURCE not in page
    assert " style=" not in page, "the policy forbids inline styles"
    assert 'href="/api/assess"' in page


def test_the_page_keeps_the_filters_and_says_what_is_wrong(assessed: TestClient) -> None:
    kept = assessed.get("/assess", params={"country": "Iraq", "baseline": "none"})
    assert kept.status_code == 200
    assert 'name="country" value="Iraq"' in kept.text
    assert 'href="/api/assess?country=Iraq&amp;baseline=none"' in kept.text
    bad = assessed.get("/assess", params={"since": "<b>then</b>"})
    assert bad.status_code == 400
    assert "not a date" in bad.text and "<b>then</b>" not in bad.text
    assert 'id="assess-filters"' in bad.text
    nobody = assessed.get("/assess", params={"actor": "Nobody"})
    assert nobody.status_code == 404
    assert "no events for &#39;Nobody&#39;" in nobody.text
    assert 'name="actor" value="Nobody"' in nobody.text


@pytest.mark.parametrize("actor", ["all", "wolves"])
def test_hostile_strings_stay_text_on_the_page(client: TestClient, actor: str) -> None:
    """The conftest's corpus, whose hostile document names its actor in markup."""
    response = client.get("/assess", params={"actor": actor})
    assert response.status_code == 200, response.text
    html = response.text
    assert "<script>alert" not in html and "<b>Night Wolves</b>" not in html
    drawn = {"svg", "polyline", "polygon", "circle", "title"}
    tags = Page(html).tags
    assert {t for t, _ in tags} & {
        "img",
        "iframe",
        "object",
        "embed",
        "b",
        "i",
        "u",
        "base",
    } == set()
    assert all(a.get("class") == "spark" for t, a in tags if t == "svg")
    assert not [(t, k) for t, a in tags for k in a if k.lower().startswith("on")]
    assert not [t for t, a in tags if t == "script" and "src" not in a]
    assert drawn - {"title"} <= {t for t, _ in tags}
    assert client.get("/api/assess", params={"actor": actor}).status_code == 200
