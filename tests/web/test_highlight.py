"""Marking spans of untrusted text: escaped pieces, well-formed nesting."""

from __future__ import annotations

from html.parser import HTMLParser

from ember.web._highlight import Highlight, document_highlights, mark_spans, mark_terms


class _Balance(HTMLParser):
    """Counts tags, failing on a close tag that does not match the open one."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text += data


def _parse(html: str) -> _Balance:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    assert parser.stack == [], "every mark is closed"
    return parser


def _hl(kind: str, start: int, end: int, label: str = "x") -> Highlight:
    return Highlight(kind=kind, start=start, end=end, labels=(label,), record_ids=(label,))


def test_nested_spans_keep_the_text_and_nest() -> None:
    text = "Rebels shelled Qarabel, killing 4."
    html = mark_spans(
        text, [_hl("event", 0, len(text)), _hl("place", 15, 22), _hl("claim", 32, 33)]
    )
    parsed = _parse(str(html))
    assert parsed.text == text
    assert [attrs["class"] for _, attrs in parsed.tags] == ["event", "place", "claim"]
    assert '<mark class="place" id="place-15-22"' in html


def test_crossing_spans_are_split_not_broken() -> None:
    text = "abcdefghij"
    html = str(mark_spans(text, [_hl("actor", 0, 6, "A"), _hl("place", 4, 10, "P")]))
    parsed = _parse(html)
    assert parsed.text == text
    # The inner span is closed and reopened; only its first piece carries the id.
    assert html.count('class="place"') == 2
    assert html.count('id="place-4-10"') == 1
    assert html.count('id="actor-0-6"') == 1


def test_text_and_labels_are_escaped() -> None:
    text = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    html = str(mark_spans(text, [_hl("actor", 0, 8, '"><script>alert(2)</script>')]))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    assert 'title="&#34;&gt;&lt;script&gt;' in html
    assert _parse(html).text == text


def test_spans_outside_the_text_or_empty_are_dropped() -> None:
    from ember.records import Mention

    mentions = [
        Mention(doc_id="d", kind="place", text="x", start=8, end=12, canonical="X"),
        Mention(doc_id="d", kind="actor", text="", start=3, end=3, canonical="Y"),
        Mention(doc_id="d", kind="org", text="ab", start=0, end=2, canonical="Z"),
    ]
    (kept,) = document_highlights(10, [], [], mentions)
    assert (kept.kind, kept.start, kept.end) == ("actor", 0, 2)


def test_search_terms_are_marked_after_escaping() -> None:
    html = str(mark_terms("The <b>Baghouz</b> pocket & baghouz camp", ["baghouz"]))
    assert html.count("<mark>") == 2
    assert "&lt;b&gt;<mark>Baghouz</mark>&lt;/b&gt;" in html
    assert "&amp;" in html


def test_a_term_never_matches_inside_an_entity() -> None:
    html = str(mark_terms("fish & chips", ["amp", "lt"]))
    assert "<mark>" not in html
    assert html == "fish &amp; chips"


def test_term_prefixes_match_word_forms() -> None:
    assert str(mark_terms("Fighters fought", ["fight"])) == "<mark>Fighters</mark> fought"
