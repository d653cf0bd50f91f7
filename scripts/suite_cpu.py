"""Where the test suite spends its CPU: a pytest plugin, and the summary of what it wrote.

    PYTHONPATH=scripts .venv/bin/python -m pytest -n 2 --dist loadfile -p no:randomly \\
        -p suite_cpu [tests/…]                  # writes $SUITE_CPU_OUT/<worker>.jsonl
    python scripts/suite_cpu.py [DIR] [--top 40]   # the summary (DIR: /tmp/suite-cpu)

Per test (setup, call and teardown: a module fixture weighs on the first test that uses it):
- `cg`: the CPU of every process the pytest worker started, reaped or not. Linux cgroup v1
  `cpuacct` (each worker moves itself into /sys/fs/cgroup/cpuacct/suite-cpu/<worker>: needs
  root); without it, `cg` is missing and only the next figure is given;
- `self` + `children`: getrusage SELF and CHILDREN (session 18's figure). It misses processes
  that die orphaned: a `cpomdocs build -j 2` run as a subprocess leaves its forkserver to init,
  so its workers' CPU is not counted.
CPU seconds, not durations: a duration moves with what the other worker and the other users of
the machine run beside it. SUITE_CPU_RENDERS=1 also logs each in-process render_pdf /
render_docx (sha256 of its bytes, CPU): the same document rendered in several files shows up.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import hashlib
import json
import os
import resource
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any, TextIO

import pytest

OUT = Path(os.environ.get("SUITE_CPU_OUT", "/tmp/suite-cpu"))
CGROUP = Path("/sys/fs/cgroup/cpuacct/suite-cpu")
_state: dict[str, Any] = {"cg": None, "nodeid": None, "worker": "master"}


def _cg() -> float | None:
    group: Path | None = _state["cg"]
    return None if group is None else int((group / "cpuacct.usage").read_text()) / 1e9


def _rusage() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _write(record: dict[str, Any]) -> None:
    out: TextIO = _state["file"]
    out.write(json.dumps(record) + "\n")
    out.flush()


def _logged(module: Any, name: str) -> None:
    original: Callable[..., bytes] = getattr(module, name)

    def render(*args: Any, **kwargs: Any) -> bytes:
        start = time.process_time()
        data = original(*args, **kwargs)
        meta = getattr(args[0] if args else kwargs.get("doc"), "meta", None)
        cpu = time.process_time() - start
        _write({"kind": "render", "fn": name, "nodeid": _state["nodeid"], "cpu": cpu,
                "sha": hashlib.sha256(data).hexdigest()[:16],
                "title": str(getattr(meta, "title", ""))[:60]})  # fmt: skip
        return data

    setattr(module, name, render)


def pytest_configure(config: pytest.Config) -> None:
    """Open this process's log, move it into its own cgroup, wrap the renderers if asked."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "master")
    _state["worker"] = worker
    OUT.mkdir(parents=True, exist_ok=True)
    _state["file"] = (OUT / f"{worker}.jsonl").open("a", encoding="utf-8")
    for old in CGROUP.glob("*-*"):  # the groups of earlier runs, empty now: rmdir is refused
        with contextlib.suppress(OSError):  # for a group that still holds a process
            old.rmdir()
    try:
        group = CGROUP / f"{os.getpid()}-{worker}"
        group.mkdir(parents=True, exist_ok=True)
        (group / "cgroup.procs").write_text(str(os.getpid()))
        _state["cg"] = group
    except OSError:
        pass  # no cgroup v1 cpuacct, or not root: getrusage only
    _state["start"] = (time.time(), _cg(), *_rusage())
    if os.environ.get("SUITE_CPU_RENDERS") == "1":
        from cpomdocs.render import docx, pdf

        _logged(pdf, "render_pdf")
        _logged(docx, "render_docx")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, Any, Any]:
    """Log one test: its CPU (cgroup, getrusage), its wall time and when it ran."""
    _state["nodeid"] = item.nodeid
    cg0, (own0, children0), t0 = _cg(), _rusage(), time.time()
    try:
        return (yield)
    finally:
        cg1, (own1, children1), t1 = _cg(), _rusage(), time.time()
        _write({"kind": "test", "nodeid": item.nodeid, "worker": _state["worker"],
                "cg": None if cg0 is None or cg1 is None else cg1 - cg0, "self": own1 - own0,
                "children": children1 - children0, "t0": t0, "t1": t1})  # fmt: skip
        _state["nodeid"] = None


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Log the whole process (collection included)."""
    t0, cg0, own0, children0 = _state["start"]
    cg1, (own1, children1) = _cg(), _rusage()
    _write({"kind": "session", "worker": _state["worker"], "t0": t0, "t1": time.time(),
            "cg": None if cg0 is None or cg1 is None else cg1 - cg0, "self": own1 - own0,
            "children": children1 - children0})  # fmt: skip


def _cpu(record: dict[str, Any]) -> float:
    return record["cg"] if record["cg"] is not None else record["self"] + record["children"]


def summary(folder: Path, top: int) -> None:
    """Print the totals, per worker, per file, the costliest tests and repeated renders."""
    records: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            records[record["kind"]].append(record)
    tests, sessions = records["test"], records["session"]
    print(f"{len(tests)} tests, {sum(map(_cpu, tests)):.1f} s of test CPU "
          f"(getrusage: {sum(t['self'] + t['children'] for t in tests):.1f} s)")  # fmt: skip
    start = min((s["t0"] for s in sessions), default=0.0)
    for session in sessions:
        mine = [t for t in tests if t["worker"] == session["worker"]]
        end = f", last test ends at +{max(t['t1'] for t in mine) - start:.0f} s" if mine else ""
        print(f"  {session['worker']}: {_cpu(session):.1f} s in all, {sum(map(_cpu, mine)):.1f} s "
              f"in tests, {session['t1'] - session['t0']:.0f} s of wall time{end}")  # fmt: skip
    files: dict[str, float] = collections.Counter()
    for test in tests:
        files[test["nodeid"].split("::")[0]] += _cpu(test)
    print(f"\nfiles by CPU (top {top}):")
    for name, cpu in sorted(files.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {cpu:7.1f} s  {name}")
    print(f"\ntests by CPU (top {top}):")
    for test in sorted(tests, key=_cpu, reverse=True)[:top]:
        print(f"  {_cpu(test):7.1f} s  (self {test['self']:5.1f})  {test['nodeid']}")
    same: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for render in records["render"]:
        same[render["fn"] + render["sha"]].append(render)
    again = [r for group in same.values() for r in group[1:]]
    if records["render"]:
        cpu = sum(r["cpu"] for r in again)
        print(f"\n{len(records['render'])} renders in the test processes, "
              f"{len(again)} of the same bytes again ({cpu:.1f} s)")  # fmt: skip
        for group in sorted(same.values(), key=lambda g: -sum(r["cpu"] for r in g[1:]))[:top]:
            if len(group) > 1:
                where = collections.Counter((r["nodeid"] or "?").split("::")[0] for r in group)
                print(f"  ×{len(group)} {group[0]['fn']} {group[0]['title']!r}: {dict(where)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=OUT)
    parser.add_argument("--top", type=int, default=40)
    arguments = parser.parse_args()
    summary(arguments.folder, arguments.top)
