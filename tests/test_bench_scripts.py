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
