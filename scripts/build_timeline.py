"""Where a parallel build's cores wait: each worker's documents in time, the parent's phases.

    python scripts/build_timeline.py CONTRATS -o SORTIE [-j 2] [-f pdf -f docx] [--json F]

Runs build_portfolio in this process (the parent) and records, without changing what it does:
when each task is handed to the pool, when each worker began and ended each document
(DocumentResult.began, .seconds, .worker), the parent's planning, composing, page and cache
time. Prints the idle core-seconds — jobs × wall minus the workers' render time — split into
the head (before a worker's first document), the gaps between documents, and the tail (after a
worker's last document), with the parent's phases. Wall times: run it on a quiet machine, or
compare two versions alternated in the same minute.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from cpomdocs.build import page, schedule
from cpomdocs.build.cache import BuildCache
from cpomdocs.build.plan import Plan


class Timeline:
    """Timestamps (time.time()) of one build's phases and documents."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = defaultdict(float)  # parent seconds per phase
        self.marks: dict[str, float] = {}  # first time of each named moment
        self.submitted: list[float] = []
        self.documents: list[dict[str, Any]] = []
        self.held = False  # --fenetre-pleine: the first tasks wait for the window (session 14)

    def mark(self, name: str) -> None:
        """Remember the first time `name` happened."""
        self.marks.setdefault(name, time.time())

    def timed(self, phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """`function`, its time added to `phase`."""

        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.time()
            try:
                return function(*args, **kwargs)
            finally:
                self.phases[phase] += time.time() - started

        return run


def instrument(line: Timeline) -> None:
    """Wrap the build's steps so that `line` records them (this process only)."""
    plan_tasks = Plan.tasks

    def tasks(self: Plan, folder: Path, digest: str) -> Iterator[Any]:
        started = time.time()
        found = list(plan_tasks(self, folder, digest))
        line.phases["planifier"] += time.time() - started
        return iter(found)

    Plan.tasks = tasks  # type: ignore[method-assign]
    schedule.compose_document = line.timed("composer", schedule.compose_document)
    page.update_page = line.timed("page", page.update_page)
    BuildCache.save = line.timed("cache", BuildCache.save)  # type: ignore[method-assign]
    start_early, tail, run_all = schedule.start_early, schedule.tail_longest_first, schedule.run_all

    def early(*args: Any) -> None:
        line.mark("forkserver demandé")
        start_early(*args)

    def ordered(tasks: Iterator[Any], ahead: int, start: int = 0) -> Iterator[Any]:
        for task in tail(tasks, ahead, 0 if line.held else start):
            line.submitted.append(time.time())
            yield task

    def results(*args: Any) -> Iterator[Any]:
        for task, result, error in run_all(*args):
            if result is not None:
                line.documents.append(
                    {
                        "name": f"{task.folder.name}/{task.name}",
                        "estimate": task.estimate,
                        "worker": result.worker,
                        "began": result.began,
                        "seconds": result.seconds,
                        "cpu": list(result.cpu),
                        "back": time.time(),
                    }
                )
            yield task, result, error

    schedule.start_early, schedule.tail_longest_first, schedule.run_all = early, ordered, results


def summary(line: Timeline, started: float, ended: float, jobs: int, cpu: float) -> str:
    """The idle core-seconds, where they are, and the parent's phases."""
    wall = ended - started
    by_worker: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for document in line.documents:
        by_worker[document["worker"]].append(document)
    busy = sum(d["seconds"] for d in line.documents)
    head = gaps = gaps_cpu = tail = 0.0
    for documents in by_worker.values():
        documents.sort(key=lambda d: d["began"])
        head += documents[0]["began"] - started
        for before, after in zip(documents, documents[1:], strict=False):
            gaps += after["began"] - (before["began"] + before["seconds"])
            gaps_cpu += after["cpu"][0] - before["cpu"][1]  # its collection, the pickles
        tail += ended - (documents[-1]["began"] + documents[-1]["seconds"])
    processes = len(by_worker)
    # a process replaced (TASKS_PER_WORKER) has its own head and tail: count cores, not pids
    unused = jobs * wall - busy
    first = min((d["began"] for d in line.documents), default=ended) - started
    lines = [
        f"{len(line.documents)} documents, -j {jobs} ({processes} processus de rendu) : "
        f"{wall:.2f} s réelles, rendu {busy:.2f} s, cœurs inoccupés {unused:.2f} s "
        f"({100 * unused / (jobs * wall):.1f} %) ; processus principal {cpu:.2f} s CPU",
        f"  premier document commencé à {first:.2f} s, premier envoyé à "
        f"{(line.submitted or [ended])[0] - started:.2f} s"
        + "".join(f", {k} à {v - started:.2f} s" for k, v in line.marks.items()),
        f"  par processus (somme) : avant son premier document {head:.2f} s, entre deux "
        f"{gaps:.2f} s (dont {gaps_cpu:.2f} s CPU du processus de rendu : collection, "
        f"pickles), après son dernier {tail:.2f} s",
        "  processus principal : "
        + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in line.phases.items()),
    ]
    last = sorted(line.documents, key=lambda d: d["began"] + d["seconds"])[-2 * jobs :]
    lines.append("  derniers documents (fin, durée, estimation) :")
    lines += [
        f"    {d['began'] + d['seconds'] - started:8.2f} s {d['seconds']:6.2f} s "
        f"{d['estimate']:6.2f} s  {d['name']} ({d['worker']})"
        for d in last
    ]
    return "\n".join(lines)


def main() -> None:
    """Build, then print the timeline's summary (and write it whole as JSON if asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contracts", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("-f", "--format", action="append", dest="formats")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--fenetre-pleine", action="store_true", help="A/B: session 14's start")
    args = parser.parse_args()
    line = Timeline()
    line.held = args.fenetre_pleine
    instrument(line)
    formats = tuple(args.formats or ("pdf", "docx"))
    started, cpu = time.time(), time.process_time()
    schedule.build_portfolio([args.contracts], args.output, formats=formats, jobs=args.jobs)
    ended = time.time()
    print(summary(line, started, ended, args.jobs, time.process_time() - cpu))
    if args.json:
        data = {"started": started, "ended": ended, "submitted": line.submitted}
        data |= {"documents": line.documents, "phases": line.phases, "marks": line.marks}
        args.json.write_text(json.dumps(data, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
