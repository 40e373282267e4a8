"""Armed groups of Latin American wire copy (1980s-1990s) and the generic words that
stand for them, on sentences written for these tests."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ember.nlp.actors import add_actor_components, known_acronyms
from ember.nlp.pipeline import MODEL


@pytest.fixture(scope="module")
def nlp() -> Language:
    model = spacy.load(MODEL)
    add_actor_components(model)
    return model


def actors(doc: Doc) -> list[tuple[str, str]]:
    return [(span.text, span.kb_id_) for span in doc.spans["actors"]]


def canonicals(doc: Doc) -> list[str]:
    return [span.kb_id_ for span in doc.spans["actors"]]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("The 19th of April Movement (M-19) signed a truce.", "M-19: 19th of April Movement"),
        ("Sendero Luminoso blew up a pylon near Huancayo.", "Shining Path"),
        ("The Lautaro Youth Front set fire to a bus.", "MJL: Lautaro Youth Movement"),
        (
            "The Zarate Willka Armed Forces of Liberation claimed the killing.",
            "FAL-ZW: Zarate Willka Armed Forces of Liberation",
        ),
        ("EPL guerrillas burned two trucks in Cordoba.", "EPL: Popular Liberation Army"),
        (
            "Ranchers of the Association of Middle Magdalena Cattlemen met in Puerto Boyaca.",
            "ACDEGAM: Association of Middle Magdalena Ranchers and Farmers",
        ),
    ],
)
def test_the_groups_of_the_era_are_known_by_name_and_acronym(
    nlp: Language, text: str, canonical: str
) -> None:
    assert canonical in canonicals(nlp(text))


def test_a_force_noun_that_starts_a_groups_name_is_that_group(nlp: Language) -> None:
    doc = nlp("A reporter was kidnapped by Colombian Army of National Liberation guerrillas.")
    assert "ELN: National Liberation Army" in canonicals(doc)
    assert "Military Forces of Colombia" not in canonicals(doc)
    assert canonicals(nlp("Colombian army troops entered the town.")) == [
        "Military Forces of Colombia"
    ]


def test_rebels_are_the_main_group_unless_it_is_jihadist(nlp: Language) -> None:
    doc = nlp("The FMLN said its units held the hill. The rebels attacked a police post.")
    assert canonicals(doc)[-2] == "FMLN: Farabundo Marti National Liberation Front"
    syria = nlp("ISIS fighters attacked Tadmur. The rebels withdrew to the south.")
    assert canonicals(syria)[-1] == "Opposition Rebels"


def test_drug_traffickers_stand_only_for_a_cartel(nlp: Language) -> None:
    doc = nlp("The Extraditables warned judges. Drug traffickers set off a bomb in Bogota.")
    assert canonicals(doc) == ["The Extraditables", "The Extraditables"]
    guerrilla = nlp("The ELN bombed a pipeline. Drug traffickers were arrested in Cali.")
    assert canonicals(guerrilla) == ["ELN: National Liberation Army"]


def test_members_of_an_armed_group_are_not_protesters(nlp: Language) -> None:
    doc = nlp(
        "Members of the 8th front of the Revolutionary Armed Forces of Colombia carried out"
        " attacks in Cauca to protest the murder of a candidate."
    )
    assert "Protesters" not in canonicals(doc)
    assert canonicals(nlp("Students marched in Lima to protest the fare rise.")) == ["Protesters"]


def test_of_groups_named_equally_often_the_one_the_lede_names_is_the_main_group(
    nlp: Language,
) -> None:
    doc = nlp(
        "The ELN rejected the peace plan. The ELN also kidnapped an inspector."
        " The M-19 wrote to the president. The M-19 signed a truce. The guerrillas left."
    )
    assert canonicals(doc)[-1] == "ELN: National Liberation Army"
    both = nlp("The ELN and the M-19 met. The ELN left. The M-19 stayed. The guerrillas left.")
    assert canonicals(both)[-1] == "Unidentified Armed Group"


def test_acronyms_that_are_english_words_are_not_kept(nlp: Language) -> None:
    acronyms = known_acronyms()
    assert {"ELN", "FARC", "MRTA", "FMLN"} <= acronyms
    assert not {"IS", "US", "TIP", "OPS"} & acronyms


def test_a_demonym_on_a_target_does_not_say_whose_police_act(nlp: Language) -> None:
    doc = nlp(
        "Police in Santiago said terrorists staged three bomb attacks against U.S. properties"
        " in Chile. The police said the FPMR was behind them."
    )
    assert [c for c in canonicals(doc) if c.startswith("Police")] == ["Police Forces of Chile"] * 2
    aden = nlp("At least eight soldiers were killed in the Yemeni city of Aden.")
    assert canonicals(aden) == ["Military Forces of Yemen"]


def test_a_national_liberation_front_glossed_in_parentheses_is_no_syrian_faction(
    nlp: Language,
) -> None:
    doc = nlp("Members of the Farabundo Marti (National Liberation Front) (FMLN) attacked.")
    assert "Opposition Rebels" not in canonicals(doc)
    assert "FMLN: Farabundo Marti National Liberation Front" in canonicals(doc)
