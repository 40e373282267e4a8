"""Places the parser took for people or organisations.

spaCy's small English model tags many Arabic place names as PERSON, ORG or NORP
("recaptured Al-Qaim", "Rawa was shelled"). ``nlp.places`` already takes such a name when a locative
word precedes it; this finds the rest with the gazetteer: a name is a place when it is
exactly the name of a sizeable town (or of a curated or imported place) in a country the
document is about, and no known person bears it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..nlp.fold import fold
from .gazetteer import Gazetteer, Place, load_gazetteer

__all__ = ["MANY_NAMES", "MIN_POPULATION", "places_among"]

#: A town this big in a country the document is about is what its name means there.
MIN_POPULATION = 5_000
#: GeoNames gives no population for many towns (53 of the 169 Iraqi towns of
#: cities500, Tal Afar and al-Qayyarah among them); a town without one that is
#: written in this many distinct ways (folded) is one the world writes about.
MANY_NAMES = 8
_WORDS_AT_MOST = 4


def places_among(
    names: Sequence[str],
    *,
    countries: Iterable[str],
    gazetteer: Gazetteer | None = None,
) -> list[bool]:
    """For each name (an entity tagged as a person or organisation), whether it is a
    place of ``countries`` (ISO2 codes: those the document is about)."""
    wanted = {c.upper() for c in countries}
    if not wanted:
        return [False] * len(names)
    gaz = gazetteer or load_gazetteer()
    return [_is_place(gaz, name, wanted) for name in names]


def _is_place(gaz: Gazetteer, name: str, countries: set[str]) -> bool:
    words = name.split()
    if not words or len(words) > _WORDS_AT_MOST or not name[:1].isupper():
        return False
    folded = fold(name)
    for candidate in gaz.lookup(name):
        place = candidate.place
        if not candidate.exact or candidate.matched != folded or place.country not in countries:
            continue
        if place.feature in ("country", "admin1"):
            return True
        # Curated places, and places from a table or dump the user imported, are there
        # because reporting names them: their name is enough.
        listed = not place.key.startswith(("geonames:", "admin1:"))
        if listed or (place.feature == "city" and _sizeable(gaz, place)):
            return True
    return False


def _sizeable(gaz: Gazetteer, place: Place) -> bool:
    if place.population:
        return place.population >= MIN_POPULATION
    return len(gaz.names(place.key)) >= MANY_NAMES
