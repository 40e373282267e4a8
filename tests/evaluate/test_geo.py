"""The geo harness on small fixtures of both gold schemas (texts written for these tests)."""

from pathlib import Path

import pytest

from ember.evaluate.geo import evaluate_geo, format_geo_table, read_gold

_TEXT = "Aid reached Mosul on Monday. Later, convoys left Baghdad for Basra."

_GWN = f"""<?xml version="1.0" ?>
<articles>
  <article file="0">
    <title>t</title>
    <text>{_TEXT}</text>
    <toponyms>
      <toponym><extractedName>Mosul</extractedName><type>Literal</type>
        <start>12</start><end>17</end><geonamesID>99072</geonamesID>
        <latitude>36.335</latitude><longitude>43.119</longitude></toponym>
      <toponym><extractedName>Baghdad</extractedName><type>Literal</type>
        <start>49</start><end>56</end><geonamesID>98182</geonamesID>
        <latitude>33.341</latitude><longitude>44.401</longitude></toponym>
      <toponym><extractedName>convoys</extractedName><type>Literal_Expression</type>
        <start>36</start><end>43</end><geonamesID/><latitude/><longitude/></toponym>
    </toponyms>
  </article>
</articles>
"""

_TR = f"""<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1">
    <text><![CDATA[{_TEXT}]]></text>
    <toponyms>
      <toponym><phrase>Mosul</phrase><start>13</start><end>18</end>
        <gaztag geonameid="99072"><name>Mosul</name><lat>36.335</lat><lon>43.119</lon></gaztag>
      </toponym>
      <toponym><phrase>Basra</phrase><start>61</start><end>66</end>
        <gaztag geonameid="99532"><name>Basra</name><lat>30.508</lat><lon>47.783</lon></gaztag>
      </toponym>
    </toponyms>
  </article>
</articles>
"""


@pytest.fixture
def gwn(tmp_path: Path) -> Path:
    path = tmp_path / "gwn.xml"
    path.write_text(_GWN, encoding="utf-8")
    return path


@pytest.fixture
def tr_news(tmp_path: Path) -> Path:
    path = tmp_path / "tr.xml"
    path.write_text(_TR, encoding="utf-8")
    return path


def test_gwn_gold_keeps_toponyms_with_coordinates(gwn: Path) -> None:
    (article,) = read_gold(gwn)
    assert [t.name for t in article.toponyms] == ["Mosul", "Baghdad"]
    assert article.toponyms[0].geonameid == 99072
    assert article.text[12:17] == "Mosul"


def test_tr_news_gold_offsets_are_realigned(tr_news: Path) -> None:
    (article,) = read_gold(tr_news)
    mosul, basra = article.toponyms
    assert (mosul.start, mosul.end) == (12, 17)  # the file said 13..18
    assert article.text[basra.start : basra.end] == "Basra"
    assert basra.lat == pytest.approx(30.508)


@pytest.mark.slow
@pytest.mark.parametrize("fixture", ["gwn", "tr_news"])
def test_evaluate_geo_reports_the_readme_keys(fixture: str, request: pytest.FixtureRequest) -> None:
    result = evaluate_geo(request.getfixturevalue(fixture))
    assert result["suite"] == "geo" and result["n"] == 1
    metrics = result["metrics"]
    assert set(metrics) == {
        "precision",
        "recall",
        "f1",
        "acc161",
        "geonameid_match",
        "median_km",
        "e2e_acc161",
    }
    assert metrics["recall"] == 1.0
    assert metrics["acc161"] == 1.0
    assert "acc@161km" in format_geo_table(result)


def test_limit_and_bad_file(tmp_path: Path, gwn: Path) -> None:
    from ember.errors import ConfigError

    bad = tmp_path / "bad.xml"
    bad.write_text("<articles><article>", encoding="utf-8")
    with pytest.raises(ConfigError):
        read_gold(bad)
    assert evaluate_geo(gwn, limit=0, nlp_factory=lambda: None)["n"] == 0  # type: ignore[arg-type,return-value]
