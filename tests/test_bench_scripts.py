"""The measuring scripts still import against today's code (a refactor once broke make bench)."""

from __future__ import annotations

import os
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


FAKE_BUILD = """\
import sys, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context


def render(megabytes):
    held = b"x" * (megabytes << 20)  # written: resident
    time.sleep(1.5)  # long enough for a few polls
    return len(held)


if __name__ == "__main__":
    with ProcessPoolExecutor(1, mp_context=get_context("forkserver")) as pool:
        pool.submit(render, 60).result()
    print("1 document construit")
"""


def test_scale_bench_measures_each_build_and_each_role(tmp_path: Path, monkeypatch) -> None:
    """The memory of a build is its own processes' (not the largest child this process ever
    waited for: the examples' bench_kinds.py run, 278 MB, showed as the portfolio's « largest
    process »; nor the bench process's own, which ru_maxrss keeps across the fork and exec),
    given per role: the build process, its forkserver, its workers."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench_scale

    big = "x = b'x' * (250 << 20)"  # an earlier child of this process, reaped: 250 MB
    subprocess.run([sys.executable, "-c", big], check=True)
    fake = tmp_path / "cpomdocs"
    fake.write_text(f"#!{sys.executable}\n{FAKE_BUILD}", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(bench_scale, "CPOMDOCS", str(fake))
    held = b"x" * (250 << 20)  # nor this process's own 250 MB, which the build is forked from
    run = bench_scale.run_build(tmp_path, tmp_path / "build")
    del held
    assert run.summary == "1 document construit"
    assert run.peak_mb < 200, run.peak_mb
    assert {role: peak.count for role, peak in run.roles.items()} == {
        "build": 1,
        "forkserver": 1,
        "worker": 1,
    }
    assert run.worker_mb >= 60 and run.worker_uss_mb >= 60  # its 60 MB are its own
    assert run.roles["build"].rss < 60 and run.roles["forkserver"].uss < 60
    assert run.peak_mb == run.worker_mb


def test_scale_report_gives_each_roles_memory(monkeypatch, capsys) -> None:
    """The scale report names each role's peak, and judges stability role by role."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench_scale

    def fake_run(contracts: Path, output: Path, *options: str, src: Path | None = None):
        grown = 1.3 if contracts.name == "contracts" else 1.0  # the whole portfolio: +30 %
        roles = {
            "build": bench_scale.Peak(80 * grown, 60, 55, 1),
            "forkserver": bench_scale.Peak(147, 120, 118, 1),
            "worker": bench_scale.Peak(212, 148, 120, 6),
        }
        return bench_scale.Run(2.0, 3.0, 212, "6 documents construits", roles)

    monkeypatch.setattr(bench_scale, "run_build", fake_run)
    bench_scale.measure_scale(4, 2, 2, ["docx"], repeats=1)
    text = capsys.readouterr().out
    assert "processus principal 80 → 104 Mo" in text
    assert "forkserver 147 → 147 Mo, processus de rendu 212 → 212 Mo — NON ATTEINTE" in text
    assert "    processus de rendu    RSS 212 / PSS 148 / USS 120 Mo (6 processus)" in text
    assert "USS : ses pages à lui seul, ce qu'il coûte et rend en finissant) : 120 Mo" in text


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


def test_scale_report_divides_the_full_build_by_weasyprint_alone(monkeypatch, capsys) -> None:
    """Beside the absolute target (kept as it is), the full build's CPU per document in units of
    WeasyPrint alone on a sample of the same portfolio, measured in the same run."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench_scale

    def fake_run(contracts: Path, output: Path, *options: str, src: Path | None = None):
        roles = {role: bench_scale.Peak(100, 80, 70, 1) for role in bench_scale.ROLES}
        return bench_scale.Run(60.0, 100.0, 100, "40 documents construits", roles)

    sampled: list[Path] = []

    def fake_yardstick(contracts: Path, every: int = 10) -> bench_scale.Yardstick:
        sampled.append(contracts)
        return bench_scale.Yardstick(4, 5.0)  # 1,25 s CPU per document

    monkeypatch.setattr(bench_scale, "run_build", fake_run)
    monkeypatch.setattr(bench_scale, "weasyprint_alone", fake_yardstick)
    bench_scale.measure_scale(4, 2, 2, ["pdf", "docx"], repeats=1)
    text = capsys.readouterr().out
    assert [p.name for p in sampled] == ["contracts"]  # the whole portfolio, once
    assert "construction complète ≤ 2 s + 0,9 s × 40 documents = 38,00 s" in text
    assert "WeasyPrint seul, 1 document sur 10 (4)" in text
    # 100 s CPU / 40 documents = 2,5 s = ×2,00 of 1,25 s; the target allows 38 × 2 / 40 / 1,25
    assert "étalonnée : 2,50 s CPU par document = ×2,00 de WeasyPrint seul (1,25 s" in text
    assert "la cible absolue permet ×1,52 ce soir-là" in text


def test_yardstick_renders_a_sample_of_the_build_documents(tmp_path: Path) -> None:
    """bench_yardstick.py: every n-th document of the portfolio, WeasyPrint alone on its HTML."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from gen_portfolio import generate

    generate(2, tmp_path / "contracts")
    command = [sys.executable, "scripts/bench_yardstick.py", str(tmp_path / "contracts")]
    done = subprocess.run(
        [*command, "--every", "4"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    row = __import__("json").loads(done.stdout.strip().splitlines()[-1])
    assert row["names"][0] == "cpom-synthetique-0001/contrat"
    assert row["documents"] == len(row["names"]) >= 2  # 2 contracts: 5 documents or more
    assert row["seconds"] > 0.2 * row["documents"]


def test_build_timeline_places_each_document_of_a_parallel_build(tmp_path: Path) -> None:
    """build_timeline.py: each document with its worker, when it began, its CPU; the idle
    core-seconds split into head, gaps and tail (a real build, DOCX, two workers)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from gen_portfolio import generate

    generate(1, tmp_path / "contracts")
    timeline = tmp_path / "timeline.json"
    command = [sys.executable, "scripts/build_timeline.py", str(tmp_path / "contracts")]
    command += ["-o", str(tmp_path / "out"), "-j", "2", "-f", "docx", "--json", str(timeline)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    data = __import__("json").loads(timeline.read_text(encoding="utf-8"))
    documents = data["documents"]
    assert len(documents) >= 2
    assert done.stdout.startswith(f"{len(documents)} documents, -j 2 (")
    assert "cœurs inoccupés" in done.stdout and "après son dernier" in done.stdout
    for document in documents:
        assert document["worker"] > 0 and document["worker"] != os.getpid()
        assert data["started"] < document["began"] < document["back"] <= data["ended"]
        assert 0 < document["cpu"][0] <= document["cpu"][1]
    assert len(data["submitted"]) == len(documents)
