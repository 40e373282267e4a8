"""One happening, one event per document: later tellings fold into the first."""

from __future__ import annotations

from ember.extract.happenings import merge_one_happening
from ember.records import DateRange, Event, Location

DAY = DateRange(start="2022-01-20", end="2022-01-20", precision="day")
STARTS = [0, 100, 200, 300, 400, 500, 600, 700, 800, 900]


def event(n: int, at: int, **fields: object) -> Event:
    values: dict[str, object] = {
        "id": f"e{n}", "doc_id": "d", "event_type": "Battles", "sub_event_type": "Armed clash",
        "text": f"Sentence {n}.", "span": (at, at + 50), "date": DAY,
    }  # fmt: skip
    return Event(**{**values, **fields})  # type: ignore[arg-type]


TOWN = Location(name="Hasakah")


def test_a_follow_up_that_adds_the_toll_folds_into_the_lede() -> None:
    lede = event(1, 0, location=TOWN, actor1="Islamic State")
    toll = event(2, 200, event_type="Violence against civilians", sub_event_type="Attack",
                 fatalities=12)  # fmt: skip
    (merged,) = merge_one_happening([lede, toll], STARTS)
    assert merged.id == "e1" and merged.fatalities == 12 and merged.location == TOWN
    assert merged.evidence == ((200, 250),)


def test_a_territorial_change_told_twice_is_one_change() -> None:
    took = event(1, 0, event_type="Strategic developments",
                 sub_event_type="Non-state actor overtakes territory", location=TOWN)  # fmt: skip
    cleared = event(2, 100, event_type="Strategic developments",
                    sub_event_type="Government regains territory")  # fmt: skip
    assert len(merge_one_happening([took, cleared], STARTS)) == 1


def test_other_places_days_kinds_actors_and_another_stay_apart() -> None:
    lede = event(1, 0, location=TOWN, actor1="Islamic State")
    cases = [
        event(2, 100, location=Location(name="Baghdad")),
        event(3, 100, date=DateRange(start="2022-01-25", end="2022-01-25", precision="day")),
        event(4, 100, event_type="Protests", sub_event_type="Peaceful protest"),
        event(5, 100, actor1="Military Forces of Iraq", actor2="Police Forces of Iraq"),
        event(6, 100, text="In another attack, gunmen killed two shepherds."),
        event(7, 900),  # too far on to be the same telling
    ]
    for later in cases:
        assert len(merge_one_happening([lede, later], STARTS)) == 2, later.id


def test_an_undated_first_telling_takes_no_later_one_with_its_own_time() -> None:
    undated = event(
        1, 0, date=DateRange.unknown(), sub_event_type="Attack",
        event_type="Violence against civilians",
    )  # fmt: skip
    assert len(merge_one_happening([undated, event(2, 100)], STARTS)) == 2


def test_a_fall_told_this_week_and_on_friday_is_one_fall() -> None:
    week = DateRange(start="2017-11-06", end="2017-11-12", precision="week")
    friday = DateRange(start="2017-11-03", end="2017-11-03", precision="day")
    kind = {
        "event_type": "Strategic developments",
        "sub_event_type": "Government regains territory",
    }
    lede = event(1, 0, date=week, **kind)
    later = event(2, 100, date=friday, **kind)
    assert len(merge_one_happening([lede, later], STARTS)) == 1


def test_a_place_and_its_name_with_the_kind_of_place_are_one_place() -> None:
    lede = event(1, 0, location=Location(name="Idlib province"))
    later = event(2, 100, location=Location(name="Idlib"))
    assert len(merge_one_happening([lede, later], STARTS)) == 1


def test_a_toll_given_days_later_is_the_toll_of_the_happening_told_first() -> None:
    assault = event(1, 0, location=TOWN, actor1="Islamic State")
    later = DateRange(start="2022-01-31", end="2022-01-31", precision="day")
    toll = event(2, 900, event_type="Violence against civilians", sub_event_type="Attack",
                 actor2="Civilians", fatalities=121, date=later)  # fmt: skip
    assert len(merge_one_happening([assault, toll], STARTS)) == 2  # an ordinary later event
    (merged,) = merge_one_happening([assault, toll], STARTS, told_past=frozenset({"e2"}))
    assert merged.fatalities == 121 and merged.date == DAY


def test_a_statement_about_the_past_does_not_reach_back_more_than_a_month() -> None:
    raid = event(1, 0)
    much_later = DateRange(start="2022-03-30", end="2022-03-30", precision="day")
    briefing = event(2, 100, date=much_later)
    assert len(merge_one_happening([raid, briefing], STARTS, told_past=frozenset({"e2"}))) == 2


def test_a_place_the_first_telling_also_names_is_the_same_place() -> None:
    raid = event(1, 0, location=Location(name="Idlib province"),
                 text="He was killed in a raid near Barisha, in Idlib province.")  # fmt: skip
    again = event(2, 100, location=Location(name="Barisha"), text="Two children died there.")
    assert len(merge_one_happening([raid, again], STARTS)) == 1


def test_folding_in_never_makes_an_actor_face_itself() -> None:
    first = event(1, 0, actor1="Civilians")
    later = event(2, 100, actor2="Civilians", fatalities=3)
    (merged,) = merge_one_happening([first, later], STARTS)
    assert merged.actor1 == "Civilians" and merged.actor2 is None


def test_the_second_bomber_minutes_later_is_the_same_bombing() -> None:
    first = event(1, 0, event_type="Explosions/Remote violence", sub_event_type="Suicide bomb",
                  location=Location(name="Baghdad"), fatalities=32)  # fmt: skip
    second = event(2, 200, event_type="Explosions/Remote violence", sub_event_type="Suicide bomb",
                   location=Location(name="Bab al-Sharqi"),
                   text="The second bomber detonated his belt minutes later.")  # fmt: skip
    (merged,) = merge_one_happening([first, second], STARTS)
    assert merged.location == Location(name="Baghdad") and merged.fatalities == 32


def test_a_far_reference_back_must_name_the_same_kind_of_happening() -> None:
    clash = event(1, 0)
    later = event(2, 900, event_type="Violence against civilians", sub_event_type="Attack")
    assert len(merge_one_happening([clash, later], STARTS, told_before=frozenset({"e2"}))) == 2
    again = event(3, 900)
    assert len(merge_one_happening([clash, again], STARTS, told_before=frozenset({"e3"}))) == 1
