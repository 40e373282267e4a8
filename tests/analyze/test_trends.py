"""Trends: merged events per week or month by type, each happening counted once, and
events never placed in a period shorter than their date's precision."""

from __future__ import annotations

import pytest

from ember.analyze.corroborate import merge_events
from ember.analyze.trends import choose_period, event_counts, period_key, period_keys
from ember.records import DatePrecision, DateRange, Event


def when(start: str | None, precision: DatePrecision = "day", end: str | None = None) -> DateRange:
    return DateRange(start=start, end=end or start, precision=precision)


def report(doc: str, date: DateRange, event_type: str = "Battles") -> Event:
    return Event(id=f"{doc}-1", doc_id=doc, event_type=event_type,
                 sub_event_type="Armed clash", text="", span=(0, 0), date=date)  # fmt: skip


def test_a_happening_reported_three_times_counts_once() -> None:
    day = when("2020-02-12")
    clash = merge_events("c1", [report("a", day), report("b", day), report("c", day)])
    other = merge_events("c2", [report("d", when("2020-02-13"), "Protests")])
    counts = event_counts([clash, other], "week")
    assert [(p.key, p.counts) for p in counts.periods] == [
        ("2020-02-10", {"Battles": 1, "Protests": 1}),
    ]
    assert counts.placed == 2


def test_week_keys_are_mondays_and_month_keys_months() -> None:
    sunday = when("2021-01-03")  # ISO week 53 of 2020 ends on this Sunday
    assert period_key(sunday, "week") == "2020-12-28"
    assert period_key(sunday, "month") == "2021-01"
    assert period_key(when("2021-01-04"), "week") == "2021-01-04"


def test_coarse_and_missing_dates_are_counted_apart_not_placed() -> None:
    month = when("2020-03-01", "month", end="2020-03-31")
    year = when("2020-01-01", "year", end="2020-12-31")
    undated = DateRange.unknown()
    events = [
        merge_events(str(n), [report(str(n), d)]) for n, d in enumerate((month, year, undated))
    ]
    weekly = event_counts(events, "week")
    assert (weekly.placed, weekly.too_coarse, weekly.undated) == (0, 2, 1)
    assert weekly.periods == ()
    monthly = event_counts(events, "month")
    assert (monthly.placed, monthly.too_coarse, monthly.undated) == (1, 1, 1)
    assert period_key(month, "week") is None and period_key(undated, "month") is None


def test_periods_run_unbroken_from_first_to_last() -> None:
    events = [merge_events(d, [report(d, when(d))]) for d in ("2019-11-20", "2020-02-03")]
    counts = event_counts(events, "month")
    assert [p.key for p in counts.periods] == ["2019-11", "2019-12", "2020-01", "2020-02"]
    assert [p.total for p in counts.periods] == [1, 0, 0, 1]
    assert period_keys("2020-12-28", "2021-01-11", "week") == [
        "2020-12-28", "2021-01-04", "2021-01-11",
    ]  # fmt: skip


def test_the_period_follows_the_span() -> None:
    near = [merge_events(d, [report(d, when(d))]) for d in ("2020-01-01", "2020-05-01")]
    far = [merge_events(d, [report(d, when(d))]) for d in ("2020-01-01", "2021-05-01")]
    assert choose_period(near) == "week"
    assert choose_period(far) == "month"
    assert choose_period([]) == "month"


def test_an_unknown_period_is_refused() -> None:
    with pytest.raises(ValueError, match="period"):
        event_counts([], "day")  # type: ignore[arg-type]


def test_a_range_across_two_periods_is_not_placed_in_either() -> None:
    # An undated report's "late March" that can be 21 March to 20 April.
    spanning = DateRange(start="2019-03-21", end="2019-04-20", precision="month", approximate=True)
    assert period_key(spanning, "month") is None
    inside = DateRange(start="2019-03-21", end="2019-03-31", precision="month", approximate=True)
    assert period_key(inside, "month") == "2019-03"
    days = DateRange(start="2019-04-12", end="2019-04-19", precision="week", approximate=True)
    assert period_key(days, "week") is None
