"""Casualty counts from the parse: who suffered each trigger, counted conservatively;
numbers that are not casualties are left alone; nil stated is 0, nothing stated None."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from ember.extract.casualties import CATEGORIES, Casualties, casualties_text


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        ("Insurgents ambushed a convoy near the bridge, killing seven policemen.", 7),
        ("Four guards were killed and 11 wounded in the raid.", 4),
        ("By evening the death toll had risen to 23.", 23),
        ("The car bomb left four dead.", 4),
        ("At least nine villagers died in the shelling.", 9),
        ("The rebels killed the three guards.", 3),
        ("A sniper killed a nurse.", 1),
        ("A shepherd was beheaded by the militants.", 1),
        ("Police killed two of the attackers.", 2),
        ("The blast tore through the market, killing 6, including 3 children.", 6),
        ("The raiders killed four farmers and two teachers.", 6),
        ("More than 40 people lost their lives in the fire.", 40),
        ("Two officers were gunned down outside the court.", 2),
        ("Gunmen shot dead a judge on his way home.", 1),
        ("Gunmen stopped the bus and shot its driver dead.", 1),
        ("Gunmen opened fire on a mayor, killing him.", 1),
        ("The airstrike killed dozens of fighters.", 12),
        ("Three bodies were recovered from the canal.", 3),
        ("Nobody was killed in the explosion.", 0),
        ("Attackers raided a shop owned by Omar Saleh, killing Saleh.", 1),
        ("A tribal elder was abducted and later found dead.", 1),
        ("The explosion claimed the lives of five pilgrims.", 5),
        ("Seven workers were killed and seven others injured.", 7),
        # translated reporting drops the article: still one victim
        ("The militants filmed the beheading of shepherd near the village.", 1),
    ],
)
def test_fatalities(text: str, fatalities: int) -> None:
    assert casualties_text(text).fatalities == fatalities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The mortar round killed five soldiers and wounding twelve others.",
            Casualties(fatalities=5, wounded=12),
        ),
        (
            "Gunmen raided the checkpoint, killing one guard and wounding another.",
            Casualties(fatalities=1, wounded=1),
        ),
        ("Police arrested 14 suspects after the riot.", Casualties(arrested=14)),
        ("Dozens were detained during the protest.", Casualties(arrested=12)),
        ("Troops captured three militants near the dam.", Casualties(arrested=3)),
        ("Militants abducted six aid workers on the highway.", Casualties(kidnapped=6)),
        ("The gang took two engineers hostage.", Casualties(kidnapped=2)),
        (
            "Gunmen kidnapped and killed a merchant and his two nephews.",
            Casualties(fatalities=3, kidnapped=3),
        ),
        ("The explosion caused no casualties.", Casualties(fatalities=0, wounded=0)),
        ("No one was hurt in the fire.", Casualties(wounded=0)),
    ],
)
def test_categories(text: str, expected: Casualties) -> None:
    assert casualties_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Troops captured the airport and two armoured vehicles.",
        "The council passed Resolution 2254 in 2015 at 5 pm.",
        "A 34-year-old farmer said the two trucks were destroyed.",
        "The soldiers were not killed, officials said.",
        "Casualties were not reported.",
        "Militants attacked the village with mortars.",
    ],
)
def test_no_casualties_stated(text: str) -> None:
    assert casualties_text(text) == Casualties()


def test_a_year_is_not_a_victim_count() -> None:
    found = casualties_text("In 2016 gunmen killed a teacher in the town.")
    assert found.fatalities == 1


def test_lexicon_categories_are_known() -> None:
    path = resources.files("ember") / "data" / "casualties" / "lexicon.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["source"]
    for table in ("verbs", "intransitive_verbs", "verb_particles", "nouns", "total_modifiers"):
        assert set(data[table]) <= set(CATEGORIES), table


def test_a_group_both_killed_and_arrested_counts_as_neither() -> None:
    from ember.extract.casualties import casualties_text

    found = casualties_text("The forces killed and arrested more than 40 fighters on Monday.")
    assert found.fatalities is None and found.arrested is None


def test_a_group_kidnapped_and_then_killed_counts_for_both() -> None:
    from ember.extract.casualties import casualties_text

    found = casualties_text("Gunmen kidnapped and killed three shepherds near the village.")
    assert found.fatalities == 3 and found.kidnapped == 3


@pytest.mark.parametrize(
    "text",
    [
        "The builder was attacked on Monday when thugs made an unsuccessful bid to kill him.",
        "Gunmen stormed the office in an attempt to kill the governor.",
        "Two men tried to kill a judge outside the court.",
    ],
)
def test_an_attempt_to_kill_kills_no_one(text: str) -> None:
    assert casualties_text(text).fatalities is None
