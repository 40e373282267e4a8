"""JSON Lines and CSV: text column choice, hints, row-level rejections, caps, streaming."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ember.errors import DecodeFailed
from ember.ingest import RawDocument, Rejection, Source, read_source
from ember.ingest._tabular import parse_date, read_csv, read_jsonl
from ember.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
LONG = "Security forces said the operation in the valley continued for a second day. "


def read(path: Path, settings: Settings | None = None) -> list[RawDocument | Rejection]:
    fmt = "csv" if ".csv" in path.name else "jsonl"
    return list(read_source(Source(str(path), fmt), settings=settings or Settings()))


def by_source(items: list[RawDocument | Rejection]) -> dict[str, RawDocument | Rejection]:
    return {item.source.rsplit(":", 1)[-1]: item for item in items}


def stream(data: bytes) -> io.BufferedReader:
    return io.BufferedReader(io.BytesIO(data))


def test_jsonl_fixture_rows_hints_and_rejections() -> None:
    items = by_source(read(FIXTURES / "reports.jsonl"))
    assert sorted(items, key=int) == ["1", "2", "3", "4", "6"]  # line 5 is blank
    first = items["1"]
    assert isinstance(first, RawDocument)
    assert first.source.endswith("reports.jsonl:1")
    assert first.kind == "text" and first.format == "jsonl"
    assert first.body.startswith("A roadside bomb hit a fuel convoy")
    assert first.hints.title == "Convoy struck on the road to Qaim"
    assert first.hints.publisher == "Desert Wire"
    assert first.hints.author == "Staff reporter"
    assert first.hints.url == "https://desert-wire.example/convoy-qaim"
    assert first.hints.language == "en"
    assert (first.hints.published, first.hints.published_precision) == ("2019-04-07", "day")
    second = items["2"]
    assert isinstance(second, RawDocument)
    assert (second.hints.published, second.hints.published_precision) == ("2019-04-01", "month")
    broken = items["3"]
    assert isinstance(broken, Rejection) and broken.reason.startswith("invalid JSON at column")
    assert items["4"] == Rejection(source=items["4"].source, reason="empty 'body'")
    last = items["6"]
    assert isinstance(last, RawDocument) and last.hints.author == "A. Writer, B. Writer"
    assert last.hints.published == "2019-04-15"


def test_csv_fixture_acled_style() -> None:
    items = by_source(read(FIXTURES / "events.csv"))
    assert sorted(items) == ["2", "3", "4"]  # rows named by line; the header is line 1
    row = items["2"]
    assert isinstance(row, RawDocument)
    assert row.body.startswith("On 2 March 2019, an improvised explosive device")
    assert (row.hints.published, row.hints.publisher) == ("2019-03-02", "Field Monitor")
    quoted = items["3"]
    assert isinstance(quoted, RawDocument) and '"operations command"' in quoted.body
    assert items["4"] == Rejection(source=items["4"].source, reason="empty 'notes'")


def test_longest_column_is_the_text_when_no_name_is_known() -> None:
    rows = [{"ref": f"R{i}", "headline": "Short title", "para": LONG * 2} for i in range(3)]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    docs = list(read_jsonl("x.jsonl", stream(data), settings=Settings()))
    assert all(isinstance(d, RawDocument) and d.body == LONG * 2 for d in docs)
    assert isinstance(docs[0], RawDocument) and docs[0].hints.title == "Short title"


def test_text_column_setting_wins_and_is_case_insensitive() -> None:
    data = b"Summary,Full Story\nshort,the long story\n"
    (doc,) = read_csv("x.csv", stream(data), settings=Settings(text_column="full story"))
    assert isinstance(doc, RawDocument) and doc.body == "the long story"


def test_missing_text_column_rejects_the_file_with_the_columns(tmp_path: Path) -> None:
    data = b"a,b\n1,2\n"
    with pytest.raises(DecodeFailed, match=r"no column 'text' \(columns: a, b\)"):
        list(read_csv("x.csv", stream(data), settings=Settings(text_column="text")))
    (rejection,) = read(write(tmp_path, "nocol.csv", data), Settings(text_column="text"))
    assert isinstance(rejection, Rejection) and "no column 'text'" in rejection.reason


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_semicolon_csv_with_bom_and_cp1252(tmp_path: Path) -> None:
    text = "title;texte\nUn titre;Le maire a dit \u201cnon\u201d \u2014 la route reste fermée.\n"
    for name, data in [
        ("bom.csv", b"\xef\xbb\xbf" + text.encode()),
        ("legacy.csv", text.encode("cp1252")),
    ]:
        (doc,) = read(write(tmp_path, name, data), Settings(text_column="texte"))
        assert isinstance(doc, RawDocument), doc
        assert doc.body == "Le maire a dit \u201cnon\u201d \u2014 la route reste fermée."
        assert doc.hints.title == "Un titre"


def test_field_longer_than_csv_default_is_read_and_limit_restored() -> None:
    default = csv.field_size_limit()
    long_text = "word " * 60_000  # 300 KB: over csv's 128 KB default field cap
    data = f"title,text\nLong one,{long_text}\nShort,{LONG}\n".encode()
    docs = list(read_csv("x.csv", stream(data), settings=Settings()))
    assert [type(d).__name__ for d in docs] == ["RawDocument", "RawDocument"]
    assert isinstance(docs[0], RawDocument) and docs[0].body == long_text
    assert csv.field_size_limit() == default


def test_row_over_the_record_cap_is_rejected_alone() -> None:
    settings = Settings(max_record_bytes=1000)
    data = f"title,text\nok,{LONG}\nhuge,{'x' * 5000}\nok again,{LONG}\n".encode()
    items = list(read_csv("x.csv", stream(data), settings=settings))
    assert [i.source for i in items] == ["x.csv:2", "x.csv:3", "x.csv:4"]
    assert isinstance(items[1], Rejection) and "over the 1000 bytes record cap" in items[1].reason
    assert isinstance(items[2], RawDocument) and items[2].hints.title == "ok again"


def test_quoted_field_over_the_cap_stops_the_file_with_a_reason() -> None:
    settings = Settings(max_record_bytes=1000)
    big = "\n".join(["y" * 80] * 30)  # lines under the cap, a field over it
    data = f'title,text\nok,{LONG}\nbig,"{big}"\nafter,{LONG}\n'.encode()
    items = list(read_csv("x.csv", stream(data), settings=settings))
    assert isinstance(items[0], RawDocument)
    assert isinstance(items[1], Rejection) and items[1].source == "x.csv:3"
    assert "malformed CSV" in items[1].reason and "stopped reading" in items[1].reason
    assert len(items) == 2


def test_jsonl_line_over_the_cap_and_other_bad_lines() -> None:
    settings = Settings(max_record_bytes=2000)
    lines = [
        json.dumps({"text": LONG}),
        json.dumps({"text": "z" * 5000}),
        "[1, 2, 3]",
        "[" * 100_000,
        json.dumps({"text": 42}),
        json.dumps({"title": "no text field"}),
        json.dumps({"text": LONG + "again"}),
    ]
    data = "\n".join(lines).encode()
    items = list(read_jsonl("x.jsonl", stream(data), settings=settings))
    reasons = {i.source: i.reason for i in items if isinstance(i, Rejection)}
    assert reasons == {
        "x.jsonl:2": "line is over the 2000 bytes record cap",
        "x.jsonl:3": "a JSON list, not an object",
        "x.jsonl:4": "line is over the 2000 bytes record cap",
        "x.jsonl:5": "'text' is a int, not text",
        "x.jsonl:6": "no 'text' field",
    }
    assert [i.source for i in items if isinstance(i, RawDocument)] == ["x.jsonl:1", "x.jsonl:7"]


def test_deeply_nested_json_is_a_reason_not_a_crash() -> None:
    data = ("[" * 50_000 + "]" * 50_000 + "\n").encode()
    (item,) = read_jsonl("x.jsonl", stream(data), settings=Settings())
    assert isinstance(item, Rejection) and item.reason.startswith("invalid JSON")


def test_html_text_column_is_marked_html() -> None:
    row = {"title": "t", "content": "<p>First paragraph.</p><p>Second one.</p>"}
    (doc,) = read_jsonl("x.jsonl", stream(json.dumps(row).encode()), settings=Settings())
    assert isinstance(doc, RawDocument) and doc.kind == "html"


def test_header_only_csv_and_blank_jsonl() -> None:
    (csv_item,) = read_csv("x.csv", stream(b"title,text\n"), settings=Settings())
    (jsonl_item,) = read_jsonl("x.jsonl", stream(b"\n\n  \n"), settings=Settings())
    assert csv_item == Rejection(source="x.csv", reason="no rows")
    assert jsonl_item == Rejection(source="x.jsonl", reason="no rows")


def test_gzipped_jsonl(tmp_path: Path) -> None:
    data = gzip.compress((json.dumps({"text": LONG}) + "\n").encode() * 3)
    items = read(write(tmp_path, "rows.jsonl.gz", data))
    assert [i.source.rsplit(":", 1)[-1] for i in items] == ["1", "2", "3"]


class CountingReader(io.RawIOBase):
    """A stream of ``lines`` that counts the bytes handed out."""

    def __init__(self, lines: Iterator[bytes]) -> None:
        self.lines = lines
        self.pending = b""
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self.pending:
            try:
                self.pending = next(self.lines)
            except StopIteration:
                return 0
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        self.given += n
        return n


def test_rows_stream_without_reading_the_whole_file() -> None:
    line = (json.dumps({"text": LONG * 3}) + "\n").encode()
    total = 20_000  # about 5 MB
    raw = CountingReader(line for _ in range(total))
    items = read_jsonl("big.jsonl", io.BufferedReader(raw), settings=Settings())
    first = next(items)
    assert isinstance(first, RawDocument)
    assert raw.given < total * len(line) / 5
    assert sum(1 for _ in items) == total - 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-03-23", ("2019-03-23", "day")),
        ("2019-03-23T22:15:00-05:00", ("2019-03-23", "day")),
        ("2019-03", ("2019-03-01", "month")),
        ("2019", ("2019-01-01", "year")),
        (2019, ("2019-01-01", "year")),
        ("20190323", ("2019-03-23", "day")),
        ("2019/3/23", ("2019-03-23", "day")),
        ("Sat, 23 Mar 2019 10:00:00 GMT", ("2019-03-23", "day")),
        ("23 March 2019", ("2019-03-23", "day")),
        ("March 2019", ("2019-03-01", "month")),
        ("2019-02-30", None),
        ("yesterday", None),
        # No written year: the current year must not be filled in.
        ("March 23", None),
        ("Saturday", None),
        ("le 3 mars 2019", ("2019-03-03", "day")),
        ("not a date", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_date(value: object, expected: tuple[str, str] | None) -> None:
    assert parse_date(value) == expected
