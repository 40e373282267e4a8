"""Text all in capitals or all in lower case, parsed in ordinary case."""

from __future__ import annotations

from ember.nlp.truecase import needs_truecasing, truecase

SHOUTED = (
    "REBELS ATTACKED A POLICE STATION IN SOYAPANGO YESTERDAY, KILLING TWO OFFICERS, THE"
    " FMLN SAID. PRESIDENT ALFREDO CRISTIANI CONDEMNED THE ATTACK."
)


def test_only_text_all_in_one_case_is_recased() -> None:
    assert needs_truecasing(SHOUTED)
    assert needs_truecasing(SHOUTED.lower())
    assert not needs_truecasing("Rebels attacked a police station in Soyapango, officials said.")
    assert not needs_truecasing("SHORT TEXT")


def test_recasing_keeps_every_offset() -> None:
    cased = truecase(SHOUTED)
    assert len(cased) == len(SHOUTED)
    assert cased.lower() == SHOUTED.lower()


def test_names_and_sentence_starts_get_capitals_and_common_words_lose_them() -> None:
    cased = truecase(SHOUTED)
    assert cased.startswith("Rebels attacked a police station in ")
    assert "Cristiani" in cased and "President" in cased
    assert "the attack." in cased


def test_an_acronym_without_vowels_stays_in_capitals() -> None:
    assert "FMLN" in truecase(SHOUTED)


def test_known_and_introduced_acronyms_stay_in_capitals() -> None:
    text = (
        "GUERRILLAS OF THE ELN DYNAMITED THE PIPELINE, THE ASSOCIATION OF MIDDLE MAGDALENA"
        " CATTLEMEN (ACDEGAM) SAID. A TIP FROM THE FARC LED POLICE TO THE MRTA CAMP."
    )
    cased = truecase(text)
    assert len(cased) == len(text)
    for acronym in ("ELN", "ACDEGAM", "FARC", "MRTA"):
        assert acronym in cased
    assert "a tip from" in cased.lower() and "TIP" not in cased


def test_a_speaker_in_parentheses_is_no_acronym() -> None:
    cased = truecase("(BEGIN RECORDING) (ESTRADA) I BELIEVE THE REPORT IS INCOMPLETE, HE SAID.")
    assert "ESTRADA" not in cased


def test_initials_keep_their_capitals_and_end_no_sentence() -> None:
    cased = truecase(
        "THE CALL CAME FROM A CARTEL WANTED BY SEVERAL U.S.\nFEDERAL COURTS, POLICE SAID."
    )
    assert "several U.S.\nfederal courts" in cased
