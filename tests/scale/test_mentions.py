"""The places an analysis keeps: a name the parser took for a person or an organisation
is a place when it is a town of the countries the document is about, and a place is
never a person or an organisation."""

from __future__ import annotations

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
