"""How a build uses the machine: how many worker processes, which contracts a shard builds,
how its workers start (from a forkserver started early) and end with it, and the memory regime
of one render (garbage collections held, memory given back).

Worker processes end with their build: Linux kills them when their parent dies.

The forkserver imports build.forkserver (first of its preload list): from then on it dies with
the build process, and every worker it forks dies with the forkserver (build.workers asks the
same for each worker). Without it, a build killed with SIGKILL left its forkserver and workers
alive, writing documents into build/ after the build was gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from multiprocessing.context import BaseContext

from cpomdocs.errors import UsageError

PARENT_VARIABLE = "CPOMDOCS_BUILD_PID"  # the build's pid, read by the forkserver it starts
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
FORKSERVER_PID = 0  # set in the forkserver (build.forkserver), inherited by its workers


def die_with_parent(expected_parent: int | None) -> None:
    """Have this process killed when its parent dies; exit now if it died already."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)  # the parent died before prctl: nobody waits for this process


def build_pid() -> int | None:
    """The pid of the build that started this forkserver (from the environment), if known."""
    value = os.environ.get(PARENT_VARIABLE, "")
    return int(value) if value.isdigit() else None


GC_VARIABLE = "CPOMDOCS_GC"  # « python »: Python's collector settings during a render (A/B)
# During a render, a full collection waits for this many collections of the middle generation
# (Python: 10), some 7 million allocations: never in a document of ours, still some in a runaway.
FULL_COLLECTIONS_HELD = 1000


def default_jobs() -> int:
    """The number of worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def parse_shard(text: str) -> tuple[int, int]:
    """Parse « K/N » (1 ≤ K ≤ N) into (K, N)."""
    parts = text.split("/")
    if len(parts) != 2 or not all(part.isascii() and part.isdigit() for part in parts):
        raise UsageError(f"--shard {text!r} : attendu K/N, par exemple 2/8")  # "" in a CI matrix
    index, count = int(parts[0]), int(parts[1])
    if not 1 <= index <= count:
        raise UsageError(f"--shard {text!r} : K doit être compris entre 1 et N")
    return index, count


def in_shard(contract_id: str, index: int, count: int) -> bool:
    """True when a contract belongs to shard `index` of `count`, stably across portfolios."""
    bucket = int(hashlib.sha256(contract_id.encode("utf-8")).hexdigest()[:12], 16) % count
    return bucket == index - 1


def release_memory() -> None:
    """Give the free memory of the last document back to the system (glibc's malloc_trim, Linux
    only; 0.1 ms)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@contextlib.contextmanager
def collector_held() -> Iterator[None]:
    """Hold Python's full garbage collections off while one document renders, then collect once
    and give the memory back.

    WeasyPrint makes a document of 50 000 to 300 000 objects linked in cycles (boxes, computed
    styles), all alive until its PDF is written: with the default thresholds, the full
    collections traverse them again and again while they grow, to free almost nothing (two a
    document, 10 % of a render's CPU). Once the document is written they are all garbage: one
    collection frees them. The young collections stay, since they free the short-lived cycles
    (with the collector wholly off, a worker's peak grew by 30 MB). CPOMDOCS_GC=python keeps
    Python's settings, to compare; a collector already off stays off."""
    if os.environ.get(GC_VARIABLE) == "python" or not gc.isenabled():
        try:
            yield
        finally:
            release_memory()
        return
    saved = gc.get_threshold()
    gc.set_threshold(saved[0], saved[1], FULL_COLLECTIONS_HELD)
    try:
        yield
    finally:
        gc.set_threshold(*saved)
        _collect()
        release_memory()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection while a document composes; Python's settings back after it.

    Composing makes no garbage in cycles: every object it drops is freed by its reference count
    (measured on every example document: a collection after a composition with the collector off
    finds nothing, and the peak is the same). Its collections only walk the young objects again
    and again: ~70 of them in the two example avenants, ~5 % of their instructions. A collector
    already off, or a pause already open, stays as it is."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _collect() -> None:
    """One full collection with Ctrl-C held until it ends: raised inside a finalizer that the
    collection runs, KeyboardInterrupt would be swallowed (« Exception ignored ») and a serial
    build would go on."""
    masked = hasattr(signal, "pthread_sigmask")
    saved = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if masked else None
    try:
        gc.collect()
    finally:
        if saved is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, saved)


def worker_context(preload: tuple[str, ...]) -> BaseContext:
    """The way workers start: forked from a forkserver that imported `preload` (POSIX), else
    spawned."""
    if os.name != "posix":
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    os.environ[PARENT_VARIABLE] = str(os.getpid())  # it dies with this process (die_with_parent)
    context.set_forkserver_preload(["cpomdocs.build.forkserver", *preload])
    return context


def start_early(preload: tuple[str, ...]) -> None:
    """Start the forkserver now, without waiting for it: its imports and warm-up (1.5–2 s on
    one core) then run while this process plans the build on the other, and run_all forks its
    workers from it. Only for a build that will render in parallel (a forkserver left unused
    costs its warm-up, and dies with this process)."""
    if os.name == "posix":
        from multiprocessing import forkserver

        worker_context(preload)
        forkserver.ensure_running()
