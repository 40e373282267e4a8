"""Inputs to sources: folders, globs, symlink loops, URLs, formats."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from ember.ingest import Rejection, Skipped, Source, expand_inputs
from ember.ingest.sources import format_of


def touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def sources(items: list[str]) -> list[Source]:
    return [s for s in expand_inputs(items) if isinstance(s, Source)]


def rejections(items: list[str]) -> list[Rejection]:
    return [r for r in expand_inputs(items) if isinstance(r, Rejection)]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", "text"), ("a.MD", "text"), ("README", "text"), ("a.html", "html"),
        ("a.htm.gz", "html"), ("a.jsonl", "jsonl"), ("a.ndjson.gz", "jsonl"), ("a.csv", "csv"),
        ("a.xml", "feed"), ("a.rss", "feed"), ("a.atom", "feed"), ("a.warc", "warc"),
        ("crawl.warc.gz", "warc"), ("a.png", None), ("a.pdf", "pdf"), ("a.docx", "docx"),
    ],
)  # fmt: skip
def test_format_of(name: str, fmt: str | None) -> None:
    assert format_of(name) == fmt


def test_folder_is_walked_sorted_and_hidden_files_skipped(tmp_path: Path) -> None:
    touch(tmp_path / "b.txt")
    touch(tmp_path / "a" / "c.html")
    touch(tmp_path / ".hidden.txt")
    touch(tmp_path / ".git" / "d.txt")
    found = sources([str(tmp_path)])
    # A folder's own files first, then its subfolders, each in name order.
    assert [Path(s.location).relative_to(tmp_path).as_posix() for s in found] == [
        "b.txt",
        "a/c.html",
    ]
    assert {s.format for s in found} == {"text", "html"}


def test_symlink_loop_ends_and_each_file_comes_once(tmp_path: Path) -> None:
    touch(tmp_path / "top" / "one.txt")
    touch(tmp_path / "top" / "sub" / "two.txt")
    (tmp_path / "top" / "sub" / "back").symlink_to(tmp_path / "top")
    (tmp_path / "top" / "sub" / "self").symlink_to(".")
    found = sources([str(tmp_path / "top"), str(tmp_path / "top" / "sub")])
    assert sorted(os.path.basename(s.location) for s in found) == ["one.txt", "two.txt"]


def test_recursive_glob_over_symlink_loops_ends_quickly(tmp_path: Path) -> None:
    # Python's own glob("**") follows both links forever (2^depth paths).
    touch(tmp_path / "a" / "x.txt")
    touch(tmp_path / "a" / "b" / "y.txt")
    touch(tmp_path / "a" / "b" / "z.csv")
    (tmp_path / "a" / "b" / "up").symlink_to("..")
    (tmp_path / "a" / "b" / "again").symlink_to("..")
    started = time.monotonic()
    found = sources([str(tmp_path / "a" / "**" / "*.txt")])
    assert time.monotonic() - started < 1
    assert sorted(os.path.basename(s.location) for s in found) == ["x.txt", "y.txt"]


def test_plain_glob(tmp_path: Path) -> None:
    touch(tmp_path / "r1.txt")
    touch(tmp_path / "r2.txt")
    touch(tmp_path / "r3.csv")
    found = sources([str(tmp_path / "r*.txt")])
    assert [os.path.basename(s.location) for s in found] == ["r1.txt", "r2.txt"]


def test_glob_with_no_match_is_a_rejection(tmp_path: Path) -> None:
    (rejection,) = rejections([str(tmp_path / "nothing-*.txt")])
    assert rejection.reason == "no file matches this pattern"


def test_missing_path_broken_link_and_unsupported(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    touch(tmp_path / "photo.png")
    reasons = {Path(r.source).name: r.reason for r in rejections([str(tmp_path), "no/such.txt"])}
    assert reasons == {
        "dangling.txt": "broken link: the target does not exist",
        "such.txt": "no such file or folder",
    }
    # Met while walking a folder, an unsupported file is skipped, not rejected; named
    # explicitly, it is rejected.
    (skip,) = [s for s in expand_inputs([str(tmp_path)]) if isinstance(s, Skipped)]
    assert (Path(skip.source).name, skip.reason) == ("photo.png", "unsupported format '.png'")
    (named,) = rejections([str(tmp_path / "photo.png")])
    assert named.reason == "unsupported format '.png'"


def test_a_folder_named_like_a_file_is_walked(tmp_path: Path) -> None:
    touch(tmp_path / "notes.txt" / "inner.txt")
    found = sources([str(tmp_path / "notes.txt")])
    assert [Path(s.location).name for s in found] == ["inner.txt"]


def test_urls_and_other_schemes() -> None:
    items = list(expand_inputs(["https://example.org/a", "HTTP://example.org/b", "ftp://x/y"]))
    assert items[:2] == [
        Source("https://example.org/a", "url"),
        Source("HTTP://example.org/b", "url"),
    ]
    assert isinstance(items[2], Rejection) and "only http(s)" in items[2].reason


def test_same_file_twice_comes_once(tmp_path: Path) -> None:
    path = touch(tmp_path / "a.txt")
    (tmp_path / "alias.txt").symlink_to(path)
    assert len(sources([str(path), str(tmp_path / "alias.txt"), str(tmp_path)])) == 1


def test_repeated_double_stars_stay_fast(tmp_path: Path) -> None:
    """Each ``**`` used to multiply the work (12 of them over a 16-deep path: minutes)."""
    from ember.ingest.sources import _matches

    deep = tmp_path.joinpath(*"abcdefghijklmnop")
    deep.mkdir(parents=True)
    (deep / "report.txt").write_text("A report deep down.", encoding="utf-8")
    started = time.monotonic()
    assert not _matches(("**",) * 12 + ("nomatch",), tuple("abcdefghijklmnop"))
    pattern = str(tmp_path) + "/" + "**/" * 12 + "*.txt"
    found = [item for item in expand_inputs([pattern]) if isinstance(item, Source)]
    assert [Path(s.location).name for s in found] == ["report.txt"]
    assert time.monotonic() - started < 5
    assert _matches(("**", "z"), ("d",) * 5000 + ("z",))  # no recursion limit on depth
