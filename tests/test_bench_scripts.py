"""The measuring scripts still import against today's code (a refactor once broke make bench)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
SCRIPTS = sorted(p.stem for p in (ROOT / "scripts").glob("bench*.py"))


def test_every_bench_script_imports() -> None:
    """Importing runs nothing (each has a main guard) but resolves every cpomdocs name."""
    assert {"bench", "bench_docx", "bench_kinds", "bench_jobs"} <= set(SCRIPTS)
    code = (
        f"import sys; sys.argv = ['x']; sys.path.insert(0, 'scripts'); import {', '.join(SCRIPTS)}"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == ""  # nothing measured on import


def test_several_passes_keep_each_documents_fastest_figures() -> None:
    """--passes: each column's minimum over the passes, and one ratio per pass and kind."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench

    first = [
        {
            "document": "avenant-01",
            "kind": "avenant",
            "cpomdocs": 1.2,
            "charts": 0.0,
            "weasyprint": 1.0,
        },
    ]
    second = [
        {
            "document": "avenant-01",
            "kind": "avenant",
            "cpomdocs": 1.05,
            "charts": 0.0,
            "weasyprint": 1.1,
        },
    ]
    [row] = bench.fastest([first, second])
    assert (row["cpomdocs"], row["weasyprint"]) == (1.05, 1.0)
    other = [{**first[0], "contract": "b", "cpomdocs": 0.5}]  # the same name in another contract
    kept = bench.fastest([[{**first[0], "contract": "a"}], other])
    assert sorted(r["cpomdocs"] for r in kept) == [0.5, 1.2]
    assert bench.ratios_by_pass([first, second]).splitlines()[1].split() == [
        "avenant",
        "×1,20",
        "×0,95",
    ]


def test_paired_ratio_follows_each_run_and_its_weasyprint_run() -> None:
    """Passes merged keep every pair; the ratio is the pairs' median, not min over min."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench

    def row(pairs: list[list[float]]) -> dict:
        return {
            "document": "avenant-01",
            "kind": "avenant",
            "cpomdocs": min(p[0] for p in pairs),
            "charts": 0.0,
            "weasyprint": min(p[1] for p in pairs),
            "pairs": pairs,
        }

    # a slow minute (1.5 / 1.4) and a fast one (1.0 / 0.95): min over min says ×1.05, each
    # pair ×1.07 or ×1.05
    slow, fast = row([[1.5, 1.4], [1.52, 1.41]]), row([[1.0, 0.95], [1.02, 0.97]])
    [merged] = bench.fastest([[slow], [fast]])
    assert len(merged["pairs"]) == 4
    assert slow["pairs"] == [[1.5, 1.4], [1.52, 1.41]]  # the pass's own rows left alone
    ratios = sorted(a / b for a, b in merged["pairs"])
    assert bench.paired_ratio([merged]) == (ratios[1] + ratios[2]) / 2
    table = bench.kinds_table({"après": [merged]})
    assert "apparié" in table.splitlines()[0]
    assert f"×{(ratios[1] + ratios[2]) / 2:.2f}".replace(".", ",") in table.splitlines()[1]
    assert bench.paired_ratio([{**merged, "pairs": []}]) is None


def test_bench_instructions_names_each_measured_stretch_in_the_order_of_its_cuts() -> None:
    """Its process under callgrind, run here without: each cut (os.getsid) names the stretch
    that ends there, and callgrind's dumps are read in that order."""
    folder = ROOT / "contracts" / "chrs-estuaire-2026"
    command = [sys.executable, "scripts/bench_instructions.py", "avenant", "--no-pdf"]
    done = subprocess.run(
        [*command, "--inside", str(folder)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = __import__("json").loads(done.stdout.strip().splitlines()[-1])
    assert names == ["warm-up", "avenant-01\tcompose", "avenant-01\thtml"]
