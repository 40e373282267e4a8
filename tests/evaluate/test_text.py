"""The text suite: the metric on hand-made examples, the JSON it prints, the CLI."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ember.cli import cli
from ember.errors import ConfigError
from ember.evaluate.text import evaluate_text, format_text_table, score_page, tokens

GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "text"

_PARAGRAPHS = (
    "Engineers from the provincial council began clearing rubble from the old market "
    "on Tuesday, three weeks after the spring floods cut the town off from the highway.",
    "The council said that forty shops had reopened and that the water network would be "
    "repaired before the summer, although residents complained about the slow pace.",
    "A spokesman for the governor told reporters that the bridge over the river would "
    "be rebuilt with funds from the national budget and a grant from a regional bank.",
)


def _page(title: str, paragraphs: tuple[str, ...]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright Example Media. All rights reserved.</footer></body></html>"
    )


def _gold_dir(root: Path, pages: dict[str, tuple[str, str]]) -> Path:
    """A gold folder in the benchmark's layout: id -> (html, gold article body)."""
    (root / "html").mkdir(parents=True)
    truth = {}
    for page_id, (html, body) in pages.items():
        (root / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode()))
        truth[page_id] = {"articleBody": body, "url": f"https://example.org/{page_id}"}
    (root / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return root


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    good = _page("Market reopens after floods", _PARAGRAPHS)
    return _gold_dir(
        tmp_path / "gold",
        {
            "a-good": (good, "\n".join(_PARAGRAPHS)),
            "b-half": (good, "\n".join(_PARAGRAPHS[:1])),
            "c-empty-gold": (good, "  "),
            "d-no-text": ("<html><body><nav>Home</nav></body></html>", "\n".join(_PARAGRAPHS)),
        },
    )


# -- the metric -------------------------------------------------------------------


def test_tokens_are_lowercased_word_matches_counted_with_multiplicity() -> None:
    assert tokens("Mosul, MOSUL and al-Qaim's 3rd") == {
        "mosul": 2, "and": 1, "al": 1, "qaim": 1, "s": 1, "3rd": 1,
    }  # fmt: skip


def test_score_uses_multiset_intersection() -> None:
    # extracted {a:2, b:1, c:1}, gold {a:1, b:2, d:1}: intersection a:1 + b:1 = 2
    scores = score_page("a a b c", "A b, b d")
    assert scores.precision == pytest.approx(2 / 4)
    assert scores.recall == pytest.approx(2 / 4)
    assert scores.f1 == pytest.approx(0.5)


def test_score_asymmetric_precision_and_recall() -> None:
    scores = score_page("one two", "one two three four five six")
    assert (scores.precision, scores.recall) == (1.0, pytest.approx(2 / 6))
    assert scores.f1 == pytest.approx(2 * 1.0 * (1 / 3) / (1 + 1 / 3))


def test_empty_extraction_scores_zero() -> None:
    assert score_page("", "some gold text") == score_page("  ...  ", "some gold text")
    assert score_page("", "some gold text").f1 == 0.0
    assert score_page("nothing shared", "some gold text").f1 == 0.0


def test_empty_gold_cannot_be_scored() -> None:
    with pytest.raises(ValueError):
        score_page("text", " -- ")


# -- the suite ----------------------------------------------------------------------


def test_evaluate_text_json_shape_and_figures(gold_dir: Path) -> None:
    result = evaluate_text(gold_dir)
    assert result["suite"] == "text"
    assert result["n"] == 3
    for system in ("ember", "baseline"):
        assert set(result[system]) == {"precision", "recall", "f1"}
        assert all(0.0 <= v <= 1.0 for v in result[system].values())
    pages = {p["id"]: p for p in result["pages"]}
    assert pages["a-good"]["ember"]["recall"] == pytest.approx(1.0)
    assert pages["b-half"]["ember"]["precision"] < 0.5
    assert pages["d-no-text"]["ember"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert pages["d-no-text"]["ember_rejected"]
    assert result["ember_rejected"] == 1
    assert result["skipped"] == [{"id": "c-empty-gold", "reason": "gold article body is empty"}]
    mean_f1 = sum(p["ember"]["f1"] for p in pages.values()) / 3
    assert result["ember"]["f1"] == pytest.approx(mean_f1)
    json.dumps(result)


def test_limit_takes_the_first_ids_in_sorted_order(gold_dir: Path) -> None:
    result = evaluate_text(gold_dir, limit=1)
    assert result["n"] == 1
    assert [p["id"] for p in result["pages"]] == ["a-good"]


def test_table_names_both_systems(gold_dir: Path) -> None:
    table = format_text_table(evaluate_text(gold_dir))
    assert "ember" in table and "trafilatura" in table
    assert "rejected 1 page" in table and "skipped 1 page" in table


def test_missing_ground_truth_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        evaluate_text(tmp_path)


# -- the command ----------------------------------------------------------------------


def test_cli_eval_text_json_limit(gold_dir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["eval", "text", "--gold", str(gold_dir), "--json", "--limit", "2"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["suite"] == "text" and data["n"] == 2
    assert set(data["ember"]) == set(data["baseline"]) == {"precision", "recall", "f1"}


def test_cli_eval_text_table(gold_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", "text", "--gold", str(gold_dir)])
    assert result.exit_code == 0, result.output
    assert "trafilatura" in result.output


def test_cli_eval_text_bad_gold_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", "text", "--gold", str(tmp_path)])
    assert result.exit_code == 2
    assert "ground-truth.json" in result.output


@pytest.mark.skipif(not GOLD.is_dir(), reason="no dev gold data at ../shared/eval/text")
def test_real_gold_first_three_pages() -> None:
    result = CliRunner().invoke(
        cli, ["eval", "text", "--gold", str(GOLD), "--json", "--limit", "3"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["n"] == 3
    assert data["ember_rejected"] == 0
    assert data["ember"]["f1"] > 0.5 and data["baseline"]["f1"] > 0.5
