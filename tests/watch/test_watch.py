"""``Watch`` against a feed served on loopback: new items only, alerts once across a
restart, ETag and 304, backoff, the webhook."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ember.errors import StoreError
from ember.settings import Settings
from ember.store import Store, list_alerts, load_watch_state
from ember.watch import Delivery, PollSummary, Watch, parse_rules

from .conftest import ITEMS, FeedServer, Receiver

RULES = parse_rules(
    {
        "rule": [
            {"id": "is-deadly", "kind": "event", "actor": "ISIS", "min_fatalities": 3},
            {"id": "near-raqqa", "kind": "event", "place": "Raqqa", "within_km": 30},
        ]
    }
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(f"sqlite:///{tmp_path / 'ember.db'}")


def make_watch(
    store: Store,
    sources: list[str],
    *,
    clock: Callable[[], datetime] | None = None,
    delivery: Delivery | None = None,
) -> Watch:
    return Watch(
        store, sources, settings=Settings(allow_private=True), rules=RULES, every_s=1800,
        delivery=delivery, clock=clock or Clock(),
    )  # fmt: skip


def test_first_poll_ingests_the_feed_and_raises_its_alert(
    store: Store, feed_server: FeedServer, tmp_path: Path
) -> None:
    feed_server.serve(ITEMS[:2])
    log = tmp_path / "alerts.jsonl"
    summary = make_watch(store, [feed_server.url], delivery=Delivery(log=log)).poll()
    assert summary.stored == 2
    assert [a.rule_id for a in summary.alerts] == ["is-deadly"]
    assert summary.alerts[0].payload["fatalities"] == 4
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line["rule"] for line in lines] == ["is-deadly"]
    assert lines[0]["key"] == summary.alerts[0].key


def test_a_second_poll_reads_only_the_new_item(store: Store, feed_server: FeedServer) -> None:
    feed_server.serve(ITEMS[:2])
    watch = make_watch(store, [feed_server.url])
    watch.poll()
    feed_server.serve([ITEMS[2], *ITEMS[:2]])  # the newest first, as feeds list them
    summary = watch.poll()
    assert (summary.sources[0].stored, summary.sources[0].known) == (1, 0)
    assert [a.rule_id for a in summary.alerts] == ["near-raqqa"]
    assert store.count_documents() == 3
    assert feed_server.requests[-1].get("If-None-Match")


def test_an_unchanged_feed_answers_304_and_nothing_is_read(
    store: Store, feed_server: FeedServer
) -> None:
    feed_server.serve(ITEMS[:2])
    watch = make_watch(store, [feed_server.url])
    watch.poll()
    summary = watch.poll()
    assert feed_server.requests[-1]["If-None-Match"] == feed_server.etag
    assert summary.sources[0].status == "unchanged"
    assert summary.alerts == []


def test_a_restart_raises_nothing_again(store: Store, feed_server: FeedServer) -> None:
    feed_server.serve(ITEMS[:2])
    make_watch(store, [feed_server.url]).poll()
    # A new watch on the same store, the server no longer sending validators and the
    # feed reordered: the entries are known by id, their alerts by key.
    feed_server.use_etag = False
    feed_server.serve(list(reversed(ITEMS[:2])))
    summary = make_watch(store, [feed_server.url]).poll()
    assert summary.sources[0].status == "unchanged"
    assert summary.alerts == []
    assert list_alerts(store)[1] == 1


def test_a_kill_before_the_rules_ran_loses_no_alert(store: Store, feed_server: FeedServer) -> None:
    feed_server.serve(ITEMS[:2])

    def killed(_store: Store) -> None:
        raise KeyboardInterrupt

    watch = Watch(
        store, [feed_server.url], settings=Settings(allow_private=True), rules=RULES,
        analyze=killed, clock=Clock(),
    )  # fmt: skip
    with pytest.raises(KeyboardInterrupt):
        watch.poll()
    state = load_watch_state(store, feed_server.url)
    assert state is not None and len(state.pending) == 2
    summary = make_watch(store, [feed_server.url]).poll()
    assert summary.sources[0].status == "unchanged"
    assert [a.rule_id for a in summary.alerts] == ["is-deadly"]
    state = load_watch_state(store, feed_server.url)
    assert state is not None and state.pending == ()


def test_a_failing_source_backs_off(store: Store, feed_server: FeedServer) -> None:
    feed_server.status = 503
    clock = Clock()
    watch = make_watch(store, [feed_server.url], clock=clock)
    first = watch.poll().sources[0]
    assert first.status == "failed" and "503" in (first.reason or "")
    assert first.retry_at == clock.now + timedelta(minutes=30)
    asked = len(feed_server.requests)
    assert watch.poll().sources[0].status == "backing off"
    assert len(feed_server.requests) == asked  # not tried while backing off
    clock.now += timedelta(minutes=31)
    second = make_watch(store, [feed_server.url], clock=clock).poll().sources[0]
    assert second.status == "failed"
    assert second.retry_at == clock.now + timedelta(hours=1)  # doubled, kept across restarts
    feed_server.status = 200
    feed_server.serve(ITEMS[:1])
    clock.now += timedelta(hours=2)
    assert watch.poll().sources[0].stored == 1
    state = load_watch_state(store, feed_server.url)
    assert state is not None and (state.failures, state.next_try_at) == (0, None)


def test_the_backoff_doubles_up_to_its_cap(store: Store, feed_server: FeedServer) -> None:
    feed_server.status = 500
    clock = Clock()
    watch = make_watch(store, [feed_server.url], clock=clock)
    watch.max_backoff_s = 3 * 3600
    delays = []
    for _ in range(5):
        report = watch.poll().sources[0]
        assert report.status == "failed" and report.retry_at is not None
        delays.append(report.retry_at - clock.now)
        clock.now = report.retry_at
    hour = timedelta(hours=1)
    assert delays == [hour / 2, hour, 2 * hour, 3 * hour, 3 * hour]


def test_the_webhook_gets_each_alert_once_and_a_failure_is_retried(
    store: Store, feed_server: FeedServer, receiver: Receiver
) -> None:
    feed_server.serve(ITEMS[:2])
    receiver.status = 500
    errors: list[str] = []
    delivery = Delivery(webhook=receiver.url, on_error=errors.append, timeout_s=5)
    watch = make_watch(store, [feed_server.url], delivery=delivery)
    first = watch.poll()
    assert len(first.alerts) == 1 and first.webhook_failed == 1
    assert receiver.received == [] and "HTTP 500" in errors[0]
    receiver.status = 200
    watch.poll()
    assert [body["rule"] for body in receiver.received] == ["is-deadly"]
    watch.poll()
    make_watch(store, [feed_server.url], delivery=delivery).poll()
    assert len(receiver.received) == 1


def test_an_unreachable_webhook_never_stops_the_watch(
    store: Store, feed_server: FeedServer
) -> None:
    feed_server.serve(ITEMS[:1])
    errors: list[str] = []
    delivery = Delivery(webhook="http://127.0.0.1:9/hook", on_error=errors.append, timeout_s=2)
    summary = make_watch(store, [feed_server.url], delivery=delivery).poll()
    assert summary.webhook_failed == 1 and errors


def test_a_folder_reads_only_new_or_changed_files(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text(ITEMS[0][2] + "\n", encoding="utf-8")
    watch = make_watch(store, [str(folder)])
    assert [a.rule_id for a in watch.poll().alerts] == ["is-deadly"]
    assert watch.poll().sources[0].status == "unchanged"
    (folder / "b.txt").write_text(ITEMS[2][2] + "\n", encoding="utf-8")
    summary = watch.poll()
    assert (summary.stored, [a.rule_id for a in summary.alerts]) == (1, ["near-raqqa"])


def test_a_missing_folder_is_a_failing_source(store: Store, tmp_path: Path) -> None:
    report = make_watch(store, [str(tmp_path / "nowhere")]).poll().sources[0]
    assert report.status == "failed" and "no such file" in (report.reason or "")


def test_run_survives_a_failed_poll_and_sleeps_between_polls(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = make_watch(store, [str(tmp_path)])
    real = watch.poll
    calls: list[int] = []

    def flaky() -> PollSummary:
        calls.append(1)
        if len(calls) == 1:
            raise StoreError("database is locked")
        return real()

    monkeypatch.setattr(watch, "poll", flaky)
    errors: list[str] = []
    polls: list[PollSummary] = []
    sleeps: list[float] = []
    watch.run(on_poll=polls.append, on_error=errors.append, polls=2, sleep=sleeps.append)
    assert (len(calls), len(polls), len(sleeps)) == (2, 1, 1)
    assert "database is locked" in errors[0] and 0 < sleeps[0] <= 1800
