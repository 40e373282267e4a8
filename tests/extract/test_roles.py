"""Who acted and who was acted on, on sentences written for these tests (none from the
seeds or the evaluation sets)."""

from __future__ import annotations

from ember.extract.events import extract_events
from ember.nlp.pipeline import load_pipeline
from ember.records import Event


def events_of(text: str) -> list[Event]:
    doc = load_pipeline()(text)
    return extract_events(doc, doc_id="t", anchor="2019-04-01")


def sides(text: str) -> list[tuple[str | None, str | None]]:
    return [(event.actor1, event.actor2) for event in events_of(text)]


def test_victims_of_a_claimed_bombing_are_actor2_and_the_claimant_actor1() -> None:
    found = events_of(
        "At least six soldiers were killed in a suicide car bombing near a base in Mukalla "
        "on Monday. The Islamic State later claimed responsibility for the blast."
    )
    assert found[0].actor1 == "Islamic State"
    assert (found[0].actor2 or "").startswith("Military Forces")


def test_a_passive_victim_is_never_actor1() -> None:
    (event,) = events_of("Three soldiers were killed in a roadside blast near Tikrit.")
    assert event.actor1 is None
    assert event.actor2 == "Military Forces"


def test_shot_by_gunmen_gives_the_gunmens_group() -> None:
    assert sides("Five policemen were shot dead by ISIS gunmen at a checkpoint near Kirkuk.") == [
        ("Islamic State", "Police Forces")
    ]


def test_shared_object_of_coordinated_verbs() -> None:
    event = events_of("Hidden ISIS gunmen shot and killed six of the policemen.")[0]
    assert (event.actor1, event.actor2) == ("Islamic State", "Police Forces")


def test_killed_in_police_firing_is_a_police_action() -> None:
    (event,) = events_of("One protester was killed in police firing in the old quarter on Tuesday.")
    assert event.actor1 == "Police Forces"


def test_police_opening_fire_act() -> None:
    event = events_of("Police opened fire on rioters in the market, killing two.")[0]
    assert (event.actor1, event.actor2) == ("Police Forces", "Rioters")


def test_police_who_find_bodies_or_report_did_not_kill() -> None:
    found = events_of("Police found the bodies of three villagers who had been shot dead.")
    assert all(event.actor1 != "Police Forces" for event in found)
    found = events_of("Police said two farmers were killed when gunmen attacked their village.")
    assert found and all(event.actor1 != "Police Forces" for event in found)


def test_police_keeping_a_vigil_do_not_act() -> None:
    found = events_of("Police kept a vigil outside the mosque while a mob burned shops nearby.")
    assert all(event.actor1 != "Police Forces" for event in found)


def test_clashes_between_two_actors() -> None:
    assert sides("Clashes between the SDF and ISIS fighters killed nine people near Hajin.") == [
        ("QSD: Syrian Democratic Forces", "Islamic State")
    ]


def test_coordinated_subjects_of_a_clash_face_each_other() -> None:
    assert sides("Police and rioters clashed in the old city on Friday.") == [
        ("Police Forces", "Rioters")
    ]


def test_an_actor_never_faces_itself() -> None:
    for actor1, actor2 in sides("ISIS fighters executed ISIS members accused of spying in Hajin."):
        assert actor1 != actor2


def test_a_pronoun_in_a_reported_clause_is_the_speaker() -> None:
    (event,) = events_of("The SDF said on Saturday that they had captured the village of Hajin.")
    assert event.actor1 == "QSD: Syrian Democratic Forces"


def test_killed_in_a_raid_by_named_forces() -> None:
    (event,) = events_of(
        "The commander was killed in a night raid by US special forces near Idlib."
    )
    assert event.actor1 == "Military Forces of the United States"


def test_those_who_died_never_acted() -> None:
    for event in events_of("Two children died when a bomber set off his suicide vest."):
        assert event.actor1 != "Civilians"


def test_the_force_that_says_it_raided_is_actor1() -> None:
    found = events_of(
        "Iraq's Counter-terrorism Force said on Monday that it had carried out raids on "
        "hideouts in Anbar and arrested five militants."
    )
    assert found[0].actor1 == "Military Forces of Iraq Counter Terrorism Service"


def test_a_clash_that_raged_when_a_group_attacked_is_that_groups() -> None:
    (event, *_) = events_of(
        "Heavy fighting raged last night in Soyapango when members of the FMLN attacked a"
        " power station."
    )
    assert event.actor1 == "FMLN: Farabundo Marti National Liberation Front"


def test_a_group_held_responsible_later_is_actor1() -> None:
    found = events_of(
        "A car bomb exploded outside a bank in Medellin on Monday, killing two guards."
        " Police said the Extraditables are responsible for the attack."
    )
    assert found[0].actor1 == "The Extraditables"


def test_an_attack_attributed_to_a_group_is_that_groups() -> None:
    found = events_of(
        "Gunmen shot dead a judge in Bogota on Monday. The callers attributed the killing to"
        " the Medellin cartel."
    )
    assert found[0].actor1 == "Medellin Cartel"


def test_a_denied_or_unclaimed_attack_gets_no_claimant() -> None:
    found = events_of(
        "A bomb exploded outside a bank in Lima on Monday. No one has claimed responsibility"
        " for the attack."
    )
    assert found[0].actor1 is None
    denied = events_of(
        "A bomb exploded outside a bank in Lima on Monday. The MRTA said it was not"
        " responsible for the blast."
    )
    assert denied[0].actor1 is None


def test_weapons_confiscated_are_no_grenade_attack() -> None:
    found = events_of(
        "Troops confiscated 13 rifles, a mortar and two grenade launchers in a raid on a rebel"
        " camp near Chalatenango on Monday."
    )
    assert [e.sub_event_type for e in found] == ["Disrupted weapons use"]
    listed = events_of(
        "In addition, the army confiscated 300 fuses for explosives, fragmentation grenades,"
        " incendiary bombs and 40 rifles near Chalatenango on Monday."
    )
    assert [e.sub_event_type for e in listed] == ["Disrupted weapons use"]


def test_the_one_group_a_report_holds_responsible_acted_in_its_unclaimed_blast() -> None:
    found = events_of(
        "A passenger jet exploded in midair near Bogota on Monday, killing 107 people."
        " Investigators are examining the wreck. Relatives gathered at the airport."
        " A radio station received a call from the Extraditables, who said they were"
        " responsible for the action."
    )
    assert found[0].actor1 == "The Extraditables"


def test_a_document_claimant_never_becomes_the_doer_of_violence_against_it() -> None:
    found = events_of(
        "Troops killed three members of the ELN in Arauca on Monday. Officials said later"
        " that the ELN was responsible for last week's pipeline bombing."
    )
    assert found[0].actor1 != "ELN: National Liberation Army"


def test_a_denied_operation_names_nobody() -> None:
    found = events_of(
        "A judge was shot dead in San Salvador on Monday. The FMLN issued a communique"
        " denying that it directed the attack."
    )
    assert found[0].actor1 is None
