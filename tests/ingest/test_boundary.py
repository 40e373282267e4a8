"""Valid Unicode at the boundary: text fields repaired and counted, names escaped on one
line and reversibly, and no bad record sinks the batch (JSONL ``"\\udc80"``, a file name
that is not UTF-8, a feed item with ``&#xD800;``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from ember.cli import cli
from ember.ingest import RawDocument, build_document
from ember.ingest.boundary import escape_name, one_line_name, unescape_name, valid_text
from ember.ingest.document import Prepared
from ember.scale import ingest_inputs
from ember.settings import Settings
from ember.store import Store

BODY = (
    "Shelling near the dam\n\nArtillery shelled the villages near the dam on Monday night; "
    "three farmers were wounded, a local official said.\n"
)


@pytest.mark.parametrize(
    ("given", "expected", "count"),
    [
        ("plain text\twith\nlines\r\n", "plain text\twith\nlines\r\n", 0),
        ("lone \udc80 surrogate", "lone \ufffd surrogate", 1),
        ("nul\x00 and bell\x07", "nul\ufffd and bell\ufffd", 2),
        ("non\ufffe char \U0010ffff", "non\ufffd char \ufffd", 2),
        ("c1 \x85 control, del \x7f", "c1 \ufffd control, del \ufffd", 2),
        ("Raqqā, الرقة, 🙂", "Raqqā, الرقة, 🙂", 0),
    ],
)
def test_valid_text_replaces_and_counts(given: str, expected: str, count: int) -> None:
    assert valid_text(given) == (expected, count)


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("/data/report.txt", "/data/report.txt"),
        ("/data/bad\udcff.txt", "/data/bad\\xff.txt"),
        ("/data/two\nlines.txt", "/data/two\\x0alines.txt"),
        ("C:\\x41", "C:\\\\x41"),
        ("sep\u2028and\x85", "sep\\u2028and\\u0085"),
        ("lone\ud800", "lone\\ud800"),
        ("astral\U0001fffe", "astral\\U0001fffe"),
    ],
)
def test_names_are_escaped_on_one_line_and_reversibly(name: str, escaped: str) -> None:
    assert escape_name(name) == escaped
    assert unescape_name(escaped) == name
    assert "\n" not in escaped
    escaped.encode("utf-8")  # valid: storable anywhere


def test_an_escaped_file_name_gives_the_bytes_back(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9 report.txt"
    assert os.fsencode(unescape_name(escape_name(os.fsdecode(raw)))) == raw


def test_reasons_become_one_line() -> None:
    assert one_line_name("cannot read a\nb\udcfe: denied") == "cannot read a\\x0ab\\xfe: denied"


def test_build_document_repairs_every_text_field() -> None:
    raw = RawDocument(source="notes.jsonl:3", body=BODY.replace("dam", "dam\udc80", 1),
                      kind="text", format="jsonl")  # fmt: skip
    prepared = build_document(raw, settings=Settings())
    assert isinstance(prepared, Prepared)
    assert prepared.repaired == 1
    assert "\udc80" not in (prepared.document.title or "") + prepared.document.text


def hostile_folder(folder: Path) -> None:
    folder.mkdir()
    for i in range(3):
        (folder / f"good{i}.txt").write_text(BODY.replace("three", str(i + 3)), encoding="utf-8")
    (folder / "lone.jsonl").write_text(
        '{"text": "A lone surrogate \\udc80 sits in this report of shelling near the dam '
        'on Monday night, the official said.", "title": "bad\\u0000title"}\n'
        '{"text": "The second record is good: troops arrested five suspects at a farm."}\n',
        encoding="utf-8",
    )
    (folder / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>Bad &#xD800; item</title><description>Militants shelled the village "
        "near the border on Sunday, killing two farmers.</description></item>"
        "<item><title>Good item</title><description>Police arrested five suspects in a raid "
        "outside the city on Monday, officials said.</description></item></channel></rss>",
        encoding="utf-8",
    )
    bad_name = os.fsencode(folder) + b"/caf\xe9\nreport.txt"
    with open(bad_name, "wb") as stream:
        stream.write(BODY.replace("Monday", "Friday").encode("utf-8"))
    with open(os.fsencode(folder) + b"/binary\xff.txt", "wb") as stream:
        stream.write(b"\x00\x01\x02\x03" * 200)


def test_a_hostile_folder_stores_every_good_record(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    hostile_folder(folder)
    url = f"sqlite:///{tmp_path / 'h.db'}"
    with Store.open(url) as store:
        summary = ingest_inputs([str(folder)], store=store, settings=Settings())
        sources = sorted(doc.source for doc in store.iter_documents())
        log = store.ingest_log()
    assert summary.stored == 8, summary
    assert summary.repaired_documents == 1 and summary.repaired_characters == 2
    assert f"{folder}/caf\\xe9\\x0areport.txt" in sources
    assert {f"{folder}/feed.xml#1", f"{folder}/feed.xml#2", f"{folder}/lone.jsonl:1"} <= set(
        sources
    )
    (rejected,) = summary.rejections
    assert rejected.source == f"{folder}/binary\\xff.txt" and "\n" not in rejected.reason
    assert "replaced 2 invalid characters" in {row["reason"] for row in log}
    engine = create_engine(url)
    with engine.connect() as conn:  # the full-text index holds the repaired text
        assert conn.execute(text("SELECT count(*) FROM documents_fts")).scalar_one() == 8
    engine.dispose()


def test_the_cli_shows_bad_names_on_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    hostile_folder(folder)
    result = CliRunner().invoke(
        cli, ["ingest", str(folder), "--db", str(tmp_path / "c.db"), "--no-analyze"]
    )
    assert result.exit_code == 1, result.output
    assert "stored 8," in result.output
    assert f"rejected {folder}/binary\\xff.txt: " in result.output
    assert "1 documents stored with 2 invalid characters replaced" in result.output
    assert "Traceback" not in result.output
