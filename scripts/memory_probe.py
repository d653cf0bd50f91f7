"""Where a build's memory goes: RSS, PSS and USS of each render process, per document kind.

Runs `cpomdocs build` in this process while a sampler thread reads /proc/<pid>/smaps_rollup of
the build, its forkserver and its workers every 50 ms. A small module preloaded in the
forkserver (memory_hook.py) wraps each document's render: it resets the worker's high-water
mark before the document (/proc/self/clear_refs) and logs the document's name, its time span
and its own peak RSS, so that each sample is tied to the document being rendered.

    .venv/bin/python scripts/memory_probe.py CONTRACTS -j 2 [-f pdf -f docx]

The figures, all in MB:
- RSS counts every resident page, the pages still shared with the forkserver (the libraries
  and everything warmed up before the fork) included, once per process;
- PSS splits each shared page between the processes that share it;
- USS (Private_Clean + Private_Dirty) is what the worker alone holds: the memory given back
  when it ends, the real cost of one more worker.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing.context
import os
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HOOK = "memory_hook"
LOG_VARIABLE = "CPOMDOCS_MEMORY_LOG"


def rollup(pid: int | str) -> dict[str, float]:
    """RSS, PSS and USS of a process now, in MB (empty when it is gone)."""
    values: dict[str, float] = {}
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return values
    for line in text.splitlines()[1:]:
        key, _, rest = line.partition(":")
        values[key] = int(rest.split()[0]) / 1024
    return {
        "rss": values.get("Rss", 0.0),
        "pss": values.get("Pss", 0.0),
        "uss": values.get("Private_Clean", 0.0) + values.get("Private_Dirty", 0.0),
        "anon": values.get("Anonymous", 0.0),
    }


def children_of(parents: set[int]) -> list[int]:
    """The pids whose parent is in `parents` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) in parents:
            found.append(int(stat.parent.name))
    return found


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time of a process so far, in clock ticks."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


@dataclass(eq=False)
class Sampler(threading.Thread):
    """Samples the memory of a process's descendants until stopped."""

    root: int
    interval: float = 0.05
    samples: dict[int, list[tuple[float, dict[str, float]]]] = field(default_factory=dict)
    ticks: dict[int, int] = field(default_factory=dict)
    parent: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        threading.Thread.__init__(self, daemon=True)
        self.stopping = threading.Event()

    def run(self) -> None:
        """Sample until stop() (the pid list is refreshed every 10 samples)."""
        pids: list[int] = []
        count = 0
        while not self.stopping.is_set():
            if count % 10 == 0:
                pids = self._tree()
            count += 1
            now = time.time()
            for pid in pids:
                sample = rollup(pid)
                if sample:
                    self.samples.setdefault(pid, []).append((now, sample))
                    self.ticks[pid] = max(self.ticks.get(pid, 0), cpu_ticks(pid))
            self.stopping.wait(self.interval)

    def _tree(self) -> list[int]:
        found, frontier = [], {self.root}
        while frontier:
            level = children_of(frontier)
            for pid in level:
                self.parent.setdefault(pid, next(iter(frontier)) if len(frontier) == 1 else -1)
            found += level
            frontier = set(level)
        return found

    def stop(self) -> None:
        """Stop sampling and wait for the thread."""
        self.stopping.set()
        self.join()

    def peak(self, pid: int, key: str, start: float = 0.0, end: float = 1e12) -> float:
        """The largest `key` sampled for `pid` between start and end."""
        values = [s[key] for t, s in self.samples.get(pid, []) if start <= t <= end]
        return max(values, default=0.0)


def kind_of(name: str) -> str:
    """A document's kind from its name: comptes-rendus/2025-06-12-… → comptes-rendus."""
    head = name.split("/")[0]
    return re.sub(r"-(\d+|dialogue.*)$", "", head)


def install_hook() -> None:
    """Make every forkserver of this process preload memory_hook after the build's modules."""
    original = multiprocessing.context.ForkServerContext.set_forkserver_preload

    def with_hook(self: object, names: list[str]) -> None:
        original(self, [*names, HOOK])  # type: ignore[arg-type]

    multiprocessing.context.ForkServerContext.set_forkserver_preload = with_hook  # type: ignore


def report(sampler: Sampler, log: Path) -> None:
    """Print the start and peak of each worker, then each document kind's peaks."""
    documents = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    workers = sorted({d["pid"] for d in documents})
    forkservers = {sampler.parent.get(pid) for pid in workers}
    print("Processus (Mo)           début RSS/PSS/USS      pic RSS/PSS/USS   documents")
    for pid in sorted(forkservers - {None}):
        if not sampler.samples.get(pid):
            continue
        s = sampler.samples[pid][-1][1]
        print(f"  forkserver {pid:<8}    {s['rss']:5.0f} {s['pss']:5.0f} {s['uss']:5.0f}")
    for pid in workers:
        first = min((d for d in documents if d["pid"] == pid), key=lambda d: d["start"])
        b = first["before"]
        count = sum(d["pid"] == pid for d in documents)
        hwm = max(d["hwm"] for d in documents if d["pid"] == pid)
        print(
            f"  worker {pid:<8}        {b['rss']:5.0f} {b['pss']:5.0f} {b['uss']:5.0f}"
            f"       {hwm:5.0f} {sampler.peak(pid, 'pss'):5.0f} {sampler.peak(pid, 'uss'):5.0f}"
            f"   {count}"
        )
    print("Par type de document (pic pendant le document, Mo ; ΔUSS : USS fin − début)")
    print(f"  {'type':<24}{'n':>3}{'RSS':>7}{'PSS':>7}{'USS':>7}{'ΔUSS':>7}{'s':>7}")
    kinds: dict[str, list[dict]] = {}
    for doc in documents:
        kinds.setdefault(kind_of(doc["name"]), []).append(doc)
    for kind, docs in sorted(kinds.items()):
        rss = max(d["hwm"] for d in docs)
        pss = max(sampler.peak(d["pid"], "pss", d["start"], d["end"]) for d in docs)
        uss = max(sampler.peak(d["pid"], "uss", d["start"], d["end"]) for d in docs)
        grown = max(d["after"]["uss"] - d["before"]["uss"] for d in docs)
        seconds = max(d["end"] - d["start"] for d in docs)
        print(f"  {kind:<24}{len(docs):>3}{rss:7.0f}{pss:7.0f}{uss:7.0f}{grown:7.1f}{seconds:7.1f}")
    tick = os.sysconf("SC_CLK_TCK")
    workers_cpu = sum(sampler.ticks.get(pid, 0) for pid in workers) / tick
    print(f"CPU des processus de rendu : {workers_cpu:.1f} s ({len(documents)} documents)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contracts", type=Path)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("-f", "--format", action="append", dest="formats")
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    here = str(Path(__file__).resolve().parent)
    sys.path.insert(0, here)
    # The forkserver of Python 3.11 ignores the sys.path it is sent: memory_hook is found there
    # through PYTHONPATH.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory(prefix="cpom-memory-") as tmp:
        log = Path(tmp) / "documents.jsonl"
        os.environ[LOG_VARIABLE] = str(log)
        install_hook()
        output = args.output or Path(tmp) / "build"
        command = ["build", str(args.contracts), "-o", str(output), "-q", "-j", str(args.jobs)]
        for fmt in args.formats or []:
            command += ["-f", fmt]
        from cpomdocs.cli.main import main as cli

        sampler = Sampler(os.getpid())
        sampler.start()
        try:
            cli.main(command, standalone_mode=False)
        finally:
            sampler.stop()
        report(sampler, log)


if __name__ == "__main__":
    main()
