"""Processes end with their build: SIGKILL or Ctrl-C of a parallel build leaves no worker behind
and nothing written after it; real processes, real documents."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
CONTRACT = HERE / "fixtures" / "valid" / "ehpad-minimal"
COMMAND = [str(Path(sys.executable).with_name("cpomdocs"))]


def children() -> dict[int, list[int]]:
    """Every live process's children, from /proc."""
    found: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                found.setdefault(int(fields[1]), []).append(int(entry.name))
    return found


def descendants(pid: int) -> set[int]:
    tree, found, todo = children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """The pids still running (a zombie waiting to be reaped is not running)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.add(pid)
    return running


def files(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def start_build(root: Path, jobs: int) -> tuple[subprocess.Popen, Path]:
    """`cpomdocs build` of two contracts, started in its own session."""
    for cid in ("c1", "c2"):
        shutil.copytree(CONTRACT, root / "contracts" / cid)
    out = root / "build"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1735689600", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [*COMMAND, "build", "contracts", "-j", str(jobs), "-f", "pdf", "-o", str(out)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # as a terminal's Ctrl-C finds it: a test run started in the background (`make test &`)
        # passes SIGINT ignored down to its children, and the build rightly keeps it ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    return process, out


def caught_rendering(process: subprocess.Popen, out: Path, workers: int) -> set[int]:
    """Wait until a PDF is written and `workers` descendants run; return the descendants seen."""
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        seen |= descendants(process.pid)
        written = list(out.rglob("*.pdf")) if out.is_dir() else []
        if written and len(alive(seen)) >= workers:
            break
        time.sleep(0.1)
    assert process.poll() is None, "the build ended before it could be interrupted"
    return seen | descendants(process.pid)


@pytest.fixture
def running_build(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, set[int], Path]]:
    """A parallel build caught while its workers render: its process, its descendants
    (forkserver and workers), its output folder."""
    process, out = start_build(tmp_path, jobs=2)
    seen: set[int] = set()
    try:
        seen = caught_rendering(process, out, 3)  # forkserver and two workers
        yield process, seen, out
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        for pid in alive(seen):
            os.kill(pid, signal.SIGKILL)
        process.communicate()


def gone_within(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive(pids)


def test_sigkill_of_a_parallel_build_ends_its_workers_and_their_writes(running_build) -> None:
    process, workers, out = running_build
    assert len(workers) >= 3
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert gone_within(workers, 3) == set()
    before = files(out)
    time.sleep(4)  # the old workers wrote documents seconds after their build was killed
    assert files(out) == before


def test_ctrl_c_stops_a_parallel_build_in_french_with_exit_130(running_build) -> None:
    process, workers, out = running_build
    os.kill(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert stderr.splitlines()[-1] == (
        "interrompu (Ctrl-C) : les fichiers déjà écrits sont complets, les autres n'ont pas été "
        "écrits ; relancez la commande pour terminer"
    )
    assert "Traceback" not in stderr and "Aborted" not in stderr
    assert gone_within(workers, 3) == set()
    assert not [p for p in out.rglob("*.tmp")]


def test_ctrl_c_stops_a_serial_build_too(tmp_path: Path) -> None:
    process, out = start_build(tmp_path, jobs=1)
    try:
        caught_rendering(process, out, 0)
        os.kill(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 130
    assert stderr.splitlines()[-1].startswith("interrompu (Ctrl-C) : ")
    assert "Traceback" not in stderr and not list(out.rglob("*.tmp"))
