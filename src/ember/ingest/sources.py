"""Turning what the user typed (files, folders, globs, URLs) into a stream of sources."""

from __future__ import annotations

import fnmatch
import glob
import itertools
import operator
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ._types import Rejection, Skipped

__all__ = ["FORMATS", "Source", "expand_inputs", "format_of"]

# Suffix (lower case, without .gz) to reader format.
FORMATS: dict[str, str] = {
    ".txt": "text", ".md": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".warc": "warc",
    ".pdf": "pdf", ".docx": "docx",
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


def expand_inputs(inputs: Iterable[str]) -> Iterator[Source | Rejection | Skipped]:
    """Files, folders (recursive, each real folder once, so symlink loops end), globs and
    URLs, in the order given; folder contents in sorted order. Hidden files are skipped."""
    seen_files: set[str] = set()
    for item in inputs:
        if not item.strip():
            yield Rejection(source=item, reason="an empty name: no file, folder or URL")
            continue
        try:
            scheme = urlsplit(item).scheme.lower()
        except ValueError as exc:  # "http://[::1": an unclosed IPv6 address
            yield Rejection(source=item, reason=f"not a valid URL: {exc}")
            continue
        if scheme in ("http", "https"):
            yield Source(item, "url")
        elif "://" in item:
            yield Rejection(source=item, reason=f"unsupported URL scheme {scheme!r}: only http(s)")
        else:
            yield from _expand_path(item, seen_files)


def _expand_path(item: str, seen_files: set[str]) -> Iterator[Source | Rejection | Skipped]:
    path = Path(item).expanduser()
    if any(ch in item for ch in _GLOB_CHARS) and not path.exists():
        matches = _glob(os.path.expanduser(item))
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


def _glob(pattern: str) -> list[str]:
    """Sorted matches of ``pattern``. A ``**`` pattern is matched over a loop-safe walk:
    ``glob`` itself follows symlinked folders without end (exponentially, with two links
    back up)."""
    if "**" not in pattern:
        return sorted(glob.glob(pattern))
    parts = Path(pattern).parts
    fixed = next(i for i, part in enumerate(parts) if any(ch in part for ch in _GLOB_CHARS))
    base = Path(*parts[:fixed]) if fixed else Path()
    wanted = parts[fixed:]
    found = (
        str(path)
        for path in _walk_files(base)
        if isinstance(path, Path) and _matches(wanted, path.relative_to(base).parts)
    )
    return sorted(found)


def _matches(pattern: Sequence[str], parts: Sequence[str]) -> bool:
    """Whether path ``parts`` match ``pattern`` parts, ``**`` standing for any number.
    Read left to right, keeping which numbers of path parts the pattern so far can
    cover: time grows with pattern times path length, and no recursion (a naive one is
    exponential in repeated ``**`` and deep in deep paths)."""
    reach = [True] + [False] * len(parts)
    for piece in pattern:
        if piece == "**":
            reach = list(itertools.accumulate(reach, operator.or_))
        else:
            reach = [False] + [
                reach[j] and fnmatch.fnmatchcase(part, piece) for j, part in enumerate(parts)
            ]
    return reach[-1]


def _walk(root: Path, seen_files: set[str]) -> Iterator[Source | Rejection | Skipped]:
    for item in _walk_files(root):
        if isinstance(item, Rejection):
            yield item
        else:
            yield from _file(item, seen_files, in_folder=True)


def _walk_files(root: Path) -> Iterator[Path | Rejection]:
    """Files under ``root`` in sorted order, hidden ones skipped, following symlinked
    folders but entering each real folder once, so symlink loops end."""
    seen_dirs: set[str] = set()
    errors: list[Rejection] = []

    def on_error(exc: OSError) -> None:
        reason = f"cannot read folder: {exc.strerror}"
        errors.append(Rejection(source=str(exc.filename), reason=reason))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=on_error):
        real = os.path.realpath(dirpath)
        if real in seen_dirs:
            dirnames[:] = []  # a symlink back into a folder already walked: a loop
            continue
        seen_dirs.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        yield from errors
        errors.clear()
        yield from (Path(dirpath, name) for name in sorted(filenames) if not name.startswith("."))
    yield from errors


def _file(
    path: Path, seen_files: set[str], *, in_folder: bool = False
) -> Iterator[Source | Rejection | Skipped]:
    real = os.path.realpath(path)
    if real in seen_files:
        return
    seen_files.add(real)
    if not path.exists():
        yield Rejection(source=str(path), reason="broken link: the target does not exist")
        return
    fmt = format_of(path)
    if fmt is None:
        kind = Skipped if in_folder else Rejection
        yield kind(source=str(path), reason=f"unsupported format {path.suffix!r}")
    else:
        yield Source(str(path), fmt)
