"""Valid Unicode at the one boundary before the store.

Every text field of a document (text, title, author, publisher) passes ``valid_text``:
lone surrogates (what undecodable bytes or a JSON ``"\\udc80"`` leave in a ``str``),
NUL and other control characters (tab, newline and carriage return stay) and Unicode
non-characters become U+FFFD, and the replacements are counted.

Names (a file path, a URL, ``feed.xml#3``) must stay reversible, because a file named
with bytes that are not UTF-8 is still that file: ``escape_name`` writes them on one
line in plain, valid text, and ``unescape_name`` gives the name back exactly:

- ``\\`` becomes ``\\\\``;
- a byte that was not UTF-8 (Python's surrogate escape U+DC80..U+DCFF) becomes ``\\xNN``
  (NN from 80 to FF), and a C0 control or DEL ``\\xNN`` (below 80);
- any other lone surrogate, C1 control, line or paragraph separator or non-character
  becomes ``\\uNNNN`` (``\\UNNNNNNNN`` beyond the Basic Multilingual Plane).

A name with none of these (almost every name) is stored as it is."""

from __future__ import annotations

import re

__all__ = ["escape_name", "one_line_name", "unescape_name", "valid_text"]

_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
# What text may not hold: controls but tab, newline and CR; DEL and C1; surrogates;
# non-characters.
_INVALID_IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
# What a name may not hold as it is: every control (tab and newline too), the line and
# paragraph separators, surrogates, non-characters, and the escape character itself.
_ESCAPED_IN_NAME = re.compile(f"[\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff{_NONCHARACTERS}]")
_ESCAPE = re.compile(r"\\(?:(\\)|x([0-9a-f]{2})|u([0-9a-f]{4})|U([0-9a-f]{8}))")


def valid_text(value: str) -> tuple[str, int]:
    """``value`` with every character text may not hold replaced by U+FFFD, and how
    many were replaced."""
    return _INVALID_IN_TEXT.subn("\ufffd", value)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char == "\\":
        return "\\\\"
    if code < 0x80:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogate escape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def escape_name(name: str) -> str:
    """``name`` (a path, a URL) as one line of valid text, reversible by
    ``unescape_name``; unchanged when it holds nothing to escape."""
    if not _ESCAPED_IN_NAME.search(name):
        return name
    return _ESCAPED_IN_NAME.sub(_escape_char, name)


def _unescape_char(match: re.Match[str]) -> str:
    backslash, byte, bmp, astral = match.groups()
    if backslash:
        return "\\"
    if byte:
        code = int(byte, 16)
        return chr(code) if code < 0x80 else chr(0xDC00 + code)
    return chr(int(bmp or astral, 16))


def unescape_name(escaped: str) -> str:
    """The name ``escape_name`` was given: ``os.fsencode`` of it gives the file name's
    bytes back."""
    return _ESCAPE.sub(_unescape_char, escaped)


def one_line_name(text: str) -> str:
    """A reason or a message that quotes a name, made one line of valid text: the same
    escapes as ``escape_name`` except that backslashes stay as they are."""
    return _ESCAPED_IN_NAME.sub(lambda m: m.group() if m.group() == "\\" else _escape_char(m), text)
