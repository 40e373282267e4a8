"""Resolution: from the places one document names to gazetteer entries.

All mentions of a document are resolved together, because an ambiguous name ("Tripoli",
"Paris", "Georgia") is settled by the rest of the document, not by the first hit:

1. every mention gets its candidates (same transliteration key; a candidate that only
   shares the key must also look like the name) and a prior score from the name match,
   the place's kind and its population;
2. the countries in focus are counted from each mention's current pick (first the
   best prior candidate);
3. each mention then takes the candidate with the best score once the share of its
   country in the document's focus and its distance to the other mentions' picks are
   added; steps 2 and 3 run twice.

One name, one sense: the mentions of one name are one place, so they do not count as
context for each other (three "Ras al-Ain" do not vote for the namesake they first
picked). The focus also counts the nationality adjectives of the text ("Syrian
troops"). Names ``not_places.json`` lists are never resolved; outside the countries in
focus only countries, curated entries, regions of several countries, big cities and
sizeable exact namesakes stand; a national capital is what a bare namesake means
unless the context says otherwise."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import cache
from importlib import resources

from ..nlp.fold import ARTICLES, fold
from ..records import GeoPrecision, Location
from .gazetteer import Candidate, Gazetteer, Place, load_gazetteer

__all__ = ["demonym_target", "haversine_km", "resolve_locations"]

_DATA = "ember.data.geo"
# A candidate found only through the transliteration key must look this much like the
# name (similarity of the folded names without articles), or it is not a candidate.
_MIN_SIMILARITY = 0.75
_FEATURE_PRIOR = {"country": 1.5, "admin1": 0.5, "region": 1.0, "site": 0.8, "city": 0.0}
# Curated entries were added because reporting names them and GeoNames lacks them (or
# ranks them below a bigger namesake): they outweigh a town of about 20,000.
_CURATED_PRIOR = 1.5
_POPULATION_WEIGHT = 0.35
# A place's own name beats an alternate name (GeoNames lists old, local and odd ones).
_MAIN_NAME = 0.8
_FOCUS_WEIGHT = 2.5
_HINT_WEIGHT = 2.0
# "Egypt's Western Desert", "the Yemeni city of Aden", "Paris, Texas": the text says
# which country (or province) the name is in.
_WHERE_WEIGHT = 3.0
_WORDS_BEFORE = 4
_NEAR_KM = (50.0, 200.0)
_NEAR_WEIGHT = (1.5, 1.0)
# A province is read as its namesake city when that city is in it and holds this
# share of the province's people ("Aleppo"), not when a small town of another province
# shares its name ("California", Maryland).
_CAPITAL_SHARE = 0.1
# A national capital is the namesake news means ("Washington", "Paris").
_CAPITAL_PRIOR = 1.0
# GeoNames writes 0 for an unknown population; cities500 holds places of 500 or more.
_UNKNOWN_POPULATION = 1000
# Outside the document's countries, an exact name must be a town at least this big.
_FAR_TOWN_POPULATION = 50_000
# Context rounds: the first uses the picks made on priors alone, the next the first's.
_ROUNDS = 2
# ACLED: a district or sub-district named alone is "part of a region" (2).
_PRECISION: dict[str, GeoPrecision] = {
    "country": 3, "admin1": 3, "region": 3, "admin2": 2, "admin3": 2,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Option:
    candidate: Candidate
    prior: float

    @property
    def place(self) -> Place:
        return self.candidate.place


def resolve_locations(
    locations: Sequence[Location],
    *,
    text: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[Location]:
    """Resolve the place mentions of ONE document, returned in the same order.

    A mention no entry fits is returned unchanged (``canonical`` None)."""
    gaz = gazetteer or load_gazetteer()
    options = [_options(gaz, location, text) for location in locations]
    names = [_bare(fold(_plain(location.name))) for location in locations]
    adjectives = _adjective_countries(locations, text)
    picks = [max(opts, key=lambda o: o.prior).place if opts else None for opts in options]
    for _ in range(_ROUNDS):
        picks = _pick_in_context(options, picks, names, adjectives)
    return [
        _fill(location, place) if place is not None else location
        for location, place in zip(locations, picks, strict=True)
    ]


def _pick_in_context(
    options: list[list[_Option]],
    picks: list[Place | None],
    names: list[str],
    adjectives: Counter[str],
) -> list[Place | None]:
    """Each mention's best plausible candidate given the other names' current picks."""
    chosen: list[Place | None] = []
    for index, opts in enumerate(options):
        others = [p for i, p in enumerate(picks) if p is not None and names[i] != names[index]]
        focus = _focus(others, adjectives)
        # Nationality adjectives raise their countries' candidates but never rule the
        # others out: "Turkish forces shelled <a Syrian village>" is about Syria.
        placed = _focus(others)
        plausible = [o for o in opts if _plausible(o, placed)]
        best = max(
            plausible, key=lambda o: o.prior + _context(o.place, focus, others), default=None
        )
        chosen.append(best.place if best else None)
    return chosen


def _plausible(option: _Option, focus: dict[str, float]) -> bool:
    """In a document about other countries, a namesake village far away is a wrong
    reading, not a place: outside the countries in focus only countries, big cities
    and exact names of sizeable towns stand."""
    place = option.place
    if not focus or focus.get(place.country or "", 0.0) > 0 or place.feature == "country":
        return True
    if option.candidate.exact and (place.key.startswith("curated:") or place.country is None):
        return True  # curated on purpose, or a region of several countries ("Middle East")
    return option.candidate.exact and place.population >= _FAR_TOWN_POPULATION


def demonym_target(word: str) -> str | None:
    """The country (ISO2) or "geonames:<id>" a nationality adjective names, if any."""
    return _demonyms().get(fold(word))


# ---------------------------------------------------------------------------- candidates


def _options(gaz: Gazetteer, location: Location, text: str | None) -> list[_Option]:
    target = demonym_target(location.name)
    if target is not None:
        place = gaz.country(target) if len(target) == 2 else gaz.place(target)
        return [_Option(Candidate(place, True, True, fold(location.name)), 10.0)] if place else []
    plain = _plain(location.name)
    if fold(plain) in _not_places() or fold(location.name) in _not_places():
        return []
    name, hint = _strip_feature_word(plain, _following_word(location, text))
    # The whole name first ("Western Desert", "Anbar desert" are curated), then without
    # its feature word ("Idlib province" -> "Idlib").
    candidates = gaz.lookup(plain)
    if any(c.exact for c in candidates):
        name = plain
    else:
        candidates += gaz.lookup(name) if name != plain else []
        if not any(c.exact for c in candidates) and name != location.name:
            candidates += gaz.lookup(location.name)
    if any(c.exact and c.place.key.startswith("curated:") for c in candidates):
        candidates = [c for c in candidates if c.exact]  # curated on purpose: no fuzzy namesake
    wanted = _bare(fold(name))
    options = []
    for candidate in candidates:
        similarity = 1.0 if candidate.exact else _similarity(wanted, _bare(candidate.matched))
        if similarity >= _MIN_SIMILARITY:
            options.append(_Option(candidate, _prior(candidate, similarity, hint)))
    # A country named exactly is that country, whatever follows it ("Iran, Azerbaijan
    # and Tunisia" is a list of countries, not a town of Azerbaijan named Iran).
    a_country = any(o.candidate.exact and o.place.feature == "country" for o in options)
    where = _stated_where(gaz, location, text) if len(options) > 1 and not a_country else None
    if where is not None:
        options = [
            replace(o, prior=o.prior + _WHERE_WEIGHT) if _is_in(o.place, where) else o
            for o in options
        ]
    return _prefer_cities_over_namesake_provinces(options, hint)


def _stated_where(gaz: Gazetteer, location: Location, text: str | None) -> Place | None:
    """The country or province the text puts a name in: a possessive or a nationality
    adjective just before it ("Egypt's Western Desert", "the Yemeni port of Aden"), or
    a name after a comma ("Paris, Texas")."""
    if text is None or location.start is None or location.end is None:
        return None
    after = _AFTER_COMMA.match(text, location.end)
    if after is not None:
        found = _country_or_province(gaz, after.group(1))
        if found is not None:
            return found
    before = text[max(0, location.start - 60) : location.start].split()[-_WORDS_BEFORE:]
    for word in reversed(before):
        if word[-1] in ".,;:!?)":
            break
        bare = word.removesuffix("'s").removesuffix("’s")
        target = _demonyms().get(fold(bare))
        if target is not None and len(target) == 2:
            return gaz.country(target)
        if bare != word:
            return _country_or_province(gaz, bare)
    return None


_AFTER_COMMA = re.compile(r",\s+([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)")


def _country_or_province(gaz: Gazetteer, name: str) -> Place | None:
    for candidate in gaz.lookup(name.rstrip(".")):
        if candidate.exact and candidate.place.feature in ("country", "admin1"):
            return candidate.place
    return None


def _is_in(place: Place, where: Place) -> bool:
    if place.key == where.key or place.country != where.country:
        return False
    return where.feature == "country" or place.admin1 == where.admin1


def _prior(candidate: Candidate, similarity: float, hint: str | None) -> float:
    place = candidate.place
    score = 1.5 if candidate.exact else 3.0 * similarity - 1.75
    score += _MAIN_NAME if candidate.main else 0.0
    population = place.population or (_UNKNOWN_POPULATION if place.feature == "city" else 0)
    score += _POPULATION_WEIGHT * math.log10(population + 1)
    score += _FEATURE_PRIOR.get(place.feature, 0.0)
    if place.key.startswith("curated:"):
        score += _CURATED_PRIOR
    if place.key in _capitals():
        score += _CAPITAL_PRIOR
    if hint is not None and hint == place.feature:
        score += _HINT_WEIGHT
    return score


def _prefer_cities_over_namesake_provinces(
    options: list[_Option], hint: str | None
) -> list[_Option]:
    """ "Aleppo", "Kirkuk", "Tripoli" name a city and its province: without a word saying
    "province", the city is meant. The province keeps its score when no city of its own
    matches, or only a small one ("California" is the state, not California, Maryland)."""
    if hint == "admin1":
        return options
    cities = [o.place for o in options if o.place.feature == "city"]

    def has_namesake_city(province: Place) -> bool:
        return any(
            city.country == province.country
            and city.admin1 == province.admin1
            and city.population >= _CAPITAL_SHARE * province.population
            for city in cities
        )

    return [
        replace(o, prior=o.prior - 2.5)
        if o.place.feature == "admin1" and has_namesake_city(o.place)
        else o
        for o in options
    ]


def _plain(name: str) -> str:
    """Without a possessive ("South Korea's") or a leading "the"."""
    for suffix in ("'s", "’s"):
        name = name.removesuffix(suffix)
    words = name.split()
    return " ".join(words[1:]) if len(words) > 1 and words[0].lower() == "the" else name


def _strip_feature_word(name: str, following: str | None) -> tuple[str, str | None]:
    words = name.split()
    kinds = _feature_words()
    if len(words) > 1 and words[-1].lower() in kinds:
        return " ".join(words[:-1]), kinds[words[-1].lower()]
    if following is not None and following.lower() in kinds:
        return name, kinds[following.lower()]
    return name, None


def _following_word(location: Location, text: str | None) -> str | None:
    if text is None or location.end is None:
        return None
    words = text[location.end : location.end + 20].split()
    return words[0].strip(".,;:()") if words else None


def _bare(folded: str) -> str:
    words = [w for w in folded.split() if w not in ARTICLES and w != "the"]
    return " ".join(words) or folded


def _similarity(one: str, other: str) -> float:
    return SequenceMatcher(None, one, other).ratio()


# ------------------------------------------------------------------------------ context


def _focus(
    picks: Sequence[Place | None], adjectives: Counter[str] | None = None
) -> dict[str, float]:
    """Each country's share of the document's mentions (by their current picks) and of
    its nationality adjectives."""
    counts: Counter[str] = Counter(p.country for p in picks if p is not None and p.country)
    counts.update(adjectives or Counter())
    total = sum(counts.values())
    return {country: count / total for country, count in counts.items()} if total else {}


def _context(place: Place, focus: dict[str, float], others: list[Place]) -> float:
    if place.country is None:  # a region of several countries is in no country's focus,
        return _FOCUS_WEIGHT * max(focus.values(), default=0.0)  # nor out of it
    score = _FOCUS_WEIGHT * focus.get(place.country or "", 0.0)
    if place.feature in ("city", "site") and others:
        nearest = min(_km(place, other) for other in others)
        for limit, weight in zip(_NEAR_KM, _NEAR_WEIGHT, strict=True):
            if nearest <= limit:
                score += weight
                break
    return score


def _km(one: Place, other: Place) -> float:
    return haversine_km(one.lat, one.lon, other.lat, other.lon)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


# ------------------------------------------------------------------------------- output


def _fill(location: Location, place: Place) -> Location:
    precision: GeoPrecision = _PRECISION.get(place.feature, 2 if location.near else 1)
    return replace(
        location,
        canonical=place.name,
        key=place.key,
        geonameid=place.geonameid,
        lat=place.lat,
        lon=place.lon,
        country=place.country,
        admin1=place.admin1,
        admin2=place.admin2,
        feature=place.feature,
        precision=precision,
    )


@cache
def _demonyms() -> dict[str, str]:
    table = {}
    text = resources.files(_DATA).joinpath("demonyms.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            word, target = line.split("\t")
            table[fold(word)] = target
    return table


@cache
def _feature_words() -> dict[str, str]:
    text = resources.files(_DATA).joinpath("name_parts.json").read_text(encoding="utf-8")
    words: dict[str, str] = json.loads(text)["feature_words"]
    return words


_WORD = re.compile(r"\b[A-Z][A-Za-z\u00c0-\u024f'’-]+\b")


def _adjective_countries(locations: Sequence[Location], text: str | None) -> Counter[str]:
    """The countries the text's nationality adjectives name ("Syrian troops"), outside
    the mentions being resolved (a mention counts through its pick)."""
    counts: Counter[str] = Counter()
    if not text:
        return counts
    taken = [(loc.start, loc.end) for loc in locations if loc.start is not None and loc.end]
    for match in _WORD.finditer(text):
        target = _demonyms().get(fold(match.group()))
        if target is None or len(target) != 2:
            continue
        if not any(start <= match.start() < (end or start) for start, end in taken):
            counts[target] += 1
    return counts


@cache
def _capitals() -> frozenset[str]:
    """The gazetteer keys of national capitals (``capitals.tsv``)."""
    text = resources.files(_DATA).joinpath("capitals.tsv").read_text(encoding="utf-8")
    return frozenset(
        f"geonames:{line.split(chr(9))[2]}"
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


@cache
def _not_places() -> frozenset[str]:
    """Folded names never resolved (``not_places.json``), with and without "the"."""
    text = resources.files(_DATA).joinpath("not_places.json").read_text(encoding="utf-8")
    words = [w for group in json.loads(text)["groups"] for w in group["words"]]
    folded = {fold(word) for word in words}
    return frozenset(folded | {w.removeprefix("the ") for w in folded})
