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
