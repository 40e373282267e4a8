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
        ("Warplanes struck Beit Sawa village in the Douma district of Rural Damascus.", "Beit Sawa"),
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
