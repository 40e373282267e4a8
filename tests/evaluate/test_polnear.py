"""PolNeAR: the reader, source matching and attribution precision, unattributed count
and recall, on a hand-written article (and a lower-case one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ember.errors import ConfigError
from ember.evaluate.claims import AttributionReport, evaluate_claims, format_claims_table
from ember.evaluate.events import detect_format
from ember.evaluate.polnear import evaluate_polnear, parse_polnear, source_matches
from ember.evaluate.prose import GoldError, ProseRecords

from .prose_fakes import FakeDocuments, claim, write_jsonl

TEXT = (
    "The mayor said that 40 buses were bought and 6 routes added. "
    "He added that 12 drivers quit. "
    "Budget papers list 7 new depots. "
    "Officials put the cost at $5 million. "
    "It was reported that 9 bridges need repair."
)


def _at(text: str, part: str) -> dict[str, Any]:
    """Where ``part`` is written in ``text``, whatever the case."""
    start = text.lower().index(part.lower())
    return {"text": text[start : start + len(part)], "start": start, "end": start + len(part)}


def _attribution(
    text: str, ident: str, source: str | None, cue: str, content: str
) -> dict[str, Any]:
    return {"id": ident, "source": _at(text, source) if source else None, "cue": _at(text, cue),
            "content": [_at(text, content)],
            "brat_relation_type": "Attribution" if source else "Attribution-no-source"}  # fmt: skip


def _article(doc_id: str, text: str) -> dict[str, Any]:
    attributions = [
        _attribution(
            text, "E1", "The mayor", "said", "that 40 buses were bought and 6 routes added"
        ),
        _attribution(text, "E2", "He", "added", "that 12 drivers quit"),
        _attribution(text, "E4", "Officials", "put", "the cost at $5 million"),
        _attribution(text, "E5", None, "reported", "that 9 bridges need repair"),
    ]
    return {"doc_id": doc_id, "publisher": "daily", "date": "2016-05-06", "title": "Buses",
            "text": text, "attributions": attributions}  # fmt: skip


def _figure(text: str, figure: str, attributed_to: str | None, written: str | None = None) -> Any:
    start = text.index(figure)
    return claim(quantity_text=figure, quantity_span=(start, start + len(figure)),
                 attributed_to=attributed_to, attributed_text=written)  # fmt: skip


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    return write_jsonl(
        tmp_path / "polnear.jsonl", [_article("a", TEXT), _article("b", TEXT.lower())]
    )


def _claims(text: str) -> ProseRecords:
    return ProseRecords(
        claims=[
            _figure(text, "40", "Mayor Jane Roe"),  # right: shares "mayor"
            _figure(text, "6", "Governor Smith"),  # wrong: nothing shared
            _figure(text, "12", "Someone Else"),  # right: a pronoun source takes any
            _figure(text, "7", "Budget Office", "budget papers"),  # wrong: outside contents
            _figure(text, "$5 million", None),  # left without a source
            _figure(text, "9", "a reporter"),  # wrong: the attribution has no source
        ]
    )


def test_polnear_figures_by_hand(gold: Path) -> None:
    fake = FakeDocuments({TEXT: _claims(TEXT), TEXT.lower(): _claims(TEXT.lower())})
    result = evaluate_polnear(gold, analyze=fake)
    assert result["suite"] == "claims" and result["format"] == "polnear" and result["n"] == 2
    m = result["metrics"]
    assert m["precision"] == pytest.approx(2 / 5)  # per article: 40 and 12 of five sourced
    assert m["unattributed"] == 2
    assert m["recall"] == pytest.approx(2 / 3)  # E1 and E2 of E1, E2, E4 (E5: no source)
    assert result["counts"]["no_source_attributions"] == 2
    assert set(fake.published.values()) == {"2016-05-06"}
    assert [row["source"] for row in result["documents"][0]["missed"]] == ["Officials"]


def test_claims_suite_dispatches_a_polnear_file(gold: Path) -> None:
    fake = FakeDocuments({TEXT: _claims(TEXT)})
    report = evaluate_claims(gold, limit=1, analyze_documents=fake)
    assert isinstance(report, AttributionReport) and report.n == 1
    assert report.as_json()["format"] == "polnear"
    table = format_claims_table(report)
    assert table.startswith("claims, PolNeAR attributions: 1 documents")
    assert "unattributed" in table


def test_polnear_is_not_an_events_set_nor_ipe_a_claims_set(gold: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ember eval claims"):
        detect_format(gold)
    other = write_jsonl(tmp_path / "x.jsonl", [{"text": "a", "sentences": [], "labels": {}}])
    with pytest.raises(ConfigError, match="not a claims gold file"):
        evaluate_claims(other)


def test_source_matches() -> None:
    def said(name: str | None, written: str | None = None) -> Any:
        return claim(attributed_to=name, attributed_text=written)

    assert source_matches("Mr. Trump", said("Donald Trump"))
    assert not source_matches("Mr. Trump", said("Mr. Clarke"))
    assert source_matches("the president", said("President Obama"))
    assert source_matches("they", said("Anyone"))
    assert source_matches("the senator's office", said("X", "the senator's office"))
    assert not source_matches("he", said(None))


def test_reader_rejects_bad_offsets() -> None:
    article = _article("a", TEXT)
    article["attributions"][0]["content"][0]["end"] = 10_000
    with pytest.raises(GoldError, match="outside the text"):
        parse_polnear(article)
