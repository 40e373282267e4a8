"""The five real reports in ../shared/seeds: metadata, and every body line kept in order.

The seeds are read at run time and never copied here; each case lists only short
phrases that identify the lines expected to go (title, byline, banners, comment tails)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from ember.ingest.clean import clean_text
from ember.ingest.metadata import TextMetadata, extract_metadata, latest_mentioned_date

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@dataclass(frozen=True)
class Seed:
    prefix: str
    title_start: str | None  # the opening of the expected title; None: no title
    metadata: TextMetadata  # all but the title
    published_after: str | None
    # A raw line is boilerplate when a predicate holds for it (after whitespace folding),
    # or when it lies at or after the first line starting with ``tail_from``.
    boilerplate: tuple[Callable[[str], bool], ...] = ()
    tail_from: str | None = None
    must_keep: tuple[str, ...] = field(default=())


def starts(*prefixes: str) -> Callable[[str], bool]:
    return lambda line: line.startswith(prefixes)


def equals(*values: str) -> Callable[[str], bool]:
    return lambda line: line in values


SEED_000_TITLE_START = "A month after the declaration of the end"
SEED_004_TITLE = "The end of the ‘caliphate’, not IS"

CASES = [
    Seed(
        "000",
        SEED_000_TITLE_START,
        TextMetadata(
            publisher="Rawabet Center for Research and Strategic Studies",
        ),
        published_after="2014-01-01",
        boilerplate=(
            starts(SEED_000_TITLE_START, "Comments Off on "),
            equals("- in Releases", "908", "Iraqi Studies Unit"),
            starts("Rawabet Center"),
        ),
    ),
    Seed(
        "001",
        None,
        TextMetadata(author="Ahmed Sultan"),
        published_after="2016-07-01",
        boilerplate=(equals("Ahmed Sultan"),),
        tail_from="admin in: ",
        must_keep=("ISIS’s new war", "New waves of terrorism", "Future of security cells"),
    ),
    Seed(
        "002",
        None,
        TextMetadata(publisher="MENA Research and Study Center"),
        published_after="2019-01-01",
        boilerplate=(starts("All publishing rights"),),
    ),
    Seed(
        "003",
        "Has the “ISIS” ended?",
        TextMetadata(author="admindiaa"),
        published_after="2018-01-01",
        boilerplate=(starts("Has the “ISIS” ended? And"), equals("by admindiaa")),
        tail_from="0 تعليق",
        must_keep=("Reorder rows",),
    ),
    Seed(
        "004",
        SEED_004_TITLE,
        TextMetadata(
            author="Salah Nasrawi",
            publisher="Ahram Weekly",
            published="2017-11-09",
            published_precision="week",
        ),
        published_after="2014-01-01",
        boilerplate=(
            starts("Thursday,21 February", "Current issue", "Issue 1368"),
            equals("Ahram Weekly", SEED_004_TITLE),
        ),
        tail_from="add comment",
    ),
]


def seed_text(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"no seeds at {SEEDS}")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def raw_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def body_lines(seed: Seed, text: str) -> list[str]:
    """The raw lines the test expects to survive cleaning, in order."""
    lines = raw_lines(text)
    if seed.tail_from:
        cut = next(i for i, line in enumerate(lines) if line.startswith(seed.tail_from))
        lines = lines[:cut]
    return [line for line in lines if not any(test(line) for test in seed.boilerplate)]


@pytest.mark.parametrize("seed", CASES, ids=[seed.prefix for seed in CASES])
def test_every_body_line_is_kept_in_order_and_only_those(seed: Seed) -> None:
    text = seed_text(seed.prefix)
    cleaned = clean_text(text, title=extract_metadata(text).title)
    assert cleaned.split("\n\n") == body_lines(seed, text)


@pytest.mark.parametrize("seed", CASES, ids=[seed.prefix for seed in CASES])
def test_in_body_subheadings_are_kept(seed: Seed) -> None:
    cleaned = clean_text(seed_text(seed.prefix)).split("\n\n")
    for heading in seed.must_keep:
        assert heading in cleaned


@pytest.mark.parametrize("seed", CASES, ids=[seed.prefix for seed in CASES])
def test_metadata(seed: Seed) -> None:
    found = extract_metadata(seed_text(seed.prefix))
    if seed.title_start is None:
        assert found.title is None
    else:
        assert found.title and found.title.startswith(seed.title_start)
        assert "\n" not in found.title and len(found.title.split()) <= 25
    assert replace(found, title=None) == seed.metadata


@pytest.mark.parametrize("seed", CASES, ids=[seed.prefix for seed in CASES])
def test_published_after_comes_from_the_dates_the_body_mentions(seed: Seed) -> None:
    text = seed_text(seed.prefix)
    assert latest_mentioned_date(clean_text(text)) == seed.published_after


def test_no_comment_cookie_or_share_line_survives_in_any_seed() -> None:
    leftovers = re.compile(
        r"(?i)comments? off|add comment|follow us|cookies|تعليق|الكوكيز|يع[جح]بك|https?://| in: "
    )
    for seed in CASES:
        cleaned = clean_text(seed_text(seed.prefix))
        assert not leftovers.search(cleaned), seed.prefix


def test_the_crawl_banner_is_not_the_publication_date() -> None:
    found = extract_metadata(seed_text("004"))
    assert found.published != "2019-02-21"


# When each seed was written, as far as its own text and the events it tells show (the
# four undated ones are not stated; these are the dates their contents pin down).
WRITTEN = {
    "000": "2019-04-25",  # a month after the end of the caliphate was declared
    "001": "2019-08-01",  # cites an analysis of July 15 and Baghdadi as the living leader
    "002": "2020-04-15",  # a year after Baghouz, citing last August's report
    "003": "2019-02-20",  # Baghouz about to fall, Shanahan acting Secretary of Defense
}


@pytest.mark.parametrize("prefix", sorted(WRITTEN))
def test_an_undated_seed_gets_a_window_that_holds_when_it_was_written(prefix: str) -> None:
    from datetime import date, timedelta

    from ember.ingest.window import infer_window

    window = infer_window(clean_text(seed_text(prefix)), today=date(2026, 12, 2))
    written = date.fromisoformat(WRITTEN[prefix])
    assert window.after is not None and window.before is not None
    after, before = date.fromisoformat(window.after), date.fromisoformat(window.before)
    assert after <= written <= before
    assert written - after <= timedelta(days=366)
    assert window.after_basis and window.before_basis
