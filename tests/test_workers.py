"""Tests of the worker pool and of sharding."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
import weakref
from pathlib import Path

import pytest

from cpomdocs.build.inputs import folder_digest
from cpomdocs.build.task import (
    WARM_MODULE,
    WORKER_MODULES,
    WRITER_MODULES,
    DocumentTask,
    render_document,
)
from cpomdocs.build.workers import (
    FULL_COLLECTIONS_HELD,
    GC_VARIABLE,
    Crashed,
    Overrun,
    collector_held,
    in_shard,
    parse_shard,
    run_all,
)
from cpomdocs.errors import UsageError


def _square(value: int) -> int:
    if value == 3:
        raise ValueError("trois")
    return value * value


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_all_returns_every_result_and_isolates_failures(jobs: int) -> None:
    outcome = {
        item: (result, error)
        for item, result, error in run_all(_square, range(6), jobs, preload=())
    }
    assert {k: v[0] for k, v in outcome.items() if k != 3} == {0: 0, 1: 1, 2: 4, 4: 16, 5: 25}
    assert isinstance(outcome[3][1], ValueError)


def _pid(_: int) -> int:
    return os.getpid()


def test_no_more_workers_than_items() -> None:
    alone = [result for _, result, _ in run_all(_pid, [1], 4, preload=())]
    assert alone == [os.getpid()]  # one item: no pool at all
    pids = {result for _, result, _ in run_all(_pid, range(2), 8, preload=())}
    assert os.getpid() not in pids  # two items: a pool (of two workers, not eight)


def _stuck_or_pid(value: str) -> int:
    if value == "bloqué":
        time.sleep(120)  # as a render stuck in native code, deaf to its alarm
    time.sleep(0.2)
    return os.getpid()


def test_a_task_past_its_hard_limit_fails_and_its_workers_are_replaced() -> None:
    started = time.monotonic()
    items = ["bloqué", "a", "b", "c", "d", "e"]
    outcome = {
        item: (result, error) for item, result, error in run_all(_stuck_or_pid, items, 2, limit=2)
    }
    assert time.monotonic() - started < 30
    result, error = outcome["bloqué"]
    assert result is None and isinstance(error, Overrun)
    assert str(error) == (
        "rendu arrêté au bout de 2 s : son processus ne répondait plus, il a été remplacé ; "
        "aucun fichier écrit pour ce document"
    )
    pids = [outcome[item][0] for item in "abcde"]
    assert all(isinstance(pid, int) for pid in pids)  # every other task ran, once
    live = [pid for pid in set(pids) if os.path.exists(f"/proc/{pid}")]
    assert len(live) <= 2  # the workers of the first pool were killed, not left running


def _crash_or_pid(value: str) -> int:
    if value == "tue":
        os._exit(1)  # as a worker killed for lack of memory, or crashed in native code
    time.sleep(0.2)
    return os.getpid()


def test_a_task_whose_worker_dies_fails_alone_and_the_others_are_built() -> None:
    items = ["a", "tue", "b", "c", "d", "e"]
    outcome = {item: (result, error) for item, result, error in run_all(_crash_or_pid, items, 2)}
    assert sorted(outcome) == sorted(items)
    result, error = outcome["tue"]
    assert result is None and isinstance(error, Crashed)
    assert str(error) == (
        "le processus de rendu s'est arrêté brutalement sur ce document (mémoire épuisée, ou "
        "défaut d'une bibliothèque) ; aucun fichier écrit pour lui, les autres documents sont "
        "construits"
    )
    assert all(isinstance(outcome[item][0], int) for item in "abcde")


def test_shards_partition_the_portfolio() -> None:
    ids = [f"cpom-{n:04d}" for n in range(500)]
    shards = [[i for i in ids if in_shard(i, k, 4)] for k in range(1, 5)]
    assert sorted(sum(shards, [])) == ids
    assert all(80 < len(s) < 170 for s in shards)
    assert in_shard("cpom-0001", 1, 1)


def test_shard_membership_does_not_depend_on_the_rest_of_the_portfolio() -> None:
    assert [in_shard("ehpad-x", k, 8) for k in range(1, 9)].count(True) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3", "--shard '3' : attendu K/N, par exemple 2/8"),
        ("0/4", "--shard '0/4' : K doit être compris entre 1 et N"),
        ("5/4", "--shard '5/4' : K doit être compris entre 1 et N"),
    ],
)
def test_parse_shard_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_shard(text)
    assert str(caught.value) == message
    assert parse_shard("2/8") == (2, 8)


def test_the_warm_up_of_a_docx_build_loads_no_weasyprint() -> None:
    """The forkserver of a DOCX-only build warms the DOCX writer alone: WeasyPrint, Pango's
    fonts and a sample PDF would cost every worker ~35 MB of pages for nothing."""
    preload = [*WORKER_MODULES, WRITER_MODULES["docx"], WARM_MODULE]
    code = (
        "import importlib, sys\n"
        f"for name in {preload!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in ('weasyprint', 'docxtpl') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[0] == "['docxtpl']"


class _Node:
    """An object that can be put in a reference cycle."""


def test_a_render_holds_the_full_collections_then_frees_its_cycles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(GC_VARIABLE, raising=False)
    before = gc.get_threshold()
    with collector_held():
        assert gc.isenabled()  # the young collections go on
        assert gc.get_threshold() == (before[0], before[1], FULL_COLLECTIONS_HELD)
        node = _Node()
        node.cycle = node  # freed only by a collection
        alive = weakref.ref(node)
        del node
    assert gc.get_threshold() == before and gc.isenabled()
    assert alive() is None  # collected once, after the document


def test_the_collector_is_left_alone_when_asked_or_already_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = gc.get_threshold()
    monkeypatch.setenv(GC_VARIABLE, "python")
    with collector_held():
        assert gc.get_threshold() == before
    monkeypatch.delenv(GC_VARIABLE)
    gc.disable()
    try:
        with collector_held():
            assert not gc.isenabled() and gc.get_threshold() == before
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_real_render_makes_one_full_collection(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The annexes of asba: with Python's thresholds, WeasyPrint's layout triggers several full
    collections (5) that free almost nothing; held, only the one after the document remains."""
    monkeypatch.delenv(GC_VARIABLE, raising=False)
    folder = Path(__file__).resolve().parents[1] / "contracts" / "asba-beaujolais-2024"
    task = DocumentTask(
        folder, folder_digest(folder), "annexes", "annexes", tmp_path, None, ("pdf",), None
    )
    full: list[str] = []

    def count(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(phase)

    before = gc.get_threshold()
    gc.collect()
    gc.callbacks.append(count)
    try:
        result = render_document(task)
    finally:
        gc.callbacks.remove(count)
    assert result.failure == "" and result.written[0].read_bytes().startswith(b"%PDF")
    assert len(full) == 1
    assert gc.get_threshold() == before
