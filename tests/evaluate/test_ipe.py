"""IndiaPoliceEvents: the reader, the police-force rule and each label's P/R/F1 (document
and sentence level) on hand-written documents, lower- and upper-case, hand-computed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ember.evaluate.events import detect_format, evaluate_events, format_events_table
from ember.evaluate.ipe import evaluate_ipe, is_police, parse_ipe, predicted_labels
from ember.evaluate.prose import GoldError, ProseRecords

from .prose_fakes import FakeDocuments, event, sentences, write_jsonl

# Lower case, as IndiaPoliceEvents distributes its text.
A = "rampur: police arrested six men after a brawl near the grain market. the shops stayed shut."
A0, A1 = (
    "rampur: police arrested six men after a brawl near the grain market.",
    "the shops stayed shut.",
)
# Upper case, as a telex would be.
B = "POLICE OPENED FIRE ON A CROWD IN THE OLD TOWN, KILLING TWO. A CURFEW WAS IMPOSED."
B0, B1 = "POLICE OPENED FIRE ON A CROWD IN THE OLD TOWN, KILLING TWO.", "A CURFEW WAS IMPOSED."
C = "the minister toured the relief camp. he promised new roofs before the rains."
C0, C1 = "the minister toured the relief camp.", "he promised new roofs before the rains."
D = "constables beat back a crowd at the depot gate. one man later died of his wounds."
D0, D1 = "constables beat back a crowd at the depot gate.", "one man later died of his wounds."


def _labels(*names: str) -> dict[str, int]:
    return {label: int(label in names) for label in ("KILL", "ARREST", "FORCE", "FAIL")}


def _doc(
    doc_id: int, text: str, parts: tuple[str, str], gold: list[tuple[str, ...]]
) -> dict[str, Any]:
    spans = sentences(text, *parts)
    rows = [
        {"sent_id": i, "text": part, **span, **_labels(*labels)}
        for i, (part, span, labels) in enumerate(zip(parts, spans, gold, strict=True))
    ]
    every = {label for labels in gold for label in labels}
    return {"doc_id": doc_id, "date": "2003-04-05", "text": text, "sentences": rows,
            "labels": _labels(*every)}  # fmt: skip


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    return write_jsonl(
        tmp_path / "ipe.jsonl",
        [
            _doc(1, A, (A0, A1), [("ARREST",), ()]),
            _doc(2, B, (B0, B1), [("KILL", "FORCE"), ()]),
            _doc(3, C, (C0, C1), [(), ()]),
            _doc(4, D, (D0, D1), [("FORCE",), ()]),
        ],
    )


def _answers() -> dict[str, ProseRecords]:
    return {
        # The arrest, in its sentence, and an arrest event in no gold sentence.
        A: ProseRecords(
            events=[
                event(sub_event_type="Arrests", event_type="Strategic developments",
                      actor1="Police Forces", text=A0, span=(0, len(A0))),
                event(sub_event_type="Arrests", event_type="Strategic developments",
                      text="curfew orders were lifted at dawn", span=(500, 530)),
            ]
        ),
        # Lower-case evidence against the upper-case gold sentence: the same words.
        B: ProseRecords(
            events=[event(event_type="Violence against civilians", sub_event_type="Attack",
                          actor1="Police Forces of India", fatalities=2, text=B0.lower())]
        ),
        # A spurious arrest (through ``arrested``) and soldiers, who are not police.
        C: ProseRecords(
            events=[
                event(event_type="Battles", arrested=3, text=C1, span=(37, 77)),
                event(event_type="Riots", sub_event_type="Mob violence",
                      actor1="Military Forces of India", fatalities=1, text=C0),
            ]
        ),
        # Police with a death, but in no FORCE type: KILL (not gold), FORCE missed.
        D: ProseRecords(
            events=[event(event_type="Strategic developments",
                          sub_event_type="Disrupted weapons use", actor1="Police Forces",
                          fatalities=1, text=D0)]
        ),
    }  # fmt: skip


def test_ipe_figures_by_hand(gold: Path) -> None:
    fake = FakeDocuments(_answers())
    result = evaluate_ipe(gold, analyze=fake)
    assert result["suite"] == "events" and result["format"] == "ipe" and result["n"] == 4
    m = result["metrics"]
    # ARREST documents: gold {1}, predicted {1, 3}.
    assert (m["arrest_precision"], m["arrest_recall"]) == (0.5, 1.0)
    assert m["arrest_f1"] == pytest.approx(2 / 3)
    # ARREST sentences: gold {1:0}; predicted {1:0, 3:1} and one event in no sentence.
    assert m["arrest_sentence_precision"] == pytest.approx(1 / 3)
    assert m["arrest_sentence_recall"] == 1.0
    assert m["arrest_sentence_f1"] == pytest.approx(0.5)
    # KILL: gold {2}, predicted {2, 4} (the soldiers' death in 3 is not police).
    assert (m["kill_precision"], m["kill_recall"]) == (0.5, 1.0)
    # FORCE: gold {2, 4}, predicted {2}.
    assert (m["force_precision"], m["force_recall"]) == (1.0, 0.5)
    assert m["force_f1"] == pytest.approx(2 / 3)
    assert result["counts"]["arrest_sentence_precision"] == 3
    assert result["counts"]["force_recall"] == 2
    assert set(fake.published.values()) == {"2003-04-05"}
    assert result["error_counts"] == {"gold": 0, "analysis": 0}
    first = result["documents"][0]
    assert first["arrest_sentences_gold"] == [0] and first["arrest_events_unaligned"] == 1


def test_ipe_is_recognised_and_dispatched_by_the_events_suite(gold: Path) -> None:
    assert detect_format(gold) == "ipe"
    result = evaluate_events(gold, limit=2, analyze_documents=FakeDocuments(_answers()))
    assert result["format"] == "ipe" and result["n"] == 2
    table = format_events_table(result)
    assert table.startswith("events, IndiaPoliceEvents: 2 documents")
    assert "arrest_sentence_f1" in table


def test_police_forces_come_from_the_actor_table() -> None:
    assert is_police("Police Forces") and is_police("Police Forces of India")
    assert is_police("Police Forces of Iraq (2020-)")  # ACLED's own name
    assert not is_police("Military Forces of India")
    assert not is_police("Rioters") and not is_police("Nobody's Army") and not is_police(None)


def test_predicted_labels() -> None:
    police = "Police Forces"
    assert predicted_labels([event(arrested=1)]) == {"ARREST"}
    assert predicted_labels([event(actor1=police, fatalities=0)]) == {"FORCE"}
    assert predicted_labels([event(actor1=police, event_type="Protests")]) == {"FORCE"}
    assert predicted_labels([event(actor1=police, event_type="Strategic developments")]) == set()
    assert predicted_labels([event(actor2=police, fatalities=4)]) == set()  # police as target


def test_ipe_reader_rejects_bad_offsets_and_labels() -> None:
    good = _doc(9, C, (C0, C1), [(), ()])
    assert parse_ipe(good).sentence_text(1) == C1
    bad_offsets = {**good, "sentences": [{**good["sentences"][0], "end": 999}]}
    with pytest.raises(GoldError, match="outside the text"):
        parse_ipe(bad_offsets)
    with pytest.raises(GoldError, match="0 or 1"):
        parse_ipe({**good, "labels": {"ARREST": "yes"}})
    with pytest.raises(GoldError, match="date"):
        parse_ipe({**good, "date": "5 April"})


def test_bad_rows_are_counted_not_fatal(tmp_path: Path) -> None:
    gold = write_jsonl(
        tmp_path / "ipe.jsonl",
        [
            _doc(1, A, (A0, A1), [("ARREST",), ()]),
            "{not json",
            {"doc_id": 7, "text": C, "labels": _labels()},  # no sentences
            _doc(3, C, (C0, C1), [(), ()]),
        ],
    )
    fake = FakeDocuments(_answers(), fail=[C])
    result = evaluate_ipe(gold, analyze=fake)
    assert result["n"] == 2
    assert result["error_counts"] == {"gold": 2, "analysis": 1}
    assert [e["line"] for e in result["errors"] if e["stage"] == "gold"] == [2, 3]
    assert [e["doc_id"] for e in result["errors"] if e["stage"] == "analysis"] == ["3"]
    # Document 3 failed: no events, so it predicts nothing; document 1 still scores.
    assert result["metrics"]["arrest_precision"] == 1.0
    table = format_events_table(result)
    assert "skipped 2 malformed gold document(s)" in table
    assert "ember raised an error on 1 document(s)" in table


@pytest.mark.slow
def test_ipe_on_the_real_pipeline(tmp_path: Path) -> None:
    text_a = "nadipur: police arrested four men on tuesday after a fight at the bus stand."
    text_b = "THE CITY COUNCIL MET ON MONDAY TO DISCUSS THE NEW WATER TARIFF."
    gold = write_jsonl(
        tmp_path / "ipe.jsonl",
        [
            _doc(1, text_a + " the town was calm.", (text_a, "the town was calm."),
                 [("ARREST",), ()]),
            _doc(2, text_b + " NO DECISION WAS TAKEN.", (text_b, "NO DECISION WAS TAKEN."),
                 [(), ()]),
        ],
    )  # fmt: skip
    result = evaluate_events(gold)
    assert result["format"] == "ipe" and result["n"] == 2
    assert result["error_counts"] == {"gold": 0, "analysis": 0}
    assert all(0.0 <= value <= 1.0 for value in result["metrics"].values())
