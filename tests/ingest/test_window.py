"""An undated report's publication window: each kind of evidence, and how they combine."""

from __future__ import annotations

from datetime import date

from ember.ingest.window import ASSUMED_SPAN_DAYS, infer_window

TODAY = date(2026, 12, 2)


def window(text: str) -> tuple[str | None, str | None]:
    found = infer_window(text, today=TODAY)
    return found.after, found.before


def test_a_text_with_no_dates_is_bounded_only_by_its_ingest_day() -> None:
    found = infer_window("The militia patrols the river towns.", today=TODAY)
    assert (found.after, found.before) == (None, "2026-12-02")
    assert found.before_basis and "ingested" in found.before_basis


def test_the_latest_date_mentioned_opens_the_window_and_an_assumed_year_closes_it() -> None:
    found = infer_window("Talks began in March 2018 and stalled by June 2018.", today=TODAY)
    assert found.after == "2018-06-01"
    assert found.after_basis == 'mentions "June 2018"'
    assert (
        found.before
        == date.fromordinal(date(2018, 6, 1).toordinal() + ASSUMED_SPAN_DAYS).isoformat()
    )
    assert found.before_basis and found.before_basis.startswith("assumed")


def test_a_landmark_told_as_past_is_a_lower_bound() -> None:
    assert (
        window("Weeks after the fall of Raqqa, the cells regrouped in the desert.")[0]
        == "2017-10-17"
    )


def test_an_ambiguous_landmark_counts_from_the_earliest_happening_it_can_mean() -> None:
    # "the fall of Mosul" is the 2014 capture or the 2017 recapture.
    assert (
        window("Since the fall of Mosul the markets have changed hands twice.")[0] == "2014-06-10"
    )


def test_two_landmarks_in_one_sentence_are_two_pieces_of_evidence() -> None:
    text = "After the loss of Baghuz came the Easter bombings in Sri Lanka."
    assert window(text)[0] == "2019-04-21"


def test_a_place_still_held_by_the_group_bounds_the_window_from_above() -> None:
    text = "Hajin, still held by the group, was shelled from across the river in 2018."
    assert window(text) == ("2018-01-01", "2018-12-14")


def test_a_cue_speaks_of_the_name_it_is_nearest() -> None:
    # Al-Qaim is told as retaken, Rawa as still held.
    text = (
        "The army recaptured al-Qaim and moved on towards Rawa, the last remaining"
        " stronghold still held by the militants, in November 2017."
    )
    assert window(text) == ("2017-11-03", "2017-11-17")


def test_time_elapsed_since_a_landmark_gives_both_bounds() -> None:
    after, before = window("Two years after the liberation of Mosul, rebuilding is slow.")
    assert after is not None and before is not None
    assert "2019-04-01" <= after <= "2019-07-10" <= before <= "2020-07-10"


def test_an_official_named_by_a_title_held_bounds_the_window_both_ways() -> None:
    text = "Acting Defense Secretary Patrick Shanahan told reporters the pocket was shrinking."
    assert window(text) == ("2019-01-01", "2019-06-23")


def test_a_former_official_says_nothing_of_when() -> None:
    assert window("Former Defense Secretary Jim Mattis wrote a book.") == (None, "2026-12-02")


def test_a_supposed_death_means_it_has_not_happened() -> None:
    text = "Analysts ask what the cells would do if Baghdadi is killed, as many expect in 2019."
    assert window(text) == ("2019-01-01", "2019-10-27")


def test_evidence_that_contradicts_firmer_evidence_is_dropped() -> None:
    # A date stated in the text outranks a landmark read: the window never empties.
    text = "In 2021 the town of Rawa was still held by the militants, locals said."
    after, before = window(text)
    assert after == "2021-01-01" and before is not None and before > after


def test_a_year_told_as_complete_opens_the_window_after_it() -> None:
    assert window("In 2020 alone the cells carried out 300 attacks.")[0] == "2021-01-01"


def test_a_year_told_as_running_holds_the_window() -> None:
    assert window("So far in 2021 the cells carried out 40 attacks.") == (
        "2021-01-01",
        "2021-12-31",
    )


def test_a_landmark_named_as_the_time_of_something_else_is_not_told_as_news() -> None:
    from ember.ingest.window import landmark_dates_told

    text = (
        "Following the terrorist organisation's loss of Baghuz, the group struck abroad,"
        " most notably in the Easter attacks in Sri Lanka."
    )
    assert {d.isoformat() for d in landmark_dates_told(text)} == {"2019-04-21"}


def test_a_stated_publication_date_is_the_window_whatever_the_text_tells() -> None:
    from ember.ingest._types import Hints, RawDocument
    from ember.ingest.document import Prepared, build_document
    from ember.settings import Settings

    body = (
        "The US-backed Kurdish-led forces said on Saturday they had captured the last hamlet "
        "held by the group, with help from the US-led coalition. Fighters spent the final "
        "days clearing tunnels dug into the cliffs."
    )
    hints = Hints(published="2019-03-23", published_precision="day")
    raw = RawDocument(source="brief.txt", body=body, kind="text", format="text", hints=hints)
    prepared = build_document(raw, settings=Settings())
    assert isinstance(prepared, Prepared)
    document = prepared.document
    assert (document.published_after, document.published_before) == ("2019-03-23", "2019-03-23")
    assert document.published_after_basis is not None
    assert "publication date" in document.published_after_basis


def test_a_stated_month_of_publication_is_a_month_long_window() -> None:
    from ember.ingest.window import stated_window

    window = stated_window("2020-02", "month")
    assert (window.after, window.before) == ("2020-02-01", "2020-02-29")


def test_something_that_still_goes_on_is_a_lower_bound_but_not_a_reason_to_assume_an_end() -> None:
    today = date(2026, 1, 1)
    window = infer_window(
        "The fighters said they had taken the hamlet with help from the US-led coalition.",
        today=today,
    )
    assert window.after == "2014-08-08"
    assert window.before == today.isoformat()
    assert window.before_basis is not None and "assumed" not in window.before_basis
