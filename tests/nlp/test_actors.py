"""The actor table and the actor and person components, on sentences written for these
tests."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ember.nlp.actors import (
    actor_info,
    add_actor_components,
    inter_for,
    load_actor_table,
    qualified_name,
)
from ember.nlp.fold import fold
from ember.nlp.pipeline import MODEL
from ember.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def nlp() -> Language:
    model = spacy.load(MODEL)
    add_actor_components(model)
    return model


def actors(doc: Doc) -> list[tuple[str, str]]:
    return [(span.text, span.kb_id_) for span in doc.spans["actors"]]


def canonicals(doc: Doc) -> list[str]:
    return [span.kb_id_ for span in doc.spans["actors"]]


# --- the data files -------------------------------------------------------------


def _rows(name: str) -> list[dict[str, object]]:
    text = files("ember").joinpath(f"data/actors/{name}").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(
    "name", ["actors.jsonl", "states.jsonl", "persons.jsonl", "roles.jsonl", "generics.jsonl"]
)
def test_every_row_names_its_source(name: str) -> None:
    assert all(isinstance(row.get("source"), str) and row["source"] for row in _rows(name))


def test_actor_rows_use_acled_inter_codes_and_unique_names() -> None:
    codes = set(load_taxonomy().inter_codes) - {0}
    rows = _rows("actors.jsonl")
    names = [row["name"] for row in rows]
    assert len(names) == len(set(names))
    assert all(row["inter"] in codes for row in rows)


def test_no_folded_alias_names_two_actors() -> None:
    owner: dict[str, str] = {}
    clashes = []
    for row in _rows("actors.jsonl"):
        names = [row["name"], *row.get("aliases", []), *row.get("local_aliases", [])]  # type: ignore[misc]
        for alias in names:
            key = fold(str(alias))
            if owner.setdefault(key, str(row["name"])) != row["name"]:
                clashes.append((alias, owner[key], row["name"]))
    assert clashes == []


def test_local_aliases_belong_to_an_actor_of_one_country() -> None:
    for row in _rows("actors.jsonl"):
        if row.get("local_aliases") or row.get("local_exact"):
            assert isinstance(row.get("country"), str), row["name"]
    for row in _rows("states.jsonl"):
        assert all(isinstance(word, str) for word in row.get("local_demonyms", []))  # type: ignore[attr-defined]


def test_state_allied_and_jihadist_flags_are_on_armed_groups() -> None:
    for row in _rows("actors.jsonl"):
        if row.get("state_allied") or row.get("jihadist"):
            assert row["kind"] in ("armed group", "militia"), row["name"]
            assert not (row.get("state_allied") and row.get("jihadist")), row["name"]


def test_word_sets_the_code_reads_are_there() -> None:
    sets = {row["set"] for row in _rows("words.jsonl")}
    assert {"group_labels", "reciprocal_verbs", "non_acting_verbs"} <= sets


def test_persons_belong_to_actors_in_the_table() -> None:
    table = load_actor_table()
    for row in _rows("persons.jsonl"):
        assert row["affiliation"] in table.actors


# --- the look-ups ------------------------------------------------------------------------


def test_actor_info_gives_inter_code_kind_and_country() -> None:
    info = actor_info("QSD: Syrian Democratic Forces")
    assert (info.inter, info.kind, info.country) == (2, "armed group", "SY")
    assert actor_info("Military Forces of Iraq (2020-)").canonical == "Military Forces of Iraq"
    assert actor_info("Islamic State (Syria)").canonical == "Islamic State"
    with pytest.raises(KeyError):
        actor_info("The Daily Planet")


def test_qualified_names_follow_acled() -> None:
    assert qualified_name("Islamic State", "IQ") == "Islamic State (Iraq)"
    assert qualified_name("Military Forces", "SY") == "Military Forces of Syria"
    assert qualified_name("Military Forces", "PH") == "Military Forces of the Philippines"
    assert qualified_name("Civilians", "FI") == "Civilians (Finland)"  # from pycountry
    assert qualified_name("QSD: Syrian Democratic Forces", "SY") == "QSD: Syrian Democratic Forces"
    assert qualified_name("Islamic State", None) == "Islamic State"


def test_state_forces_abroad_are_external() -> None:
    assert inter_for("Military Forces of Turkey", "SY") == 8
    assert inter_for("Military Forces of Turkey", "TR") == 1
    assert inter_for("Islamic State", "SY") == 2


# --- alias families ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Fighters loyal to Daesh fled the town.", "Islamic State"),
        ("A statement from Da'esh was read out.", "Islamic State"),
        ("Residents said Da’ash cells were active.", "Islamic State"),
        ("The banner read «Da’ash» in red.", "Islamic State"),
        ("ISIL claimed the blast.", "Islamic State"),
        ("ISIS remnants hid in the valley.", "Islamic State"),
        ("The Syrian Democratic Forces took the hill.", "QSD: Syrian Democratic Forces"),
        (
            "The Hashd al-Sha'bi sent reinforcements.",
            "Military Forces of Iraq Popular Mobilization Forces",
        ),
        ("A PMF brigade moved north.", "Military Forces of Iraq Popular Mobilization Forces"),
        (
            "The Counter Terrorism Service led the raid.",
            "Military Forces of Iraq Counter Terrorism Service",
        ),
        ("Assad forces shelled the village.", "Military Forces of Syria"),
        ("The SAA advanced on the ridge.", "Military Forces of Syria"),
        ("Hay'at Tahrir al-Sham controls the province.", "HTS: Hayat Tahrir al Sham"),
        ("Jabhat al-Nusra once held the town.", "HTS: Hayat Tahrir al Sham"),
        ("Al-Qa'ida issued a threat.", "Al Qaeda"),
        ("AQAP fighters ambushed a patrol.", "AQAP: Al Qaeda in the Arabian Peninsula"),
        ("Al-Shabab gunmen stormed the hotel.", "Al Shabaab"),
        ("JNIM claimed the ambush.", "JNIM: Group for Support of Islam and Muslims"),
        ("The Taleban took the district.", "Taliban"),
        (
            "Boko Haram raided the village.",
            "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
        ),
        ("ISWAP attacked the base.", "Islamic State (West Africa)"),
        ("Hizballah denied the claim.", "Hezbollah"),
        ("The Houthis fired a missile.", "Military Forces of Yemen Supreme Political Council"),
        ("Peshmerga fighters held the line.", "Military Forces of Iraq Peshmerga"),
        ("The YPG withdrew from the town.", "YPG: Peoples Protection Units"),
        ("The Turkish-backed Syrian National Army shelled the road.", "JWS: Syrian National Army"),
        ("The US-led coalition struck the bridge.", "Global Coalition Against Daesh"),
        ("Tribal fighters joined the operation.", "Unidentified Tribal Militia"),
        ("Unidentified gunmen opened fire.", "Unidentified Armed Group"),
        ("Three civilians were wounded.", "Civilians"),
        ("Protesters blocked the bridge.", "Protesters"),
        ("Rioters set tyres on fire.", "Rioters"),
    ],
)
def test_alias_families(nlp: Language, text: str, canonical: str) -> None:
    assert canonical in canonicals(nlp(text))


def test_is_only_in_capitals_and_not_the_verb(nlp: Language) -> None:
    assert canonicals(nlp("Is the road open? It is, and IS gunmen fled.")) == ["Islamic State"]
    assert actors(nlp("The town is quiet.")) == []
    assert actors(nlp("THE WAR IS OVER SAYS MINISTER")) == []


def test_us_is_a_country_only_in_capitals(nlp: Language) -> None:
    assert canonicals(nlp("US forces left the base.")) == ["Military Forces of the United States"]
    assert canonicals(nlp("They told us troops were leaving.")) == ["Military Forces"]


def test_member_nouns_join_the_group_mention(nlp: Language) -> None:
    assert actors(nlp("IS militants attacked a checkpoint.")) == [("IS militants", "Islamic State")]


# --- nationality phrases ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mention", "canonical"),
    [
        ("Iraqi forces entered the town.", "Iraqi forces", "Military Forces of Iraq"),
        ("Turkish troops crossed the border.", "Turkish troops", "Military Forces of Turkey"),
        ("Russian warplanes struck the camp.", "Russian warplanes", "Military Forces of Russia"),
        ("The Israeli army said it fired.", "Israeli army", "Military Forces of Israel"),
        ("The Syrian regime denied it.", "Syrian regime", "Military Forces of Syria"),
        ("Coalition aircraft hit a truck.", "Coalition aircraft", "Global Coalition Against Daesh"),
        (
            "Turkish army helicopters fired.",
            "Turkish army helicopters",
            "Military Forces of Turkey",
        ),
        ("Iraqi police forces closed the road.", "Iraqi police forces", "Police Forces of Iraq"),
        ("Regime forces shelled the farms.", "Regime forces", "Military Forces of Syria"),
    ],
)
def test_nationality_phrases_are_state_forces(
    nlp: Language, text: str, mention: str, canonical: str
) -> None:
    assert (mention, canonical) in actors(nlp(text))


def test_a_demonym_without_a_force_noun_is_no_actor(nlp: Language) -> None:
    assert actors(nlp("The Iraqi government met Turkish officials in a Syrian city.")) == []


def test_turkish_backed_factions_are_not_the_turkish_army(nlp: Language) -> None:
    assert canonicals(nlp("Turkish-backed factions shelled the village.")) == [
        "JWS: Syrian National Army"
    ]


def test_unnamed_soldiers_take_the_one_country_the_document_names(nlp: Language) -> None:
    doc = nlp("Iraqi troops searched the valley. Two soldiers were wounded.")
    assert canonicals(doc) == ["Military Forces of Iraq", "Military Forces of Iraq"]
    doc = nlp("Iraqi and Turkish troops met. Two soldiers were wounded.")
    assert canonicals(doc) == [
        "Military Forces of Iraq",
        "Military Forces of Turkey",
        "Military Forces",
    ]


# --- generic mentions and the main group ----------------------------------------------------


def test_the_group_is_the_main_group_when_clear(nlp: Language) -> None:
    doc = nlp(
        "ISIS attacked a checkpoint near the river. Daesh also burned crops. "
        "The SDF said the group lost ten fighters."
    )
    assert ("the group", "Islamic State") in actors(doc)
    assert doc.spans["actors"].attrs["main_group"] == "Islamic State"


def test_the_group_is_left_out_without_a_main_group(nlp: Language) -> None:
    doc = nlp("The weather was cold. The group met at noon.")
    assert actors(doc) == []
    tied = nlp("HTS and Hurras al-Din clashed. The group later withdrew.")
    assert "the group" not in [span.text.lower() for span in tied.spans["actors"]]


def test_the_group_of_is_not_a_mention(nlp: Language) -> None:
    doc = nlp("ISIS fighters fled. The group of farmers returned home.")
    assert [text for text, _ in actors(doc)] == ["ISIS fighters", "farmers"]


def test_militants_without_a_main_group_are_unidentified(nlp: Language) -> None:
    assert canonicals(nlp("Militants attacked a bus.")) == ["Unidentified Armed Group"]
    doc = nlp("Al-Shabaab claimed the raid. The militants killed two guards.")
    assert canonicals(doc)[:2] == ["Al Shabaab", "Al Shabaab"]


def test_the_coalition_needs_the_coalition_named(nlp: Language) -> None:
    assert actors(nlp("The coalition government fell in March.")) == []
    doc = nlp("The international coalition struck twice. The coalition said two died.")
    assert canonicals(doc) == ["Global Coalition Against Daesh"] * 2


# --- several actors, non-actors, protests ---


def test_a_sentence_with_two_actors(nlp: Language) -> None:
    doc = nlp("Hezbollah fighters clashed with Israeli soldiers near the border.")
    assert actors(doc) == [
        ("Hezbollah fighters", "Hezbollah"),
        ("Israeli soldiers", "Military Forces of Israel"),
    ]
    first, second = doc.spans["actors"]
    assert (first._.inter, second._.inter) == (3, 1)
    assert second._.actor_kind == "military"
    assert all(span.label_ == "ACTOR" for span in doc.spans["actors"])


def test_an_organisation_outside_the_table_is_no_actor(nlp: Language) -> None:
    doc = nlp("The Baltimore Sun and Reuters reported the vote at the United Nations.")
    assert actors(doc) == []


def test_protest_subjects_are_protesters(nlp: Language) -> None:
    doc = nlp("On Monday, nurses protested outside the hospital over unpaid wages.")
    assert "Protesters" in canonicals(doc)
    doc = nlp("Residents staged a protest against the water cuts.")
    assert canonicals(doc) == ["Protesters"]


# --- persons ------------------------------------------------------------------------------------


def persons(doc: Doc) -> list[tuple[str, str, str | None, str | None]]:
    return [
        (span.text, span.kb_id_, span._.role, span._.affiliation) for span in doc.spans["persons"]
    ]


def test_a_surname_links_to_the_full_name(nlp: Language) -> None:
    doc = nlp(
        "Coalition spokesman Col. Harold Pemberton said the raid was over. "
        "Pemberton added that Mr. Pemberton's office would say more."
    )
    found = persons(doc)
    assert found[0][:3] == ("Harold Pemberton", "Harold Pemberton", "spokesperson")
    assert found[0][3] == "Global Coalition Against Daesh"
    assert {kb for _, kb, _, _ in found} == {"Harold Pemberton"}
    assert len(found) >= 2


def test_roles_and_affiliations_as_stated(nlp: Language) -> None:
    doc = nlp("Karim Haddad, a commander of the SDF, said the town was taken.")
    assert ("Karim Haddad", "Karim Haddad", "commander", "QSD: Syrian Democratic Forces") in (
        persons(doc)
    )
    doc = nlp("ISIS fighters retreated. The group's spokesman Abu Salim al-Tikriti denied it.")
    name, _, role, affiliation = persons(doc)[-1]
    assert "Tikriti" in name
    assert (role, affiliation) == ("spokesperson", "Islamic State")


def test_table_persons_carry_their_role(nlp: Language) -> None:
    doc = nlp("Reports said Abu Bakr al-Baghdadi was killed. Baghdadi had hidden for years.")
    found = persons(doc)
    assert found[0][1:] == ("Abu Bakr al-Baghdadi", "leader", "Islamic State")
    assert all(kb == "Abu Bakr al-Baghdadi" for _, kb, _, _ in found)


def test_a_person_without_a_stated_role(nlp: Language) -> None:
    doc = nlp("Maria Lopez walked to the market on Sunday.")
    assert persons(doc) == [("Maria Lopez", "Maria Lopez", None, None)]


def test_components_are_added_once_after_ner(nlp: Language) -> None:
    add_actor_components(nlp)
    names = nlp.pipe_names
    assert names.count("ember_actors") == 1
    assert names.index("ember_actors") > names.index("ner")
    assert names.index("ember_persons") == names.index("ember_actors") + 1


# --- groups that were missing or misnamed ----------------------------------------------------


def test_ansar_al_islam_is_its_own_group_not_ansar_al_sunnah(nlp: Language) -> None:
    doc = nlp("A little-known group calling itself Ansar al-Islam said it ambushed a patrol.")
    assert "Ansar al Islam" in canonicals(doc)
    assert "Ansar al Sunnah" not in canonicals(doc)
    assert canonicals(nlp("Ansar al-Sunnah fighters fled north.")) == ["Ansar al Sunnah"]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        (
            "FARABUNDO MARTI NATIONAL LIBERATION FRONT UNITS BLEW UP A PYLON.",
            "FMLN: Farabundo Marti National Liberation Front",
        ),
        ("THE FMLN DENIED THE REPORT.", "FMLN: Farabundo Marti National Liberation Front"),
        ("URNG COLUMNS BURNED A FARM.", "URNG: Guatemalan National Revolutionary Unity"),
        ("ELN REBELS DYNAMITED THE PIPELINE.", "ELN: National Liberation Army"),
        ("THE FARC KIDNAPPED A MAYOR.", "FARC: Revolutionary Armed Forces of Colombia"),
        ("THE MRTA SEIZED A RADIO STATION.", "MRTA: Tupac Amaru Revolutionary Movement"),
        ("SENDERO LUMINOSO BLEW UP A BRIDGE.", "Shining Path"),
        ("Shining Path guerrillas raided the hamlet.", "Shining Path"),
        ("THE EXTRADITABLES THREATENED JUDGES.", "The Extraditables"),
        ("A MEDELLIN CARTEL HIT MAN WAS CAUGHT.", "Medellin Cartel"),
        ("THE CONTRAS AMBUSHED A TRUCK.", "Contras"),
    ],
)
def test_latin_american_groups_also_in_capitals(nlp: Language, text: str, canonical: str) -> None:
    assert canonical in canonicals(nlp(text))


def test_the_fmln_is_not_generic_opposition_rebels(nlp: Language) -> None:
    doc = nlp("THE FARABUNDO MARTI NATIONAL LIBERATION FRONT CLAIMED THE RAID.")
    assert "Opposition Rebels" not in canonicals(doc)


def test_army_in_capitals_is_the_documents_country(nlp: Language) -> None:
    doc = nlp(
        "SAN SALVADOR, 12 MAY 90 -- SALVADORAN OFFICIALS SAID THAT THE ARMY REPELLED A RAID. "
        "THE ARMED FORCES LOST TWO MEN, EL SALVADOR'S DEFENSE MINISTER ADDED."
    )
    assert canonicals(doc) == ["Military Forces of El Salvador"] * 2


def test_soldiers_take_the_country_their_sentence_names(nlp: Language) -> None:
    doc = nlp("Iraqi troops held the town. Iraqi police arrived. Soldiers died in a Yemeni port.")
    assert canonicals(doc)[-1] == "Military Forces of Yemen"


def test_the_regime_is_syria_only_in_a_syrian_context(nlp: Language) -> None:
    assert canonicals(nlp("Regime forces shelled Kafr Nabl.")) == ["Military Forces of Syria"]
    syrian = nlp("Syrian media said the regime moved tanks near Hama.")
    assert "Military Forces of Syria" in canonicals(syrian)
    other = nlp("THE SALVADORAN REGIME REJECTED THE TALKS, EL SALVADOR'S RADIO SAID.")
    assert "Military Forces of Syria" not in canonicals(other)


def test_local_aliases_need_their_country(nlp: Language) -> None:
    doc = nlp("Federal police raided a house in a Colombian town, Colombia's media said.")
    assert "Police Forces of Iraq" not in canonicals(doc)
    assert "Police Forces of Iraq" in canonicals(nlp("Federal Police raided a house in Kirkuk."))
    passing = nlp("Federal Police and pro-Iran militias searched the desert.")
    assert "Police Forces of Iraq" in canonicals(passing)
    panama = nlp("THE PDF SURRENDERED TO PANAMANIAN CIVILIANS IN PANAMA CITY.")
    assert "People's Defense Force" not in canonicals(panama)


# --- the group the document is about -----------------------------------------------------------


def test_militants_are_never_a_state_allied_force(nlp: Language) -> None:
    doc = nlp(
        "The SDF said SDF units had searched two villages. The SDF arrested a suspect. "
        "ISIS cells remain active, and the militants attacked an SDF checkpoint; "
        "the group also burned a truck."
    )
    assert doc.spans["actors"].attrs["main_group"] == "Islamic State"
    assert ("the militants", "Islamic State") in actors(doc)
    assert ("the group", "Islamic State") in actors(doc)


def test_a_state_allied_force_alone_is_no_main_group(nlp: Language) -> None:
    doc = nlp("The SDF said militants attacked its checkpoint. The SDF lost two men.")
    assert doc.spans["actors"].attrs["main_group"] is None
    assert ("militants", "Unidentified Armed Group") in actors(doc)


def test_the_group_labelled_terrorist_is_the_main_group(nlp: Language) -> None:
    doc = nlp(
        "HTS took the town. HTS opened an office there. The jihadist group Hurras al-Din "
        "rejected the deal, and the group later attacked a checkpoint."
    )
    assert doc.spans["actors"].attrs["main_group"] == "Hurras al Din"


def test_a_country_inside_another_actors_name_does_not_place_soldiers(nlp: Language) -> None:
    doc = nlp("Army units joined the assault, with air support from the US-led coalition.")
    assert canonicals(doc)[0] == "Military Forces"


def test_a_country_that_owns_the_force_names_its_nation() -> None:
    from ember.nlp.pipeline import load_pipeline

    doc = load_pipeline()(
        "Iraqi troops pushed west on Thursday. Syria's army announced on Friday that it had "
        "recaptured the city from the group."
    )
    forces = [a.kb_id_ for a in doc.spans["actors"] if a.text == "army"]
    assert forces == ["Military Forces of Syria"]


def test_the_army_is_the_one_last_named_not_a_backers_nationality(nlp: Language) -> None:
    doc = nlp(
        "Syria's army said on Friday that it had recaptured the city. A statement from the"
        " army general command said units backed by the Russian air force had taken the last"
        " districts."
    )
    assert canonicals(doc) == [
        "Military Forces of Syria",
        "Military Forces of Syria",
        "Military Forces of Russia",
    ]
