"""Parallel rendering over a warm pool of worker processes, and stable sharding of a portfolio."""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TypeVar

from cpomdocs.build.orphans import PARENT_VARIABLE
from cpomdocs.errors import UsageError

T = TypeVar("T")
R = TypeVar("R")

# A worker process is replaced after this many documents, which bounds its memory: WeasyPrint's
# native caches (Pango, HarfBuzz, fontconfig) grow by about 0.5 MB per document and are never
# given back, while Python's heap stays flat. A new worker costs ~1 s of imports: 2 % of 50 PDFs.
TASKS_PER_WORKER = 50


def default_jobs() -> int:
    """The number of worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def parse_shard(text: str) -> tuple[int, int]:
    """Parse « K/N » (1 ≤ K ≤ N) into (K, N)."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise UsageError(f"--shard {text!r} : attendu K/N, par exemple 2/8") from None
    if not 1 <= index <= count:
        raise UsageError(f"--shard {text!r} : K doit être compris entre 1 et N")
    return index, count


def in_shard(contract_id: str, index: int, count: int) -> bool:
    """True when a contract belongs to shard `index` of `count`, stably across portfolios."""
    bucket = int(hashlib.sha256(contract_id.encode("utf-8")).hexdigest()[:12], 16) % count
    return bucket == index - 1


def _start_worker(modules: tuple[str, ...]) -> None:
    """Set up a worker: it dies with the process that forked it, leaves Ctrl-C to the build
    (which stops it), and imports its modules where it does not fork from a warm forkserver."""
    from cpomdocs.build import orphans

    orphans.die_with_parent(orphans.FORKSERVER_PID or None)  # None: not forked from it
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


def run_all(
    task: Callable[[T], R], items: Iterable[T], jobs: int, preload: tuple[str, ...] = ()
) -> Iterator[tuple[T, R | None, BaseException | None]]:
    """Run `task` on each item, yielding (item, result, error) as each one finishes.

    With one job everything runs in this process, in order; with more, in a pool of worker
    processes that stay warm between documents. `preload` names the modules the task needs:
    they are imported once, in the forkserver from which every worker (and every replacement)
    is forked, so that their CPU is paid once and not once per worker. The workers start before
    the first item is asked for, so that they warm up while this process plans. At most
    2 × jobs tasks are in flight, so a large portfolio does not queue all its documents in
    memory at once.
    """
    pending_items = iter(items)
    if jobs <= 1:
        for item in pending_items:
            try:
                yield item, task(item), None
            except Exception as exc:  # one failing document must not stop the others
                yield item, None, exc
        return
    forked = os.name == "posix"
    context = multiprocessing.get_context("forkserver" if forked else "spawn")
    if forked:  # the forkserver dies with this process too (build.orphans)
        os.environ[PARENT_VARIABLE] = str(os.getpid())
        context.set_forkserver_preload(["cpomdocs.build.forkserver", *preload])
    warm_each = bool(preload) and not forked  # spawned workers import for themselves
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(preload if warm_each else (),),
        max_tasks_per_child=TASKS_PER_WORKER,
    )
    try:
        yield from _run_in(pool, task, pending_items, jobs)
    except BaseException:  # Ctrl-C, or the caller stopped early: no worker goes on writing
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _run_in(
    pool: ProcessPoolExecutor, task: Callable[[T], R], pending_items: Iterator[T], jobs: int
) -> Iterator[tuple[T, R | None, BaseException | None]]:
    """run_all's parallel loop: at most 2 × jobs tasks in flight, results as they finish."""
    for _ in range(jobs):
        pool.submit(_ready)
    running: dict[Future[R], T] = {}

    def submit_next() -> bool:
        item = next(pending_items, _DONE)
        if item is _DONE:
            return False
        running[pool.submit(task, item)] = item  # type: ignore[arg-type]
        return True

    while len(running) < 2 * jobs and submit_next():
        pass
    while running:
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            item = running.pop(future)
            error = future.exception()
            yield item, (None if error else future.result()), error
            submit_next()


_DONE = object()
