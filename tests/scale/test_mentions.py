"""The places an analysis keeps: a name the parser took for a person or an organisation
is a place when it is a town of the countries the document is about, and a place is
never a person or an organisation."""

from __future__ import annotations

from ember.records import Location
from ember.scale.pipeline import AnalysisInput, analyze_document

TEXT = (
    "Army units backed by tribal fighters recaptured Al-Qaim on Friday, Iraqi officials"
    " said. Rawa was shelled the same night. Al-Qaim lies on the Euphrates, where Rawa's"
    " last defenders were said to be hiding."
)


def kinds_of(text: str) -> dict[str, set[str]]:
    analysis = analyze_document(AnalysisInput("d", text, "2017-11-05", False))
    kinds: dict[str, set[str]] = {}
    for mention in analysis.mentions:
        kinds.setdefault(mention.text.removesuffix("'s"), set()).add(mention.kind)
    return kinds


def test_towns_of_the_documents_country_tagged_as_people_are_places() -> None:
    kinds = kinds_of(TEXT)
    for name in ("Al-Qaim", "Rawa"):
        assert kinds.get(name) == {"place"}, (name, kinds.get(name))


def test_the_event_takes_the_recovered_town() -> None:
    analysis = analyze_document(AnalysisInput("d", TEXT, "2017-11-05", False))
    retaken = [e for e in analysis.events if e.sub_event_type == "Government regains territory"]
    assert retaken and retaken[0].location is not None
    assert retaken[0].location.country == "IQ" and retaken[0].location.precision == 1


def test_without_a_country_in_focus_nothing_is_recovered() -> None:
    kinds = kinds_of("Army units recaptured Al-Qaim on Friday. Rawa was shelled the same night.")
    assert "place" not in kinds.get("Rawa", set())


def test_an_unknown_village_is_not_stood_in_for_by_a_landmark_of_a_statement() -> None:
    """An event placed at a village the gazetteer lacks takes a larger place named with
    it, never another place its sentence names for something else."""
    from ember.records import Event
    from ember.scale.pipeline import _locate

    village = Location(name="Barishqa", start=10, end=18)
    idlib = Location(name="Idlib province", start=30, end=44, canonical="Idlib", lat=35.9,
                     lon=36.6, country="SY", feature="admin1", precision=3)  # fmt: skip
    pentagon = Location(name="the Pentagon", start=120, end=132, canonical="Pentagon",
                        lat=38.87, lon=-77.05, country="US", feature="site")  # fmt: skip
    event = Event(id="e", doc_id="d", event_type="Battles", sub_event_type="Armed clash",
                  text="...", span=(100, 180), location=village)  # fmt: skip
    placed = _locate(event, {10: village, 30: idlib, 120: pentagon})
    assert placed.location is not None and placed.location.country == "SY"
