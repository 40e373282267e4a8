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
unless the context says otherwise.

The document's own evidence constrains its places:

- a name the text puts in a province or country ("Kuramaza town in Ar Raqqa countryside",
  "Ayolas (Ayolas, Misiones)", "Pisky, Donetsk.", "Egypt's Western Desert") resolves
  inside it when any candidate there exists, fuzzy spellings included; when none does,
  the name stands for the town of the chain that holds it ("Khaneh village in the
  countryside of Ain al Arab city", precision 2) or for that province or country
  (precision 3), never for a namesake abroad; what the text says of one mention it says
  of the others of that name;
- only sure picks (exact names, close transliterations, named provinces and countries,
  never nationality adjectives nor loose spellings) rule other mentions' candidates out,
  so a wrong fuzzy namesake ("Kalamazoo" for a Syrian village) never makes the province
  named beside it implausible;
- a candidate on another continent than every place the document names exactly stands
  only as an exact, unique, big city; such a city ("Nancy") outweighs a small town that
  only an alias of its name matches;
- ACLED-style names are read as written: "Baghdad - Karkh" is a part of Baghdad, a span
  cut before its article ("Deir" of "Deir ez Zor") or at a parenthesis is read whole;
- a name no spelling of which is known may be one that adds or drops a vowel ("Tal
  Tamer" for Tall Tamr: the gazetteer's loose lookup), as a last resort."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import cache, lru_cache
from importlib import resources

from ..nlp.fold import ARTICLES, fold
from ..records import GeoPrecision, Location
from .gazetteer import Candidate, Gazetteer, Place, continent, load_gazetteer

__all__ = ["demonym_target", "haversine_km", "resolve_locations"]

_DATA = "ember.data.geo"
# A candidate found only through the transliteration key must look this much like the
# name (similarity of the folded names without articles), or it is not a candidate.
_MIN_SIMILARITY = 0.75
# A name of four letters or fewer looks like too many others ("Deir" like "Dir", "Adl"
# like "Adel"): a candidate found through its key must be written nearly alike.
_SHORT_NAME = 4
_MIN_SHORT_SIMILARITY = 0.9
# A candidate this close to the name is a spelling of it ("Idleb" and "Idlib", "Thi Qar"
# and "Dhi Qar"), sure enough to rule namesakes out, as an exact name is.
_SURE_SIMILARITY = 0.8
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
# On another continent than every sure place of the document, an exact name must be a
# city this big and hold this many times the people of any other place of that name.
_FAR_CITY_POPULATION = 100_000
_UNIQUE_FACTOR = 3
# Such an exact, unique big city is what its name means against a namesake that only
# an alternate name of a small town matches ("Nancy" is not Ridgetop, Tennessee).
_UNIQUE_PRIOR = 1.5
# "Baghdad - Karkh": the part is taken when a place of its name is this close to the whole.
_PART_KM = 30.0
# "X village in Y city in Z governorate": links followed from a name to its province.
_LINKS = 3
# Context rounds: the first uses the picks made on priors alone, the next the first's.
_ROUNDS = 2
# ACLED: a district or sub-district named alone is "part of a region" (2).
_PRECISION: dict[str, GeoPrecision] = {
    "country": 3, "admin1": 3, "region": 3, "admin2": 2, "admin3": 2,
}  # fmt: skip
_AREAS = ("country", "admin1")


@dataclass(frozen=True, slots=True)
class _Option:
    candidate: Candidate
    prior: float
    similarity: float = 1.0
    # The province or country the text puts a name in, standing for a name no
    # candidate there fits.
    stand_in: bool = False
    # The country a nationality adjective names ("Syrian"): it raises its country's
    # candidates but never rules others out.
    adjective: bool = False
    # Found only through the consonant skeleton ("Tall Tamr" for "Tal Tamer"): never
    # sure enough to rule others out.
    loose: bool = False
    # Inside the province or country the text puts the name in.
    placed: bool = False

    @property
    def place(self) -> Place:
        return self.candidate.place

    @property
    def sure(self) -> bool:
        """An exact name, a close spelling of one, a curated entry or a stand-in: sure
        enough to rule other mentions' far namesakes out. An adjective is not."""
        return not (self.adjective or self.loose) and (
            self.stand_in
            or self.candidate.exact
            or self.similarity >= _SURE_SIMILARITY
            or self.place.key.startswith("curated:")
        )


def resolve_locations(
    locations: Sequence[Location],
    *,
    text: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[Location]:
    """Resolve the place mentions of ONE document, returned in the same order.

    A mention no entry fits is returned unchanged (``canonical`` None)."""
    gaz = gazetteer or load_gazetteer()
    options = [_document_options(gaz, location, text) for location in locations]
    names = [_bare(fold(_plain(location.name))) for location in locations]
    # One name, one sense: where the text says one mention is ("Emory (Virginia)"), it
    # says where the others of that name are ("Emory & Henry College in Emory").
    placed: dict[str, list[_Option]] = {}
    for name, opts in zip(names, options, strict=True):
        if any(o.placed and not o.stand_in for o in opts):
            placed.setdefault(name, opts)
    options = [
        opts if any(o.placed for o in opts) else placed.get(name, opts)
        for name, opts in zip(names, options, strict=True)
    ]
    adjectives = _adjective_countries(locations, text)
    picks = [max(opts, key=lambda o: o.prior) if opts else None for opts in options]
    context = picks
    for _ in range(_ROUNDS):
        picks = _pick_in_context(options, context, names, adjectives)
        # A mention left without a plausible reading this round still speaks for the
        # country of its last one: two names that rule each other out ("Cornigliano"
        # a fuzzy Italian town, "Genova" an exact Colombian one) must not both fall
        # back to their priors.
        context = [new or old for new, old in zip(picks, context, strict=True)]
    # A name whose every candidate is a namesake the document rules out is in the one
    # province (or else country) the document names, said loosely (precision 3).
    home = _home(picks)
    return [
        _fill(location, pick.place, pick.stand_in)
        if pick is not None
        else _fill(location, home, True)
        if home is not None and opts
        else location
        for location, pick, opts in zip(locations, picks, options, strict=True)
    ]


def _home(picks: list[_Option | None]) -> Place | None:
    areas = {p.place.key: p.place for p in picks if p is not None and p.sure}
    for feature in ("admin1", "country"):
        named = [a for a in areas.values() if a.feature == feature]
        countries = {a.country for a in areas.values() if a.country}
        if len(named) == 1 and countries <= {named[0].country}:
            return named[0]
    return None


def _pick_in_context(
    options: list[list[_Option]],
    picks: list[_Option | None],
    names: list[str],
    adjectives: Counter[str],
) -> list[_Option | None]:
    """Each mention's best plausible candidate given the other names' current picks."""
    chosen: list[_Option | None] = []
    # What the other names say depends on the name only: read once per name.
    said: dict[str, _Said] = {}
    for index, opts in enumerate(options):
        if names[index] not in said:
            said[names[index]] = _said_by_others(picks, names, names[index], adjectives)
        focus, placed, continents, near = said[names[index]]
        plausible = [o for o in opts if _plausible(o, placed, continents, opts)]
        best = max(plausible, key=lambda o: o.prior + _context(o.place, focus, near), default=None)
        chosen.append(best)
    return chosen


# The focus of the other names' picks, of their sure ones, the continents of their exact
# ones, and the places that speak for nearness.
_Said = tuple[dict[str, float], dict[str, float], set[str | None], list[Place]]


def _said_by_others(
    picks: list[_Option | None], names: list[str], name: str, adjectives: Counter[str]
) -> _Said:
    others = [p for i, p in enumerate(picks) if p is not None and names[i] != name]
    places = [p.place for p in others]
    focus = _focus(places, adjectives)
    # Nationality adjectives raise their countries' candidates but never rule the
    # others out: "Turkish forces shelled <a Syrian village>" is about Syria. Nor
    # does a fuzzy namesake another mention took.
    sure = [p.place for p in others if p.sure]
    placed = _focus(sure)
    # Another continent is ruled out only by exact names ("Puntland" read as a
    # fuzzy Ponteland does not make Bosaso implausible).
    exact = [p.place for p in others if p.sure and (p.candidate.exact or p.stand_in)]
    continents = {continent(p.country) for p in exact if p.country}
    # A province standing in for an unknown name says nothing of where its towns are; a
    # spot several mentions took is measured from once.
    near = list({(p.place.lat, p.place.lon): p.place for p in others if not p.stand_in}.values())
    return focus, placed, continents, near


# A loose spelling reads as a place only in a country the document dwells on: at least
# this share of the weight of the country it names most.
_LOOSE_SHARE = 0.5


def _plausible(
    option: _Option, focus: dict[str, float], continents: set[str | None], opts: list[_Option]
) -> bool:
    """In a document about other countries, a namesake village far away is a wrong
    reading, not a place: outside the countries in focus only countries, provinces,
    big cities and exact names of sizeable towns stand, and on another continent only
    exact names of big cities no other place of that name rivals."""
    place = option.place
    if option.placed:
        return True  # the text says where it is ("Punchana (Loreto)")
    if (
        option.loose
        and focus
        and focus.get(place.country or "", 0.0) < _LOOSE_SHARE * max(focus.values())
    ):
        return False  # a loose spelling ("Barisha" ~ Barysh) stands only where the report is
    if not focus or focus.get(place.country or "", 0.0) > 0 or place.feature == "country":
        return True
    if option.stand_in:
        return False  # a province of that name in another country than the document's
    if option.candidate.exact and (place.key.startswith("curated:") or place.country is None):
        return True  # curated on purpose, or a region of several countries ("Middle East")
    if place.feature == "admin1" and option.sure and place.population >= _FAR_TOWN_POPULATION:
        return True
    if continents and continent(place.country) not in continents:
        return _unique_big_city(option, opts)
    return option.candidate.exact and place.population >= _FAR_TOWN_POPULATION


def _unique_big_city(option: _Option, opts: list[_Option]) -> bool:
    """An exact name of a city of 100,000 or more that no town of another country
    bearing that name as its own comes near ("Nancy", "Rome", not "Saint-Louis")."""
    place = option.place
    if not option.candidate.exact or place.population < _FAR_CITY_POPULATION:
        return False
    rivals = [
        o.place.population
        for o in opts
        if o.candidate.exact
        and o.candidate.main
        and o.place.feature == "city"
        and o.place.country != place.country
    ]
    return place.population >= _UNIQUE_FACTOR * max(rivals, default=0)


def demonym_target(word: str) -> str | None:
    """The country (ISO2) or "geonames:<id>" a nationality adjective names, if any."""
    return _demonyms().get(fold(word))


# ---------------------------------------------------------------------------- candidates


# The candidates of the last text resolved: the pipeline resolves a document's places
# twice (to judge which names are towns, then with those added), and a mention's
# candidates depend only on its name, where it stands and the text.
_Memo = tuple[str, Gazetteer, dict[tuple[str, int | None, int | None], list[_Option]]]
_last_text: list[_Memo] = []


def _document_options(gaz: Gazetteer, location: Location, text: str | None) -> list[_Option]:
    if text is None:
        return _options(gaz, location, text)
    memo = _last_text[0] if _last_text else None
    if memo is None or memo[0] is not text or memo[1] is not gaz:
        memo = (text, gaz, {})
        _last_text[:] = [memo]  # one assignment: a thread keeps the memo of its own text
    key = (location.name, location.start, location.end)
    if key not in memo[2]:
        memo[2][key] = _options(gaz, location, text)
    return list(memo[2][key])


def _options(gaz: Gazetteer, location: Location, text: str | None) -> list[_Option]:
    target = demonym_target(location.name)
    if target is not None:
        place = gaz.country(target) if len(target) == 2 else gaz.place(target)
        candidate = Candidate(place, True, True, fold(location.name)) if place else None
        return [_Option(candidate, 10.0, adjective=True)] if candidate else []
    plain = _plain(location.name)
    if fold(plain) in _not_places() or fold(location.name) in _not_places():
        return []
    written, end, inside = _written(gaz, plain, location, text)
    following = _following_word(end, text)
    if " - " in written:
        options, hint = _compound_options(gaz, written, following)
    else:
        options, hint = _name_options(gaz, written, following, _in_parenthesis(location, text))
    # A country named exactly is that country, whatever follows it ("Iran, Azerbaijan
    # and Tunisia" is a list of countries, not a town of Azerbaijan named Iran).
    if any(o.candidate.exact and o.place.feature == "country" for o in options):
        return options
    where, owner = _stated_where(gaz, location, end, text) if len(options) > 1 else (None, False)
    if where is not None and not owner:
        options = [
            replace(o, prior=o.prior + _WHERE_WEIGHT) if _is_in(o.place, where) else o
            for o in options
        ]
    if where is not None and owner:
        options = _within(options, [where])
    else:
        options = _within(options, *_containers(gaz, inside, end, text, options))
    return _prefer_cities_over_namesake_provinces(options, hint)


def _name_options(
    gaz: Gazetteer, written: str, following: str | None, area: bool = False
) -> tuple[list[_Option], str | None]:
    """The candidates of one name and the kind of place a word with it says ("Idlib
    province" -> "admin1"), or its place says (``area``: the province in a parenthesis
    after a town, "Cuatro Canadas (Santa Cruz)"): the whole name first ("Western
    Desert", "Anbar desert" are curated), then without its feature word ("Idlib
    province" -> "Idlib")."""
    name, hint = _strip_feature_word(written, following)
    if hint is None and area:
        hint = "admin1"
    candidates = gaz.lookup(written)
    if any(c.exact for c in candidates):
        name = written
    elif name != written:
        candidates += gaz.lookup(name)
    wanted = _bare(fold(name))
    if any(c.exact and c.place.key.startswith("curated:") for c in candidates):
        candidates = [c for c in candidates if c.exact]  # curated on purpose: no fuzzy namesake
    least = _MIN_SHORT_SIMILARITY if len(wanted) <= _SHORT_NAME else _MIN_SIMILARITY
    options = []
    for candidate in candidates:
        similarity = 1.0 if candidate.exact else _similarity(wanted, _bare(candidate.matched))
        if similarity >= least:
            prior = _prior(candidate, similarity, hint)
            options.append(_Option(candidate, prior, similarity))
    if not any(o.sure for o in options) and len(wanted) > _SHORT_NAME:
        # No spelling of the name is known: one that only adds or drops a vowel is
        # ("Tal Tamer" is Tall Tamr), if written much alike.
        for candidate in gaz.lookup_loose(name):
            similarity = _similarity(wanted, _bare(candidate.matched))
            if similarity >= _SURE_SIMILARITY:
                prior = _prior(candidate, similarity, hint)
                options.append(_Option(candidate, prior, similarity, loose=True))
    return _with_unique_prior(options), hint


def _with_unique_prior(options: list[_Option]) -> list[_Option]:
    """Raise the city whose own name this is and that no other place of this exact
    name, by its own name or an alias, comes near."""

    def unique(option: _Option) -> bool:
        place = option.place
        if not (option.candidate.exact and option.candidate.main and place.feature == "city"):
            return False
        rivals = [o.place.population for o in options if o.candidate.exact and o is not option]
        rival = max(rivals, default=0)
        return rival < _FAR_TOWN_POPULATION and place.population >= max(
            _FAR_CITY_POPULATION, _UNIQUE_FACTOR * rival
        )

    return [replace(o, prior=o.prior + _UNIQUE_PRIOR) if unique(o) else o for o in options]


def _compound_options(
    gaz: Gazetteer, written: str, following: str | None
) -> tuple[list[_Option], str | None]:
    """ACLED names a part of a city or a province after a dash: "Baghdad - Karkh",
    "Manaus - West Zone", "Hamrin Mountains - Diyala". The part is taken when a place of
    its name is close to the whole, a province named second holds the first; else the
    whole stands."""
    parts = [part.strip() for part in written.split(" - ") if part.strip()]
    if not parts:
        return [], None
    head, _ = _name_options(gaz, parts[0], None)
    tail, hint = _name_options(gaz, parts[-1], following)
    provinces = [o.place for o in tail if o.sure and o.place.feature in _AREAS]
    if provinces:
        return _within(head, provinces), None
    wholes = [o.place for o in head if o.sure]
    near = [o for o in tail if any(_km(o.place, whole) <= _PART_KM for whole in wholes)]
    return (near, hint) if near else (head, None)


def _written(
    gaz: Gazetteer, plain: str, location: Location, text: str | None
) -> tuple[str, int | None, str | None]:
    """The name to look up, where it ends in the text and what a parenthesis the span
    took in holds: a span cut at a parenthesis ("Tall Rasho (Lattakia") is the name
    before it; one cut before an article and the word it joins ("Deir" of "Deir ez
    Zor", "Santa Cruz de la" of "Santa Cruz de la Sierra") or before the last word of
    a name ("Morona" of "Morona Santiago") is read whole when the whole is a known
    name."""
    end = location.end
    if "(" in plain:
        head, _, inside = plain.partition("(")
        if text is not None and location.end is not None:
            closing = text.find(")", location.end, location.end + 100)
            if closing >= 0:
                inside += text[location.end : closing]
        return head.strip(), None, inside.strip(" ,") or None
    if text is not None and end is not None:
        tail = _ARTICLE_TAIL.match(text, end) or _WORD_TAIL.match(text, end)
        if tail is not None:
            longer = plain + text[end : tail.end()]
            wanted = _bare(fold(longer))
            article = tail.re is _ARTICLE_TAIL or plain.split()[-1] in _PARTICLE_WORDS
            # A known name keeps its span ("University of Michigan Center").
            if not article and any(c.exact for c in gaz.lookup(plain)):
                return plain, end, None
            for candidate in gaz.lookup(longer):
                if candidate.exact or (
                    article and _similarity(wanted, _bare(candidate.matched)) >= 0.9
                ):
                    return longer, tail.end(), None
    return plain, end, None


def _containers(
    gaz: Gazetteer, inside: str | None, end: int | None, text: str | None, options: list[_Option]
) -> tuple[list[Place], bool]:
    """The provinces or countries the text says a name is in: within a parenthesis after
    it ("Ayolas (Ayolas, Misiones)", "Cordova town (Cebu, Central Visayas)"), after
    "in" or "of" ("Kuramaza town in Ar Raqqa countryside", "Al Amadiya district of
    Duhok") or after a comma that ends a clause ("Pisky, Donetsk.", "Paris, Idaho."); and
    whether they hold the name for certain. A big place or a province followed by "in
    X" or ", X" without a word saying what it is may be another place beside X ("forces
    from Idlib in Hama", "Aleppo, Idlib."): it is read as in X only when a place of its
    name is."""
    big = any(_big(o) for o in options)
    if inside is not None:
        return _areas_in(gaz, inside.split(",")), not big
    if text is None or end is None:
        return [], False
    paren = _PARENTHESIS.match(text, end)
    if paren is not None:
        return _areas_in(gaz, paren.group(1).split(",")), not big
    link = _LINK.match(text, end)
    if link is None:
        return [], False
    certain = bool(link.group("noun")) or not big
    names: list[str] = []
    # A chain of places, each in the next ("Khaneh village in the countryside of Ain al
    # Arab city in Aleppo governorate").
    for _ in range(_LINKS):
        names.append(link.group("name"))
        if link.group("comma"):
            # "Pisky, Donetsk." names a town's province; "Aleppo, Idlib and Hama" is a list.
            more = _MORE_AFTER_COMMA.match(text, link.end())
            if more is None:
                return _areas_in(gaz, names[:-1], towns=True), certain
            names += [n for n in more.groups() if n]
            break
        # "the Mount Hope neighborhood of San Diego (California)"
        paren = _PARENTHESIS.match(text, link.end())
        if paren is not None:
            names += paren.group(1).split(",")
            break
        link = _LINK.match(text, link.end())
        if link is None:
            break
    return _areas_in(gaz, names, towns=True), certain


def _big(option: _Option) -> bool:
    """An exact name of a country, a province or a big city."""
    return option.candidate.exact and _known(option.place)


_PARTICLES = (
    "al|el|ad|ar|as|ash|at|az|an|ez|es|de|del|la|le|les|des|du|do|da|dos|das|di|von|van|ibn|bin"
)
# A capitalised name of up to four words, with the particles names carry between them
# ("Deir ez Zor", "Norte de Santander", "Salah al-Din"); never across a full stop.
_NAME_PATTERN = rf"[A-Z][\w'’-]*(?:\s+(?:(?:{_PARTICLES})(?:\s+|-))*[A-Z][\w'’-]*){{0,3}}"
_ARTICLE_TAIL = re.compile(rf"(?:[ -](?:{_PARTICLES}))+[ -][A-Z][\w'’]+")
_WORD_TAIL = re.compile(r" [A-Z][\w'’]+")
_PARTICLE_WORDS = frozenset(_PARTICLES.split("|"))
_PARENTHESIS = re.compile(r"(?:\s+[a-z]+)?\s*\(([^()]{1,100})\)")
_LINK = re.compile(
    r"(?P<noun>\s+(?:towns?|villages?|city|cities|neighbou?rhoods?|district|sub-?district|"
    r"areas?|axis|hamlet|farms|quarter|township|municipality|valley|mountains?|crossing|"
    r"checkpoint|field|oilfield|camp|region|county|locality|commune|department))?"
    r"(?:(?P<comma>\s*,\s*)|\s+(?:in|of)\s+(?:the\s+)?(?:[a-z-]+\s+(?:of\s+)?){0,3}?)"
    rf"(?P<name>{_NAME_PATTERN})"
)
# After "Town, Province": its end (".", ";", ")", a lower-case word) or a chain of
# larger places ("Tawileh village, Al Hasakeh province."), not "and" or another comma.
_MORE_AFTER_COMMA = re.compile(
    rf"(?:\s+(?:province|governorate|state|region|district|county|oblast|countryside))?"
    rf"(?:\s*,\s*({_NAME_PATTERN}))?(?:\s*,\s*({_NAME_PATTERN}))?"
    r"(?:\s+(?:province|governorate|state|region|district|county|oblast|countryside))?"
    r"(?=\s*[.;:)(]|\s*$|\s+(?!and\b|or\b)[a-z]|\s*,\s+(?:(?:and|or)\s+)?[a-z])"
)


def _areas_in(gaz: Gazetteer, names: Sequence[str], *, towns: bool = False) -> list[Place]:
    """The provinces and countries among ``names`` (a hierarchy, the largest last:
    "Oicha, Beni, Nord-Kivu"), the most specific first: each name's sure matches (its
    spelling may differ from the gazetteer's: "Idleb", "Thi Qar"), in the countries of
    the largest ("Beni" is not El Beni of Bolivia there)."""
    levels: list[list[Place]] = []
    holders: list[Place] = []
    for raw in names:
        name, _ = _strip_feature_word(raw.strip(" .,;:"), None)
        if not name:
            continue
        wanted = _bare(fold(name))
        candidates = gaz.lookup(name)
        known = [c.place for c in candidates if c.exact and _known(c.place)]
        if known:
            # The name of a big place is no misspelling of a province elsewhere ("Genova"
            # is Genoa, not the canton of Geneva); it may be its own province's
            # ("Lattakia") or the same name with an article ("El Beni").
            candidates = [
                c
                for c in candidates
                if c.exact
                or _bare(c.matched) == wanted
                or any(_is_in(town, c.place) for town in known)
            ]
        sure = [
            c.place
            for c in candidates
            if c.exact or _similarity(wanted, _bare(c.matched)) >= _SURE_SIMILARITY
        ]
        level = [p for p in sure if p.feature in _AREAS]
        if not level and towns:
            holders += [p for p in sure if p.feature == "city"]
        elif not level and len(wanted) > _SHORT_NAME:
            # In a parenthesis of provinces, a big town names its province ("Echebika,
            # Kairouan"), which GeoNames may name otherwise (Al Qayrawan).
            level = _provinces_of([p for p in known if p.feature == "city"], gaz)
            holders += [p for p in sure if p.feature == "city" and p not in known]
        if level:
            levels.append(level)
    if not levels:
        return []
    countries = {p.country for p in levels[-1]}
    found = [p for level in levels for p in level if p.country in countries]
    found.sort(key=lambda p: p.feature == "country")
    # A town of the chain inside its province ("Ain al Arab city in Aleppo governorate")
    # comes first: it stands in nearer than the province.
    return [t for t in holders if any(_is_in(t, area) for area in found)][:1] + found


def _provinces_of(cities: list[Place], gaz: Gazetteer) -> list[Place]:
    found: dict[str, Place] = {}
    for city in cities:
        if city.admin1 is None:
            continue
        for candidate in gaz.lookup(city.admin1):
            place = candidate.place
            if place.feature == "admin1" and (place.country, place.admin1) == (
                city.country,
                city.admin1,
            ):
                found[place.key] = place
    return list(found.values())


def _known(place: Place) -> bool:
    """A country, a province or a big city: its exact name is not a misspelling."""
    return place.feature in _AREAS or place.population >= _FAR_CITY_POPULATION


def _within(options: list[_Option], areas: list[Place], certain: bool = True) -> list[_Option]:
    """The candidates inside the areas the text puts a name in, raised; when none is
    and the text surely puts it there, the most specific area stands for the name (no
    namesake elsewhere)."""
    towns = [area for area in areas if area.feature == "city"]
    areas = [area for area in areas if area.feature != "city"]
    if not areas:
        return options
    inside = [o for o in options if any(_is_in(o.place, area) for area in areas)]
    if inside:
        return [replace(o, prior=o.prior + _WHERE_WEIGHT, placed=True) for o in inside]
    if not certain:
        return options
    same = [o for o in options if any(o.place.key == area.key for area in areas)]
    if same:
        return same
    # Several provinces of one name ("Santa Cruz" of Bolivia and Argentina): the
    # document's other places choose (none is placed for certain); the most specific is
    # the first.
    holders = towns or areas
    certain = len({area.country for area in holders}) == 1
    return [
        _Option(
            Candidate(area, True, False, fold(area.name)),
            -0.1 * rank,
            stand_in=True,
            placed=certain,
        )
        for rank, area in enumerate(holders)
    ]


def _stated_where(
    gaz: Gazetteer, location: Location, end: int | None, text: str | None
) -> tuple[Place | None, bool]:
    """The country or province the text puts a name in: a possessive or a nationality
    adjective just before it ("Egypt's Western Desert", "the Yemeni port of Aden"), or
    a name after a comma ("Paris, Texas"); and whether it is the possessive, which
    holds the name (an adjective may name who acted: "Turkish forces shelled X")."""
    if text is None or location.start is None or end is None:
        return None, False
    after = _AFTER_COMMA.match(text, end)
    if after is not None:
        found = _country_or_province(gaz, after.group(1))
        if found is not None:
            return found, False
    before = text[max(0, location.start - 60) : location.start].split()[-_WORDS_BEFORE:]
    for word in reversed(before):
        if word[-1] in ".,;:!?)":
            break
        bare = word.removesuffix("'s").removesuffix("’s")
        target = _demonyms().get(fold(bare))
        if target is not None and len(target) == 2:
            return gaz.country(target), False
        if bare != word:
            # "Egypt's Western Desert" holds the name; "Russia's embassy in London" not.
            found = _country_or_province(gaz, bare)
            return found, found is not None and word == before[-1]
    return None, False


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
    if place.key in _capitals() and candidate.exact:
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
        if o.place.feature == "admin1" and not o.stand_in and has_namesake_city(o.place)
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


def _in_parenthesis(location: Location, text: str | None) -> bool:
    """Whether the name is in a parenthesis after another name, where ACLED and wires
    put the district and province of a place ("Ayolas (Ayolas, Misiones)"), not a part
    of a city ("City Hall (Incheon - Namdong)")."""
    if text is None or location.start is None or location.end is None:
        return False
    before = text[max(0, location.start - 80) : location.start]
    opening = before.rfind("(")
    closing = text.find(")", location.end, location.end + 80)
    after = text[location.end : closing] if closing >= 0 else ""
    return (
        opening >= 0
        and not any(mark in before[opening:] for mark in ").;")
        and " - " not in before[opening:] + after
        and bool(_BEFORE_PARENTHESIS.search(before[:opening]))
    )


_BEFORE_PARENTHESIS = re.compile(r"[A-Z][\w'’-]*(?:\s+[a-z]+)?\s*$")


def _following_word(end: int | None, text: str | None) -> str | None:
    if text is None or end is None:
        return None
    words = text[end : end + 20].split()
    return words[0].strip(".,;:()") if words else None


def _bare(folded: str) -> str:
    words = [w for w in folded.split() if w not in ARTICLES and w != "the"]
    return " ".join(words) or folded


@lru_cache(maxsize=65_536)
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


@lru_cache(maxsize=65_536)  # a document's places are compared pairwise, round after round
def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


# ------------------------------------------------------------------------------- output


def _fill(location: Location, place: Place, stand_in: bool = False) -> Location:
    """``location`` resolved to ``place``; a town standing in for a place in its
    countryside is "part of a region" (2)."""
    near = location.near or stand_in
    precision: GeoPrecision = _PRECISION.get(place.feature, 2 if near else 1)
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
