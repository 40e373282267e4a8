"""RSS and Atom: entries as documents, hints, bad feeds, following links."""

from __future__ import annotations

from pathlib import Path

import pytest

from ember.errors import DecodeFailed, IngestError
from ember.ingest import RawDocument, Rejection, Source, build_document, read_source
from ember.ingest._feed import read_feed
from ember.ingest.fetch import FetchedResponse
from ember.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
PAGE = (
    "<html><head><title>Mortar fire near Makhmour</title></head><body><article>"
    "<p>Several mortar rounds landed on farmland outside Makhmour on Monday night, local "
    "officials said, in the third such incident this month.</p><p>Farmers said two "
    "irrigation pumps were destroyed and asked for patrols to return to the area.</p>"
    "</article></body></html>"
)


class FakeFetcher:
    """URL to response, or to the error fetching it raises."""

    def __init__(self, pages: dict[str, FetchedResponse | IngestError]) -> None:
        self.pages = pages
        self.asked: list[str] = []

    def fetch(self, url: str) -> FetchedResponse:
        self.asked.append(url)
        page = self.pages[url]
        if isinstance(page, IngestError):
            raise page
        return page


def response(
    url: str, body: bytes, content_type: str = "text/html; charset=utf-8"
) -> FetchedResponse:
    return FetchedResponse(
        url=url, final_url=url, status=200, content_type=content_type, content=body
    )


def read(name: str, settings: Settings | None = None, fetcher: FakeFetcher | None = None) -> list:
    source = Source(str(FIXTURES / name), "feed")
    return list(read_source(source, settings=settings or Settings(), fetcher=fetcher))


def test_rss_entries_become_documents() -> None:
    first, second, empty = read("feed.rss")
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.source.endswith("feed.rss#1") and second.source.endswith("feed.rss#2")
    assert first.kind == "html" and first.format == "feed"
    assert "Several mortar rounds" in first.body  # content:encoded wins over the teaser
    assert first.hints.title == "Mortar fire reported near Makhmour"
    assert first.hints.author == "Field desk"
    assert first.hints.publisher == "Frontline Digest"
    assert first.hints.url == "https://frontline-digest.example/2019/05/makhmour-mortar"
    assert (first.hints.published, first.hints.published_precision) == ("2019-05-14", "day")
    assert first.hints.language == "en"
    assert second.kind == "text" and second.body.startswith("The checkpoint at the Sinjar")
    assert empty == Rejection(source=empty.source, reason="the entry has no content or summary")
    assert empty.source.endswith("feed.rss#3")


def test_rss_entry_html_is_extracted_downstream(settings: Settings) -> None:
    first = read("feed.rss")[0]
    prepared = build_document(first, settings=settings)
    assert not isinstance(prepared, Rejection), prepared
    assert prepared.document.text.startswith("Several mortar rounds landed")
    assert prepared.document.published == "2019-05-14"


def test_html_summary_without_tags_is_unescaped_text() -> None:
    data = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><item>'
        b"<description>Police &amp;amp; army units sealed the road &amp;lt;north&amp;gt;."
        b"</description></item></channel></rss>"
    )
    (entry,) = read_feed("f.xml", data)
    assert isinstance(entry, RawDocument) and entry.kind == "text"
    assert entry.body == "Police & army units sealed the road <north>."


def test_atom_entry() -> None:
    (entry,) = read("feed.atom")
    assert isinstance(entry, RawDocument)
    assert entry.kind == "text"
    assert entry.hints.language == "fr"
    assert entry.hints.author == "Correspondant régional"
    assert entry.hints.published == "2019-06-01"  # published, not updated
    assert entry.hints.url == "https://bulletin-levant.example/deir-ez-zor"


def test_text_that_is_not_xml_is_one_clear_rejection() -> None:
    (rejection,) = read("not-a-feed.xml")
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith("not a readable RSS/Atom feed: ")
    assert "\n" not in rejection.reason


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
         "a feed with no entries"),
        (b"<html><body><p>A web page, not a feed.</p></body></html>", "not an RSS/Atom feed"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a readable"),
    ],
)  # fmt: skip
def test_bad_feeds(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeFailed, match=reason):
        list(read_feed("f.xml", data))


def test_feed_bytes_naming_a_file_are_not_opened(tmp_path: Path) -> None:
    # feedparser.parse(bytes) opens a file of that name; ember passes a stream.
    secret = tmp_path / "secret.xml"
    secret.write_text(
        "<rss><channel><item><description>leaked</description></item></channel></rss>"
    )
    with pytest.raises(DecodeFailed):
        list(read_feed("f.xml", str(secret).encode()))


def test_follow_links_fetches_each_page() -> None:
    base = "https://frontline-digest.example/2019/05/"
    fetcher = FakeFetcher(
        {
            base + "makhmour-mortar": response(base + "makhmour-mortar", PAGE.encode()),
            base + "sinjar-checkpoint": IngestError("HTTP 404 Not Found"),
            base + "empty": response(base + "empty", b"\x89PNG...", "image/png"),
        }
    )
    page, missing, image = read("feed.rss", Settings(follow_links=True), fetcher)
    assert isinstance(page, RawDocument)
    assert page.kind == "html" and page.body == PAGE
    assert page.hints.title == "Mortar fire reported near Makhmour"  # the entry's fields win
    assert page.hints.url == base + "makhmour-mortar"
    assert missing == Rejection(
        source=missing.source,
        reason=f"following {base}sinjar-checkpoint: HTTP 404 Not Found",
    )
    assert isinstance(image, Rejection)
    assert image.reason.endswith("the linked page is image/png, not HTML or text")
    assert len(fetcher.asked) == 3


def test_feed_fetched_by_url() -> None:
    url = "https://frontline-digest.example/feed"
    data = (FIXTURES / "feed.rss").read_bytes()
    fetcher = FakeFetcher({url: response(url, data, "application/rss+xml")})
    items = list(read_source(Source(url, "url"), settings=Settings(), fetcher=fetcher))
    assert [i.source for i in items] == [f"{url}#1", f"{url}#2", f"{url}#3"]
    assert isinstance(items[0], RawDocument) and items[0].format == "feed"
