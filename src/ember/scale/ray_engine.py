"""The analysis on Ray: the same stage function (``workers.analyse_group``) on the same
groups, run by Ray Data on a cluster, or on a local Ray that this process starts.

Groups go to Ray a window at a time (``ray.data.from_items``, one group a block), each
window mapped by ``map_batches`` over a pool of actors (``ActorPoolStrategy``) of a
callable class that loads the pipeline once; results come back in order
(``preserve_order``) to the driver, the only process that writes the store. Each
document is analysed within its budget (``scale.budget``), as on the local engines. Ray needs
``pip install 'ember[ray]'``, and ember installed on every node of the cluster; the
store is the driver's, so a cluster's workers never open it (SQLite is fine;
PostgreSQL when several drivers share a store).

An actor that dies analysing a group (killed, or out of memory) is started again and
the group tried again a few times; a group still failing is skipped by Ray Data
(``max_errored_blocks``), and its documents are then tried one a block, so the one that
kills its actor is marked failed and the others are stored, as on the local pool.

A local Ray (no address) is private to the run: its session folder is a fresh temporary
folder, removed on close (unless ``RAY_TMPDIR`` names one, which is kept); its ports
(Ray opens them on every interface) answer only to a token made for the run and kept in
the environment (nothing written to ``~/.ray``); no dashboard, no usage statistics."""

from __future__ import annotations

import logging
import os
import pickle
import secrets
import shutil
import signal
import socket
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from .budget import DocumentBudget

if TYPE_CHECKING:
    from .pipeline import AnalysisInput
    from .workers import Result

__all__ = ["RAY_CLIENT_UNSUPPORTED", "RAY_MISSING", "GroupAnalyser", "RayEngine", "ray_available"]

RAY_MISSING = "--engine ray needs Ray: pip install 'ember[ray]'"
RAY_CLIENT_UNSUPPORTED = (
    "Ray Data does not run through Ray Client (ray://): run ember on a node of the cluster "
    "with --address auto (or ray job submit), or give the head's HOST:6379"
)
# Groups sent to Ray in one dataset: each dataset starts its actors (each loads the
# pipeline), so a window is large; the driver holds one window's texts at a time.
WINDOW_GROUPS = 256
# Times a group is tried again on a restarted actor after its actor died: enough for a
# node lost under it, few enough that a document killing every actor is soon found.
TASK_RETRIES = 2
_DIED = "the Ray worker analysing it died (killed, or out of memory)"

Task = Callable[[Sequence["AnalysisInput"]], list["Result"]]


def ray_available() -> bool:
    from importlib.util import find_spec

    return find_spec("ray") is not None


class GroupAnalyser:
    """A Ray Data actor: runs ``start`` once (loads the pipeline), then ``task`` on one
    group per row. Tests pass stand-ins for both."""

    def __init__(
        self, task: Task | None = None, start: Callable[[], None] | None = None,
        budget: DocumentBudget | None = None,
    ) -> None:  # fmt: skip
        from .workers import analyse_group

        self._task: Task = task if task is not None else partial(analyse_group, budget=budget)
        (start if start is not None else _start_actor)()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        return {
            "index": list(batch["index"]),
            "results": [
                pickle.dumps(self._task(pickle.loads(blob)), protocol=pickle.HIGHEST_PROTOCOL)
                for blob in batch["group"]
            ],
        }


def _start_actor() -> None:
    """Each actor loads the pipeline once. A document stuck past its budget in code that
    never returns to Python ends the actor (``scale.budget``): Ray starts another, tries
    the group again, then its documents alone, and that one is marked failed."""
    from ..nlp.pipeline import load_pipeline
    from .budget import allow_exit_when_stuck

    allow_exit_when_stuck()
    load_pipeline()


class RayEngine:
    """``workers`` actors (default: every CPU of the cluster) on the Ray at ``address``
    (``ray://host:port``, ``auto``), or on a local Ray of ``workers`` CPUs (default: the
    machine's) started here and stopped on close."""

    def __init__(
        self, *, workers: int | None = None, address: str | None = None,
        window_groups: int = WINDOW_GROUPS, task: Task | None = None,
        start: Callable[[], None] | None = None, budget: DocumentBudget | None = None,
    ) -> None:  # fmt: skip
        try:
            import ray
            import ray.data
        except ImportError as exc:
            raise ConfigError(RAY_MISSING) from exc
        self._ray = ray
        self._started = False
        self._temp_dir: str | None = None
        self._environ: dict[str, str | None] = {}
        self._sigterm: Any = signal.SIG_DFL
        self._task, self._start = task, start
        # Each document within its budget, as on the local engines (their default too).
        self.budget = budget if budget is not None else DocumentBudget()
        if not ray.is_initialized():
            # ray.init sets its own SIGTERM handler; close puts this process's back.
            self._sigterm = signal.getsignal(signal.SIGTERM)
            try:
                if address is None:
                    self._start_local(workers)
                else:
                    self._connect(address)
            except BaseException:
                self._cleanup()
                raise
            self._started = True
        resources = ray.cluster_resources()  # type: ignore[no-untyped-call,unused-ignore]
        cpus = int(resources.get("CPU", 1))
        self.workers = max(1, workers if workers is not None else cpus)
        self.window_groups = window_groups
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        # A group whose actor keeps dying is skipped, then found (``_window``).
        context.max_errored_blocks = -1
        # Ray Data tells each dataset's start, end and skipped blocks on the console; the
        # command prints its own summary (failed documents with their reason).
        _quiet("ray.data")

    def _start_local(self, workers: int | None) -> None:
        if "RAY_TMPDIR" not in os.environ:
            self._temp_dir = tempfile.mkdtemp(prefix="ember-ray-")
        if "RAY_USAGE_STATS_ENABLED" not in os.environ:
            self._set_env("RAY_USAGE_STATS_ENABLED", "0")
        if not any(os.environ.get(k) for k in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN")):
            # Ray's default (token auth) saves a token to ~/.ray/auth_token; a token
            # in the environment reaches the processes it starts and is gone after.
            self._set_env("RAY_AUTH_MODE", "token")
            self._set_env("RAY_AUTH_TOKEN", secrets.token_hex(32))
            _reload_auth()
        self._ray.init(
            address="local", num_cpus=workers, include_dashboard=False,
            _temp_dir=self._temp_dir,
            log_to_driver=False, configure_logging=True, logging_level=logging.WARNING,
        )  # fmt: skip

    def _connect(self, address: str) -> None:
        if address.startswith("ray://"):
            # Ray Data's executor needs a driver of the cluster: through Ray Client it
            # fails once a dataset runs ("'Worker' object has no attribute 'core_worker'").
            raise ConfigError(RAY_CLIENT_UNSUPPORTED)
        _probe(address)
        try:
            self._ray.init(
                address=address, log_to_driver=False, configure_logging=True,
                logging_level=logging.WARNING,
            )  # fmt: skip
        except (ConnectionError, RuntimeError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise ConfigError(f"cannot reach Ray at {address}: {first}") from exc

    def results(self, groups: Iterable[Sequence[AnalysisInput]]) -> Iterator[list[Result]]:
        it = iter(groups)
        while window := [list(group) for group in islice(it, self.window_groups)]:
            yield from self._window(window)

    def _window(self, window: list[list[AnalysisInput]]) -> Iterator[list[Result]]:
        """The window's results in order. While no group is missing they stream; after
        a missing one (its actor kept dying) the rest wait for the dataset to end, then
        the missing groups' documents are tried one a block."""
        later: dict[int, list[Result]] = {}
        expected = 0
        for index, results in self._mapped(window):
            if index == expected and not later:
                yield results
                expected += 1
            else:
                later[index] = results
        if expected == len(window):
            return
        missing = [i for i in range(expected, len(window)) if i not in later]
        alone = [[item] for i in missing for item in window[i]]
        retried = dict(self._mapped(alone))
        outcomes = iter(
            retried.get(at, [(item[0].doc_id, _DIED)])[0] for at, item in enumerate(alone)
        )
        for i in range(expected, len(window)):
            yield later[i] if i in later else [next(outcomes) for _ in window[i]]

    def _mapped(self, groups: list[list[AnalysisInput]]) -> Iterator[tuple[int, list[Result]]]:
        """(index in ``groups``, results) of each group Ray analysed, in order; a group
        whose block failed is left out."""
        import ray.data

        rows = [{"index": i, "group": pickle.dumps(group)} for i, group in enumerate(groups)]
        dataset = ray.data.from_items(rows, override_num_blocks=len(rows))
        with warnings.catch_warnings():
            # Ray 2.60 names no parameter for an actor's task retries but this one, which
            # it marks deprecated (for Ray 2.64; ember pins 2.60).
            warnings.simplefilter("ignore", DeprecationWarning)
            mapped = dataset.map_batches(
                GroupAnalyser, batch_size=1, batch_format="numpy",
                fn_constructor_kwargs={
                    "task": self._task, "start": self._start, "budget": self.budget,
                },
                compute=ray.data.ActorPoolStrategy(size=min(self.workers, len(rows))),
                num_cpus=1, max_task_retries=TASK_RETRIES,
            )  # fmt: skip
        for row in mapped.iter_rows():
            yield int(row["index"]), pickle.loads(row["results"])

    def close(self, *, abort: bool = False) -> None:
        if self._started:
            self._ray.shutdown()
            self._started = False
            if threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGTERM, self._sigterm)
        self._cleanup()

    def _set_env(self, name: str, value: str) -> None:
        self._environ.setdefault(name, os.environ.get(name))
        os.environ[name] = value

    def _cleanup(self) -> None:
        """Put back the environment this engine changed; remove its session folder."""
        auth = any(name.startswith("RAY_AUTH") for name in self._environ)
        for name, value in self._environ.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._environ.clear()
        if auth:
            _reload_auth()
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None


def _probe(address: str) -> None:
    """A HOST:PORT that nothing answers on is one line at once (Ray itself keeps trying
    to reach it for minutes); ``auto`` and other forms are left to Ray."""
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=_PROBE_S).close()
    except OSError as exc:
        raise ConfigError(f"cannot reach Ray at {address}: {exc.strerror or exc}") from exc


_PROBE_S = 10.0


def _reload_auth() -> None:
    """Ray reads its authentication settings once a process, when first imported: read
    them again from the environment (Ray's own ``_enable_token_auth`` does the same)."""
    from ray._raylet import (  # type: ignore[attr-defined,unused-ignore]
        AuthenticationTokenLoader,
        Config,
    )

    Config.initialize("")
    AuthenticationTokenLoader.instance().reset_cache()


def _quiet(name: str) -> None:
    """Ray Data's console handlers stay silent but for a fatal error; its session log
    keeps the rest (a skipped block is told there, and as a failed document here)."""
    for handler in logging.getLogger(name).handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setLevel(logging.CRITICAL)
