"""Claims from sentences written for these tests (none taken from the seeds or gold)."""

from __future__ import annotations

import pytest

from ember.extract.claims import extract_claims, subject_vocabulary
from ember.nlp.pipeline import load_pipeline
from ember.records import Claim


def claims_of(text: str, anchor: str | None = "2021-06-15") -> list[Claim]:
    doc = load_pipeline()(text)
    return extract_claims(doc, doc_id="t", anchor=anchor)


def only(text: str, **kwargs: str | None) -> Claim:
    found = claims_of(text, **kwargs)
    assert len(found) == 1, [(c.quantity_text, c.subject) for c in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "low", "high", "unit", "qualifier"),
    [
        ("Officials say the militia has 15 to 20 thousand fighters.", 15000, 20000, "count", None),
        ("The cell moved about $ 200 million in cash.", 200_000_000, 200_000_000, "USD", "about"),
        ("A thousand fighters crossed into the valley.", 1000, 1000, "count", None),
        ("Tens of thousands of displaced people live in the camp.", 20000, 90000, "count", "about"),
        ("At its height the group held half of Iraq.", 0.5, 0.5, "share", None),
        ("More than 3,000 fighters remain in the desert.", 3000, 3000, "count", "more than"),
        ("Up to 400 soldiers will stay in the country.", 400, 400, "count", "up to"),
        ("Nearly 900 prisoners escaped from the jail.", 900, 900, "count", "nearly"),
        ("The donors pledged £59.5m for the reconstruction.", 59_500_000, 59_500_000, "GBP", None),
        ("The smugglers earned $1.2bn from oil.", 1_200_000_000, 1_200_000_000, "USD", None),
        ("The mosque stands about 30km south of the city.", 30, 30, "km", "about"),
        ("The posts are spaced 50m apart along the front.", 50, 50, "m", None),
        ("The town had a population of 80,000 before the war.", 80000, 80000, "count", None),
        ("The fund pledged up to $5 million for the project.", 5e6, 5e6, "USD", "up to"),
    ],
)
def test_values_units_and_qualifiers(
    text: str, low: float, high: float, unit: str, qualifier: str | None
) -> None:
    claim = only(text)
    assert (claim.value_low, claim.value_high, claim.unit) == (low, high, unit)
    assert claim.qualifier == qualifier


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("Some 2,500 militants are active in the mountains.", "fighters"),
        ("Kurdish guards hold 9,000 prisoners in the north-east.", "prisoners"),
        ("About 60,000 people live in the al-Hol camp.", "camp residents"),
        ("At least 700 former members have returned home to Europe.", "returnees"),
        ("The strike killed 12 fighters near the border.", "killed"),
        ("Police arrested 45 suspects in the capital.", "arrested"),
        ("Washington will keep 900 troops in the region.", "troops"),
        ("The insurgents carried out 230 attacks last year.", "attacks"),
        ("Gunmen abducted 30 shepherds on the road.", "kidnapped"),
        ("Over 300,000 people were displaced by the fighting.", "displaced people"),
        ("The group runs 14 provinces across Africa and Asia.", "provinces"),
        ("Some 5,000 foreign fighters joined the group.", "foreign fighters"),
        ("The bombing wounded 28 people.", "wounded"),
        ("Millions have been displaced since 2014.", "displaced people"),
    ],
)
def test_subjects_from_the_vocabulary(text: str, subject: str) -> None:
    claim = only(text)
    assert claim.subject == subject
    assert subject in {s.name for s in subject_vocabulary().subjects}


@pytest.mark.parametrize(
    "text",
    [
        "The report was published on 12 March 2020.",
        "In 2014 the group declared its caliphate.",
        "The 25-year-old suspect was detained.",
        "A man aged 34 was detained.",
        "See Issue 1412 of the weekly for details.",
        "The full text is on page 17 of the report.",
        "Call the hotline on +44 20 7946 0958 for help.",
        "Posted in News 312 Comments",
        "The talks lasted three weeks.",
        "Resolution 2254 calls for a ceasefire.",
        "The two countries signed an agreement.",
        "Both sides accused each other.",
        "Many car bombs exploded in the city.",
        "The meeting starts at 10:30 tomorrow.",
        "Several soldiers died in the siege.[3][4]",
        "The village lies at 33°47′N 44°30′E on the river.",
        "Strikes hit the airfield between 11-13 Dec last year.",
        "Listen to the debate on Radio 4's evening programme.",
        "The channel broadcasts 24/7 from Baghdad.",
    ],
)
def test_figures_that_are_not_claims(text: str) -> None:
    assert claims_of(text) == []


def test_a_numbered_list_index_is_not_a_claim() -> None:
    text = "Key findings:\n1. The group is rebuilding.\n2. Its leaders remain at large."
    assert claims_of(text) == []


def test_according_to_an_outlet() -> None:
    claim = only("The group has 14,000 active members, according to the New York Times.")
    assert claim.attributed_to == "The New York Times"
    assert claim.subject == "members"


def test_a_report_by_a_research_centre() -> None:
    claim = only(
        "A report by the Soufan Center estimated that some 30,000 foreigners had travelled "
        "to the region to join the group."
    )
    assert claim.attributed_to == "The Soufan Center"
    assert claim.subject == "foreign fighters"
    assert claim.qualifier == "about"


def test_intelligence_estimates() -> None:
    claim = only("US intelligence estimates indicate that there are about 9,000 fighters left.")
    assert claim.attributed_to == "US intelligence"
    assert (claim.value_low, claim.qualifier) == (9000, "about")


def test_a_surname_gives_the_full_name_stated_earlier() -> None:
    text = (
        "Colonel Daniel Whitmore, the coalition's spokesman, briefed reporters on Monday. "
        "“We detained more than 80 militants last month,” Whitmore said."
    )
    claim = only(text)
    assert claim.attributed_to == "Daniel Whitmore"


def test_the_centre_refers_to_the_centre_named_before() -> None:
    text = (
        "The Soufan Center published its annual review on Tuesday. "
        "The centre concluded that 1,200 fighters had gone back to their home countries."
    )
    claim = only(text)
    assert claim.attributed_to == "The Soufan Center"
    assert claim.subject == "returnees"


def test_the_outlet_stating_a_figure_itself_has_no_source() -> None:
    claim = only("The militants still control about 40 villages in the province.")
    assert claim.attributed_to is None


def test_hedged_estimates_are_marked() -> None:
    claim = only("Hundreds of fighters are believed to be hiding in the caves.")
    assert claim.hedge == "believed"
    assert claim.subject == "fighters"


def test_as_of_is_the_date_stated_else_the_publication_date() -> None:
    found = claims_of("The group had 36 provinces in July 2016 but only 11 provinces now.")
    assert [(c.value_low, c.as_of.start, c.as_of.precision) for c in found] == [
        (36, "2016-07-01", "month"),
        (11, "2021-06-15", "day"),
    ]


def test_without_a_publication_date_as_of_is_unknown() -> None:
    claim = only("The militia has 2,000 fighters.", anchor=None)
    assert claim.as_of.precision == "unknown"


def test_actor_and_place_scope() -> None:
    claim = only("There are 6,500 ISIS fighters in Syria.")
    assert claim.actor == "Islamic State"
    assert [p.name for p in claim.places] == ["Syria"]


def test_others_takes_the_subject_of_the_count_before() -> None:
    found = claims_of("Iraq holds 19,000 prisoners, along with 8,000 others held in Syria.")
    assert [(c.value_low, c.subject) for c in found] == [(19000, "prisoners"), (8000, "prisoners")]
    assert [c.place for c in found] == ["Iraq", "Syria"]


def test_origins_are_not_the_scope() -> None:
    claim = only("Some 3,000 residents arrived in the camp from the town of Hajin.")
    assert claim.subject == "camp residents"
    assert all(p.name != "Hajin" for p in claim.places)


def test_spans_point_at_the_figure_and_sentence() -> None:
    text = "Quiet day. The group has about 4,000 fighters."
    claim = only(text)
    start, end = claim.quantity_span
    assert text[start:end] == "about 4,000"
    assert text[claim.span[0] : claim.span[1]] == claim.text
    assert claim.quantity_text == "about 4,000"


def test_claim_ids_are_stable() -> None:
    text = "The group has 4,000 fighters."
    assert claims_of(text)[0].id == claims_of(text)[0].id


def test_a_sentence_without_a_verb_ends() -> None:
    # spaCy returns a new Token object for each .head: a loop comparing with `is` never
    # reached the root of a verbless sentence (it hung on a re3d caption).
    claim = only("Thousands of refugees.")
    assert claim.vague


def test_others_after_a_verb_take_that_verb() -> None:
    found = claims_of("The raid killed 9 guards and injured 40 others.")
    assert [(c.value_low, c.subject) for c in found] == [(9, "killed"), (40, "wounded")]


def test_counters_told_in_prose_are_figures() -> None:
    text = "The mayor won almost 2 million votes in the first round of the election."
    assert [c.quantity_text for c in claims_of(text)] == ["almost 2 million"]
    assert claims_of("Posted in News 312 votes") == []


def test_a_single_percentage_point_is_a_figure() -> None:
    found = claims_of("The governor rose 1 percentage point in the new poll.")
    assert [(c.value_low, c.unit) for c in found] == [(1.0, "pp")]


def test_a_figure_written_with_its_article() -> None:
    found = claims_of("The senator had a ten-point lead over the mayor in the poll.")
    assert [c.value_low for c in found] == [10.0]
