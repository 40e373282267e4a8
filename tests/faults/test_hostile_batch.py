"""A batch of every hostile input beside good reports: every good file is stored, every
bad one is rejected with a one-line reason, the exit code is 1, and no traceback."""

from __future__ import annotations

import gzip
import os
import re
import time
from pathlib import Path

from click.testing import CliRunner

from ember.cli import cli
from ember.store import Store

REPORT = (
    "Clashes near the {place}\n\nFighters attacked a police post near the {place} on Monday "
    "evening and withdrew after an exchange of fire, a local official said.\n"
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
              for i in range(1, 10))
    + ']><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
    "<description>&lol9;</description></item></channel></rss>"
)  # fmt: skip


def build(folder: Path) -> tuple[list[str], list[str]]:
    """Good sources (as stored) and bad files (as named in the summary)."""
    folder.mkdir()
    good: list[str] = []
    bad: list[str] = []

    def put(name: str | bytes, data: bytes, *, ok: bool, shown: str | None = None) -> None:
        path = os.path.join(os.fsencode(folder), os.fsencode(name))
        with open(path, "wb") as stream:
            stream.write(data)
        (good if ok else bad).append(shown or os.fsdecode(path))

    for i, place in enumerate(["bridge", "dam", "market"]):
        put(f"good{i}.txt", REPORT.format(place=place).encode(), ok=True)
    put(b"caf\xe9.txt", REPORT.format(place="airport").encode(), ok=True,
        shown=f"{folder}/caf\\xe9.txt")  # fmt: skip
    put("lines.jsonl", b'{"text": "A lone surrogate \\udc80 stands in this report of shelling '
        b'near the dam on Monday night."}\n{"text": 1e999}\nnot json\n', ok=True,
        shown=f"{folder}/lines.jsonl:1")  # fmt: skip
    put("empty.txt", b"", ok=False)
    put("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, ok=False)
    put(b"two\nlines\xff.txt", b"\x00\x01\x02" * 300, ok=False,
        shown=f"{folder}/two\\x0alines\\xff.txt")  # fmt: skip
    put("bomb.txt.gz", gzip.compress(b"\0" * 3_000_000, compresslevel=9), ok=False)
    put("laughs.xml", LAUGHS.encode(), ok=False)
    put("cut.warc.gz", gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n" * 50)[:120], ok=False)
    put("cut.txt.gz", gzip.compress(REPORT.format(place="ford").encode() * 40)[:60], ok=False)
    put("nested.html", b"<html><body>" + b"<div>" * 60_000 + b"<p>x</p></body></html>", ok=False)
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    bad.append(str(fifo))
    (folder / "self.txt").symlink_to(folder / "self.txt")
    bad.append(str(folder / "self.txt"))
    (folder / "loop").symlink_to(folder)  # a folder loop: walked once, no reason needed
    return good, bad


def test_a_hostile_batch_keeps_the_good_and_gives_each_bad_file_a_reason(tmp_path: Path) -> None:
    good, bad = build(tmp_path / "in")
    db = f"sqlite:///{tmp_path / 'h.db'}"
    env = {"EMBER_MAX_DECOMPRESSED_BYTES": "1000000", "EMBER_MAX_FILE_BYTES": "2000000"}
    started = time.monotonic()
    result = CliRunner(env=env).invoke(cli, ["ingest", str(tmp_path / "in"), "--db", db,
                                             "--no-analyze"])  # fmt: skip
    assert time.monotonic() - started < 60
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    lines = result.output.splitlines()
    for name in bad:
        # One line each; a container's own items are named name#1, name:2.
        found = [line for line in lines if re.match(rf"  rejected {re.escape(name)}[#:]", line)]
        assert found, f"no reason for {name}"
        assert all("internal error" not in line for line in found), found
    with Store.open(db) as store:
        stored = {doc.source for doc in store.iter_documents()}
        log = store.ingest_log()
    assert set(good) <= stored
    rejected = {row["source"].split("#")[0] for row in log if row["outcome"] == "rejected"}
    assert set(bad) <= rejected
    assert all(row["reason"] for row in log if row["outcome"] == "rejected")
