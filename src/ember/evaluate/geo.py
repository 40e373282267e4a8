"""The geo suite: how well ember finds toponyms in news text and where it puts them.

Gold files, two XML schemas (told apart per toponym):

- GeoWebNews (``GWN.xml``): ``article/text`` and ``toponym`` with ``extractedName``,
  ``start``, ``end``, ``geonamesID``, ``latitude``, ``longitude``. Its toponyms without
  coordinates are the annotators' non-toponyms and place expressions ("backyard",
  "Nigerian Army"), not places: they are not gold;
- TR-News / LGL (``TR-News.xml``): ``toponym`` with ``phrase``, ``start``, ``end`` and
  ``gaztag[@geonameid]`` holding ``lat``, ``lon``; every toponym is gold, those without
  coordinates only for recognition.

Where a gold offset is off by a few characters (TR-News has some), the span is moved to
where the gold name is written nearby.

Metrics (``../shared/eval/README.md``): recognition precision, recall and F1 of spans (a
predicted span counts when it overlaps a gold span; a gold span is found when a
predicted span overlaps it). Resolution, over gold toponyms with coordinates that were
recognised: acc@161km, GeoNames id match (where the gold has an id) and the median
error in km; a recognised toponym ember cannot resolve counts as wrong, with an error of
half the Earth's circumference. End-to-end acc@161km: correct over all gold toponyms
with coordinates. ``n`` is the number of articles.

What ember predicts is what the pipeline marks as places, plus its place adjectives
("Syrian", "Turkish"): both gold sets annotate those as toponyms of their country. The
figures for places alone are reported too (``places_only``)."""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ConfigError
from ..geo.resolve import haversine_km, resolve_locations
from ..records import Location

__all__ = ["GoldArticle", "GoldToponym", "evaluate_geo", "format_geo_table", "read_gold"]

_ACC_KM = 161.0
_UNRESOLVED_KM = 20037.5
_NEARBY_CHARS = 8


@dataclass(frozen=True, slots=True)
class GoldToponym:
    name: str
    start: int
    end: int
    lat: float | None
    lon: float | None
    geonameid: int | None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    text: str
    toponyms: tuple[GoldToponym, ...]


def read_gold(path: Path) -> list[GoldArticle]:
    """The articles of a GWN or TR-News/LGL file."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    articles = []
    for article in root.iter("article"):
        text = article.findtext("text") or ""
        toponyms = [t for t in map(_toponym, article.iter("toponym")) if t is not None]
        articles.append(GoldArticle(text, tuple(_realign(text, t) for t in toponyms)))
    return articles


def _toponym(node: ET.Element) -> GoldToponym | None:
    if node.find("extractedName") is not None:  # GeoWebNews
        lat, lon = _number(node.findtext("latitude")), _number(node.findtext("longitude"))
        if lat is None or lon is None:
            return None
        name, geonameid = node.findtext("extractedName") or "", node.findtext("geonamesID")
    else:  # TR-News / LGL
        gaztag = node.find("gaztag")
        name = node.findtext("phrase") or ""
        lat = _number(gaztag.findtext("lat")) if gaztag is not None else None
        lon = _number(gaztag.findtext("lon")) if gaztag is not None else None
        geonameid = gaztag.get("geonameid") if gaztag is not None else None
    start, end = _number(node.findtext("start")), _number(node.findtext("end"))
    if start is None or end is None:
        return None
    ident = int(geonameid) if geonameid and geonameid.strip().isdigit() else None
    return GoldToponym(name.strip(), int(start), int(end), lat, lon, ident)


def _number(raw: str | None) -> float | None:
    try:
        return float(raw) if raw is not None and raw.strip() else None
    except ValueError:
        return None


def _realign(text: str, toponym: GoldToponym) -> GoldToponym:
    if not toponym.name or text[toponym.start : toponym.end] == toponym.name:
        return toponym
    window_start = max(0, toponym.start - _NEARBY_CHARS)
    found = text.find(toponym.name, window_start, toponym.end + _NEARBY_CHARS)
    if found < 0:
        return toponym
    return GoldToponym(
        toponym.name,
        found,
        found + len(toponym.name),
        toponym.lat,
        toponym.lon,
        toponym.geonameid,
    )


# ------------------------------------------------------------------------------ predict


def predict(nlp: Language, text: str, *, adjectives: bool = True) -> list[Location]:
    """ember's resolved place mentions of ``text`` (places, and place adjectives)."""
    doc = nlp(text)
    return resolve_locations(_mentions(doc, adjectives=adjectives), text=text)


def _mentions(doc: Doc, *, adjectives: bool) -> list[Location]:
    groups = ["places", "place_adjectives"] if adjectives else ["places"]
    spans = [span for group in groups if group in doc.spans for span in doc.spans[group]]
    spans.sort(key=lambda span: span.start_char)
    return [Location(name=s.text, start=s.start_char, end=s.end_char) for s in spans]


def _load_nlp() -> Language:
    from ..nlp.pipeline import load_pipeline

    return load_pipeline()


# -------------------------------------------------------------------------------- score


@dataclass(slots=True)
class _Tally:
    predicted: int = 0
    predicted_correct: int = 0
    gold: int = 0
    gold_found: int = 0
    with_coordinates: int = 0
    errors_km: list[float] | None = None
    id_gold: int = 0
    id_same: int = 0

    def __post_init__(self) -> None:
        self.errors_km = []

    def add(self, article: GoldArticle, predicted: Sequence[Location]) -> None:
        self.predicted += len(predicted)
        self.predicted_correct += sum(
            any(_overlaps(p, g) for g in article.toponyms) for p in predicted
        )
        for gold in article.toponyms:
            self.gold += 1
            match = _best_overlap(gold, predicted)
            self.gold_found += match is not None
            if gold.lat is None or gold.lon is None:
                continue
            self.with_coordinates += 1
            if match is not None:
                self._score_resolution(gold, match)

    def _score_resolution(self, gold: GoldToponym, match: Location) -> None:
        assert self.errors_km is not None and gold.lat is not None and gold.lon is not None
        if match.lat is None or match.lon is None:
            self.errors_km.append(_UNRESOLVED_KM)
        else:
            self.errors_km.append(haversine_km(gold.lat, gold.lon, match.lat, match.lon))
        if gold.geonameid is not None:
            self.id_gold += 1
            self.id_same += match.geonameid == gold.geonameid

    def metrics(self) -> dict[str, float]:
        errors = self.errors_km or []
        precision = _ratio(self.predicted_correct, self.predicted)
        recall = _ratio(self.gold_found, self.gold)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        correct = sum(e <= _ACC_KM for e in errors)
        return {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "acc161": _ratio(correct, len(errors)),
            "geonameid_match": _ratio(self.id_same, self.id_gold),
            "median_km": statistics.median(errors) if errors else 0.0,
            "e2e_acc161": _ratio(correct, self.with_coordinates),
        }


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _overlaps(location: Location, gold: GoldToponym) -> bool:
    start, end = location.start or 0, location.end or 0
    return start < gold.end and gold.start < end


def _best_overlap(gold: GoldToponym, predicted: Sequence[Location]) -> Location | None:
    best, best_size = None, 0
    for location in predicted:
        size = min(location.end or 0, gold.end) - max(location.start or 0, gold.start)
        if size > best_size:
            best, best_size = location, size
    return best


def evaluate_geo(
    path: Path,
    *,
    limit: int | None = None,
    nlp_factory: Callable[[], Language] = _load_nlp,
) -> dict[str, Any]:
    """Run the geo suite on a GWN or TR-News file; the JSON ``ember eval geo`` prints."""
    articles = read_gold(path)[:limit] if limit is not None else read_gold(path)
    nlp = nlp_factory()
    full, places_only = _Tally(), _Tally()
    for article, predicted in zip(articles, _predictions(nlp, articles), strict=True):
        full.add(article, predicted)
        places_only.add(article, [p for p in predicted if not _is_adjective(p)])
    return {
        "suite": "geo",
        "n": len(articles),
        "metrics": full.metrics(),
        "places_only": places_only.metrics(),
        "gold_toponyms": full.gold,
        "gold_with_coordinates": full.with_coordinates,
        "predicted": full.predicted,
    }


def _predictions(nlp: Language, articles: list[GoldArticle]) -> Iterator[list[Location]]:
    for article in articles:
        yield predict(nlp, article.text)


def _is_adjective(location: Location) -> bool:
    from ..geo.resolve import demonym_target

    return demonym_target(location.name) is not None


def format_geo_table(result: dict[str, Any]) -> str:
    """The figures of ``evaluate_geo`` as a small plain-text table."""
    m = result["metrics"]
    lines = [
        f"geo, {result['n']} articles, {result.get('gold_toponyms', '?')} gold toponyms",
        f"{'':<26}{'precision':>10}{'recall':>10}{'F1':>10}",
        f"{'recognition':<26}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}",
        f"{'acc@161km (recognised)':<26}{m['acc161']:>10.3f}",
        f"{'GeoNames id match':<26}{m['geonameid_match']:>10.3f}",
        f"{'median error (km)':<26}{m['median_km']:>10.1f}",
        f"{'end-to-end acc@161km':<26}{m['e2e_acc161']:>10.3f}",
    ]
    if "places_only" in result:
        p = result["places_only"]
        lines.append(
            f"places only (no adjectives): P {p['precision']:.3f} R {p['recall']:.3f}"
            f" F1 {p['f1']:.3f} acc@161km {p['acc161']:.3f} e2e {p['e2e_acc161']:.3f}"
        )
    return "\n".join(lines)
