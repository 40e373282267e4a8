"""A per-document analysis budget: how long one document's analysis may run and how much
memory the process analysing it may hold (``EMBER_DOC_TIME_S``, ``EMBER_DOC_MEMORY_MB``).
A document over budget is abandoned, marked failed with the reason ("over the 120 s
budget"), skipped by later runs (``ember analyze --retry-failed`` tries it again), and the
batch goes on with the next document.

How the budget is enforced, from the cheapest to the last resort:

1. **The cost is bounded by construction.** ``pipeline`` cuts a long document into pieces
   of at most ``PIECE_CHARS`` characters (at paragraph breaks, then sentence ends, then
   spaces, then anywhere) and caps the length of a sentence the parser sees, so one
   piece's parse and extraction take bounded time and memory, and the pieces of a
   document are parsed one at a time and dropped once their records are taken.
2. **Checked between steps.** The pipeline calls :meth:`Allowance.check` before each
   piece and after each step of a piece (parse, events, claims, places): over the time
   or over the memory (the process's resident set, read from ``/proc``), it raises
   :class:`BudgetExceeded`, and what was parsed is dropped as the stack unwinds.
3. **Interrupted inside a step.** A step that runs away in Python code (a quadratic
   lookup nobody foresaw) is stopped by a watchdog thread of the analysing process: it
   polls the clock and the resident set and, past the budget, raises
   :class:`BudgetExceeded` in the analysing thread asynchronously
   (``PyThreadState_SetAsyncExc``), which takes effect at the next Python instruction.
   This works in any thread (the web app analyses uploads in a request thread) and in
   the one-worker engine, with no second process.
4. **Killed.** Code that never returns to Python cannot be interrupted; if a document is
   still running a grace period after its exception was sent, the watchdog of a pool
   worker (``workers.LocalPool``) ends its process, and the pool marks the document
   failed ("the worker process analysing it died") and goes on with the others.
   In this process (one worker) there is nothing to kill: steps 1 and 2 bound it there.

Documents are not budgeted by the evaluation and benchmark entry points (``budget`` None).
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ..errors import ConfigError
from ..settings import Settings, env_name

__all__ = [
    "Allowance",
    "BudgetExceeded",
    "DocumentBudget",
    "allow_exit_when_stuck",
    "resident_mb",
    "watch",
]

_PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20 if hasattr(os, "sysconf") else 4 / 1024
# How often the watchdog looks, and how long code stuck outside Python may overrun: as
# long as the budget, between 1 and 30 seconds.
_POLL_S = 0.2
_GRACE_S = (1.0, 30.0)


class BudgetExceeded(Exception):
    """A document's analysis went over its budget; ``reason`` says which and by how much."""

    def __init__(self, doc_id: str, reason: str) -> None:
        super().__init__(reason)
        self.doc_id = doc_id
        self.reason = reason


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentBudget:
    """Seconds one document's analysis may take, and the resident memory (MB) of the
    process analysing it; 0 for no limit."""

    time_s: float = 120.0
    memory_mb: int = 2048

    @classmethod
    def of(cls, settings: Settings) -> DocumentBudget:
        for name in ("doc_time_s", "doc_memory_mb"):
            if getattr(settings, name) < 0:
                value = getattr(settings, name)
                raise ConfigError(f"{env_name(name)} must be 0 (no limit) or more, not {value}")
        return cls(time_s=settings.doc_time_s, memory_mb=settings.doc_memory_mb)

    def start(self, doc_id: str) -> Allowance:
        return Allowance(self, doc_id)


class Allowance:
    """One document's budget, running from when the allowance is made."""

    def __init__(self, budget: DocumentBudget, doc_id: str) -> None:
        self.budget = budget
        self.doc_id = doc_id
        self.started = time.monotonic()
        # What the pipeline has done, for the reason ("3 of 40 pieces analysed").
        self.progress = ""

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def overrun(self) -> str | None:
        """Why the document is over budget, or None while it is within."""
        time_s, memory_mb = self.budget.time_s, self.budget.memory_mb
        done = f"; {self.progress}" if self.progress else ""
        if time_s > 0 and (spent := self.elapsed()) > time_s:
            return f"over the {time_s:g} s budget (stopped after {spent:.0f} s{done})"
        if memory_mb > 0 and (held := resident_mb()) > memory_mb:
            return f"over the {memory_mb} MB memory budget ({held:.0f} MB held{done})"
        return None

    def check(self) -> None:
        """Raise :class:`BudgetExceeded` if the document is over budget."""
        reason = self.overrun()
        if reason is not None:
            raise BudgetExceeded(self.doc_id, reason)


def resident_mb() -> float:
    """This process's resident set now (not its peak), in MB; 0 where ``/proc`` is not."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_MB
    except (OSError, ValueError, IndexError):
        return 0.0


class _Interrupted(BaseException):
    """Raised asynchronously in the analysing thread by the watchdog. A BaseException,
    so that no ``except Exception`` on the way (a component's own error handling)
    swallows it; :func:`watch` turns it into :class:`BudgetExceeded`."""


@dataclass(slots=True)
class _Watched:
    allowance: Allowance
    thread_id: int
    reason: str | None = None
    sent_at: float = 0.0


class _Watchdog:
    """One daemon thread per process, watching the document being analysed (one at a
    time per thread; the pipeline analyses one document at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watched: dict[int, _Watched] = {}
        self._thread: threading.Thread | None = None
        # In a pool worker, code stuck past the grace period ends the process.
        self.may_exit = False

    def add(self, watched: _Watched) -> None:
        with self._lock:
            self._watched[watched.thread_id] = watched
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="ember-budget-watchdog", daemon=True
                )
                self._thread.start()

    def remove(self, watched: _Watched) -> None:
        with self._lock:
            self._watched.pop(watched.thread_id, None)
            if watched.reason is not None:
                # An exception sent but not yet raised must not go off after the document.
                _send(watched.thread_id, None)

    def _run(self) -> None:
        while True:
            time.sleep(_POLL_S)
            with self._lock:
                for watched in self._watched.values():
                    self._look(watched)

    def _look(self, watched: _Watched) -> None:
        if watched.reason is None:
            reason = watched.allowance.overrun()
            if reason is not None:
                watched.reason = reason
                watched.sent_at = time.monotonic()
                _send(watched.thread_id, _Interrupted)
        elif self.may_exit and time.monotonic() - watched.sent_at > _grace(watched.allowance):
            os._exit(70)  # stuck outside Python: only ending the process stops it


def _grace(allowance: Allowance) -> float:
    low, high = _GRACE_S
    return min(high, max(low, allowance.budget.time_s))


def _send(thread_id: int, exception: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None
    )


_WATCHDOG = _Watchdog()


def allow_exit_when_stuck() -> None:
    """In a pool worker: a document stuck past its budget and the grace period ends the
    worker process (the pool marks it failed and starts another)."""
    _WATCHDOG.may_exit = True


@contextmanager
def watch(allowance: Allowance) -> Iterator[Allowance]:
    """Analyse one document under ``allowance``: the watchdog interrupts the block when it
    goes over, which then raises :class:`BudgetExceeded` with the reason."""
    watched = _Watched(allowance, threading.get_ident())
    try:
        try:
            _WATCHDOG.add(watched)
            yield allowance
        finally:
            _WATCHDOG.remove(watched)
    except _Interrupted:
        reason = watched.reason or allowance.overrun() or "over its budget"
        raise BudgetExceeded(allowance.doc_id, reason) from None
