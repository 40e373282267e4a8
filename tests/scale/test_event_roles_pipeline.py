"""Events as the whole analysis reads them (places recovered from names the parser took
for people, then events): what was taken decides whether "captured" is an arrest, a
kidnapping or a conquest, and whom territory was taken from is actor2."""

from __future__ import annotations

import pytest

from ember.geo.recover import places_among
from ember.records import Event
from ember.scale.pipeline import analyze_text


def only(text: str, published: str = "2017-09-01") -> Event:
    found = analyze_text(text, published=published)
    assert len(found) == 1, [(e.sub_event_type, e.text) for e in found]
    return found[0]


def test_a_town_geonames_gives_no_population_is_known_by_its_many_spellings() -> None:
    # Tal Afar: population 0 in GeoNames' cities500, written ten ways.
    assert places_among(["Tal Afar"], countries={"IQ"}) == [True]
    assert places_among(["Tal Afar"], countries={"SY"}) == [False]


@pytest.mark.parametrize(
    "text",
    [
        "Iraqi forces recaptured Tal Afar on Thursday.",
        "Iraqi forces recaptured Tal Afar from the Islamic State on Thursday.",
    ],
)
def test_a_town_retaken_is_territory_not_an_arrest(text: str) -> None:
    event = only(text)
    assert event.sub_event_type == "Government regains territory"
    assert event.actor1 == "Military Forces of Iraq"
    assert event.location is not None and event.location.country == "IQ"


def test_whom_territory_was_taken_from_is_actor2() -> None:
    event = only("Iraqi forces recaptured the town from the Islamic State on Thursday.")
    assert (event.actor1, event.actor2) == ("Military Forces of Iraq", "Islamic State")


def test_a_person_captured_by_police_is_an_arrest_whatever_the_model_reads() -> None:
    event = only("Police captured Ahmed Hassan in Basra on Monday.")
    assert event.sub_event_type == "Arrests"
    assert event.arrested == 1


def test_people_a_group_captures_are_kidnapped_not_arrested() -> None:
    event = only("Islamic State fighters captured two soldiers near Kirkuk on Monday.")
    assert event.sub_event_type == "Abduction/forced disappearance"
    assert (event.kidnapped, event.arrested) == (2, None)


def test_the_model_reading_a_conceded_arrest_does_not_retype_the_protest() -> None:
    # Written the Monday after: the arrests are conceded, the protest is the news.
    event = only(
        "Although police arrested five men in Minneapolis on Friday, protests went on"
        " through the night.",
        published="2020-06-01",
    )
    assert event.sub_event_type == "Protest with intervention"
    assert event.actor1 == "Protesters"


def test_hostages_taken_are_a_kidnapping_not_the_town_they_were_held_in() -> None:
    event = only("Gunmen seized 40 hostages in a hospital in Budennovsk on Monday.")
    assert event.sub_event_type == "Abduction/forced disappearance"
    assert event.kidnapped == 40


def test_a_name_inside_the_object_does_not_make_a_building_a_person() -> None:
    found = analyze_text(
        "Teachers took over the Benito Juarez secondary school in Oaxaca on Monday to demand"
        " their unpaid wages.",
        published="2022-06-08",
    )
    assert all(e.sub_event_type != "Arrests" for e in found)


def test_who_backs_the_actor_is_not_the_actor() -> None:
    found = analyze_text(
        "Kurdish fighters supported by US aircraft attacked Islamic State positions near"
        " Hajin on Monday.",
        published="2019-05-01",
    )
    (event,) = found
    assert event.actor1 != "Military Forces of the United States"
    # Hajin, the Euphrates town, not the United States the aircraft came from.
    assert event.location is not None and event.location.country == "SY"
