"""extract_metadata and latest_mentioned_date: only what the text states."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ember.ingest.metadata import TextMetadata, extract_metadata, latest_mentioned_date

FIXTURES = Path(__file__).parent / "fixtures" / "text"


def meta(name: str) -> TextMetadata:
    return extract_metadata((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "weekly_issue.txt",
            TextMetadata(
                title="Raqqa after the siege, not after the war",
                author="Layla Haddad",
                publisher="Tigris Weekly",
                published="2016-03-03",
                published_precision="week",
            ),
        ),
        (
            "repeated_title_signature.txt",
            TextMetadata(
                title="Two years after Baghouz: are the desert cells a lasting danger for "
                "eastern Syria?",
                publisher="Euphrates Institute for Security Studies",
            ),
        ),
        ("name_line_comments.txt", TextMetadata(author="Karim Mansour")),
        (
            "arabic_footer.txt",
            TextMetadata(
                title="Is the insurgency over? Or has it only changed its shape?",
                author="webeditor",
            ),
        ),
        ("copyright_no_title.txt", TextMetadata(publisher="Levant Monitoring Centre")),
        (
            "dated_under_title.txt",
            TextMetadata(
                title="Police find weapons cache near Kirkuk",
                author="Omar Farouk",
                published="2018-06-14",
                published_precision="day",
            ),
        ),
        (
            "published_on.txt",
            TextMetadata(
                title="Curfew lifted in Tal Afar", published="2019-03-03", published_precision="day"
            ),
        ),
        # the date above the headline is the page's banner, not the publication date
        ("banner_only.txt", TextMetadata(title="Militants attack power lines in Diyala")),
        ("wrapped.txt", TextMetadata(title="Convoy ambushed on desert highway")),
        (
            # capitals and a menu mark the masthead; the copyright in the tail names it too
            "copied_page.txt",
            TextMetadata(
                title="Car bomb kills nine at Tuz Khurmatu checkpoint",
                author="Dilan Aziz",
                publisher="Zagros Observer",
                published="2020-07-12",
                published_precision="day",
            ),
        ),
        (
            "newsletter.txt",
            TextMetadata(
                title="Mortar fire hits market in Deir ez-Zor",
                publisher="Levant Security Brief",
                published="2021-02-04",
                published_precision="day",
            ),
        ),
    ],
)
def test_fixture_metadata(name: str, expected: TextMetadata) -> None:
    assert meta(name) == expected


BODY = "Gunmen attacked a checkpoint on the road to the airport, killing two guards."


def test_no_stated_date_means_no_publication_date_never_today() -> None:
    found = extract_metadata(f"Checkpoint attacked\n{BODY}\nOn {date.today():%d %B %Y} more.")
    assert found.published is None and found.published_precision is None


def test_a_repeated_date_line_under_the_title_is_a_banner() -> None:
    raw = f"Checkpoint attacked\n3 May 2019\n3 May 2019\n{BODY}"
    assert extract_metadata(raw).published is None


def test_a_wire_dateline_with_a_year_gives_the_day() -> None:
    found = extract_metadata(f"KIRKUK, March 5, 2018 (Agency) - {BODY}\nMore text.")
    assert (found.published, found.published_precision) == ("2018-03-05", "day")


@pytest.mark.parametrize(
    ("line", "published", "precision"),
    [
        ("Posted: 12 October 2018", "2018-10-12", "day"),
        ("Published on Sept. 4, 2017 at 10:30 am", "2017-09-04", "day"),
        ("Date: 2020-01-31", "2020-01-31", "day"),
        ("Posted by Rania Khalil on 5 March 2018", "2018-03-05", "day"),
        ("Issue 77, (30 November - 6 December 2017)", "2017-11-30", "week"),
        ("Issue 12 (May 2015)", "2015-05-01", "month"),
        ("Published: 2016", "2016-01-01", "year"),
        ("Published: 31 February 2019", None, None),  # no such day
        ("Last updated: 6 March 2018", None, None),  # an update is not the publication
    ],
)
def test_marked_publication_dates(line: str, published: str | None, precision: str | None) -> None:
    found = extract_metadata(f"Checkpoint attacked\n{line}\n{BODY}")
    assert (found.published, found.published_precision) == (published, precision)


@pytest.mark.parametrize(
    ("head", "author"),
    [
        ("By Omar Farouk", "Omar Farouk"),
        ("by: Ayman al-Tamimi", "Ayman al-Tamimi"),
        ("Posted by Rania Khalil on 5 March 2018", "Rania Khalil"),
        ("Fighting resumed in the south, writes Hana Saleh", "Hana Saleh"),
        ("Hana Saleh", "Hana Saleh"),
        ("Middle East Analysis", None),  # a label, not a name
        ("Islamic State Resurgence", None),
    ],
)
def test_author(head: str, author: str | None) -> None:
    assert extract_metadata(f"{head}\n{BODY}").author == author


def test_a_by_sentence_in_the_body_is_not_a_byline() -> None:
    raw = f"{BODY}\nBy Omar Farouk\nBy the end of the day the road was open again."
    assert extract_metadata(raw).author is None


@pytest.mark.parametrize(
    ("line", "publisher"),
    [
        ("© 2019 Levant Monitoring Centre. All rights reserved.", "Levant Monitoring Centre"),
        ("Copyright 2015-2020 Kurdistan Daily", "Kurdistan Daily"),
        ("All rights reserved.", None),
    ],
)
def test_publisher_from_a_copyright_footer(line: str, publisher: str | None) -> None:
    raw = f"Checkpoint attacked\n{BODY}\nThe army sent reinforcements.\n{line}"
    assert extract_metadata(raw).publisher == publisher


def test_title_needs_a_headline_shape() -> None:
    assert extract_metadata(BODY).title is None
    assert extract_metadata(f"Analysis\n{BODY}").title is None
    assert extract_metadata(f"Analysis\nCheckpoint attacked at dawn\n{BODY}").title == (
        "Checkpoint attacked at dawn"
    )


def test_empty_text_has_no_metadata() -> None:
    assert extract_metadata("") == TextMetadata()


@pytest.mark.parametrize(
    ("text", "latest"),
    [
        ("The attack on 20 October 2017 was claimed later.", "2017-10-20"),
        ("Talks were held on March 23, 2019 and again on 2019-04-02.", "2019-04-02"),
        ("The group had 36 provinces in July 2016.", "2016-07-01"),
        ("It was declared dead in 2007 and 2008, and again in 2011.", "2011-01-01"),
        ("Since 2014, it has lost ground; by mid-2017 it was gone.", "2017-01-01"),
        ("Between 2001-2003 the network grew.", "2003-01-01"),
        ("In 2019 alone, the group carried out 139 attacks.", "2019-01-01"),
        # counts and numbers that look like years are not dates
        ("Some 2,000 members returned; 2000 fighters remain; Issue 1368 was out.", None),
        ("The attack killed 2019 people, and in 2015 attacks rose.", None),
        # relative dates cannot be resolved without a base date
        ("Last March the town fell; three weeks ago the road reopened.", None),
        ("It may 2019", None),
        ("Founded in 1850, the town was rebuilt in 1920.", "1920-01-01"),
        ("Reconstruction is planned until 2090.", None),
    ],
)
def test_latest_mentioned_date(text: str, latest: str | None) -> None:
    assert latest_mentioned_date(text) == latest


def test_latest_mentioned_date_of_nothing() -> None:
    assert latest_mentioned_date("") is None
