"""Events vs non-events in analytic and news prose, on sentences written for these tests
(none taken from the seeds or the evaluation sets)."""

from __future__ import annotations

import dataclasses
import json
import re
from importlib import resources

import pytest

from ember.extract.eventive import CHECKS, EventiveRules, is_history, load_rules, non_eventive
from ember.extract.events import extract_events, find_hits
from ember.nlp.pipeline import load_pipeline
from ember.records import DateRange, Event


def events_of(text: str, anchor: str | None = "2019-04-01") -> list[Event]:
    doc = load_pipeline()(text)
    return extract_events(doc, doc_id="t", anchor=anchor)


def reasons(text: str) -> dict[str, str | None]:
    doc = load_pipeline()(text)
    return {hit.span.text: non_eventive(hit.span) for hit in find_hits(doc)}


NON_EVENTS = [
    # tallies of many happenings
    ("Last year the militia carried out 210 attacks in the north, killing 150 people.", "tally"),
    ("The commander said his troops killed 2,400 militants.", "tally"),
    # history and background
    ("Most of Raqqa still lies in rubble after years of shelling and air strikes.", "duration"),
    ("Since 2015, when the rebels seized Idlib, thousands of families have fled south.", "history"),
    ("Recruitment has grown since the militia captured the oil fields.", "history"),
    # habitual and generic statements
    ("Local officials have been reporting drone strikes in the valley for months.", "habitual"),
    ("The cell still carries out kidnappings and ambushes along the highway.", "habitual"),
    ("Frequent raids on the camp worry the aid agencies.", "habitual"),
    ("Car bombings had become rare in Kirkuk by then.", "habitual"),
    # trends and tallies
    ("The number of kidnappings in the province rose sharply last year.", "tally"),
    ("Attacks on checkpoints have doubled, the monitor's report shows.", "tally"),
    ("The agency estimated that 40,000 people were displaced.", "tally"),
    # forecasts, intentions, demands, capabilities, fears
    ("Prosecutors say the police lack the means to detain every suspect.", "irrealis"),
    ("The union demanded the arrest of the factory owners.", "irrealis"),
    ("A new law allows the police to arrest anyone without a warrant.", "irrealis"),
    ("The commander sent a team to arrest the smugglers.", "irrealis"),
    ("Residents voiced fears of an attack on the market.", "irrealis"),
    ("Analysts said the cells had kept the ability to attack the capital.", "irrealis"),
    ("The recruits were trained to carry out attacks in the city.", "irrealis"),
    # conditionals and negations
    (
        "Had the leader been detained in March, the unrest might have been avoided.",
        "counterfactual",
    ),
    ("Nobody was arrested after the march, a police spokesman said.", "negated"),
    ("The police left the square without arrests.", "negated"),
    # figurative uses
    ("The activists lived for weeks under virtual house arrest.", "figurative"),
    ("The minister vowed to fight corruption in the ports.", "figurative"),
    ("Her speech was like rocket fuel on the fire of the debate.", "modifier"),
    ("The reform helped arrest the decline of the currency.", "figurative"),
    ("The actor died of a heart attack on Monday.", "figurative"),
    # nominal mentions of an insurgency's methods
    ("The group wages an insurgency of night raids, kidnappings and roadside bombs.", "duration"),
    # time anchors
    ("Four months after the fall of Mosul, the displaced began to return.", "anchor"),
    ("Two days after the bombing, the market reopened.", "anchor"),
    ("In the wake of the attacks, the border was closed.", "anchor"),
    # kinds of things, known events, page furniture
    ("A judge signed an arrest warrant for the mayor.", "modifier"),
    ("Dozens of riot police stood outside the parliament.", "modifier"),
    ("Battle-hardened veterans joined the new brigade.", "modifier"),
    ("Analysts said the attack showed the group's reach.", "analysis"),
    ("Rebels accused the army of breaching the truce.", "reference"),
    ("See also: 2016 Karrada bombing * 2017 Mosul airstrike * 2018 Tikrit attack", "furniture"),
    # habits, sums and causes in wire copy and speeches
    ("The rebels have killed many people and they want to seize power.", "habitual"),
    ("Their enemies like to say that rebels always end up killing each other.", "habitual"),
    ("The militia always attacked the convoys at night.", "habitual"),
    ("His dismissal was prompted by the army bombing of poor districts.", "analysis"),
    ("In the face of the recent attacks, the government adopted new measures.", "anchor"),
    ("The judge read out the crime of murder and the charges of rape.", "kind"),
    ("The group is accused of atrocities such as mass executions.", "duration"),
    ("The network is capable of carrying out bloody attacks around the world.", "habitual"),
]


@pytest.mark.parametrize(("text", "reason"), NON_EVENTS)
def test_a_statement_that_tells_no_happening_gives_no_event(text: str, reason: str) -> None:
    assert reason in reasons(text).values(), reasons(text)
    assert events_of(text) == [], [(e.sub_event_type, e.text) for e in events_of(text)]


KEPT = [
    # a verb that records a happening, unlike a noun that depicts one ("a film of")
    ("The militants filmed the beheading of a shepherd near Hit on Monday.", "Attack"),
    ("Government troops recaptured the town of Hit on Friday.", "Government regains territory"),
    ("Gunmen killed 12 soldiers at a checkpoint near Hit on Monday.", "Armed clash"),
    (
        "A car bomb exploded near a police station in Kirkuk on Sunday.",
        "Remote explosive/landmine/IED",
    ),
    (
        "Gunmen ambushed an army patrol north of Samarra on Monday, killing five soldiers.",
        "Armed clash",
    ),
    (
        "A suicide bomber detonated his vest at a funeral in Tikrit, killing twelve mourners.",
        "Suicide bomb",
    ),
    ("Police arrested six suspects in a raid in Basra on Tuesday.", "Arrests"),
    ("Militants kidnapped three shepherds near Rutba last week.", "Abduction/forced disappearance"),
    (
        "Coalition jets carried out air strikes on a hideout near Hajin on 2 March.",
        "Air/drone strike",
    ),
    ("Police arrested two men three days after the bombing.", "Arrests"),
    ("The arrested persons were identified as two brothers from the old city.", "Arrests"),
    ("Hundreds protested in Nasiriyah, demanding the arrest of the governor.", "Peaceful protest"),
    ("Troops began to shell the village at dawn on Monday.", "Shelling/artillery/missile attack"),
]


@pytest.mark.parametrize(("text", "sub_event_type"), KEPT)
def test_a_happening_stays_an_event(text: str, sub_event_type: str) -> None:
    found = events_of(text)
    assert [e.sub_event_type for e in found] == [sub_event_type], [
        (e.sub_event_type, e.text) for e in found
    ]


def test_a_known_event_investigated_is_still_the_event_it_names() -> None:
    found = events_of("A judge was appointed to investigate the murder of the mayor of Hit.")
    assert [e.event_type for e in found] == ["Violence against civilians"]


def test_an_event_dated_long_before_the_report_is_background() -> None:
    text = "In 2014 the militants seized the dam near Mosul."
    assert events_of(text, anchor="2019-04-01") == []
    assert len(events_of(text, anchor="2014-09-01")) == 1
    doc = load_pipeline()("Back in 2015 they shelled it; in 2019 they shelled it again.")
    old = DateRange(start="2015-01-01", end="2015-12-31", precision="year")
    assert not is_history(old, next(iter(doc.sents)), anchor="2019-04-01")
    assert not is_history(old, next(iter(doc.sents)), anchor=None)


def test_a_paragraph_set_in_the_groups_past_tells_background_only() -> None:
    text = (
        "At the peak of its territorial control, the movement governed three provinces. "
        "Its fighters also captured an army depot full of rockets after storming the "
        "garrison.\n\n"
        "On Tuesday its fighters stormed a police post near Hit and killed four officers."
    )
    found = events_of(text, anchor="2018-03-01")
    assert [(e.sub_event_type, e.fatalities) for e in found] == [("Armed clash", 4)]
    # the same sentences without the frame tell the depot's capture as news
    unframed = text.replace("At the peak of its territorial control, the", "The")
    assert len(events_of(unframed, anchor="2018-03-01")) == 2


# -- the data file ---------------------------------------------------------------------


def _raw() -> dict[str, object]:
    text = resources.files("ember").joinpath("data/events/eventive.json").read_text("utf-8")
    raw: dict[str, object] = json.loads(text)
    return raw


def test_eventive_data_has_a_source_a_note_for_every_list_and_lower_case_words() -> None:
    raw = _raw()
    assert isinstance(raw["source"], str) and raw["source"]
    notes = raw["notes"]
    assert isinstance(notes, dict)
    keys = set(raw) - {"source", "notes"}
    assert keys == set(notes), "every rule list says why it drops a trigger"
    for key in keys:
        value = raw[key]
        if isinstance(value, int):
            assert value > 0
            continue
        groups = value.values() if isinstance(value, dict) else [value]
        for words in groups:
            assert isinstance(words, list) and words, key
            for word in words:
                if key == "idioms":
                    assert isinstance(word, list) and all(w == w.lower() for w in word)
                elif key not in ("furniture_patterns", "past_frame_patterns"):
                    assert isinstance(word, str) and word == word.lower(), (key, word)
    for key in ("furniture_patterns", "past_frame_patterns"):
        for pattern in raw[key]:  # type: ignore[attr-defined]
            re.compile(pattern)


def test_every_rule_list_is_loaded_and_every_check_is_named() -> None:
    rules = load_rules()
    assert isinstance(rules, EventiveRules)
    assert set(EventiveRules.__slots__) - {"trigger_words", "furniture", "past_frames"} <= set(
        _raw()
    ) | {"furniture_patterns", "past_frame_patterns"}
    names = [name for name, _ in CHECKS]
    assert len(names) == len(set(names))
    assert {reason for _, reason in NON_EVENTS} <= set(names)


@pytest.mark.parametrize(
    "text",
    [
        "The army practises fighting against drug trafficking in the jungle, officials said.",
        "They are the ones who lead the battle against subversion in the provinces.",
        "This new attack against the nation compels us to unite, the president said.",
        "What the party has is an uneasy ally and a social time bomb about to explode.",
        # a wire's line break inside the idiom
        "What the party has is an uneasy ally and a social time\nbomb about to explode.",
    ],
)
def test_figures_of_speech_of_political_rhetoric_give_no_event(text: str) -> None:
    assert events_of(text) == []


def test_a_time_bomb_that_exploded_is_an_event() -> None:
    found = events_of("A time bomb exploded at the bus station in Lima on Monday.")
    assert [e.sub_event_type for e in found] == ["Remote explosive/landmine/IED"]


def test_a_trigger_is_judged_once_per_document_and_other_rules_judge_it_afresh() -> None:
    doc = load_pipeline()("The number of kidnappings in the province rose sharply last year.")
    (hit,) = find_hits(doc)
    assert non_eventive(hit.span) == "tally"
    no_tallies = dataclasses.replace(load_rules(), tally_heads=frozenset())
    assert non_eventive(hit.span, no_tallies) != "tally"
    assert non_eventive(hit.span) == "tally"


def test_the_killing_of_named_victims_is_an_event_and_of_tens_of_thousands_a_tally() -> None:
    found = events_of("The killing of 12 villagers in Chalatenango on Monday was condemned.")
    assert [e.sub_event_type for e in found] == ["Attack"]
    assert events_of("The charter was drafted after the killing of over\n70,000 people.") == []


def test_a_perfect_held_over_years_is_a_practice_not_a_happening() -> None:
    from ember.extract.events import extract_events
    from ember.nlp.pipeline import load_pipeline

    nlp = load_pipeline()
    practice = nlp("Rebels have been planting landmines along the roads near Kidal for years.")
    assert extract_events(practice, doc_id="t", anchor="2019-05-01") == []
    ongoing = nlp("Army units have been shelling the town for two days.")
    assert len(extract_events(ongoing, doc_id="t", anchor="2019-05-01")) == 1


def test_in_the_light_of_these_attacks_names_no_new_attack() -> None:
    from ember.extract.events import extract_events
    from ember.nlp.pipeline import load_pipeline

    doc = load_pipeline()(
        "A car bomb exploded near the port of Aden on Monday, killing six soldiers."
        " In the light of these deadly attacks, the government approved new measures."
    )
    (event,) = extract_events(doc, doc_id="t", anchor="2019-05-01")
    assert any("In the light of" in doc.text[a:b] for a, b in event.evidence)
