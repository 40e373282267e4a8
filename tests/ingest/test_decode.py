"""Bytes to text: encodings, binary refusal, caps on files, gzip and streams."""

from __future__ import annotations

import codecs
import gzip
import io
import os
from pathlib import Path

import pytest

from ember.errors import DecodeFailed, TooLarge
from ember.ingest.decode import (
    decode_bytes,
    decode_html,
    gunzip_capped,
    open_stream,
    read_file_capped,
    sniff_encoding,
    stream_bytes,
    text_stream,
)

CURLY = (
    "The mayor said \u201cthe bridge will reopen\u201d \u2014 but the town\u2019s market "
    "stays shut."
)
ARABIC = "أفاد مسؤولون محليون بأن قذيفة سقطت قرب سوق المدينة مساء الثلاثاء دون وقوع إصابات."
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"
MB = 1024 * 1024


def test_utf8_passes_through() -> None:
    assert decode_bytes("Kirkuk – Sulaymaniyah".encode()) == "Kirkuk – Sulaymaniyah"


def test_cp1252_curly_quotes() -> None:
    assert decode_bytes(CURLY.encode("cp1252")) == CURLY


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(encoding: str) -> None:
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    assert decode_bytes(bom + CURLY.encode(encoding)) == CURLY


def test_utf16_without_bom_is_not_called_binary() -> None:
    assert decode_bytes(
        "A plain English sentence, saved as UTF-16.".encode("utf-16-le")
    ).startswith("A plain English")


def test_utf8_bom_is_dropped() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + b"Tal Afar") == "Tal Afar"


def test_arabic_windows_1256() -> None:
    assert decode_bytes(ARABIC.encode("cp1256")) == ARABIC


def test_declared_charset_wins_over_detection_for_legacy_bytes() -> None:
    short = "قصف"  # too short for detection alone
    assert decode_bytes(short.encode("cp1256"), declared="windows-1256") == short


def test_html_meta_charset_is_read() -> None:
    page = f'<html><head><meta charset="windows-1256"></head><body><p>{ARABIC}</p></body></html>'
    assert ARABIC in decode_html(page.encode("cp1256"))


def test_latin1_label_decodes_as_cp1252() -> None:
    assert decode_bytes(CURLY.encode("cp1252"), declared="ISO-8859-1") == CURLY


def test_bogus_declared_charset_is_ignored() -> None:
    assert decode_bytes(CURLY.encode("cp1252"), declared="no-such-charset") == CURLY


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty (0 bytes)"),
        (b"  \n\t\r\n ", "only whitespace, no text"),
        (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "only whitespace, no text"),
        (PNG, "binary file (PNG image), not text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary file (PDF document), not text"),
        (b"text then \x00\x01\x02 NULs" * 20, "binary file (NUL bytes), not text"),
        (bytes(range(1, 9)) * 200 + b"abc", "binary file (control bytes), not text"),
    ],
)
def test_refusals_have_one_line_reasons(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeFailed) as caught:
        decode_bytes(data, source="x.txt")
    assert str(caught.value) == reason
    assert caught.value.source == "x.txt"


@pytest.mark.parametrize("text", ["MZ Tribune: a short note.", "RIFF between two factions widens."])
def test_text_starting_like_a_signature_is_still_text(text: str) -> None:
    assert decode_bytes(text.encode()) == text


def test_sniff_encoding_tolerates_a_head_cut_mid_character() -> None:
    head = ("Mosul " * 10 + "é").encode()[:-1]
    assert sniff_encoding(head) == "utf-8"
    legacy = CURLY.encode("cp1252") * 3
    assert legacy.decode(sniff_encoding(legacy)) == CURLY * 3
    assert sniff_encoding(codecs.BOM_UTF8 + b"a,b") == "utf-8-sig"


def test_gunzip_within_and_over_the_cap() -> None:
    packed = gzip.compress(b"x" * 1000)
    assert gunzip_capped(packed, limit=1000) == b"x" * 1000
    with pytest.raises(TooLarge, match="compression bomb"):
        gunzip_capped(packed, limit=999)


def test_gunzip_corrupt_data() -> None:
    with pytest.raises(DecodeFailed, match="corrupt gzip data"):
        gunzip_capped(gzip.compress(b"some report text" * 50)[:30], limit=MB)


def test_read_file_caps_size_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2000)
    with pytest.raises(TooLarge, match="file is 2000 bytes, over the 1000 bytes cap"):
        read_file_capped(path, limit=1000, decompressed_limit=MB)


def test_read_file_gunzips_by_content_not_only_by_name(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"hello"))
    (tmp_path / "b.txt").write_bytes(gzip.compress(b"hello"))
    (tmp_path / "c.txt.gz").write_bytes(b"not gzip at all")
    for name in ("a.txt.gz", "b.txt"):
        assert read_file_capped(tmp_path / name, limit=MB, decompressed_limit=MB) == b"hello"
    with pytest.raises(DecodeFailed, match=r"named \.gz but not gzip data"):
        read_file_capped(tmp_path / "c.txt.gz", limit=MB, decompressed_limit=MB)


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(DecodeFailed, match=r"not a regular file \(a FIFO\)"):
        read_file_capped(fifo, limit=MB, decompressed_limit=MB)


def test_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zeros.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(DecodeFailed, match="character device"):
        read_file_capped(link, limit=MB, decompressed_limit=MB)


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DecodeFailed, match="a folder"):
        read_file_capped(tmp_path, limit=MB, decompressed_limit=MB)


def test_permission_denied_is_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("text")

    def denied(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(DecodeFailed, match="cannot read file: Permission denied"):
        read_file_capped(path, limit=MB, decompressed_limit=MB)


def test_stream_bytes_inflates_and_caps_by_ratio() -> None:
    assert stream_bytes(gzip.compress(b"abc" * 10), decompressed_limit=10).read() == b"abc" * 10
    bomb = gzip.compress(bytes(4 * MB))
    stream = stream_bytes(bomb, decompressed_limit=MB)
    with pytest.raises(TooLarge, match="compression bomb"):
        while stream.read(64 * 1024):
            pass


def test_open_stream_plain_file_is_not_capped_as_a_whole(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"{}\n" * 1000)
    with open_stream(path, decompressed_limit=10) as stream:
        assert stream.read() == b"{}\n" * 1000


def test_text_stream_decodes_past_the_head() -> None:
    data = CURLY.encode("cp1252") + b"\n" + b"line\n" * 10
    stream = text_stream(io.BufferedReader(io.BytesIO(data)))
    assert stream.readline().rstrip("\n") == CURLY
    assert stream.read().count("line") == 10


def test_text_stream_refuses_binary_and_empty() -> None:
    with pytest.raises(DecodeFailed, match="PNG image"):
        text_stream(io.BufferedReader(io.BytesIO(PNG)))
    with pytest.raises(DecodeFailed, match="empty"):
        text_stream(io.BufferedReader(io.BytesIO(b"")))


def test_a_file_mixing_utf8_and_cp1252_is_decoded_per_line() -> None:
    """Valid UTF-8 lines stay as they are (no mojibake from decoding the whole file in
    one legacy charset); the pasted cp1252 line is read as cp1252."""
    from ember.ingest.decode import decode_bytes

    utf8 = "Le café de la gare — “fermé”, Raqqā, الرقة.\n"
    cp1252 = "Les élèves étaient à l’école.\n"
    mixed = utf8.encode("utf-8") + cp1252.encode("cp1252") + utf8.encode("utf-8")
    assert decode_bytes(mixed) == utf8 + cp1252 + utf8
