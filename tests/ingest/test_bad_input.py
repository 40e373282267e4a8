"""Bad input never breaks a batch: each case yields a one-line reason (or, for odd but
readable input, the right text), at the reader, the pipeline and the command line."""

from __future__ import annotations

import codecs
import gzip
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ember.cli import cli
from ember.ingest import RawDocument, Rejection, Source, build_document, expand_inputs, read_source
from ember.scale import ingest_inputs
from ember.settings import Settings
from ember.store import Store

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x02\x00\x00\x00"
REPORT = (
    "Clashes on the Mosul road\n\nTribal fighters and a militia exchanged fire on the Mosul "
    "road on Wednesday night; two fighters were wounded, a local official said.\n"
)
CURLY = (
    "Officials said \u201cthe crossing is closed until further notice\u201d \u2014 and the "
    "town\u2019s traders were told to wait at the checkpoint."
)
ARABIC = (
    "قالت الشرطة المحلية إن عبوة ناسفة انفجرت قرب دورية على الطريق الرئيسي مساء الأربعاء، "
    "ما أدى إلى إصابة عنصرين بجروح طفيفة."
)
MB = 1024 * 1024


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def read_all(items: list[str], settings: Settings | None = None) -> list[RawDocument | Rejection]:
    out: list[RawDocument | Rejection] = []
    for source in expand_inputs(items):
        if isinstance(source, Rejection):
            out.append(source)
        else:
            out.extend(read_source(source, settings=settings or Settings()))
    return out


def only_rejection(path: Path, settings: Settings | None = None) -> str:
    (item,) = read_all([str(path)], settings)
    assert isinstance(item, Rejection), item
    assert "\n" not in item.reason and item.reason
    return item.reason


def only_text(path: Path) -> str:
    (item,) = read_all([str(path)])
    assert isinstance(item, RawDocument), item
    return item.body


def test_png_named_txt(tmp_path: Path) -> None:
    assert only_rejection(write(tmp_path, "photo.txt", PNG)) == "binary file (PNG image), not text"


def test_cp1252_curly_quotes(tmp_path: Path) -> None:
    assert only_text(write(tmp_path, "legacy.txt", CURLY.encode("cp1252"))) == CURLY


def test_utf16_with_bom(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + CURLY.encode("utf-16-le")
    assert only_text(write(tmp_path, "wide.txt", data)) == CURLY


def test_arabic_windows_1256(tmp_path: Path) -> None:
    assert only_text(write(tmp_path, "arabic.txt", ARABIC.encode("cp1256"))) == ARABIC


def test_arabic_windows_1256_html_with_meta(tmp_path: Path, settings: Settings) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
        f"</head><body><article><p>{ARABIC}</p></article></body></html>"
    )
    (raw,) = read_all([str(write(tmp_path, "arabic.html", page.encode("cp1256")))])
    assert isinstance(raw, RawDocument)
    prepared = build_document(raw, settings=settings)
    assert not isinstance(prepared, Rejection), prepared
    assert ARABIC in prepared.document.text


def test_empty_and_whitespace_only(tmp_path: Path) -> None:
    assert only_rejection(write(tmp_path, "empty.txt", b"")) == "empty (0 bytes)"
    assert only_rejection(write(tmp_path, "blank.txt", b" \n\n\t \r\n")) == (
        "only whitespace, no text"
    )
    assert only_rejection(write(tmp_path, "empty.jsonl", b"")) == "empty (0 bytes)"
    assert only_rejection(write(tmp_path, "empty.csv", b"\n")) == "no rows"


def test_truncated_html_keeps_what_is_there(tmp_path: Path, settings: Settings) -> None:
    page = (
        "<html><head><title>Checkpoint attack</title></head><body><article><p>Gunmen attacked "
        "a checkpoint north of Samarra before dawn on Thursday, killing one policeman, the "
        "provincial command said.</p><p>Reinforcements arrived and the attackers fled toward "
        "the desert, leaving a damaged pick-up tru"
    )
    (raw,) = read_all([str(write(tmp_path, "cut.html", page))])
    assert isinstance(raw, RawDocument)
    prepared = build_document(raw, settings=settings)
    assert not isinstance(prepared, Rejection), prepared
    assert "Gunmen attacked a checkpoint north of Samarra" in prepared.document.text


def test_html_cut_before_any_text_has_a_clear_reason(tmp_path: Path, settings: Settings) -> None:
    (raw,) = read_all([str(write(tmp_path, "stub.html", "<html><head><title>x</ti"))])
    assert isinstance(raw, RawDocument)
    rejection = build_document(raw, settings=settings)
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "no article text found in the HTML"


def test_malformed_jsonl_line_rejects_that_line_only(tmp_path: Path) -> None:
    good = '{"text": "A militia commander was arrested at a checkpoint east of the city."}'
    path = write(tmp_path, "rows.jsonl", f'{good}\n{{"text": "unterminated\n{good}\n')
    items = read_all([str(path)])
    assert [type(i).__name__ for i in items] == ["RawDocument", "Rejection", "RawDocument"]
    assert items[1].source == f"{path}:2" and items[1].reason.startswith("invalid JSON")


def test_feed_that_is_not_xml(tmp_path: Path) -> None:
    reason = only_rejection(write(tmp_path, "news.rss", "Not XML at all, just words."))
    assert reason.startswith("not a readable RSS/Atom feed")


def test_gzip_bomb(tmp_path: Path) -> None:
    bomb = gzip.compress(b"<html><body><p>" + bytes(4 * MB))  # about 4 KB on disk
    assert len(bomb) < 64 * 1024
    path = write(tmp_path, "page.html.gz", bomb)
    reason = only_rejection(path, Settings(max_decompressed_bytes=MB))
    assert reason == "decompresses to more than 1.0 MB (compression bomb?)"


def test_gzip_bomb_as_jsonl(tmp_path: Path) -> None:
    path = write(tmp_path, "rows.jsonl.gz", gzip.compress(b"\n" * (4 * MB)))
    reason = only_rejection(path, Settings(max_decompressed_bytes=MB))
    assert reason == "decompresses to more than 1.0 MB (compression bomb?)"


def test_file_over_the_size_cap(tmp_path: Path) -> None:
    path = write(tmp_path, "huge.txt", REPORT * 100)
    reason = only_rejection(path, Settings(max_file_bytes=1000))
    assert reason == f"file is {path.stat().st_size} bytes, over the 1000 bytes cap"


def test_directory_loop_via_symlinks_ends(tmp_path: Path) -> None:
    write(tmp_path, "a/one.txt", REPORT)
    write(tmp_path, "a/b/two.txt", REPORT.replace("Wednesday", "Thursday"))
    os.symlink(tmp_path / "a", tmp_path / "a" / "b" / "loop")
    os.symlink("..", tmp_path / "a" / "b" / "up")
    items = read_all([str(tmp_path)])
    assert sorted(Path(i.source).name for i in items) == ["one.txt", "two.txt"]


def test_unreadable_files(tmp_path: Path) -> None:
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "dangling.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink("/dev/zero", tmp_path / "zeros.txt")
    reasons = {Path(i.source).name: i.reason for i in read_all([str(tmp_path)])}
    assert reasons == {
        "dangling.txt": "broken link: the target does not exist",
        "pipe.txt": "not a regular file (a FIFO)",
        "zeros.txt": "not a regular file (a character device)",
    }


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, which chmod 000 does not stop: make open() fail instead.
    path = write(tmp_path, "locked.txt", REPORT)
    real_open = os.open

    def guarded(file: str | os.PathLike[str], *args: int, **kwargs: int) -> int:
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    assert only_rejection(path) == "cannot read file: Permission denied"


def test_source_with_an_unexpected_format_is_a_reason(settings: Settings) -> None:
    (item,) = read_source(Source("x.doc", "doc"), settings=settings)
    assert item == Rejection(source="x.doc", reason="cannot read doc files")


def mixed_folder(root: Path) -> Path:
    folder = root / "inbox"
    write(folder, "good.txt", REPORT)
    write(folder, "good.jsonl", '{"body": "' + CURLY.replace('"', '\\"') + '"}\n{broken\n')
    write(folder, "photo.txt", PNG)
    write(folder, "empty.txt", b"")
    write(folder, "bomb.html.gz", gzip.compress(bytes(2 * MB)))
    write(folder, "feed.xml", "no markup here")
    os.symlink(folder / "gone.txt", folder / "dangling.txt")
    return folder


def test_pipeline_stores_the_good_and_reports_the_bad(tmp_path: Path, store: Store) -> None:
    settings = Settings(max_decompressed_bytes=MB)
    summary = ingest_inputs([str(mixed_folder(tmp_path))], store=store, settings=settings)
    assert summary.stored == 2
    reasons = {Path(r.source).name: r.reason for r in summary.rejections}
    assert reasons == {
        "good.jsonl:2": reasons["good.jsonl:2"],
        "photo.txt": "binary file (PNG image), not text",
        "empty.txt": "empty (0 bytes)",
        "bomb.html.gz": "decompresses to more than 1.0 MB (compression bomb?)",
        "feed.xml": reasons["feed.xml"],
        "dangling.txt": "broken link: the target does not exist",
    }
    assert reasons["good.jsonl:2"].startswith("invalid JSON")
    assert reasons["feed.xml"].startswith("not a readable RSS/Atom feed")
    assert summary.rejected == 6
    texts = sorted(doc.text for doc in store.iter_documents())
    assert len(texts) == 2 and any("\u201cthe crossing is closed" in t for t in texts)
    logged = [row for row in store.ingest_log() if row["outcome"] == "rejected"]
    assert len(logged) == 6


def test_cli_reports_reasons_and_exits_1(tmp_path: Path, sqlite_url: str) -> None:
    folder = mixed_folder(tmp_path)
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", sqlite_url, "-q"])
    assert result.exit_code == 1, result.output
    assert "stored 2" in result.output and "rejected 6" in result.output
    assert "photo.txt: binary file (PNG image), not text" in result.output
    assert "empty.txt: empty (0 bytes)" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_exits_0_when_all_is_good(tmp_path: Path, sqlite_url: str) -> None:
    write(tmp_path / "ok", "one.txt", REPORT)
    write(tmp_path / "ok", "two.txt", REPORT.replace("Mosul", "Kirkuk"))
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "ok"), "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    assert "stored 2" in result.output and "rejected 0" in result.output
