"""A parallel build's start: the forkserver warms up while the build plans, WeasyPrint imports
without searching for its libraries, the main process composes the documents for the workers,
and the build ends on short documents."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from cpomdocs.build.inputs import folder_digest
from cpomdocs.build.schedule import tail_longest_first
from cpomdocs.build.task import DocumentTask, compose_document, render_document

HERE = Path(__file__).parent
CONTRACT = HERE / "fixtures" / "valid" / "ehpad-minimal"

# Run in a fresh interpreter (no forkserver left by another test): a build that lists this
# process's children when it validates the first contract (its second read of c1/cpom.yaml,
# the first being the fingerprint that tells whether it changed), and when it ends.
BUILD = """
import json, os, sys
from pathlib import Path
from cpomdocs.build.schedule import build_portfolio

def children():
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if entry.name.isdigit() and int(stat[1]) == os.getpid() and stat[0] != "Z":
                found.append((entry / "cmdline").read_bytes().replace(b"\\0", b" ").decode())
        except OSError:
            pass
    return found

seen, reads = {}, []
def watch(event, args):
    if event == "open" and str(args[0]).endswith("c1/cpom.yaml"):
        reads.append(args[0])
        if len(reads) == 2:
            seen["validation"] = children()

sys.addaudithook(watch)
report = build_portfolio([Path(sys.argv[1])], Path(sys.argv[2]), formats=("docx",), jobs=2)
seen["end"] = children()
print(json.dumps({"seen": seen, "documents": report.documents, "failed": report.failed}))
"""


def built(contracts: Path, out: Path) -> dict:
    """What the BUILD script saw, run on `contracts` into `out`."""
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(contracts), str(out)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1735689600"},
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_the_forkserver_warms_up_while_the_build_plans_and_not_on_a_no_op(
    tmp_path: Path,
) -> None:
    for cid in ("c1", "c2"):
        shutil.copytree(CONTRACT, tmp_path / "contracts" / cid)
    first = built(tmp_path / "contracts", tmp_path / "build")
    assert first["failed"] == [] and first["documents"] >= 2
    # When the first contract is validated, its forkserver is already importing.
    assert any("multiprocessing.forkserver" in line for line in first["seen"]["validation"])
    again = built(tmp_path / "contracts", tmp_path / "build")
    assert again == {"seen": {"end": []}, "documents": 0, "failed": []}  # no process started


def test_a_pdf_imports_weasyprint_without_searching_its_libraries() -> None:
    """cffi asked ctypes.util.find_library about 22 names, each search running ldconfig, gcc
    and ld: 54 processes before the first PDF (0.2–0.5 s); the loader finds them by itself."""
    code = (
        "import sys\n"
        "started = []\n"
        "sys.addaudithook(lambda e, a: e == 'subprocess.Popen' and started.append(a[0]))\n"
        "from cpomdocs.render.engine import load_weasyprint\n"
        "weasyprint = load_weasyprint()\n"
        "from weasyprint.text import ffi\n"
        "pdf = weasyprint.HTML(string='<p>Établissement</p>').write_pdf()\n"
        "print(len(started), ffi.harfbuzz_subset is not None, pdf[:5])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[0] == "0 True b'%PDF-'"
    assert done.stderr == ""


def task(name: str, seconds: float) -> DocumentTask:
    return DocumentTask(
        Path(name), "", name, name, Path("out"), None, ("pdf",), None, estimate=seconds
    )


def test_a_parallel_build_ends_on_its_shortest_documents() -> None:
    costs = {"a1": 3.0, "a2": 2.0, "a3": 1.0, "b1": 3.5, "b2": 0.8, "c1": 2.5, "c2": 1.2}
    planned: list[str] = []

    def planning():
        for name, seconds in costs.items():
            planned.append(name)
            yield task(name, seconds)

    order = []
    for item in tail_longest_first(planning(), 4):
        order.append(item.name)
        assert len(planned) - len(order) <= 4  # planned at most 4 tasks ahead
    # The first ones in their order, the last 4 longest first.
    assert order == ["a1", "a2", "a3", "b1", "c1", "c2", "b2"]


def test_a_parallel_build_hands_its_first_documents_over_as_soon_as_they_are_planned() -> None:
    """The workers do not wait for the tail's window to fill: the first `start` tasks go out
    each as soon as it is planned; the last ones are still ordered longest first."""
    costs = {"a1": 3.0, "a2": 2.0, "a3": 1.0, "b1": 3.5, "b2": 0.8, "c1": 2.5, "c2": 1.2}
    planned: list[str] = []

    def planning():
        for name, seconds in costs.items():
            planned.append(name)
            yield task(name, seconds)

    order, planned_then = [], []
    for item in tail_longest_first(planning(), 4, start=2):
        order.append(item.name)
        planned_then.append(len(planned))
    assert planned_then[:2] == [1, 2]  # without `start`: 5 planned before the first went out
    assert order == ["a1", "a2", "a3", "b1", "c1", "c2", "b2"]


RENDER = """
import pickle, sys
from cpomdocs.build.task import render_document
result = render_document(pickle.loads(open(sys.argv[1], "rb").read()))
print(result.failure or [p.name for p in result.written])
"""


def test_a_worker_renders_a_composed_document_without_its_contract(tmp_path: Path) -> None:
    """The main process composed it: the worker (here a fresh process, as a forked one) neither
    validates nor reads the contract, and writes the same bytes as a document made in one go."""
    folder = tmp_path / "contracts" / "c1"
    shutil.copytree(CONTRACT, folder)
    plain = DocumentTask(
        folder, folder_digest(folder), "contrat", "contrat", tmp_path / "un", None, ("docx",), None
    )
    whole = render_document(plain)
    assert whole.failure == ""
    task = DocumentTask(
        folder,
        plain.contract_digest,
        "contrat",
        "contrat",
        tmp_path / "deux",
        None,
        ("docx",),
        None,
    )
    composed = compose_document(task)
    assert composed.failure == "" and composed.contract == "c1"
    pickled = tmp_path / "task.pickle"
    pickled.write_bytes(pickle.dumps(replace(task, composed=composed)))
    folder.rename(tmp_path / "ailleurs")  # the contract is gone: only the task is left
    done = subprocess.run(
        [sys.executable, "-c", RENDER, str(pickled)], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "['contrat.docx']"
    made = tmp_path / "deux" / "c1" / "contrat.docx"
    assert made.read_bytes() == (tmp_path / "un" / "c1" / "contrat.docx").read_bytes()


def test_a_contract_that_cannot_be_composed_fails_alone(tmp_path: Path) -> None:
    folder = tmp_path / "contracts" / "c1"
    shutil.copytree(CONTRACT, folder)
    text = (folder / "cpom.yaml").read_text(encoding="utf-8")
    (folder / "cpom.yaml").write_text(text + "\nintrus: [\n", encoding="utf-8")
    task = DocumentTask(
        folder, folder_digest(folder), "contrat", "contrat", tmp_path, None, ("docx",), None
    )
    composed = compose_document(task)
    assert composed.document is None
    assert composed.failure == "contrat invalide : aucun document produit"  # its errors: planning
    result = render_document(replace(task, composed=composed))
    assert result.written == [] and result.failure == composed.failure


def test_only_a_build_of_many_contracts_hands_its_first_tasks_over_unsorted(
    tmp_path: Path, monkeypatch
) -> None:
    """One changed contract: its documents planned, then longest first (a one-field rebuild
    starts its longest document first); more than TAIL contracts: the first -j go at once."""
    from cpomdocs.build import schedule

    starts: list[int] = []
    orders: list[list[float]] = []
    tail = schedule.tail_longest_first

    def recorded(tasks, ahead, start=0):
        starts.append(start)
        return tail(tasks, ahead, start)

    def no_render(task, items, jobs, preload=(), limit=None):
        orders.append([item.estimate for item in items])  # planned and composed, not rendered
        return iter(())

    monkeypatch.setattr(schedule, "tail_longest_first", recorded)
    monkeypatch.setattr(schedule, "run_all", no_render)
    monkeypatch.setattr(schedule, "start_early", lambda preload: None)
    for count in (1, schedule.TAIL + 1):
        contracts = tmp_path / f"p{count}"
        for index in range(count):
            shutil.copytree(CONTRACT, contracts / f"c{index}")
        schedule.build_portfolio([contracts], tmp_path / f"out{count}", formats=("docx",), jobs=2)
    assert starts == [0, 2]
    assert len(orders[0]) >= 2 and orders[0] == sorted(orders[0], reverse=True)
