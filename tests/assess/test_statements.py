"""What others judge: stance, hedge and source of judgments in documents, and the
ledger of them (agreement, disagreement)."""

from __future__ import annotations

from ember.assess.record import sentence_around
from ember.assess.statements import find_statements, judgments_ledger, stance_of
from ember.records import Document

from .stores import GROUP

TEXT = (
    "The defence ministry said on Monday that the group remains a serious threat to the "
    "region. Analysts believe the militants are likely to regroup in the desert. "
    "A local commander insisted that the fighters will not succeed in taking the town. "
    "Is the group still a threat? Nobody could say. "
    "The army vowed to prevent any resurgence of the militants."
)


def _stand_in(text: str):  # type: ignore[no-untyped-def]
    """Who states a span, without the NLP pipeline: the sentence's first words."""

    def source_of(_text: str, start: int, _end: int) -> tuple[str | None, str | None]:
        head = text[sentence_around(text, start, start)[0] :][:20]
        if head.startswith("The defence ministry"):
            return "Ministry of Defence", None
        if head.startswith("A local commander"):
            return "a local commander", None
        return None, None

    return source_of


def _document(text: str = TEXT) -> Document:
    return Document(
        id="d1",
        source="test://d1",
        text=text,
        format="text",
        published="2021-05-03",
        publisher="Example Wire",
    )


def test_stances_follow_the_first_matching_cue() -> None:
    assert stance_of("the group remains a serious threat")[0] == "persisting"  # type: ignore[index]
    assert stance_of("it is likely to resurge")[0] == "rising"  # type: ignore[index]
    assert stance_of("they will not succeed")[0] == "declining"  # type: ignore[index]
    # A resurgence prevented is no resurgence.
    assert stance_of("pressure will prevent ISIS resurgence")[0] == "declining"  # type: ignore[index]
    assert stance_of("the weather was fine") is None


def test_statements_have_source_stance_hedge_and_date() -> None:
    found = find_statements([_document()], GROUP, {"d1": GROUP}, source_for=_stand_in)
    by_stance = {s.stance: s for s in found}
    assert [s.stance for s in found] == ["persisting", "rising", "declining", "declining"]
    assert by_stance["persisting"].source == "Ministry of Defence"
    assert by_stance["rising"].source is None and by_stance["rising"].outlet == "Example Wire"
    assert by_stance["rising"].hedge == "likely"
    assert all(s.date == "2021-05-03" and s.doc_id == "d1" for s in found)
    assert not any(s.text.endswith("?") for s in found)  # a question judges nothing
    for s in found:
        assert TEXT[s.span[0] : s.span[1]] == s.text


def test_documents_about_another_group_are_not_read() -> None:
    found = find_statements([_document()], GROUP, {"d1": "Al Qaeda"}, source_for=_stand_in)
    assert found == []


def test_the_ledger_lines_up_agreement_and_disagreement() -> None:
    found = find_statements([_document()], GROUP, {"d1": GROUP}, source_for=_stand_in)
    ledger = judgments_ledger(found)
    assert ledger["counts"] == {"rising": 1, "persisting": 1, "declining": 2}
    assert ledger["disagreement"] is True
    assert {r["source"] for r in ledger["sources"]["declining"]} == {
        "a local commander",
        "Example Wire",
    }


def test_the_attributor_finds_who_says_it() -> None:
    """The real machinery: spaCy and the claims' attributor."""
    text = (
        "Colonel Jane Ford, a coalition spokesperson, said the group remains a threat "
        "in the desert."
    )
    found = find_statements([_document(text)], GROUP, {"d1": GROUP})
    assert [s.stance for s in found] == ["persisting"]
    assert found[0].source and "Ford" in found[0].source
