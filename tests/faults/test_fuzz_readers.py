"""Hypothesis on every reader: whatever bytes a file holds, reading it yields raw
documents or one-line rejections (never an exception), and every raw document either
becomes a document of valid text or gets a reason."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ember.ingest import Prepared, RawDocument, Rejection, Source, build_document, read_source
from ember.settings import Settings

SETTINGS = Settings(max_file_bytes=1_000_000, max_decompressed_bytes=2_000_000)
_counter = itertools.count()

SENTENCE = "Gunmen attacked a checkpoint near the bridge on Monday, police said."
ANY_TEXT = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=60)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=8,
)
JSON_RECORD = st.fixed_dictionaries(
    {"text": st.one_of(ANY_TEXT.map(lambda t: SENTENCE + t), JSON_VALUES)},
    optional={"title": JSON_VALUES, "date": JSON_VALUES, "url": JSON_VALUES},
)
ENTITY = st.sampled_from(
    ["&#xD800;", "&#0;", "&#x110000;", "&#99999999999;", "&amp;", "&bogus;", "&#x1F600;", "<"]
)


def check(path: Path, fmt: str) -> None:
    """Read ``path`` as ``fmt`` and build each document: nothing raises, every reason is
    one line, every stored field is valid UTF-8."""
    for item in read_source(Source(str(path), fmt), settings=SETTINGS):
        if isinstance(item, Rejection):
            assert item.reason and "\n" not in item.reason, item
            continue
        assert isinstance(item, RawDocument)
        built = build_document(item, settings=SETTINGS)
        if isinstance(built, Rejection):
            assert built.reason and "\n" not in built.reason
            continue
        assert isinstance(built, Prepared)
        doc = built.document
        for value in (doc.text, doc.title, doc.author, doc.publisher, doc.source, doc.url):
            if value is not None:
                value.encode("utf-8")


def written(tmp: Path, suffix: str, data: bytes) -> Path:
    path = tmp / f"f{next(_counter)}{suffix}"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.parametrize(
    ("suffix", "fmt"),
    [(".txt", "text"), (".html", "html"), (".jsonl", "jsonl"), (".csv", "csv"),
     (".xml", "feed"), (".warc", "warc")],
)  # fmt: skip
@given(data=st.binary(max_size=400))
def test_any_bytes_in_any_format(tmp: Path, suffix: str, fmt: str, data: bytes) -> None:
    check(written(tmp, suffix, data), fmt)


@given(data=st.binary(max_size=300))
def test_any_gzip_content(tmp: Path, data: bytes) -> None:
    check(written(tmp, ".txt.gz", gzip.compress(SENTENCE.encode() + data)), "text")
    check(written(tmp, ".txt.gz", gzip.compress(data)[: max(1, len(data) // 2)]), "text")


@given(records=st.lists(JSON_RECORD, max_size=4), junk=st.binary(max_size=40))
def test_json_lines(tmp: Path, records: list[dict[str, object]], junk: bytes) -> None:
    lines = [json.dumps(record).encode() for record in records] + [junk]
    check(written(tmp, ".jsonl", b"\n".join(lines)), "jsonl")


@given(title=st.lists(st.one_of(ENTITY, ANY_TEXT), max_size=4).map("".join),
       body=st.lists(st.one_of(ENTITY, st.just(SENTENCE)), max_size=4).map("".join))  # fmt: skip
def test_feeds_with_hostile_entities(tmp: Path, title: str, body: str) -> None:
    item = f"<item><title>{title}</title><description>{body}</description></item>"
    good = f"<item><title>Good</title><description>{SENTENCE}</description></item>"
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{item}{good}'
    path = written(tmp, ".xml", (feed + "</channel></rss>").encode("utf-8", "surrogatepass"))
    check(path, "feed")


@given(depth=st.integers(min_value=0, max_value=3000), tag=st.sampled_from(["div", "b", "p"]))
def test_nested_html(tmp: Path, depth: int, tag: str) -> None:
    html = f"<html><body>{f'<{tag}>' * depth}<p>{SENTENCE}</p>{f'</{tag}>' * depth}</body></html>"
    check(written(tmp, ".html", html.encode()), "html")
