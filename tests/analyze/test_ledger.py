"""The claims ledger: groups, order, echoes, conflicts, filters, JSON and the table."""

from __future__ import annotations

import io
import json
import math
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from rich.console import Console

from ember.analyze import ledger as ledger_module
from ember.analyze.ledger import (
    LedgerFilters,
    build_ledger,
    effective_range,
    format_as_of,
    format_value,
    ledger_json,
    load_compare_as,
    outlet_of,
    parse_day,
    render_ledger,
)
from ember.errors import ConfigError
from ember.records import Claim, DateRange, Document, Location

TERMS = {"fighters": "fighters", "members": "fighters", "prisoners": "prisoners"}
_counter = iter(range(10_000))


def day(iso: str | None, precision: str = "day") -> DateRange:
    if iso is None:
        return DateRange.unknown()
    return DateRange(start=iso, end=iso, precision=precision)  # type: ignore[arg-type]


def claim(
    doc: str,
    low: float,
    high: float | None = None,
    *,
    subject: str = "fighters",
    at: int = 0,
    as_of: str | None = "2021-06-01",
    **fields: Any,
) -> Claim:
    n = next(_counter)
    values: dict[str, Any] = {
        "id": f"c{n}",
        "doc_id": doc,
        "subject": subject,
        "subject_text": f"{subject} of the Ash Brigade",
        "value_low": float(low),
        "value_high": float(high if high is not None else low),
        "unit": "count",
        "quantity_text": str(low),
        "quantity_span": (at + 10, at + 15),
        "text": "A made-up sentence about a made-up group.",
        "span": (at, at + 40),
        "as_of": day(as_of),
        "actor": "Ash Brigade",
        **fields,
    }
    return Claim(**values)


def document(doc_id: str, **fields: Any) -> Document:
    values: dict[str, Any] = {"id": doc_id, "source": f"/corpus/{doc_id}.html", "text": "x",
                              "format": "html", **fields}  # fmt: skip
    return Document(**values)


DOCS = {
    "d1": document("d1", publisher="The Lantern Post"),
    "d2": document("d2", url="https://www.ridge-gazette.example/news/1"),
    "d3": document("d3"),
    "d4": document("d4", publisher="Harbour Weekly", duplicate_of="d3"),
}


def build(claims: list[Claim], **options: Any) -> ledger_module.Ledger:
    return build_ledger(claims, DOCS, compare_as=TERMS, **options)


# --- grouping and order -----------------------------------------------------------------


def test_groups_by_compared_subject_actor_and_scope() -> None:
    east = (Location(name="Eastmarch", canonical="Eastmarch"),)
    claims = [
        claim("d1", 3000, subject="members", actor="Ash Brigade"),
        claim("d2", 5000, subject="fighters", actor="Ash Brigade"),
        claim("d1", 800, subject="fighters", actor="Ash Brigade", places=east),
        claim("d2", 120, subject="prisoners", actor=None),
        claim("d3", 900, subject="fighters", actor=None),
    ]
    ledger = build(claims)
    keys = [(g.subject, g.actor, g.scope, len(g.entries)) for g in ledger.groups]
    assert keys == [
        ("fighters", "Ash Brigade", None, 2),  # most estimates first within a subject
        ("fighters", None, None, 1),
        ("fighters", "Ash Brigade", "Eastmarch", 1),
        ("prisoners", None, None, 1),
    ]
    assert {e.subject for e in ledger.groups[0].entries} == {"members", "fighters"}
    assert ledger.claims == 5 and ledger.entries == 5


def test_entries_in_time_order_unknown_last_then_document_then_position() -> None:
    claims = [
        claim("d2", 1, as_of=None),
        claim("d1", 2, as_of="2021-03-01", at=50),
        claim("d1", 3, as_of="2021-03-01", at=10),
        claim("d1", 4, as_of="2020-12-31"),
        claim("d0", 5, as_of=None),
    ]
    (group,) = build(claims).groups
    assert [e.value_low for e in group.entries] == [4, 3, 2, 5, 1]


def test_unknown_subject_is_its_own_term_without_a_vocabulary() -> None:
    claims = [claim("d1", 10, subject="members"), claim("d2", 20, subject="fighters")]
    ledger = build_ledger(claims, DOCS, compare_as={})
    assert sorted(g.subject for g in ledger.groups) == ["fighters", "members"]


# --- echoes -----------------------------------------------------------------------------


def test_attributed_figure_repeated_by_outlets_is_one_estimate() -> None:
    claims = [
        claim("d1", 15000, 20000, attributed_to="Office of Estimates", as_of="2021-02-01"),
        claim("d2", 15000, 20000, attributed_to="office of estimates", as_of="2021-03-01"),
        claim("d3", 15000, 20000, attributed_to="Office of Estimates", as_of="2021-04-01"),
        claim("d3", 15000, 20000, attributed_to="Other Office", as_of="2021-04-01"),
    ]
    (group,) = build(claims).groups
    first, other = group.entries
    assert first.doc_ids == ("d1", "d2", "d3") and first.echoes == 3
    assert first.outlets == ("The Lantern Post", "ridge-gazette.example", "d3.html")
    assert first.as_of.start == "2021-02-01"  # the earliest statement represents it
    assert first.id == claims[0].id and len(first.claims) == 3
    assert other.echoes == 1


def test_unattributed_figures_never_collapse_across_documents() -> None:
    claims = [claim("d1", 700), claim("d2", 700)]
    (group,) = build(claims).groups
    assert len(group.entries) == 2


def test_same_figure_within_one_document_collapses() -> None:
    claims = [claim("d1", 700, at=0), claim("d1", 700, at=200), claim("d1", 700, at=300,
              subject="members")]  # fmt: skip
    (group,) = build(claims).groups
    assert [len(e.claims) for e in group.entries] == [2, 1]
    assert group.entries[0].echoes == 1  # one document: not an echo


def test_near_duplicate_copy_of_a_document_is_an_echo() -> None:
    claims = [claim("d3", 700), claim("d4", 700)]
    (group,) = build(claims).groups
    (entry,) = group.entries
    assert entry.doc_ids == ("d3", "d4")
    assert entry.outlets == ("d3.html", "Harbour Weekly")


def test_outlet_falls_back_from_publisher_to_host_to_file_name() -> None:
    assert outlet_of(DOCS["d1"], "d1") == "The Lantern Post"
    assert outlet_of(DOCS["d2"], "d2") == "ridge-gazette.example"
    assert outlet_of(document("d9", source="https://feeds.example.org/a"), "d9") == (
        "feeds.example.org"
    )
    assert outlet_of(document("d9", source="C:\\reports\\brief.txt"), "d9") == "brief.txt"
    assert outlet_of(None, "d9") == "d9"


# --- conflicts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [
        (None, (1000, 2000)),
        ("about", (900, 2200)),
        ("at least", (1000, math.inf)),
        ("more than", (1000, math.inf)),
        ("up to", (0, 2000)),
        ("fewer than", (0, 2000)),
        ("nearly", (900, 2000)),
        ("some odd hedge", (1000, 2000)),
    ],
)
def test_effective_range(qualifier: str | None, expected: tuple[float, float]) -> None:
    low, high = effective_range(claim("d1", 1000, 2000, qualifier=qualifier))
    assert low == pytest.approx(expected[0]) and high == pytest.approx(expected[1])


def conflicts(a: Claim, b: Claim, **options: Any) -> bool:
    (group,) = build([a, b], **options).groups
    flagged = [bool(e.conflicts_with) for e in group.entries]
    assert flagged[0] == flagged[1]
    assert group.has_conflicts == flagged[0]
    return flagged[0]


def test_disjoint_estimates_in_the_window_conflict() -> None:
    a, b = claim("d1", 18000), claim("d2", 3000, as_of="2021-11-30")
    assert conflicts(a, b)
    (group,) = build([a, b]).groups
    assert group.entries[0].conflicts_with == (group.entries[1].id,)
    assert group.conflicts == 2


def test_qualifiers_widen_ranges_before_comparing() -> None:
    assert not conflicts(claim("d1", 1000, qualifier="about"), claim("d2", 1080))
    assert conflicts(claim("d1", 1000, qualifier="about"), claim("d2", 1150))
    assert not conflicts(claim("d1", 3000, qualifier="more than"), claim("d2", 18000))
    assert conflicts(claim("d1", 3000, qualifier="up to"), claim("d2", 18000))
    assert not conflicts(claim("d1", 1000, qualifier="nearly"), claim("d2", 950))
    assert not conflicts(claim("d1", 15000, 20000), claim("d2", 18000))


def test_no_conflict_outside_the_window_or_when_undated_vague_or_other_unit() -> None:
    assert not conflicts(claim("d1", 100), claim("d2", 9000, as_of="2022-06-03"))
    assert conflicts(claim("d1", 100), claim("d2", 9000, as_of="2022-06-03"), window_days=800)
    assert not conflicts(claim("d1", 100), claim("d2", 9000, as_of=None))
    assert not conflicts(claim("d1", 100), claim("d2", 20000, 90000, vague=True))
    assert not conflicts(claim("d1", 100), claim("d2", 9000, unit="km"))


def test_figures_of_no_actor_and_no_place_or_other_subjects_never_conflict() -> None:
    # Nothing says two bare "300 people" figures count the same people.
    assert not conflicts(claim("d1", 100, actor=None), claim("d2", 900, actor=None))
    assert not conflicts(claim("d1", 100, subject="other"), claim("d2", 900, subject="other"))
    east = (Location(name="Eastmarch", canonical="Eastmarch"),)
    assert conflicts(
        claim("d1", 100, actor=None, places=east), claim("d2", 900, actor=None, places=east)
    )


def test_wide_approximate_dates_and_figures_of_one_document_never_conflict() -> None:
    # An undated report's "now" spans its window: over more than the ledger's window
    # it may be a year away from the other figure.
    rough = DateRange(start="2020-06-01", end="2021-10-01", precision="year", approximate=True)
    assert conflicts(claim("d1", 100), claim("d2", 900))
    assert not conflicts(claim("d1", 100), replace(claim("d2", 900), as_of=rough))
    # A narrow window pins the day down as well as a stated date does.
    narrow = DateRange(start="2021-06-01", end="2021-06-20", precision="month", approximate=True)
    assert conflicts(claim("d1", 100), replace(claim("d2", 900), as_of=narrow))
    # "from 36 provinces in July to 11 now": one outlet telling a change.
    assert not conflicts(claim("d1", 36, as_of="2021-06-01"), claim("d1", 11, at=90))
    # One report setting two sources' estimates side by side is a conflict to flag.
    assert conflicts(
        claim("d1", 36, attributed_to="UN"), claim("d1", 11, at=90, attributed_to="Pentagon")
    )


def test_tolls_of_one_incident_conflict_only_when_dated_days_apart() -> None:
    east = (Location(name="Eastmarch", canonical="Eastmarch"),)

    def toll(doc: str, dead: int, when: str) -> Claim:
        return claim(doc, dead, subject="killed", actor=None, places=east, as_of=when)

    assert conflicts(toll("d1", 11, "2021-06-01"), toll("d2", 40, "2021-06-02"))
    # Two bombings in one town a month apart are two incidents, not two estimates.
    assert not conflicts(toll("d1", 11, "2021-06-01"), toll("d2", 40, "2021-07-01"))


def test_negative_window_is_refused() -> None:
    with pytest.raises(ConfigError):
        build([claim("d1", 1)], window_days=-1)


# --- filters ----------------------------------------------------------------------------


def test_subject_filter_matches_subject_or_its_term() -> None:
    claims = [claim("d1", 1, subject="members"), claim("d1", 2, subject="prisoners")]
    by_term = build(claims, filters=LedgerFilters(subject="FIGHTERS"))
    assert [e.subject for g in by_term.groups for e in g.entries] == ["members"]
    by_subject = build(claims, filters=LedgerFilters(subject="Members"))
    assert by_subject.claims == 1


def test_actor_and_place_filters_are_substrings() -> None:
    north = (Location(name="Northgate", canonical="Northgate"),)
    claims = [
        claim("d1", 1, actor="Ash Brigade", places=north),
        claim("d1", 2, actor="River Front"),
        claim("d1", 3, actor=None),
    ]
    assert build(claims, filters=LedgerFilters(actor="ash")).claims == 1
    assert build(claims, filters=LedgerFilters(place="north")).claims == 1
    assert build(claims, filters=LedgerFilters(actor="front", place="north")).claims == 0


def test_since_until_bound_as_of_and_drop_undated() -> None:
    claims = [
        claim("d1", 1, as_of="2020-05-01"),
        claim("d1", 2, as_of="2021-05-01"),
        claim("d1", 3, as_of=None),
    ]
    assert build(claims).claims == 3
    since = build(claims, filters=LedgerFilters(since=date(2021, 1, 1)))
    assert [e.value_low for g in since.groups for e in g.entries] == [2]
    until = build(claims, filters=LedgerFilters(until=date(2021, 5, 1)))
    assert until.claims == 2


def test_parse_day() -> None:
    assert parse_day("2019-03-04") == date(2019, 3, 4)
    assert parse_day("2019-03") == date(2019, 3, 1)
    assert parse_day("2019-02", last=True) == date(2019, 2, 28)
    assert parse_day("2019", last=True) == date(2019, 12, 31)
    assert parse_day("2019-02-10", last=True) == date(2019, 2, 10)
    assert parse_day(" 2019 ") == date(2019, 1, 1)
    for bad in ("last year", "2019-13", "03/04/2019"):
        with pytest.raises(ConfigError):
            parse_day(bad)


# --- the vocabulary ---------------------------------------------------------------------


def test_vocabulary_file_when_present_maps_every_subject() -> None:
    terms = load_compare_as()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in terms.items())
    for term in terms.values():
        assert terms.get(term, term) == term  # a compare_as term is not itself regrouped


# --- JSON -------------------------------------------------------------------------------


def test_ledger_json_is_plain_data_with_whole_numbers_as_ints() -> None:
    claims = [
        claim("d1", 3000, qualifier="more than", attributed_to="Office of Estimates"),
        claim("d2", 3000, qualifier="more than", attributed_to="Office of Estimates"),
        claim("d2", 2.5, unit="km", subject="fighters", at=100),
        claim("d3", 100, as_of="2021-06-02"),
    ]
    data = ledger_json(build(claims, filters=LedgerFilters(since=date(2021, 1, 1))), DOCS)
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data["filters"]["since"] == "2021-01-01" and data["window_days"] == 365
    entries = data["groups"][0]["entries"]
    first = entries[0]
    assert first["value_low"] == 3000 and isinstance(first["value_low"], int)
    assert first["range"] == [3000, None]
    assert first["outlets"] == ["The Lantern Post", "ridge-gazette.example"]
    assert first["echoes"] == 2 and len(first["claims"]) == 2
    assert first["claims"][1]["source"] == "/corpus/d2.html"
    assert first["as_of"] == {"start": "2021-06-01", "end": "2021-06-01", "precision": "day",
                              "approximate": False}  # fmt: skip
    assert any(e["value_low"] == 2.5 for e in entries)
    conflicted = [e for e in entries if e["conflicts_with"]]
    assert [e["value_low"] for e in conflicted] == [3000, 100]
    assert data["groups"][0]["has_conflicts"] is True


# --- for people -------------------------------------------------------------------------


def test_format_value() -> None:
    assert format_value(claim("d1", 15000, 20000, qualifier="about")) == "about 15,000–20,000"
    assert format_value(claim("d1", 200_000_000, unit="USD")) == "$200,000,000"
    assert format_value(claim("d1", 0.5, unit="share")) == "50 %"
    assert format_value(claim("d1", 40, 60, unit="percent")) == "40–60 %"
    assert format_value(claim("d1", 2.5, unit="km")) == "2.5 km"
    assert format_value(claim("d1", 1, 2, unit="USD")) == "$1–$2"
    assert format_value(claim("d1", 2.1, unit="GBP", qualifier="nearly")) == "nearly £2.1"
    assert format_value(claim("d1", 3, unit="JOD")) == "3 JOD"
    vague = claim("d1", 20000, 90000, vague=True, quantity_text="tens of thousands")
    assert format_value(vague) == "tens of thousands"


def test_format_as_of() -> None:
    assert format_as_of(DateRange.unknown()) == "?"
    assert format_as_of(day("2021-06-01")) == "2021-06-01"
    assert format_as_of(DateRange(start="2021-06-01", end="2021-06-30", precision="month")) == (
        "2021-06"
    )
    assert format_as_of(DateRange(start="2021-01-01", end="2021-12-31", precision="year",
                                  approximate=True)) == "~2021"  # fmt: skip
    assert format_as_of(DateRange(start="2021-06-01", end="2021-06-03", precision="day")) == (
        "2021-06-01–06-03"
    )


def render(ledger: ledger_module.Ledger, width: int = 100) -> str:
    out = io.StringIO()
    render_ledger(ledger, Console(file=out, width=width, color_system=None))
    return out.getvalue()


def test_render_fits_a_100_column_terminal_and_shows_flags() -> None:
    long_source = "The Very Long Named Office of Regional Estimates and Assessments"
    claims = [
        claim("d1", 15000, 20000, qualifier="about", attributed_to=long_source,
              actor="Ash Brigade", hedge="estimated"),
        claim("d2", 15000, 20000, qualifier="about", attributed_to=long_source,
              actor="Ash Brigade"),
        claim("d3", 3000, as_of="2021-09-01", actor="Ash Brigade"),
        claim("d1", 200_000_000, unit="USD", subject="funds", at=300),
        claim("d2", 0.5, unit="share", subject="territory", at=300, as_of=None),
    ]  # fmt: skip
    text = render(build(claims))
    assert max(len(line) for line in text.splitlines()) <= 100
    for expected in ("15,000–20,000", "$200,000,000", "50 %", "ECHO ×2", "CONFLICT",
                     "fighters · Ash Brigade", "2 in conflict", "The Lantern",
                     "estimated"):  # fmt: skip
        assert expected in text, expected
    wide = render(build(claims), width=200)
    for expected in ("about 15,000–20,000", "CONFLICT with #2", "CONFLICT with #1",
                     "ridge-gazette.example"):  # fmt: skip
        assert expected in wide, expected
    assert "5 claim(s), 4 estimate(s) in 3 group(s)" in " ".join(text.split())


def test_render_shows_document_text_literally() -> None:
    tricky = claim("d1", 5, subject_text="[red]men[/]", attributed_to="[i]Someone[/i]")
    text = render(build([tricky]))
    assert "[red]men[/]" in text
    assert "[i]Someone[/i]" in text


def test_render_empty_ledger() -> None:
    assert "No claims match." in render(build([]))
