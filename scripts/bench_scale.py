"""Benchmark builds at portfolio scale: incremental, parallel, memory (called by bench.py).

Each measure runs `cpomdocs build` as a separate process, as a user would (process start
included), on a synthetic portfolio (gen_portfolio.py), and reads its wall time, the CPU time
of it and its worker processes, and the peak memory of its largest process (getrusage of the
children). On a loaded machine, wall times swell: the CPU times are printed next to them.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from gen_portfolio import generate

CPOMDOCS = str(Path(sys.executable).with_name("cpomdocs"))
CHANGED_TEMPLATE = "annexe-6-calendrier.md.j2"  # used by the annexes volumes only


@dataclass
class Run:
    """One `cpomdocs build`: wall seconds, CPU seconds (all its processes), peak RSS in MB."""

    wall: float
    cpu: float
    peak_mb: float
    summary: str


def run_build(contracts: Path, output: Path, *options: str) -> Run:
    """Run `cpomdocs build` in a fresh process and measure it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [CPOMDOCS, "build", str(contracts), "-o", str(output), "-q", *options],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"cpomdocs build a échoué :\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = (result.stdout + result.stderr).strip().splitlines()[-1]
    return Run(wall, cpu, after.ru_maxrss / 1024, summary)


def _peak_of_fresh_process(contracts: Path, output: Path, *options: str) -> float:
    """The peak RSS (MB) of the largest process of one build, measured in a clean parent."""
    code = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    command = [CPOMDOCS, "build", str(contracts), "-o", str(output), "-q", *options]
    result = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True)
    return float(result.stdout.strip() or "nan")


def _change_one_field(folder: Path) -> None:
    path = folder / "cpom.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["gestionnaire"]["nom"] += " (modifié)"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _fr(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def measure_scale(contracts: int, jobs: int, parallel_sample: int, formats: list[str]) -> str:
    """All the portfolio-scale figures, as French text."""
    fmt = [option for f in formats for option in ("-f", f)]
    lines = [
        f"Échelle : {contracts} contrats, -j {jobs}, formats {', '.join(formats)} ; "
        f"{os.cpu_count()} cœurs, charge moyenne {_fr(os.getloadavg()[0])} au départ",
    ]
    with tempfile.TemporaryDirectory(prefix="cpom-scale-") as tmp:
        root = Path(tmp)
        folders = generate(contracts, root / "contracts")
        out = root / "build"
        env_j = ["-j", str(jobs)]

        def line(label: str, run: Run) -> None:
            lines.append(
                f"  {label:<44}{_fr(run.wall):>8} s réelles{_fr(run.cpu):>8} s CPU   {run.summary}"
            )

        line("construction complète", run_build(root / "contracts", out, *fmt, *env_j))
        noop = run_build(root / "contracts", out, *fmt, *env_j)
        line("reconstruction sans changement", noop)
        _change_one_field(folders[0])
        one = run_build(root / "contracts", out, *fmt, *env_j)
        line("un champ d'un contrat modifié", one)
        alone = run_build(folders[0], root / "seul", *fmt, "-j", "1")
        line("  ce contrat seul (référence)", alone)
        templates = root / "templates"
        templates.mkdir()
        package = Path(__file__).resolve().parents[1] / "src" / "cpomdocs" / "templates"
        text = (package / CHANGED_TEMPLATE).read_text(encoding="utf-8")
        (templates / CHANGED_TEMPLATE).write_text(text + "\n", encoding="utf-8")
        line(
            f"modèle {CHANGED_TEMPLATE} modifié",
            run_build(root / "contracts", out, *fmt, *env_j, "--templates", str(templates)),
        )
        lines.append(
            f"  cibles : sans changement < 1 s ({_fr(noop.wall)} s) ; un contrat ≤ son rendu + "
            f"0,5 s ({_fr(one.wall)} s pour {_fr(alone.wall)} + 0,5 s)"
        )
        sample = root / "echantillon"
        sample.mkdir()
        for folder in folders[:parallel_sample]:
            shutil.copytree(folder, sample / folder.name)
        serial = run_build(sample, root / "j1", *fmt, "-j", "1")
        double = run_build(sample, root / "j2", *fmt, "-j", "2")
        lines.append(
            f"  -j 1 puis -j 2 sur {parallel_sample} contrats : {_fr(serial.wall)} s puis "
            f"{_fr(double.wall)} s réelles, accélération ×{_fr(serial.wall / double.wall)} "
            f"(CPU {_fr(serial.cpu)} s puis {_fr(double.cpu)} s ; cible ×1,7 sur 2 cœurs)"
        )
        small = max(1, contracts // 4)
        peaks = []
        for count in (small, contracts):
            part = root / f"memoire-{count}"
            part.mkdir()
            for folder in folders[:count]:
                shutil.copytree(folder, part / folder.name)
            peaks.append(_peak_of_fresh_process(part, root / f"m{count}", *fmt, "-j", "1"))
        lines.append(
            f"  mémoire maximale (plus gros processus, -j 1) : {_fr(peaks[0], 0)} Mo pour "
            f"{small} contrats, {_fr(peaks[1], 0)} Mo pour {contracts} (cible : stable)"
        )
    lines.append(f"  charge moyenne à la fin : {_fr(os.getloadavg()[0])}")
    return "\n".join(lines)
