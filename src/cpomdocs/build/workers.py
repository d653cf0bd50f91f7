"""Parallel rendering over a warm pool of worker processes, and stable sharding of a portfolio."""

from __future__ import annotations

import contextlib
import importlib
import itertools
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Generic, TypeVar

from cpomdocs.build.jobs import (
    FULL_COLLECTIONS_HELD,
    GC_VARIABLE,
    collector_held,
    default_jobs,
    in_shard,
    parse_shard,
    release_memory,
    start_early,
    worker_context,
)
from cpomdocs.errors import CpomError

__all__ = [
    "FULL_COLLECTIONS_HELD",
    "GC_VARIABLE",
    "collector_held",
    "default_jobs",
    "in_shard",
    "parse_shard",
    "release_memory",
    "run_all",
    "start_early",
]
T = TypeVar("T")
R = TypeVar("R")

# A worker process is replaced after this many documents, which bounds its memory: WeasyPrint's
# native caches (Pango, HarfBuzz, fontconfig) grow by about 0.5 MB per document and are never
# given back, while Python's heap stays flat. A new worker costs ~1 s of imports: 2 % of 50 PDFs.
TASKS_PER_WORKER = 50
CRASHED = (
    "le processus de rendu s'est arrêté brutalement sur ce document (mémoire épuisée, ou défaut "
    "d'une bibliothèque) ; aucun fichier écrit pour lui, les autres documents sont construits"
)
OVERRUN = (
    "rendu arrêté au bout de {seconds} s : son processus ne répondait plus, il a été remplacé ; "
    "aucun fichier écrit pour ce document"
)


def _start_worker(modules: tuple[str, ...]) -> None:
    """Set up a worker: it dies with the process that forked it, leaves Ctrl-C to the build
    (which stops it), and imports its modules where it does not fork from a warm forkserver."""
    from cpomdocs.build import jobs

    jobs.die_with_parent(jobs.FORKSERVER_PID or None)  # None: not forked from it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in modules:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: queued tasks cancelled, running ones killed (nothing written after)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(5)


def _ready() -> None:
    """A task that does nothing: submitted first, it makes the pool start its workers."""


class Crashed(CpomError):
    """Raised for a task whose worker died under it, alone: killed, or crashed in native code."""

    def __init__(self) -> None:
        super().__init__(CRASHED)


class Overrun(CpomError):
    """Raised for a task that went on past its hard limit: its worker was killed and replaced."""

    def __init__(self, seconds: float):
        shown = f"{seconds:g}".replace(".", ",")
        super().__init__(OVERRUN.format(seconds=shown))


def run_all(
    task: Callable[[T], R],
    items: Iterable[T],
    jobs: int,
    preload: tuple[str, ...] = (),
    limit: float | None = None,
) -> Iterator[tuple[T, R | None, BaseException | None]]:
    """Run `task` on each item, yielding (item, result, error) as each one finishes.

    With one job everything runs in this process, in order; with more, in a pool of worker
    processes that stay warm between documents. `preload` names the modules the task needs:
    they are imported once, in the forkserver from which every worker (and every replacement)
    is forked, so that their CPU is paid once and not once per worker. The first `jobs` items
    are asked for before the pool starts: no more workers start than there are items, and a
    single item runs in this process. The other items are asked for while the workers warm up.
    At most 2 × jobs tasks are in flight, so a large portfolio does not queue all its documents
    in memory at once. A task still running `limit` seconds after a worker took it fails with
    Overrun: the workers are killed, new ones started, and the other tasks in flight run again.
    """
    pending_items = iter(items)
    first = list(itertools.islice(pending_items, jobs))  # no more workers than items
    pending_items = itertools.chain(first, pending_items)
    jobs = min(jobs, len(first))
    if jobs <= 1:  # one item: no pool at all, its start-up would cost more than the item
        for item in pending_items:
            try:
                yield item, task(item), None
            except Exception as exc:  # one failing document must not stop the others
                yield item, None, exc
        return
    forked = os.name == "posix"
    context = worker_context(preload)
    warm_each = bool(preload) and not forked  # spawned workers import for themselves

    def new_pool() -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_start_worker,
            initargs=(preload if warm_each else (),),
            max_tasks_per_child=TASKS_PER_WORKER,
        )
        for _ in range(jobs):
            pool.submit(_ready)
        return pool

    flight = _Flight(new_pool, task, pending_items, 2 * jobs, limit)
    try:
        yield from flight.run()
    except BaseException:  # Ctrl-C, or the caller stopped early: no worker goes on writing
        _stop(flight.pool)
        raise
    flight.pool.shutdown(wait=True)


class _Flight(Generic[T, R]):
    """run_all's parallel loop: the tasks in flight on a pool, replaced when a task overruns or
    a worker dies (killed for lack of memory, a crash in a library)."""

    def __init__(
        self,
        new_pool: Callable[[], ProcessPoolExecutor],
        task: Callable[[T], R],
        items: Iterator[T],
        width: int,
        limit: float | None,
    ):
        self.new_pool, self.task, self.items = new_pool, task, items
        self.width, self.limit = width, limit
        self.pool = new_pool()
        self.running: dict[Future[R], T] = {}
        self.started: dict[Future[R], float] = {}
        self.again: list[T] = []  # tasks in flight when the workers were replaced
        self.suspects: list[T] = []  # in flight when a worker died: run again, one at a time
        self.alone: list[T] = []  # the suspect running alone now, if any

    def fill(self) -> None:
        """Submit tasks until `width` are in flight or none is left; a suspect runs alone, so
        that a worker dying under it names it."""
        if self.suspects or self.alone:
            if not self.running:
                self.alone = [self.suspects.pop(0)]
                self.running[self.pool.submit(self.task, self.alone[0])] = self.alone[0]
            return
        while len(self.running) < self.width:
            item = self.again.pop(0) if self.again else next(self.items, _DONE)
            if item is _DONE:
                return
            self.running[self.pool.submit(self.task, item)] = item  # type: ignore[arg-type]

    def overdue(self) -> list[Future[R]]:
        """The futures running for longer than the limit (timed from when first seen running)."""
        if self.limit is None:
            return []
        now = time.monotonic()
        for future in self.running:
            if future.running():
                self.started.setdefault(future, now)
        return [f for f, t in self.started.items() if f in self.running and now - t > self.limit]

    def replace_pool(self) -> None:
        """Kill the workers and start new ones (the tasks in flight were put aside)."""
        self.running.clear()
        self.started.clear()
        _stop(self.pool)
        self.pool = self.new_pool()

    def run(self) -> Iterator[tuple[T, R | None, BaseException | None]]:
        """Yield (item, result, error) as each task finishes."""
        self.fill()
        while self.running:
            poll = None if self.limit is None else min(1.0, self.limit / 4)
            done, _ = wait(self.running, timeout=poll, return_when=FIRST_COMPLETED)
            crashed = []
            for future in done:
                item = self.running.pop(future)
                error = future.exception()
                if isinstance(error, BrokenProcessPool):
                    crashed.append(item)
                else:
                    yield item, (None if error else future.result()), error
            late = self.overdue()
            for future in late:
                yield self.running.pop(future), None, Overrun(self.limit or 0)
            if crashed and crashed == self.alone:
                yield crashed[0], None, Crashed()
            elif crashed:
                self.suspects += [*crashed, *self.running.values()]
            elif late:
                self.again = [*self.running.values(), *self.again]
            if self.alone and not self.running:
                self.alone = []
            if crashed or late:
                self.replace_pool()
            self.fill()


_DONE = object()
