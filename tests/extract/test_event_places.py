"""The event's own place when a sentence names a place and the larger places holding it."""

from __future__ import annotations

import pytest

from ember.extract.events import extract_events
from ember.nlp.pipeline import load_pipeline


def place_of(text: str) -> str | None:
    doc = load_pipeline()(text)
    (event,) = extract_events(doc, doc_id="d", anchor="2022-03-01")
    return event.location.name if event.location else None


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Army units shelled Kafr Ruma town in the Idlib countryside on Monday.", "Kafr Ruma"),
        ("Warplanes bombed Beit Sawa village in the Douma district of Damascus.", "Beit Sawa"),
        ("Gunmen attacked a checkpoint in Hawija, Kirkuk, on Sunday.", "Hawija"),
    ],
)
def test_the_smallest_place_named_is_the_events_not_the_province_holding_it(
    text: str, place: str
) -> None:
    assert place_of(text) == place


def test_a_village_the_parser_tags_as_a_nationality_is_still_a_place() -> None:
    # spaCy's small model tags many village names NORP; "town" after it makes it a place.
    doc = load_pipeline()("Regime forces shelled Ftireh town in the Idlib countryside.")
    assert "Ftireh" in [span.text for span in doc.spans["places"]]
    assert "Syrian" not in [
        s.text for s in load_pipeline()("Syrian town officials met.").spans["places"]
    ]


def test_an_event_without_a_place_takes_the_one_the_sentence_before_set() -> None:
    doc = load_pipeline()(
        "A suspicious truck was seen in Hawija district on Monday. "
        "When officers stopped it, gunmen opened fire and killed three policemen."
    )
    events = extract_events(doc, doc_id="d", anchor="2022-03-01")
    assert events and events[-1].location is not None
    assert events[-1].location.name.startswith("Hawija")


def test_a_new_paragraph_does_not_take_the_place_before_it() -> None:
    doc = load_pipeline()(
        "A suspicious truck was seen in Hawija district on Monday.\n\n"
        "Gunmen opened fire and killed three policemen on Tuesday."
    )
    events = extract_events(doc, doc_id="d", anchor="2022-03-01")
    assert events and events[-1].location is None


def test_a_place_given_as_a_bearing_from_another_is_the_place_not_the_reference() -> None:
    doc = load_pipeline()(
        "Gunmen shot and killed four policemen in al-Tarmiyah district, north of Baghdad."
    )
    (event,) = extract_events(doc, doc_id="d", anchor="2022-03-01")
    assert event.location is not None and event.location.name == "al-Tarmiyah"


def test_an_undated_sentence_telling_a_landmark_takes_its_day() -> None:
    doc = load_pipeline()(
        "After the loss of its last town, the group claimed the Easter bombings in Sri Lanka."
    )
    events = extract_events(doc, doc_id="d", anchor="2019-06-01", approximate=True,
                            latest="2020-06-01")  # fmt: skip
    assert events and events[0].date.start == "2019-04-21"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # the city the plotters meant to strike is not where they were caught
        ("Police said on Monday they had arrested two men plotting attacks on Basra.", None),
        ("Police arrested two men in Najaf on Monday who were plotting attacks on Basra.", "Najaf"),
        # a place of a happening the actors refused to join is still the sentence's place
        (
            "On Monday dozens of fighters deserted after refusing to join the clashes in Sinjar.",
            "Sinjar",
        ),
    ],
)
def test_the_target_of_a_plot_is_not_the_place_of_the_arrest(text: str, place: str | None) -> None:
    assert place_of(text) == place
