"""The report's opening section, the threat assessment: what ``ember assess`` says of the
store (verdict, key judgments, indicator cards with sparklines, the capability table,
the judgments ledger), every citation a link into the report's sources list, hostile
text escaped, and a report that still writes when there is nothing to assess."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ember.assess import AssessFilters, Assessment, assess
from ember.report.assessment import SPARK_HEIGHT, SPARK_WIDTH, spark
from ember.report.html import render_report, write_report
from ember.report.views import report_data
from ember.store import Store
from tests.assess.stores import GROUP, MOSUL, RAMADI, Happening, add_report, monthly_days
from tests.report.test_html import Page

HOSTILE_SOURCE = "<script>alert('source')</script> officials"
JUDGMENT = "Officials said on Monday that <b>the group</b> remains a serious threat to the region."
Built = tuple[str, dict[str, Any], Assessment, Store]


def _events(store: Store, days: list[str], where: Any) -> None:
    for n, day in enumerate(days):
        text = f"Dispatch {n} of {day} from {where.name}: militants set off a roadside bomb."
        add_report(store, text, published=day, events=[Happening(day=day, where=where)])


def fill(store: Store) -> None:
    """An insurgent group bombing more often in the last half year and in a new province,
    two estimates of its fighters that conflict, and a judgment that it persists."""
    _events(store, monthly_days(2020, [1, 3, 5, 7, 9, 11], 1), MOSUL)
    _events(store, monthly_days(2020, [2, 4, 6, 8, 10, 12], 3), MOSUL)
    _events(store, monthly_days(2020, [8, 10, 12], 2), RAMADI)
    add_report(
        store,
        "Intelligence estimates put the group at 15,000 to 20,000 fighters.",
        published="2020-11-02",
        publisher="Capital Times",
        claims=[{"subject": "fighters", "low": 15000, "high": 20000, "as_of": "2020-11-01",
                 "source": "US intelligence"}],
    )  # fmt: skip
    add_report(
        store,
        "Local officials counted no more than 900 fighters of the group.",
        published="2020-11-03",
        publisher="Valley Courier",
        claims=[{"subject": "fighters", "low": 900, "as_of": "2020-11-01",
                 "source": HOSTILE_SOURCE}],
    )  # fmt: skip
    add_report(
        store,
        JUDGMENT,
        published="2020-12-14",
        publisher="River Herald",
        mentions=[("actor", GROUP, None)],
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('assess') / 'r.db'}")
    fill(store)
    data = report_data(store)
    return render_report(data, generated="2021-01-05"), data, assess(store, AssessFilters()), store


def _section(html: str) -> str:
    start = html.index('<section id="assessment"')
    return html[start : html.index("</section>", start)]


def _cited(fragment: str) -> list[str]:
    return re.findall(r'<a class="cite" href="#doc-([0-9a-f]+)">\[\d+\]</a>', fragment)


def test_the_report_opens_with_the_threat_assessment(built: Built) -> None:
    html, data, _, _ = built
    main = html[html.index("<main") :]
    assert main.index('<section id="assessment"') < main.index(
        "<section", 1 + main.index("<section")
    )
    assert re.search(r'<nav class="toc[^>]*>\s*<a href="#assessment">Threat assessment</a>', html)
    assert data["assessment"]["available"] is True


def test_verdict_and_key_judgments_are_ember_assess_and_cite_the_sources(built: Built) -> None:
    html, data, result, _ = built
    section = _section(html)
    verdict = result.verdict
    assert f'<p class="verdict-summary">{verdict.summary}</p>' in section
    for term, value in (("level", verdict.level), ("trend", verdict.trend),
                        ("confidence", verdict.confidence)):  # fmt: skip
        assert f'<dd class="verdict-{term}">{value}</dd>' in section
    items = re.findall(r'<li data-kind="[^"]+">(.*?)</li>', section, re.S)
    assert len(items) == len(result.judgments) >= 3
    ids = Page(html).ids
    numbers = {doc["id"]: doc["n"] for doc in data["documents"]}
    for item, judgment in zip(items, result.judgments, strict=True):
        cited = _cited(item)
        assert cited and set(cited) == set(judgment.cites), item
        assert all(f"doc-{doc_id}" in ids for doc_id in cited)
        shown = [int(n) for n in re.findall(r">\[(\d+)\]</a>", item)]
        assert shown == sorted(numbers[d] for d in cited), "the sources list's numbers, in order"


def test_indicator_cards_draw_the_monthly_series(built: Built) -> None:
    html, _, result, _ = built
    section = _section(html)
    names = re.findall(r'<div class="indicator-card" data-indicator="([^"]+)">', section)
    assert names == [i.name for i in result.indicators]
    card = section[
        section.index('data-indicator="tempo"') : section.index('data-indicator="fatalities"')
    ]
    (points,) = re.findall(r'<polyline class="spark-line" points="([^"]+)"', card)
    assert len(points.split()) == len(result.monthly) == 12
    events = ", ".join(str(m.events) for m in result.monthly)
    assert f'aria-label="events a month, {result.monthly[0].month} to ' in card
    assert events in card
    assert _cited(card), "a card cites the documents of its evidence"
    tags = {tag for tag, _ in Page(section).tags}
    assert tags & {"script", "img", "image", "foreignobject", "use"} == set()


def test_the_capability_table_lists_every_source_and_flags_the_conflict(built: Built) -> None:
    html, _, result, _ = built
    section = _section(html)
    table = section[section.index('<table class="data capabilities"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr data-subject="([^"]+)"', table)
    assert rows == [c.subject for c in result.capabilities]
    fighters = next(c for c in result.capabilities if c.subject == "fighters")
    assert fighters.conflict and 'class="flag flag-conflict">CONFLICT<' in table
    assert fighters.as_of in table
    cited = set(_cited(table))
    assert {d for s in fighters.sources for d in s.doc_ids} <= cited
    assert "US intelligence" in table
    assert "&lt;script&gt;alert(&#39;source&#39;)&lt;/script&gt; officials" in table


def test_the_judgments_ledger_has_source_stance_hedge_and_date(built: Built) -> None:
    html, _, result, _ = built
    section = _section(html)
    ledger = section[section.index('id="judgments-ledger"') :]
    (statement,) = [s for s in result.statements if "serious threat" in s.text]
    row = ledger[ledger.index(f'<tr data-stance="{statement.stance}">') :]
    row = row[: row.index("</tr>")]
    assert statement.stance == "persisting"
    assert "2020-12-14" in row and (statement.source or statement.outlet) in row
    assert "&lt;b&gt;the group&lt;/b&gt; remains a serious threat" in row
    assert _cited(row) == [statement.doc_id]


def test_hostile_text_never_becomes_markup(built: Built) -> None:
    html, _, _, _ = built
    for payload in ("<b>the group</b>", "<script>alert('source')"):
        assert payload not in html


def test_the_embedded_data_holds_the_same_view(built: Built) -> None:
    html, data, result, _ = built
    view = data["assessment"]
    assert view["verdict"]["summary"] == result.verdict.summary
    assert [c["name"] for c in view["cards"]] == [i.name for i in result.indicators]
    assert '"assessment":{"available":true' in html


def test_no_events_the_section_says_so_and_the_report_writes(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'empty.db'}")
    summary = write_report(store, tmp_path / "report.html")
    html = (tmp_path / "report.html").read_text("utf-8")
    assert summary.bytes_written > 0
    section = _section(html)
    assert "No threat assessment: no events for" in section
    assert "verdict" not in section and "<svg" not in section


def test_events_of_no_armed_group_say_whose_events_there_are(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'quiet.db'}")
    march = Happening(day="2021-03-01", event_type="Protests", sub_event="Peaceful protest",
                      actor1="Protesters (Iraq)", actor2=None, inter1=6, inter2=None)  # fmt: skip
    add_report(store, "Hundreds marched through Mosul on Monday.", published="2021-03-01",
               events=[march])  # fmt: skip
    section = _section(render_report(report_data(store), generated="2021-03-02"))
    assert "No threat assessment: no events for" in section
    assert "Protesters (Iraq) (1)" in section


def test_spark_points_fit_the_box() -> None:
    drawn = spark(
        [0, 2, 1, 4], what="events a month", months=["2021-01", "2021-02", "2021-03", "2021-04"]
    )
    assert drawn is not None
    points = [tuple(map(float, p.split(","))) for p in drawn["points"].split()]
    assert len(points) == 4
    assert all(0 <= x <= SPARK_WIDTH and 0 <= y <= SPARK_HEIGHT for x, y in points)
    assert points[3][1] < points[1][1] < points[2][1] < points[0][1], "higher is up"
    assert drawn["label"] == "events a month, 2021-01 to 2021-04: 0, 2, 1, 4"
    assert drawn["peak"] == "4"
    flat = spark([0, 0, 0], what="x", months=["a", "b", "c"])
    assert flat is not None and {p.split(",")[1] for p in flat["points"].split()} == {
        f"{SPARK_HEIGHT - 2:g}"
    }
    assert spark([3], what="x", months=["a"]) is None
