"""Where the analysis of stored documents runs: in this process, in a pool of local
worker processes, or on Ray (``ray_engine``).

Every engine runs the same stage function, :func:`analyse_group`, on the same groups of
documents, and gives the results back in the order the groups were given, so the one
writer (the caller, which alone writes the store) stores the same records in the same
order whichever engine ran them. Groups stream: an engine holds only a bounded number
of them at a time, so memory stays flat however many documents there are.

A document whose analysis raises comes back as the reason (``"ValueError: ..."``), and
the caller marks it failed; so does a document over its budget (``scale.budget``: "over
the 120 s budget ...") and one whose worker process died analysing it (killed, out of
memory, or stuck past its budget): the pool is started again and the others go on."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Literal, Protocol, TypeAlias

from ..errors import ConfigError
from .budget import BudgetExceeded, DocumentBudget, allow_exit_when_stuck

if TYPE_CHECKING:
    from .pipeline import Analysis, AnalysisInput

__all__ = [
    "ENGINES",
    "Engine",
    "EngineName",
    "InProcess",
    "LocalPool",
    "Result",
    "analyse_group",
    "default_workers",
    "open_engine",
]

# A document's id with its analysis, or the reason its analysis failed.
Result: TypeAlias = "tuple[str, Analysis | str]"
EngineName = Literal["local", "ray"]
ENGINES: tuple[EngineName, ...] = ("local", "ray")


def default_workers() -> int:
    """The machine's cores."""
    return max(1, os.cpu_count() or 1)


def analyse_group(
    items: Sequence[AnalysisInput], *, budget: DocumentBudget | None = None
) -> list[Result]:
    """Each document of ``items`` with its analysis, or the reason analysing it failed:
    the group is analysed together (spaCy batches it). A document over ``budget`` gets
    the budget's reason ("over the 120 s budget ...") and the rest of the group goes on;
    if the analysis raises anything else, what is left of the group is analysed one
    document at a time, so the one that raised is found."""
    from .pipeline import analyze_document, analyze_many

    results: list[Result] = []
    rest = list(items)
    while rest:
        done = 0
        try:
            for analysis in analyze_many(rest, budget=budget):
                results.append((rest[done].doc_id, analysis))
                done += 1
            return results
        except BudgetExceeded as exc:  # the document being analysed: rest[done]
            results.append((rest[done].doc_id, exc.reason))
            rest = rest[done + 1 :]
        except Exception:  # one of the group raised: find which, below
            rest = rest[done:]
            break
    for item in rest:
        try:
            outcome: Analysis | str = analyze_document(item, budget=budget)
        except BudgetExceeded as exc:
            outcome = exc.reason
        except Exception as exc:  # a poison document must not stop the others
            outcome = failure_reason(exc)
        results.append((item.doc_id, outcome))
    return results


def failure_reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class Engine(Protocol):
    def results(self, groups: Iterable[Sequence[AnalysisInput]]) -> Iterator[list[Result]]:
        """Each group's results, in the order of ``groups``."""
        ...

    def close(self, *, abort: bool = False) -> None: ...


class InProcess:
    """In this process, one group after another (``--workers 1``), each document within
    ``budget`` (``scale.budget``: checked between pieces and steps, and interrupted by
    a watchdog thread; there is no process to kill)."""

    def __init__(self, *, budget: DocumentBudget | None = None) -> None:
        self.budget = budget

    def results(self, groups: Iterable[Sequence[AnalysisInput]]) -> Iterator[list[Result]]:
        for group in groups:
            yield analyse_group(group, budget=self.budget)

    def close(self, *, abort: bool = False) -> None:
        return None


_DIED = "the worker process analysing it died (killed, out of memory, or stuck past its budget)"


class LocalPool:
    """``workers`` processes (started fresh, ``spawn``), each loading the pipeline once.
    At most two groups a worker are in flight; results come back in order. The pool is
    started only when there are two groups or more to analyse (one group is analysed in
    this process: starting workers would cost more than it saves). Each document is
    analysed within ``budget``; a worker stuck past it ends, and its document is marked
    failed (``scale.budget``)."""

    def __init__(
        self,
        workers: int,
        *,
        task: Callable[[Sequence[AnalysisInput]], list[Result]] | None = None,
        start: Callable[[], None] | None = None,
        budget: DocumentBudget | None = None,
    ) -> None:
        self.workers = workers
        # What a worker runs on a group, and once when it starts (tests pass others).
        self._task = task if task is not None else partial(analyse_group, budget=budget)
        self._start = start if start is not None else _start_worker
        self._pool: ProcessPoolExecutor | None = None

    def results(self, groups: Iterable[Sequence[AnalysisInput]]) -> Iterator[list[Result]]:
        it = iter(groups)
        first = next(it, None)
        if first is None:
            return
        second = next(it, None)
        if second is None and self._pool is None:
            yield self._task(first)
            return
        pending: deque[tuple[Sequence[AnalysisInput], Future[list[Result]]]] = deque()
        for group in _chain(first, second, it):
            pending.append((group, self._submit(group)))
            if len(pending) >= 2 * self.workers:
                yield self._collect(*pending.popleft())
        while pending:
            yield self._collect(*pending.popleft())

    def close(self, *, abort: bool = False) -> None:
        """Stop the workers; with ``abort`` at once (what they were doing is lost, and
        nothing of it was written)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if abort:
            workers = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in workers:
                process.terminate()
        pool.shutdown(wait=True)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=self._start,
            )
        return self._pool

    def _submit(self, group: Sequence[AnalysisInput]) -> Future[list[Result]]:
        return self._executor().submit(self._task, list(group))

    def _collect(
        self, group: Sequence[AnalysisInput], future: Future[list[Result]]
    ) -> list[Result]:
        try:
            return future.result()
        except BrokenProcessPool:
            self._restart()
        except Exception:  # the results could not come back: try each document alone
            pass
        return [self._alone(item) for item in group]

    def _alone(self, item: AnalysisInput) -> Result:
        """One document analysed on its own in a worker; if its worker dies, it is the
        one that killed it."""
        try:
            return self._submit([item]).result()[0]
        except BrokenProcessPool:
            self._restart()
            return item.doc_id, _DIED
        except Exception as exc:
            return item.doc_id, failure_reason(exc)

    def _restart(self) -> None:
        self.close(abort=True)


def _chain(
    first: Sequence[AnalysisInput],
    second: Sequence[AnalysisInput] | None,
    rest: Iterator[Sequence[AnalysisInput]],
) -> Iterator[Sequence[AnalysisInput]]:
    yield first
    if second is not None:
        yield second
        yield from rest


def _start_worker() -> None:
    """Each worker loads the pipeline once. Ctrl-C reaches the whole process group: the
    parent handles it (and stops the workers), so a worker ignores it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from ..nlp.pipeline import load_pipeline

    allow_exit_when_stuck()
    load_pipeline()


@contextmanager
def open_engine(
    engine: EngineName = "local",
    *,
    workers: int | None = 1,
    address: str | None = None,
    budget: DocumentBudget | None = None,
) -> Iterator[Engine]:
    """The engine, stopped on the way out (at once on Ctrl-C or an error). ``workers``
    None: the machine's cores (local), every CPU of the cluster (Ray). Each document is
    analysed within ``budget`` (default: ``DocumentBudget()``, the settings' defaults)."""
    budget = budget if budget is not None else DocumentBudget()
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers must be 1 or more, not {workers}")
    if engine == "ray":
        from .ray_engine import RayEngine

        running: Engine = RayEngine(workers=workers, address=address, budget=budget)
    elif engine != "local":
        raise ConfigError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    elif address is not None:
        raise ConfigError("--address is for --engine ray")
    else:
        count = default_workers() if workers is None else workers
        running = InProcess(budget=budget) if count == 1 else LocalPool(count, budget=budget)
    try:
        yield running
    except BaseException:
        running.close(abort=True)
        raise
    running.close()
