"""Boilerplate removal for plain-text reports.

Text is read line by line. The rules in ``data/cleaning/line_rules.jsonl`` say which
lines are not the report (comment threads, cookie banners, share widgets, bylines,
crawl banners ...); a small layout pass then finds what sits above the body (masthead,
headline, a lone author line) and what closes it (a signature block). ``metadata``
reads the same layout, so the lines cleaned away are the lines metadata comes from.

Rule kinds (see ``RuleKind``), all matched against a whole line:

- ``drop_line``: boilerplate wherever it stands.
- ``drop_head``: boilerplate above the first body paragraph only (a lone number there
  is a view counter; inside the body it may be a figure).
- ``nav``: a menu or breadcrumb; as ``drop_head``, and it tells that the line above
  it is the site's masthead rather than the headline.
- ``cut_rest``: where a comment thread or teaser list starts. In the tail it drops
  itself and everything after it; higher up it drops only itself.
- ``note``: drops nothing; a field is read from it (the author in a standfirst).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from itertools import pairwise
from typing import Literal, get_args

from ._dates import DATE_PATTERN

__all__ = [
    "Layout",
    "Line",
    "Rule",
    "RuleKind",
    "Vocabulary",
    "clean_text",
    "load_rules",
    "load_vocabulary",
    "read_layout",
    "site_name",
]

RuleKind = Literal["drop_line", "drop_head", "nav", "cut_rest", "note"]
Role = Literal["body", "title", "masthead", "byline", "meta", "boilerplate", "signature", "tail"]

# A cut needs this share of the text's characters above it, and a paragraph of prose:
# a comment thread closes a page, it does not open it.
_TAIL_SHARE = 0.3
# The head (banners, masthead, title, byline, deck) is never longer than this.
_HEAD_MAX_LINES = 12
_BULLETS = "•·▪►◦‣∙"
_TERMINAL = re.compile(r"[.!?…؟][\"”’'»)\]]*$")
_WORDY = re.compile(r"\w")
_QUOTES = str.maketrans("‘’‚‛“”„«»", '\'\'\'\'"""""')


@dataclass(frozen=True, slots=True)
class Rule:
    """One line rule from ``line_rules.jsonl``; ``pattern`` must match a whole line."""

    id: str
    kind: RuleKind
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Word sets from ``words.jsonl`` (casefolded)."""

    press: frozenset[str]
    org: frozenset[str]
    name_particle: frozenset[str]
    name_glue: frozenset[str]
    not_name: frozenset[str]


@dataclass(slots=True)
class Line:
    """One non-blank line: its text, its blank-line block, and what the layout made of it."""

    text: str
    block: int
    role: Role = "body"
    rule: Rule | None = None
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The text without list bullets, as rules see it."""
        return self.text.lstrip(_BULLETS + " ")


@dataclass(frozen=True, slots=True)
class Layout:
    """Paragraphs with roles: ``lines[:body_start]`` is the head, ``lines[cut:]`` the tail."""

    lines: tuple[Line, ...]
    title: str | None
    body_start: int
    cut: int
    wrapped: bool

    def paragraphs(self) -> list[str]:
        """Body paragraphs, in order."""
        return [line.text for line in self.lines if line.role == "body"]


def clean_text(text: str, *, title: str | None = None) -> str:
    """The article body of ``text``: paragraphs kept in order, boilerplate dropped.

    The title is metadata, so it is dropped too (with its repeats): the text starts
    with the first body paragraph, or with the standfirst when there is one. Without
    ``title``, the headline is found as ``extract_metadata`` finds it."""
    return "\n\n".join(read_layout(text, title=title).paragraphs())


def read_layout(text: str, *, title: str | None = None) -> Layout:
    """Split ``text`` into paragraphs and give each a role (body, title, boilerplate ...).

    A paragraph is a line, or in hard-wrapped text the lines of a block that no rule
    singles out, joined."""
    lines = _split(text)
    for line in lines:
        _match_rules(line)
    width = _wrap_width(lines)
    if width:
        lines = _merge_wrapped(lines, width)
    cut = _cut_index(lines)
    body_start, found_title = _scan_head(lines, cut, title)
    _mark_body(lines, body_start, cut, found_title or title)
    _mark_signature(lines, body_start, cut)
    if title is None and not any(line.role == "body" for line in lines):
        _unguess(lines)
        found_title = None
    return Layout(tuple(lines), found_title, body_start, cut, wrapped=width is not None)


def _unguess(lines: list[Line]) -> None:
    """Give back as body what was only guessed (headline, name line, masthead, signature)
    when nothing else is left: a one-line note is a report, not a headline alone."""
    for line in lines:
        if line.rule is None and line.role in ("title", "byline", "masthead", "signature"):
            line.role = "body"


def _split(text: str) -> list[Line]:
    """Non-blank lines, whitespace folded, numbered by blank-line block.

    A line with no word character (a rule "* * *", a lone bullet) says nothing and is
    dropped here; "___", which wire copy puts before credits, stays with the text."""
    lines: list[Line] = []
    block = 0
    for raw in text.splitlines():
        normalised = " ".join(raw.split())
        if not normalised:
            block += 1
        elif _WORDY.search(normalised):
            lines.append(Line(normalised, block))
    return lines


def _match_rules(line: Line) -> None:
    """Attach the first rule matching the whole line, and the fields it captures."""
    for rule in load_rules():
        match = rule.pattern.fullmatch(line.key)
        if match:
            line.rule = rule
            line.fields = {k: " ".join(v.split()) for k, v in match.groupdict().items() if v}
            return


def _cut_index(lines: list[Line]) -> int:
    """Where the tail (comment thread, teasers, banners after the article) begins."""
    total = sum(len(line.key) for line in lines)
    before = 0
    seen_prose = False
    for i, line in enumerate(lines):
        kind = line.rule.kind if line.rule else None
        if kind == "cut_rest" and seen_prose and before >= _TAIL_SHARE * total:
            return i
        seen_prose = seen_prose or (kind in (None, "note") and _is_prose(line.key))
        before += len(line.key)
    return len(lines)


def _scan_head(lines: list[Line], cut: int, title: str | None) -> tuple[int, str | None]:
    """Give roles to the lines above the body; return where the body starts and the title.

    Above the first paragraph of prose sit banners and meta lines (rules), a masthead,
    the headline (possibly repeated), a byline or a lone name line, and a standfirst,
    which is kept as body."""
    limit = min(cut, _HEAD_MAX_LINES)
    state = _Head(title=title, guess=title is None)
    for i, line in enumerate(lines[:limit]):
        following = lines[i + 1] if i + 1 < len(lines) else None
        role = _head_role(line, following, lines[:limit], state)
        if role is None and _is_prose(line.key):
            return i, state.found()
        line.role = role or "body"
        state.author_seen = state.author_seen or role == "byline" or "author" in line.fields
    return limit, state.found()


@dataclass(slots=True)
class _Head:
    """What the head scan has seen so far."""

    title: str | None
    guess: bool
    seen_title: bool = False
    author_seen: bool = False

    def take_title(self, text: str) -> Role:
        self.title, self.seen_title = text, True
        return "title"

    def found(self) -> str | None:
        return self.title if self.seen_title else None


def _head_role(line: Line, following: Line | None, head: list[Line], state: _Head) -> Role | None:
    """The role of a head line, or None for body text (a standfirst, a kicker)."""
    kind = line.rule.kind if line.rule else None
    if state.title and _same_title(line.key, state.title):
        return state.take_title(state.title)
    if kind is not None:
        # A note (a standfirst naming its writer, a dateline) is body text.
        return None if kind == "note" else "meta" if line.fields else "boilerplate"
    if not state.seen_title and _is_masthead(line.key, following):
        return "masthead"
    guess = state.guess and not state.seen_title
    if guess and _repeats(line, head):
        return state.take_title(line.text)
    if not state.author_seen and _is_name(line.key):
        return "byline"
    if guess and _is_headline(line.key):
        return state.take_title(line.text)
    return None


def _mark_body(lines: list[Line], body_start: int, cut: int, title: str | None) -> None:
    """Below the head: drop rule matches and title repeats; everything past ``cut``."""
    long_title = title is not None and len(title.split()) >= 4
    for line in lines[body_start:cut]:
        kind = line.rule.kind if line.rule else None
        if kind in ("drop_line", "cut_rest"):
            line.role = "meta" if line.fields else "boilerplate"
        elif long_title and title and _same_title(line.key, title):
            line.role = "title"
    for line in lines[cut:]:
        line.role = "tail"


def _mark_signature(lines: list[Line], body_start: int, cut: int) -> None:
    """Short lines naming a unit or centre that close the report are a signature."""
    for line in reversed(lines[body_start + 1 : cut]):
        if line.role != "body":
            continue
        if not _is_signature(line.key):
            return
        line.role = "signature"


def _wrap_width(lines: list[Line]) -> int | None:
    """The width a hard-wrapped text was wrapped at; None when it is not wrapped.

    Reports with one paragraph per line end nearly every line with a full stop; in a
    wrapped text the full-width lines mostly end inside a sentence, and no line is long."""
    width = max((len(line.text) for line in lines), default=0)
    if width > 120:
        return None
    inner = [a for a, b in pairwise(lines) if a.block == b.block and _full(a, width)]
    open_ended = sum(1 for line in inner if not _TERMINAL.search(line.text))
    return width if len(inner) >= 3 and open_ended >= 0.6 * len(inner) else None


def _full(line: Line, width: int) -> bool:
    """A line that runs to near the wrap width; a shorter one ends its paragraph."""
    return len(line.text) >= 0.6 * width


def _merge_wrapped(lines: list[Line], width: int) -> list[Line]:
    """Join the wrapped lines of each paragraph; ruled lines and short lines end one."""
    merged: list[Line] = []
    previous: Line | None = None
    for line in lines:
        last = merged[-1] if merged else None
        if (
            last
            and previous
            and previous.block == line.block
            and _full(previous, width)
            and _joinable(last)
            and _joinable(line)
        ):
            merged[-1] = Line(_join_wrapped(last.text, line.text), line.block)
        else:
            merged.append(line)
        previous = line
    for line in merged:
        if _joinable(line):
            _match_rules(line)
    return merged


def _joinable(line: Line) -> bool:
    return line.rule is None or line.rule.kind == "note"


def _join_wrapped(left: str, right: str) -> str:
    if left.endswith("-") and right[:1].islower():
        return left + right
    return f"{left} {right}"


def _words(key: str) -> list[str]:
    return key.split()


def _is_prose(key: str) -> bool:
    """A paragraph of running text, as opposed to a headline, label or deck."""
    count = len(_words(key))
    return count >= 8 and (bool(_TERMINAL.search(key)) or count >= 30)


def _is_headline(key: str) -> bool:
    """A line shaped like a headline: a few words, capitalised, no full stop inside or
    at the end ("... in the camp. [size=...]" is two sentences, not a headline)."""
    count = len(_words(key))
    return (
        3 <= count <= 25
        and not key[0].islower()
        and not re.search(r"[.,;:]$", key)
        and not re.search(r"[a-z]{2}\.\s", key)
    )


def _repeats(line: Line, head: list[Line]) -> bool:
    """A headline-sized line printed twice at the top is the title (pages repeat it).

    Not a line ending in a full stop: that is a paragraph printed twice."""
    if not 2 <= len(_words(line.key)) <= 30 or line.key.endswith("."):
        return False
    return sum(1 for other in head if _same_title(other.key, line.key)) >= 2


def _norm_title(text: str) -> str:
    text = " ".join(text.translate(_QUOTES).casefold().split())
    return text.rstrip(" .:")


def _same_title(key: str, title: str) -> bool:
    """``key`` is ``title``, ignoring case, quote style and a " | Site" suffix."""
    norm = _norm_title(key)
    if not norm:
        return False
    parts = [title, *re.split(r"\s+[|–—-]\s+", title)]
    return any(norm == _norm_title(part) for part in parts if len(part.split()) >= 2)


def _tokens(key: str) -> list[str]:
    return [t.strip(".,;:'’\"“”()").casefold() for t in _words(key)]


def _is_proper_name(key: str) -> bool:
    """Every word capitalised, but for the glue of names ("Center for ... and ...")."""
    glue = load_vocabulary().name_glue
    return all(
        word[0].isupper() or word.casefold() in glue or word[0] in "&‘'\"“" for word in _words(key)
    )


def site_name(key: str) -> str:
    """A masthead without its tagline or menu: "Relief Desk — briefings" -> "Relief Desk"."""
    return re.split(r"\s+[|—–-]\s+", key, maxsplit=1)[0]


def _is_masthead(key: str, following: Line | None) -> bool:
    """The site's name above the headline, known by a press word ("... Weekly"), by
    capitals ("TIGRIS POST"), or by the menu line under it; never right above the body."""
    name = site_name(key)
    tokens = _tokens(name)
    if not 1 <= len(tokens) <= 5 or _TERMINAL.search(key) or any(c.isdigit() for c in name):
        return False
    if following is not None and following.rule is not None and following.rule.kind == "nav":
        return True
    if following is not None and _is_prose(following.key):
        return False
    shouting = sum(c.isalpha() for c in name) >= 4 and name.upper() == name
    return shouting or (_is_proper_name(name) and tokens[-1] in load_vocabulary().press)


_NAME_TOKEN = re.compile(r"(?:[A-Z][a-z]+(?:[-'’][A-Za-z]+)*|[A-Z]\.)")


def _is_name(key: str) -> bool:
    """A lone personal name: two to four capitalised words, no verb, no label word."""
    vocab = load_vocabulary()
    words = _words(key)
    if not 2 <= len(words) <= 4:
        return False
    capitalised = 0
    for word in words:
        lowered = word.casefold()
        if lowered in vocab.not_name | vocab.press | vocab.org:
            return False
        if _NAME_TOKEN.fullmatch(word):
            capitalised += 1
        elif lowered.split("-")[0] not in vocab.name_particle:
            return False
    return capitalised >= 2


def _is_signature(key: str) -> bool:
    """A closing line naming an organisation: "<x> Studies Unit", "<x> Center for ..."."""
    tokens = _tokens(key)
    return (
        1 <= len(tokens) <= 12
        and _is_proper_name(key)
        and not _TERMINAL.search(key)
        and any(token in load_vocabulary().org for token in tokens)
    )


# --- data -----------------------------------------------------------------------------


def _data_rows(name: str) -> list[dict[str, object]]:
    resource = files("ember").joinpath("data", "cleaning", name)
    rows: list[dict[str, object]] = []
    for number, raw in enumerate(resource.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        row = json.loads(raw)
        if not isinstance(row, dict):
            raise ValueError(f"{name}:{number}: not a JSON object")
        rows.append(row)
    return rows


def _text_field(row: dict[str, object], key: str) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"cleaning data row {row.get('id', row)!r}: {key!r} must be text")
    return value


def _name_pattern(particles: frozenset[str]) -> str:
    """A personal name or a login: what a byline names (case-sensitive)."""
    particle = "(?:" + "|".join(sorted(particles, key=len, reverse=True)) + r")(?:-[\w'’]+)?"
    word = rf"(?:[A-Z][\w.'’-]*|{particle})"
    return rf"(?-i:{word}(?:\s+(?:{word}|and|&)){{0,6}}|[a-z][a-z0-9_.]{{2,30}})"


@cache
def load_rules() -> tuple[Rule, ...]:
    """The line rules, in file order (the first that matches a line wins).

    ``{date}`` and ``{name}`` in a pattern stand for a stated date and a byline name."""
    name = _name_pattern(load_vocabulary().name_particle)
    rules = []
    for row in _data_rows("line_rules.jsonl"):
        kind = _text_field(row, "kind")
        if kind not in get_args(RuleKind):
            raise ValueError(f"rule {row.get('id')!r}: unknown kind {kind!r}")
        source = _text_field(row, "pattern").replace("{date}", DATE_PATTERN)
        pattern = re.compile(source.replace("{name}", name))
        rules.append(Rule(_text_field(row, "id"), kind, pattern))  # type: ignore[arg-type]
    return tuple(rules)


@cache
def load_vocabulary() -> Vocabulary:
    """The word sets the layout pass uses to tell mastheads, names and signatures."""
    sets: dict[str, frozenset[str]] = {}
    for row in _data_rows("words.jsonl"):
        words = row.get("words")
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ValueError(f"word set {row.get('set')!r}: 'words' must be a list of text")
        sets[_text_field(row, "set")] = frozenset(str(w).casefold() for w in words)
    empty: frozenset[str] = frozenset()
    return Vocabulary(
        press=sets.get("press", empty),
        org=sets.get("org", empty),
        name_particle=sets.get("name_particle", empty),
        name_glue=sets.get("name_glue", empty),
        not_name=sets.get("not_name", empty),
    )
