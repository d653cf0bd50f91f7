"""-j 1 against -j 2 on the 10-contract sample of the bench, in interleaved rounds.

    python scripts/bench_jobs.py [--rounds 3] [--sample 10] [--before AUTRE/src]

Each round builds the sample (PDF and DOCX, fresh output folder) with -j 1 then -j 2, with each
version in turn when --before names the src/ folder of another one (A B A B…), and prints wall
and CPU seconds (all processes, workers included: bench_scale.run_build) with the load average.
Then the speed-up of each version: the best wall time of -j 1 over the best of -j 2 (target
×1,8), and the median of the rounds' own ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from bench_scale import run_build
from gen_portfolio import generate

ROOT = Path(__file__).resolve().parents[1]


def _fr(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def main() -> None:
    """Measure and print round by round, then the speed-ups."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=10, help="contrats (10, comme make bench)")
    parser.add_argument("--before", type=Path, help="dossier src/ d'une autre version (avant)")
    args = parser.parse_args()
    sides = {"après": ROOT / "src"}
    if args.before:
        sides = {"avant": args.before.resolve(), **sides}
    walls: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="cpom-jobs-") as tmp:
        root = Path(tmp)
        generate(args.sample, root / "contracts")
        templates = root / "templates"  # as make bench: an empty override folder
        templates.mkdir()
        options = ["-f", "pdf", "-f", "docx", "--templates", str(templates)]
        for number in range(1, args.rounds + 1):
            for side, src in sides.items():
                for jobs in ("1", "2"):
                    load = os.getloadavg()[0]
                    out = root / f"out-{number}-{side}-{jobs}"
                    run = run_build(root / "contracts", out, *options, "-j", jobs, src=src)
                    walls.setdefault((side, jobs), []).append(run.wall)
                    print(
                        f"tour {number} {side:<6} -j {jobs} : {_fr(run.wall):>7} s réelles "
                        f"{_fr(run.cpu):>7} s CPU  (charge {_fr(load)} → "
                        f"{_fr(os.getloadavg()[0])})",
                        flush=True,
                    )
    for side in sides:
        serial, double = walls[(side, "1")], walls[(side, "2")]
        ratios = [one / two for one, two in zip(serial, double, strict=True)]
        print(
            f"{side} : -j 2 ×{_fr(min(serial) / min(double))} plus rapide que -j 1 (meilleurs "
            f"temps), médiane des tours ×{_fr(statistics.median(ratios))} — cible ×1,8",
            flush=True,
        )


if __name__ == "__main__":
    main()
