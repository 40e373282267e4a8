"""Sentence starts from the page's layout (sentences written for these tests)."""

from __future__ import annotations

from ember.nlp.pipeline import load_pipeline


def sentences(text: str) -> list[str]:
    return [sent.text.strip() for sent in load_pipeline()(text).sents]


def test_a_heading_is_not_part_of_the_next_sentence() -> None:
    found = sentences("A new wave of raids\nAfter the fall of the town, the group struck twice.")
    assert found[0] == "A new wave of raids"


def test_a_paragraph_that_ends_a_sentence_ends_it_even_inside_quotes() -> None:
    text = "“We will rebuild the market,” the governor said.\n“Our aim is peace.”"
    assert sentences(text) == [
        "“We will rebuild the market,” the governor said.",
        "“Our aim is peace.”",
    ]


def test_a_hard_wrapped_line_does_not_start_a_sentence() -> None:
    text = "Police arrested two men who were carrying rifles near the\nBaghdad road on Monday."
    assert len(sentences(text)) == 1


def test_upper_case_wire_copy_wraps_without_new_sentences() -> None:
    text = "GUERRILLAS ATTACKED A POWER STATION IN THE\nNORTHERN PROVINCE LAST NIGHT."
    assert len(sentences(text)) == 1


def test_a_blank_line_always_starts_a_sentence() -> None:
    text = "the patrol came under fire\n\nthree soldiers were wounded in the attack"
    assert len(sentences(text)) == 2


def test_initials_at_a_line_end_do_not_end_the_sentence_before_a_lower_case_word() -> None:
    text = "The call came from a cartel wanted by several U.S.\nfederal courts, police said."
    assert len(sentences(text)) == 1
