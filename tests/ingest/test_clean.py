"""clean_text: the article body kept whole and in order, boilerplate and metadata out."""

from __future__ import annotations

from pathlib import Path

import pytest

from ember.ingest.clean import clean_text

FIXTURES = Path(__file__).parent / "fixtures" / "text"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_weekly_page_keeps_deck_and_body_drops_banners_title_and_widgets() -> None:
    cleaned = paragraphs(clean_text(fixture("weekly_issue.txt")))
    assert cleaned[0].endswith(", writes Layla Haddad")  # the standfirst is body
    assert cleaned[1].startswith("Fighters of the Syrian Democratic Forces")
    assert cleaned[-1].startswith("Since 2014")
    assert len(cleaned) == 5
    text = "\n".join(cleaned)
    for gone in ("Monday,4 May", "Current issue", "Issue 412", "Tigris Weekly", "add comment"):
        assert gone not in text
    assert "follow us" not in text
    assert "Raqqa after the siege, not after the war" not in cleaned


def test_repeated_title_crumbs_counter_and_signature_are_dropped() -> None:
    cleaned = paragraphs(clean_text(fixture("repeated_title_signature.txt")))
    assert cleaned[0].startswith("Two years after the fall of the last enclave")
    assert "Camps and prisons" in cleaned  # an in-body subheading stays
    assert cleaned[-1].startswith("Observers warn")
    for gone in ("- in Analyses", "1204", "Syria Desk", "Euphrates Institute for Security Studies"):
        assert gone not in cleaned
    assert not any(p.startswith("Comments Off") for p in cleaned)


def test_name_line_and_comment_widget_tail_are_dropped() -> None:
    cleaned = paragraphs(clean_text(fixture("name_line_comments.txt")))
    assert cleaned[0].startswith("Three weeks after the offensive")
    assert cleaned[-1].startswith("Analysts expect the group")
    assert {"The tunnels", "What comes next"} <= set(cleaned)
    text = "\n".join(cleaned)
    for gone in ("Karim Mansour", " in: ", "http", "Very useful", "Hi, I found"):
        assert gone not in text


def test_arabic_comment_block_cookies_and_everything_after_are_cut() -> None:
    cleaned = paragraphs(clean_text(fixture("arabic_footer.txt")))
    assert cleaned[0].startswith("Officials in Baghdad")
    assert "by webeditor" not in cleaned
    # the short closing paragraphs before the comment block are body
    assert cleaned[-2:] == [
        "The cells are small.",
        "Why the border towns still fear a return of the militants.",
    ]
    text = "\n".join(cleaned)
    assert "تعليق" not in text and "الكوكيز" not in text and "Cookies" not in text


def test_copyright_footer_is_dropped_and_a_text_without_title_starts_at_once() -> None:
    raw = fixture("copyright_no_title.txt")
    cleaned = paragraphs(clean_text(raw))
    assert cleaned == [line for line in raw.splitlines() if "copyrights" not in line]


@pytest.mark.parametrize("name", ["copied_page.txt", "newsletter.txt"])
def test_copied_pages_keep_only_the_report(name: str) -> None:
    raw = fixture(name)
    blocks = [block.strip() for block in raw.split("\n\n")]
    prose = [b for b in blocks if len(b.split()) > 6 and b.endswith(".") and "\n" not in b]
    assert paragraphs(clean_text(raw)) == prose


def test_wrapped_lines_of_a_paragraph_are_joined() -> None:
    cleaned = paragraphs(clean_text(fixture("wrapped.txt")))
    assert len(cleaned) == 2
    assert cleaned[0].startswith(
        "Gunmen ambushed a supply convoy on the highway between Palmyra and Deir"
    )
    assert cleaned[0].endswith("a monitoring group said.")
    assert "\n" not in cleaned[0] and "  " not in cleaned[0]


def test_a_short_line_ends_a_wrapped_paragraph_even_without_a_blank_line() -> None:
    raw = (
        "Fighting resumed on Sunday around the village of Hajin, where the\n"
        "militants still hold a strip of farmland along the river bank, the\n"
        "monitor said.\n"
        "Two families were evacuated by boat overnight, and the coalition\n"
        "said it had struck a weapons depot on the eastern edge of the town.\n"
    )
    assert paragraphs(clean_text(raw)) == [
        "Fighting resumed on Sunday around the village of Hajin, where the militants still "
        "hold a strip of farmland along the river bank, the monitor said.",
        "Two families were evacuated by boat overnight, and the coalition said it had struck "
        "a weapons depot on the eastern edge of the town.",
    ]


def test_dates_bylines_and_published_lines_above_the_body_are_dropped() -> None:
    for name in ("dated_under_title.txt", "published_on.txt", "banner_only.txt"):
        first = paragraphs(clean_text(fixture(name)))[0]
        assert len(first.split()) > 10, name


def test_whitespace_is_normalised_and_paragraphs_separated_by_a_blank_line() -> None:
    raw = "  First   paragraph of the report,\twith  odd spacing.  \n\n\n\nSecond one.\r\nThird.\n"
    assert clean_text(raw) == (
        "First paragraph of the report, with odd spacing.\n\nSecond one.\n\nThird."
    )


def test_a_given_title_is_dropped_even_with_a_site_suffix() -> None:
    raw = "Drone strike hits depot near Qamishli\nA drone struck an ammunition depot on Monday.\n"
    cleaned = clean_text(raw, title="Drone strike hits depot near Qamishli | Example News")
    assert cleaned == "A drone struck an ammunition depot on Monday."


def test_a_given_title_that_is_not_in_the_text_removes_nothing() -> None:
    raw = "Short heading of a section\nA drone struck a depot on Monday, officials said.\n"
    assert clean_text(raw, title="Something else entirely") == raw.strip().replace("\n", "\n\n")


BODY = [
    "By the end of 2019, the group had lost every town it once held in the valley.",
    "Share prices of the state oil company fell after the attack on the refinery.",
    "Follow-up raids were carried out in Anbar on Thursday night.",
    "Comments by the ministry spokesman could not be confirmed independently.",
    "Home to about 40,000 people, the town was shelled for three weeks.",
    "Issue 3 of the group's magazine praised the attack on the prison.",
    "Posted at a checkpoint outside the town, the soldiers were ambushed at dawn.",
    "Related clashes erupted in Deir ez-Zor, the monitor said.",
    "One comment from a resident summed up the mood in the camp.",
    "In Iraq",
    "2019",
    "https://reliefweb.int/report/iraq/example",
    "The group's media office rarely comments on losses, but it did so this time.",
    "The Islamic State Organization",
    "Abu Kamal",
    "Short line.",
]


def test_ordinary_report_sentences_are_never_dropped() -> None:
    """Rules are conservative: lines that merely start like boilerplate stay."""
    assert paragraphs(clean_text("\n".join(BODY))) == BODY


def test_a_comment_marker_high_up_drops_only_its_line() -> None:
    body = [f"Paragraph {n} of the report describes the fighting in detail." for n in range(8)]
    raw = "\n".join([body[0], "3 Comments", *body[1:]])
    assert paragraphs(clean_text(raw)) == body


def test_a_comment_marker_in_the_tail_cuts_the_rest() -> None:
    body = [f"Paragraph {n} of the report describes the fighting in detail." for n in range(8)]
    comments = ["Leave a Reply", "Great piece, thank you for writing it.", "Anonymous"]
    assert paragraphs(clean_text("\n".join(body + comments))) == body


@pytest.mark.parametrize(
    "line",
    [
        "This website uses cookies to improve your experience.",
        "We use cookies. By continuing to use this site you agree.",
        "Privacy & Cookies Policy",
        "Share this article",
        "Follow us on",
        "يستخدم هذا الموقع ملفات تعريف الارتباط",
    ],
)
def test_widget_and_consent_lines_are_dropped_anywhere(line: str) -> None:
    first = "The convoy was attacked near the border crossing, officials said."
    second = "Two drivers were wounded and a truck was burnt, the monitor added."
    assert clean_text(f"{first}\n{line}\n{second}") == f"{first}\n\n{second}"


def test_menus_above_the_body_go_and_the_line_above_a_menu_is_the_masthead() -> None:
    raw = (
        "Kurdistan Ledger — news and analysis\nHome > World > Middle East\n"
        "Iraq | Syria | Turkey | Opinion\nTurkish drones strike Sinjar\n"
        "Two people were killed when a drone hit a car near Sinjar on Tuesday, officials said.\n"
    )
    assert clean_text(raw) == (
        "Two people were killed when a drone hit a car near Sinjar on Tuesday, officials said."
    )


def test_a_paragraph_printed_twice_is_not_taken_for_the_title() -> None:
    lead = "The convoy was attacked near the border crossing, officials said."
    assert clean_text(f"{lead}\n{lead}\nMore later.") == f"{lead}\n\n{lead}\n\nMore later."


@pytest.mark.parametrize(
    "note",
    [
        "On 3 May 2022, residents protested in Raqqa against fuel prices. [size=no report]",
        "Gunmen kill two shepherds near Makhmour",
        "Karim Mansour",
    ],
)
def test_a_lone_line_is_never_cleaned_away_as_a_headline_or_name(note: str) -> None:
    assert clean_text(note) == note


def test_empty_and_blank_text_give_empty_text() -> None:
    assert clean_text("") == ""
    assert clean_text("\n \n\t\n") == ""
    assert clean_text("•\n* * *\n—") == ""
