"""``Watch``: poll feeds, folders and URLs, store and analyse only what is new, and raise
each alert its rules describe once.

What is new: a URL is fetched with the ETag and Last-Modified of the last poll (a 304,
or the same body, is nothing new); a feed's entries already seen (by entry id) are not
read again; a folder's files whose mtime and size are unchanged are not read again; and
whatever is read, the store keeps once by content. The state lives in the store
(``watch_sources``), so a restarted watch resumes where it stopped, and documents stored
but not yet checked against the rules stay listed until they are: a kill between the
two loses no alert. A source that fails (unreachable, an HTTP error, an unreadable feed)
is tried again after ``every * 2**(failures - 1)``, at most ``max_backoff_s``."""

from __future__ import annotations

import hashlib
import io
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

from ..errors import ConfigError, EmberError, IngestError
from ..ingest import (
    FetchedResponse,
    HttpxFetcher,
    Prepared,
    RawDocument,
    Rejection,
    Skipped,
    Source,
    build_document,
    expand_inputs,
    read_source,
)
from ..settings import Settings
from ..store import (
    Outcome,
    Store,
    StoredAlert,
    WatchState,
    add_alert,
    load_watch_state,
    save_watch_state,
)
from .deliver import Delivery
from .match import Alert, alerts_for
from .rules import Rule

__all__ = ["ConditionalFetcher", "PollSummary", "SourceReport", "Watch", "parse_interval"]

Status = Literal["new", "unchanged", "failed", "backing off"]
# Feed entry ids kept per source: more than any feed lists at once.
_SEEN_KEPT = 5000
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DEFAULT_MAX_BACKOFF_S = 24 * 3600


def parse_interval(text: str) -> float:
    """Seconds in "30m", "1h", "90s", "1h30m", "2d"; a ConfigError for anything else."""
    value = text.strip().lower()
    total, number = 0.0, ""
    for char in value:
        if char.isdigit() or char == ".":
            number += char
        elif char in _UNITS and number:
            try:
                total += float(number) * _UNITS[char]
            except ValueError:
                break
            number = ""
        else:
            break
    else:
        if not number and total > 0:
            return total
    raise ConfigError(f"not an interval: {text!r} (e.g. 90s, 30m, 1h, 1h30m, 1d)")


class ConditionalFetcher(Protocol):
    """A fetcher that can send ETag and Last-Modified validators (``HttpxFetcher``)."""

    def fetch(
        self, url: str, *, if_none_match: str | None = None, if_modified_since: str | None = None
    ) -> FetchedResponse: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceReport:
    """One source in one poll: ``stored`` new documents (and how many were already in
    the store or near-duplicates), items ``rejected``; ``reason`` of a failure."""

    source: str
    status: Status
    stored: int = 0
    known: int = 0
    rejected: int = 0
    reason: str | None = None
    retry_at: datetime | None = None


@dataclass(slots=True)
class PollSummary:
    sources: list[SourceReport] = field(default_factory=list)
    analysed: int = 0
    alerts: list[StoredAlert] = field(default_factory=list)
    webhook_failed: int = 0

    @property
    def stored(self) -> int:
        return sum(report.stored for report in self.sources)

    @property
    def failed(self) -> list[SourceReport]:
        return [r for r in self.sources if r.status in ("failed", "backing off")]


class _Prefetched:
    """The response already fetched for ``url``; other URLs (a feed's links) go to
    ``fallback``."""

    def __init__(self, response: FetchedResponse, fallback: ConditionalFetcher) -> None:
        self._response = response
        self._fallback = fallback

    def fetch(self, url: str) -> FetchedResponse:
        if url == self._response.url:
            return self._response
        return self._fallback.fetch(url)


@dataclass(slots=True)
class _Read:
    """What reading one source found: documents to store (with their feed entry ids),
    rejections of single items, or a whole-source failure."""

    items: list[tuple[Prepared, str | None]] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    failure: str | None = None


class Watch:
    """Polls ``sources`` (paths, folders, globs, http(s) URLs as ``ember ingest`` reads
    them) into ``store``. ``analyze`` analyses what is new (``ember.scale``'s
    ``analyze_stored`` by default); ``clock`` and ``fetcher`` are for tests."""

    def __init__(
        self,
        store: Store,
        sources: Sequence[str],
        *,
        settings: Settings,
        rules: Sequence[Rule] = (),
        every_s: float = 1800.0,
        delivery: Delivery | None = None,
        fetcher: ConditionalFetcher | None = None,
        analyze: Callable[[Store], Any] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        max_backoff_s: float = DEFAULT_MAX_BACKOFF_S,
    ) -> None:
        if not sources:
            raise ConfigError("nothing to watch: name a feed, folder or URL")
        self.store = store
        self.sources = list(dict.fromkeys(sources))
        self.settings = settings
        self.rules = list(rules)
        self.every_s = every_s
        self.delivery = delivery or Delivery()
        self._fetcher = fetcher
        self._own_fetcher: HttpxFetcher | None = None
        self._analyze = analyze
        self._clock = clock
        self.max_backoff_s = max_backoff_s

    def close(self) -> None:
        if self._own_fetcher is not None:
            self._own_fetcher.close()
            self._own_fetcher = None

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- the loop ------------------------------------------------------------------------

    def run(
        self,
        *,
        on_poll: Callable[[PollSummary], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        polls: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Poll every ``every_s`` seconds (``polls`` times, or until interrupted). A poll
        that fails as a whole (the database unreachable) is told to ``on_error`` and the
        next poll comes at its time; without ``on_error`` it is raised."""
        done = 0
        while polls is None or done < polls:
            started = time.monotonic()
            try:
                summary = self.poll()
            except EmberError as exc:
                if on_error is None:
                    raise
                on_error(f"the poll failed: {exc} (the next one is due as usual)")
            else:
                if on_poll is not None:
                    on_poll(summary)
            done += 1
            if polls is not None and done >= polls:
                return
            sleep(max(0.0, self.every_s - (time.monotonic() - started)))

    def poll(self) -> PollSummary:
        """One poll of every source: store what is new, analyse it, check it against the
        rules, write the new alerts and POST the webhook's backlog."""
        summary = PollSummary()
        run_id = uuid.uuid4().hex
        pending: list[str] = []
        for source in self.sources:
            report, state = self._poll_source(source, run_id)
            summary.sources.append(report)
            pending.extend(state.pending)
        if pending:
            summary.analysed = self._run_analysis()
            summary.alerts = self._raise_alerts(pending)
        for source in self.sources:
            after = load_watch_state(self.store, source)
            if after is not None and after.pending:
                save_watch_state(self.store, replace(after, pending=()))
        summary.webhook_failed = self.delivery.flush_webhook(self.store)
        return summary

    def _run_analysis(self) -> int:
        if self._analyze is None:
            from ..scale import analyze_stored

            return analyze_stored(self.store).documents
        result = self._analyze(self.store)
        return int(getattr(result, "documents", 0))

    def _raise_alerts(self, doc_ids: Sequence[str]) -> list[StoredAlert]:
        raised: list[StoredAlert] = []
        for alert in alerts_for(self.rules, self.store, list(dict.fromkeys(doc_ids))):
            stored = self._store_alert(alert)
            if stored is not None:
                self.delivery.announce(stored)
                raised.append(stored)
        return raised

    def _store_alert(self, alert: Alert) -> StoredAlert | None:
        payload = {"rule": alert.rule.id, "rule_kind": alert.rule.kind,
                   "rule_description": alert.rule.describe(), **alert.payload}  # fmt: skip
        return add_alert(
            self.store, key=alert.key, rule_id=alert.rule.id, kind=alert.rule.kind,
            record_id=alert.record_id, doc_id=alert.doc_id, summary=alert.summary,
            payload=payload, webhook=self.delivery.webhook is not None,
        )  # fmt: skip

    # -- one source ----------------------------------------------------------------------

    def _poll_source(self, source: str, run_id: str) -> tuple[SourceReport, WatchState]:
        now = self._clock()
        state = load_watch_state(self.store, source) or WatchState(source=source)
        if state.next_try_at is not None and now < state.next_try_at:
            report = SourceReport(
                source=source, status="backing off", reason=state.last_error,
                retry_at=state.next_try_at,
            )  # fmt: skip
            return report, state
        is_url = source.lower().startswith(("http://", "https://"))
        try:
            read, state = self._read_url(state) if is_url else self._read_path(state)
        except IngestError as exc:
            read = _Read(failure=str(exc))
        except Exception as exc:  # a bug in a reader must not stop the watch
            read = _Read(failure=f"internal error: {type(exc).__name__}: {exc}")
        if read.failure is not None:
            return self._failed(state, read.failure, now)
        stored = known = 0
        pending = list(state.pending)
        seen = list(state.seen)
        for prepared, entry_id in read.items:
            outcome = self._store_document(prepared, run_id)
            if outcome == "stored":
                stored += 1
            else:
                known += 1
            pending.append(prepared.document.id)
            if entry_id is not None:
                seen.insert(0, entry_id)
        for rejection in read.rejections:
            self.store.log_rejection(
                source=rejection.source, reason=rejection.reason, run_id=run_id
            )
        seen = list(dict.fromkeys(seen))[:_SEEN_KEPT]
        state = replace(
            state, seen=tuple(seen), pending=tuple(dict.fromkeys(pending)), failures=0,
            last_error=None, next_try_at=None, polled_at=now,
        )  # fmt: skip
        save_watch_state(self.store, state)
        status: Status = "new" if read.items or read.rejections else "unchanged"
        report = SourceReport(
            source=source, status=status, stored=stored, known=known,
            rejected=len(read.rejections),
        )  # fmt: skip
        return report, state

    def _failed(
        self, state: WatchState, reason: str, now: datetime
    ) -> tuple[SourceReport, WatchState]:
        failures = state.failures + 1
        delay = min(self.every_s * 2 ** (failures - 1), self.max_backoff_s)
        retry = now + timedelta(seconds=delay)
        state = replace(
            state, failures=failures, last_error=reason, next_try_at=retry, polled_at=now
        )
        save_watch_state(self.store, state)
        report = SourceReport(source=state.source, status="failed", reason=reason, retry_at=retry)
        return report, state

    def _store_document(self, prepared: Prepared, run_id: str) -> Outcome:
        doc = prepared.document
        original = self.store.find_near_duplicate(
            prepared.signature, threshold=self.settings.near_duplicate_threshold
        )
        if original is not None and original != doc.id:
            doc = replace(doc, duplicate_of=original)
        return self.store.add_document(doc, signature=prepared.signature, run_id=run_id)

    def _fetcher_for_urls(self) -> ConditionalFetcher:
        if self._fetcher is not None:
            return self._fetcher
        if self._own_fetcher is None:
            self._own_fetcher = HttpxFetcher(self.settings)
        return self._own_fetcher

    def _read_url(self, state: WatchState) -> tuple[_Read, WatchState]:
        fetcher = self._fetcher_for_urls()
        response = fetcher.fetch(
            state.source, if_none_match=state.etag, if_modified_since=state.last_modified
        )
        if response.not_modified:
            return _Read(), state
        digest = hashlib.sha256(response.content).hexdigest()
        unchanged = digest == state.content_hash
        state = replace(
            state, etag=response.etag, last_modified=response.last_modified, content_hash=digest
        )
        if unchanged:  # a server without validators, or one that ignores them
            return _Read(), state
        source = Source(state.source, "url")
        read = self._read(source, response.content, state, _Prefetched(response, fetcher))
        return read, state

    def _read_path(self, state: WatchState) -> tuple[_Read, WatchState]:
        read = _Read()
        files = dict(state.files)
        found: set[str] = set()
        for item in expand_inputs([state.source]):
            if isinstance(item, Skipped):
                continue
            if isinstance(item, Rejection):
                if item.source == state.source:
                    return _Read(failure=item.reason), state
                read.rejections.append(item)
                continue
            try:
                info = Path(item.location).stat()
            except OSError as exc:
                read.rejections.append(
                    Rejection(source=item.location, reason=f"cannot read: {exc.strerror}")
                )
                continue
            signature = (info.st_mtime_ns, info.st_size)
            found.add(item.location)
            if files.get(item.location) == signature:
                continue
            data = _feed_bytes(item)
            part = self._read(item, data, state, None)
            if part.failure is not None:
                read.rejections.append(Rejection(source=item.location, reason=part.failure))
            read.items += part.items
            read.rejections += part.rejections
            files[item.location] = signature
        files = {path: sig for path, sig in files.items() if path in found}
        return read, replace(state, files=files)

    def _read(
        self, source: Source, data: bytes | None, state: WatchState, fetcher: _Prefetched | None
    ) -> _Read:
        """Read ``source`` (its bytes ``data`` when it may be a feed), keeping only the
        feed entries not seen before."""
        read = _Read()
        raws: list[RawDocument] = []
        for item in read_source(source, settings=self.settings, fetcher=fetcher):
            if isinstance(item, Rejection) and item.source == source.location:
                read.failure = item.reason
                return read
            if isinstance(item, Rejection):
                read.rejections.append(item)
            else:
                raws.append(item)
        entries = _entry_map(source.location, data, raws, read.rejections)
        seen = set(state.seen)
        for raw in raws:
            entry_id = entries.get(raw.source)
            if entry_id is not None and entry_id in seen:
                continue
            try:
                built = build_document(raw, settings=self.settings)
            except Exception as exc:  # one broken document must not sink the batch
                built = Rejection(
                    source=raw.source, reason=f"internal error: {type(exc).__name__}: {exc}"
                )
            if isinstance(built, Rejection):
                read.rejections.append(built)
            else:
                read.items.append((built, entry_id))
        read.rejections = [r for r in read.rejections if entries.get(r.source) not in seen]
        return read


def _feed_bytes(source: Source) -> bytes | None:
    """A feed file's bytes (for its entry ids), within the size cap; None otherwise."""
    if source.format != "feed":
        return None
    try:
        with open(source.location, "rb") as stream:
            return stream.read(64 * 2**20)
    except OSError:
        return None


def _entry_ids(data: bytes) -> list[str]:
    """Each entry's id (its guid, else its link, else a hash of title and summary)."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False)
    ids = []
    for entry in parsed.entries:
        given = entry.get("id") or entry.get("link")
        if not isinstance(given, str) or not given.strip():
            text = f"{entry.get('title', '')}\n{entry.get('summary', '')}"
            given = "sha1:" + hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()
        ids.append(given.strip())
    return ids


def _entry_map(
    location: str, data: bytes | None, raws: Sequence[RawDocument], rejections: Sequence[Rejection]
) -> dict[str, str]:
    """Item source (``feed.xml#3``) -> entry id, when ``data`` is a feed whose entries
    line up with the items read (one per entry); empty otherwise (the store's
    deduplication by content still keeps each entry once)."""
    if data is None:
        return {}
    numbered = dict(_numbered(location, [*raws, *rejections]))
    if not numbered:
        return {}
    try:
        ids = _entry_ids(data)
    except Exception:  # feedparser on bytes it cannot read: no ids, not a failure
        return {}
    if len(ids) != len(numbered) or max(numbered.values()) != len(ids):
        return {}
    return {name: ids[number - 1] for name, number in numbered.items()}


def _numbered(location: str, items: Sequence[RawDocument | Rejection]) -> Iterator[tuple[str, int]]:
    prefix = f"{location}#"
    for item in items:
        if isinstance(item, RawDocument) and item.format != "feed":
            continue
        if item.source.startswith(prefix) and item.source[len(prefix) :].isdigit():
            yield item.source, int(item.source[len(prefix) :])
