"""Who states a figure: quotations, speaker labels, reporting verbs and their scope.
Sentences written for these tests (none taken from the seeds or the evaluation data)."""

from __future__ import annotations

import json

from ember.extract.attribution import claims_data
from ember.extract.claims import extract_claims
from ember.extract.quotes import labels, quotes
from ember.nlp.pipeline import load_pipeline
from ember.records import Claim


def claims_of(text: str) -> list[Claim]:
    return extract_claims(load_pipeline()(text), doc_id="t", anchor="2021-06-15")


def source(text: str, figure: str) -> str | None:
    found = [c for c in claims_of(text) if c.quantity_text == figure]
    assert found, [c.quantity_text for c in claims_of(text)]
    return found[0].attributed_to


def test_the_innermost_source_wins_over_the_outlet() -> None:
    text = (
        "The Monitor reports that the rebels hold 300 villages in the north, "
        "according to the Harlow Institute."
    )
    assert "Harlow" in (source(text, "300") or "")


def test_according_to_before_the_speaker_is_the_outer_source() -> None:
    text = "According to the Gazette, Governor Tom Keller said the militia lost 900 fighters."
    assert source(text, "900") == "Tom Keller"


def test_the_campaign_is_its_own_source_not_the_outlet() -> None:
    text = (
        "The Daily Ledger covered the race all week.\n\nThe campaign says the governor "
        "will unveil a fund of $40 million on Friday."
    )
    assert "campaign" in (source(text, "$40 million") or "").lower()


def test_a_saying_not_yet_done_is_no_source() -> None:
    text = "The ministry will announce on Friday how it spent $5 million."
    assert source(text, "$5 million") is None


def test_a_figure_inside_the_source_phrase_has_no_source() -> None:
    text = (
        "According to an indictment of 14 counts filed by the prosecutors, the men moved "
        "$3 million through the charity."
    )
    found = {c.quantity_text: c.attributed_to for c in claims_of(text)}
    assert found.get("14") is None
    assert found["$3 million"] is not None


def test_the_speaker_after_a_quotation_holds_everything_inside_it() -> None:
    text = "“The brigade has 3,000 fighters in the valley,” Mr. Haddad said."
    assert source(text, "3,000") == "Haddad"


def test_a_pronoun_speaker_is_the_person_named_before() -> None:
    text = (
        "Colonel Sami Rahal spoke to reporters on Monday.\n\n"
        "“We detained 80 suspects last month,” he said."
    )
    assert source(text, "80") == "Sami Rahal"


def test_a_quotation_over_several_paragraphs_keeps_its_speaker() -> None:
    text = (
        "Colonel Sami Rahal described the battle to reporters.\n\n"
        "“We lost 12 vehicles on the first day,” he said.\n\n"
        "“By the third day we had 40 men left.”"
    )
    assert source(text, "40") == "Sami Rahal"


def test_a_speaker_before_the_quotation() -> None:
    text = "Mayor Lina Farah told the council: “We need 600 more beds before winter.”"
    assert source(text, "600") == "Lina Farah"


def test_the_thing_counted_is_not_the_source() -> None:
    text = "The analysts wrote that 27 companies reported 16,000 subsidiaries abroad."
    assert source(text, "16,000") == "analysts"


def test_its_own_website_is_its_owners() -> None:
    text = (
        "Airwars publishes its data every month. It tracked 1,300 civilian deaths in "
        "the province, according to its own website."
    )
    assert source(text, "1,300") == "Airwars"


def test_a_relative_pronoun_stands_for_its_noun() -> None:
    text = "Reporters asked Human Rights Watch, which counted 250 detainees in the camp."
    assert source(text, "250") == "Human Rights Watch"


def test_an_aside_of_the_writer_is_not_the_speakers() -> None:
    text = (
        "Officials said the strike hit Tal Afar, which had 80,000 residents before the "
        "war, on Sunday."
    )
    assert source(text, "80,000") is None


def test_a_parenthetical_speaker() -> None:
    text = "The monthly payment, Amnesty said, would be $300 for each family."
    assert source(text, "$300") == "Amnesty International"


def test_a_headline_label_names_its_source() -> None:
    text = "Airwars: 1,300 Civilians Killed in Strikes\n\nThe monitor released its review."
    assert source(text, "1,300") == "Airwars"


def test_transcript_labels_name_the_speaker() -> None:
    text = (
        "An interview with Colonel Sami Rahal, recorded in June.\n\n"
        "HOST: How many men do you have?\n\n"
        "RAHAL: We have 2,000 men on the border.\n\n"
        "HOST: And in the city?\n\n"
        "RAHAL: About 500 fighters."
    )
    assert source(text, "2,000") == "Sami Rahal"
    assert source(text, "About 500") == "Sami Rahal"


def test_unnamed_officials_are_named_as_written() -> None:
    text = "Local officials said 45 houses were destroyed in the floods."
    assert source(text, "45") == "Local officials"


def test_a_finding_verb_needs_a_study_for_a_count() -> None:
    assert source("A survey by Airwars found 31 unreported strikes.", "31") == "Airwars"
    assert source("Soldiers found 20 bombs in the house.", "20") is None


def test_a_survey_the_clause_is_found_in_states_it() -> None:
    text = "In the latest Amnesty survey, residents backed the council by 12 points."
    assert source(text, "12") == "Amnesty International"


def test_an_estimate_raised_or_set_is_its_makers() -> None:
    text = (
        "Airwars published its monthly review on Monday.\n\n"
        "It raised its estimate of the share of homes destroyed to 12 percent."
    )
    assert source(text, "12 percent") == "Airwars"
    text = "Local doctors put the death toll at 230 people."
    assert source(text, "230") == "Local doctors"
    assert (
        source("The engineers moved the fence to 300 metres from the road.", "300 metres") is None
    )


def test_a_figure_described_as_said_is_its_possessors() -> None:
    text = "The towns spend less than the ministry's recommended 15 percent on schools."
    assert "ministry" in (source(text, "15 percent") or "").lower()


def test_a_statement_given_out_is_its_issuers() -> None:
    text = "The Red Cross issued a statement describing 40 families left without water."
    assert source(text, "40") == "International Committee of the Red Cross"


def test_a_plan_announced_holds_its_figure() -> None:
    text = "Governor Ana Ruiz announced plans on Monday to spend $70 million on the dam."
    assert "Ana Ruiz" in (source(text, "$70 million") or "")


def test_a_comparison_inside_what_is_said() -> None:
    text = "Amnesty rated 40% of the prisons as unsafe, compared to 25% of the barracks."
    assert source(text, "25%") == "Amnesty International"


def test_a_prospect_hung_on_the_verb_goes_on_with_what_is_said() -> None:
    text = (
        "The Harlow Institute says the levy would slow trade at first, but would "
        "eventually raise $900 million over a decade."
    )
    assert "Harlow" in (source(text, "$900 million") or "")


def test_a_clause_after_a_semicolon_goes_on_with_the_statement() -> None:
    text = (
        "The auditors reported that the first fund holds $40 million abroad; the second "
        "holds $12 million in two banks."
    )
    assert source(text, "$12 million") == "auditors"


def test_an_owned_plan_states_what_it_would_do() -> None:
    text = "Senator Omar Haddad's plan would cap the fee at 12 percent for every family."
    assert source(text, "12 percent") == "Omar Haddad"
    text = "Under Senator Omar Haddad's plan, families would pay 9 percent of their income."
    assert source(text, "9 percent") == "Omar Haddad"
    text = "The plan ignores the fee, which, at 30 percent, is the highest in the region."
    assert source(text, "30 percent") is None


def test_an_object_attached_to_the_verb_is_still_the_object() -> None:
    text = "Ruiz cited her own endorsements from 75 mayors on Friday."
    assert source(text, "75") is not None


def test_a_finding_referred_to_by_this_is_a_source() -> None:
    text = "The gap is shown by this finding: “14 banks moved 900 accounts offshore.”"
    assert source(text, "900") is not None


def test_one_study_is_named_as_written_and_bare_estimates_are_a_hedge() -> None:
    text = (
        "One study found the levy would raise costs for 8 million low- and middle-income families."
    )
    assert source(text, "8 million") == "One study"
    text = "In the valley, 300,000 acres were burned, by one estimate."
    assert source(text, "300,000") == "one estimate"
    found = [
        c for c in claims_of("By most estimates, 4,000 fighters remain.") if c.value_low == 4000
    ]
    assert [(c.attributed_to, c.hedge) for c in found] == [(None, "estimated")]


def test_what_people_have_heard_is_theirs() -> None:
    text = "Many residents have heard by now that 20 wells run dry each summer."
    assert source(text, "20") == "Many residents"


def test_one_official_is_a_source_not_a_count() -> None:
    text = "One official said 45 fighters crossed the border."
    assert source(text, "45") == "One official"


def test_a_clause_between_two_asides_is_still_said() -> None:
    text = (
        "Amnesty estimates that the first camp -- the one near the river -- holds "
        "4,000 people, while the second -- the one in the hills -- holds fewer."
    )
    assert source(text, "4,000") == "Amnesty International"


def test_a_revision_by_an_amount_is_the_estimates_makers() -> None:
    text = (
        "Airwars published its monthly review on Monday.\n\n"
        "It raised its estimate by 3 percentage points to 12 percent."
    )
    assert source(text, "3 percentage points") == "Airwars"


def test_what_someone_is_charged_with_is_the_charge() -> None:
    text = (
        "Federal prosecutors charged two traders with defrauding investors from at least 9 banks."
    )
    assert source(text, "at least 9") == "Federal prosecutors"


def test_a_pronoun_with_no_person_named_is_the_role_before_it() -> None:
    text = "The spokesman declined to name the units.\n\n“We lost 5 tanks,” he said."
    assert source(text, "5") == "spokesman"


def test_a_quotation_left_open_takes_the_speaker_named_in_the_next_paragraph() -> None:
    text = (
        "Senator Omar Haddad spoke to reporters.\n\n"
        "“We need 600 more beds.\n\n"
        "“And we need 40 doctors,” said Lina Farah."
    )
    assert source(text, "600") == "Lina Farah"


def test_a_figure_read_with_its_verb_is_still_stated() -> None:
    text = "Researchers at Airwars estimated 700 civilian deaths."
    assert source(text, "estimated 700") == "Airwars"


def test_a_tag_that_names_who_was_told() -> None:
    text = "Forty guards have deserted, Omar Haddad told the Gazette on Sunday."
    assert source(text, "Forty") == "Omar Haddad"


def test_said_in_a_statement_is_the_sayers_statement() -> None:
    text = "Haddad's office said in a statement that 40 guards had deserted."
    assert "Haddad" in (source(text, "40") or "")


def test_the_report_with_an_aside_still_refers_back() -> None:
    text = (
        "Airwars published its annual review.\n\n"
        "The report, released Monday, found that 40 strikes had gone unreported."
    )
    assert source(text, "40") == "Airwars"


def test_quotation_regions() -> None:
    text = 'He said:\n\n“We lost 5 men.\n\n“And 40 more,” he said. He is 6\'3" tall, "big".'
    found = [(text[q.start : q.end], q.leads, q.continued) for q in quotes(text)]
    assert found == [
        ("We lost 5 men.", True, False),
        ("And 40 more,", True, True),
        ("big", False, False),
    ]


def test_speaker_labels() -> None:
    text = "WALLACE: Two things.\nSource: the ministry\nPolitifact: Right"
    assert [label.name for label in labels(text)] == ["WALLACE", "Source", "Politifact"]


def test_cue_lists_are_lists_of_words() -> None:
    cues = json.loads(claims_data("cues.json"))
    for key in (
        "say_verbs", "finding_verbs", "finding_subjects", "quote_tag_verbs", "report_nouns",
        "statement_nouns", "role_nouns", "person_nouns", "organisation_nouns",
        "not_speaker_labels", "estimate_nouns", "estimate_verbs", "issue_verbs",
        "proposal_nouns", "survey_nouns", "interface_counters",
    ):  # fmt: skip
        assert cues[key] and all(isinstance(w, str) and w == w.lower() for w in cues[key]), key
