"""Benchmark of validation, stage by stage: python scripts/bench_validate.py [contracts/ ...]."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from cpomdocs.data import rules
from cpomdocs.data.load import load_document
from cpomdocs.data.model import Contract
from cpomdocs.data.schema import Kind, check_model, check_schema, validator
from cpomdocs.data.validate import kind_of

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 20


def best_ms(action: Callable[[], object]) -> float:
    """The best of five series of REPEAT runs, in milliseconds per run (noise only adds)."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(REPEAT):
            action()
        best = min(best, (time.perf_counter() - start) / REPEAT)
    return best * 1000


def main(paths: list[Path]) -> None:
    """Print the cost of each stage for every data file, then a cold run of the CLI."""
    files = sorted(p for path in paths for p in path.rglob("*") if p.suffix in (".yaml", ".json"))
    start = time.perf_counter()
    for kind in Kind:
        validator(kind)
    print(
        f"schémas compilés (une fois par processus) : {1000 * (time.perf_counter() - start):.0f} ms"
    )
    print(f"{'fichier':60} {'Ko':>5} {'lecture':>8} {'schéma':>8} {'modèle':>8} {'règles':>8}")
    totals = [0.0, 0.0, 0.0, 0.0]
    for path in files:
        kind = kind_of(path) if path.name not in ("cpom.yaml", "cpom.json") else Kind.CONTRACT
        doc = load_document(path)
        model, _ = check_model(doc, kind)
        costs = [
            best_ms(lambda: load_document(path)),  # noqa: B023 (run before the loop moves on)
            best_ms(lambda: check_schema(doc, kind)),  # noqa: B023
            best_ms(lambda: check_model(doc, kind)),  # noqa: B023
            best_ms(lambda: rules.check_contract(doc, model))  # noqa: B023
            if isinstance(model, Contract)
            else 0.0,
        ]
        totals = [t + c for t, c in zip(totals, costs, strict=True)]
        name = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        size = path.stat().st_size / 1024
        print(f"{name[-60:]:60} {size:5.0f} " + " ".join(f"{c:6.1f}ms" for c in costs))
    print(f"{'total':66} " + " ".join(f"{c:6.1f}ms" for c in totals))
    cli = Path(sys.executable).with_name("cpomdocs")
    start = time.perf_counter()
    subprocess.run([str(cli), "validate", *map(str, paths)], capture_output=True, check=False)
    print(f"cpomdocs validate, processus neuf : {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or [ROOT / "contracts"])
