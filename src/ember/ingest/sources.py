"""Turning what the user typed (files, folders, globs, URLs) into a stream of sources."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ._types import Rejection

__all__ = ["FORMATS", "Source", "expand_inputs", "format_of"]

# Suffix (lower case, without .gz) to reader format.
FORMATS: dict[str, str] = {
    ".txt": "text", ".md": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".warc": "warc",
}  # fmt: skip
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Source:
    """A file path or an http(s) URL, with the format ember will read it as
    (``url`` for URLs: their format is known only once fetched)."""

    location: str
    format: str

    @property
    def is_url(self) -> bool:
        return self.format == "url"


def format_of(path: str | Path) -> str | None:
    """The reader format for a file name, looking through a trailing ``.gz``."""
    name = Path(path).name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = Path(name).suffix
    if not suffix:
        return "text"
    return FORMATS.get(suffix)


def expand_inputs(inputs: Iterable[str]) -> Iterator[Source | Rejection]:
    """Files, folders (recursive, each real folder once, so symlink loops end), globs and
    URLs, in the order given; folder contents in sorted order. Hidden files are skipped."""
    seen_files: set[str] = set()
    for item in inputs:
        scheme = urlsplit(item).scheme.lower()
        if scheme in ("http", "https"):
            yield Source(item, "url")
        elif "://" in item:
            yield Rejection(source=item, reason=f"unsupported URL scheme {scheme!r}: only http(s)")
        else:
            yield from _expand_path(item, seen_files)


def _expand_path(item: str, seen_files: set[str]) -> Iterator[Source | Rejection]:
    path = Path(item).expanduser()
    if any(ch in item for ch in _GLOB_CHARS) and not path.exists():
        matches = sorted(glob.glob(os.path.expanduser(item), recursive=True))
        if not matches:
            yield Rejection(source=item, reason="no file matches this pattern")
        for match in matches:
            yield from _expand_path(match, seen_files)
    elif path.is_dir():
        yield from _walk(path, seen_files)
    elif path.exists() or path.is_symlink():
        yield from _file(path, seen_files)
    else:
        yield Rejection(source=item, reason="no such file or folder")


def _walk(root: Path, seen_files: set[str]) -> Iterator[Source | Rejection]:
    seen_dirs: set[str] = set()

    def on_error(exc: OSError) -> None:
        errors.append(Rejection(source=str(exc.filename), reason=f"cannot read folder: {exc.strerror}"))

    errors: list[Rejection] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=on_error):
        real = os.path.realpath(dirpath)
        if real in seen_dirs:
            dirnames[:] = []  # a symlink back into a folder already walked: a loop
            continue
        seen_dirs.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        yield from errors
        errors.clear()
        for name in sorted(filenames):
            if not name.startswith("."):
                yield from _file(Path(dirpath, name), seen_files)
    yield from errors


def _file(path: Path, seen_files: set[str]) -> Iterator[Source | Rejection]:
    real = os.path.realpath(path)
    if real in seen_files:
        return
    seen_files.add(real)
    if not path.exists():
        yield Rejection(source=str(path), reason="broken link: the target does not exist")
        return
    fmt = format_of(path)
    if fmt is None:
        yield Rejection(source=str(path), reason=f"unsupported format {path.suffix!r}")
    else:
        yield Source(str(path), fmt)
