"""Benchmark cpomdocs: each document kind beside WeasyPrint alone, rebuild counts, then scale.

    python scripts/bench.py [--before SRC] [--contracts 100] [-j N] [--quick] [--no-scale]

1. For each document kind of the examples (contracts/): cpomdocs' CPU seconds to compose and
   write the PDF, WeasyPrint's CPU seconds alone on the same HTML, their ratio (target ≤ 1,10),
   the share of charts, and the time once the charts are in the chart store (a rebuild).
   --before SRC measures another version of cpomdocs in the same run, interleaved folder by
   folder (SRC is its src/ folder, e.g. a worktree of the merge-base: see the README).
   A second table does the same for the DOCX: cpomdocs' CPU seconds to write it beside the DOCX
   engine alone (docxtpl, python-docx, lxml, zlib) on the same content (bench_docx.py).
2. How many documents each kind of change rebuilds (a real git repository of the examples).
3. The cost of the PDF tags (accessibility): one example contract's PDFs rendered with and
   without them, interleaved (bench_tags.py).
4. At portfolio scale (bench_scale.py, skipped by --no-scale): full build, no-op, -j 2 / -j 1,
   peak memory per process.

Times are CPU seconds (time.process_time of a child process): on a machine shared with other
jobs, wall-clock times swell with the load while CPU times stay comparable.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLES = ROOT / "contracts"
KINDS_ORDER = [
    "contrat",
    "annexes",
    "avenant",
    "contrat consolidé",
    "annexes consolidées",
    "version annotée",
    "compte-rendu",
    "dossier préparatoire",
]


def _fr(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _count(number: int, noun: str) -> str:
    """« 1 essai », « 4 essais »."""
    return f"{number} {noun}{'s' if number > 1 else ''}"


def measure_kinds(
    folder: Path, src: Path, repeats: int = 2, kinds: list[str] | None = None
) -> list[dict]:
    """The per-document figures of one contract folder, by the cpomdocs of `src`."""
    env = {**os.environ, "PYTHONPATH": str(src), "CPOMDOCS_BENCH_REPEATS": str(repeats)}
    if kinds:
        env["CPOMDOCS_BENCH_KINDS"] = "\n".join(kinds)
    own = src.parent / "contracts" / folder.name  # its own examples: another version's model
    done = subprocess.run(  # may refuse today's files (fields added since)
        [sys.executable, str(HERE / "bench_kinds.py"), str(own if own.is_dir() else folder)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench_kinds.py a échoué ({src}) :\n{done.stderr[-2000:]}")
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return [{**row, "contract": folder.name} for row in rows]


def fastest(passes: list[list[dict]]) -> list[dict]:
    """Each document's fastest figures over several passes (each column its own minimum)."""
    merged: dict[str, dict] = {}
    for rows in passes:
        for row in rows:
            key = f"{row.get('contract', '')}/{row['document']}"  # names repeat across contracts
            if key in merged:
                merged[key]["pairs"] = merged[key].get("pairs", []) + row.get("pairs", [])
            kept = merged.setdefault(key, dict(row))
            for key, value in row.items():
                if isinstance(value, float) and key != "charts":
                    kept[key] = min(kept[key], value) if key in kept else value
            if row["cpomdocs"] <= kept["cpomdocs"]:
                kept["charts"] = row["charts"]  # the charts' part of the run kept
    return list(merged.values())


def ratios_by_pass(passes: list[list[dict]]) -> str:
    """Per kind, the ratio to WeasyPrint alone of each pass: the spread of the measure."""
    lines = ["Ratio de chaque passage (cpomdocs / WeasyPrint seul) :"]
    kinds = {row["kind"] for rows in passes for row in rows}
    for kind in sorted(kinds, key=lambda k: (KINDS_ORDER + [k]).index(k)):
        ratios = []
        for rows in passes:
            mine = [r for r in rows if r["kind"] == kind]
            ratios.append(sum(r["cpomdocs"] for r in mine) / sum(r["weasyprint"] for r in mine))
        lines.append(f"{kind:<21}" + "".join(f"{'×' + _fr(r):>8}" for r in ratios))
    return "\n".join(lines)


def paired_ratio(rows: list[dict]) -> float | None:
    """The documents' median ratio of each run to the WeasyPrint run just after it, weighted by
    WeasyPrint's time: a slow minute of the machine weighs on both runs of a pair alike."""
    weighed = [
        (statistics.median(mine / alone for mine, alone in row["pairs"]), row["weasyprint"])
        for row in rows
        if row.get("pairs")
    ]
    if not weighed:
        return None  # rows of a version of bench_kinds.py without pairs
    return sum(ratio * weight for ratio, weight in weighed) / sum(w for _, w in weighed)


def kinds_table(sides: dict[str, list[dict]], repeats: int = 2) -> str:
    """Per kind: seconds per document for each side, WeasyPrint alone, ratio, charts' share."""
    after = sides["après"]
    before = sides.get("avant", [])
    lines = [
        f"{'document':<21}{'n':>3}{'avant':>9}{'après':>9}{'WeasyPrint':>12}{'ratio':>8}"
        f"{'apparié':>9}{'graphiques':>12}{'graph. en cache':>17}",
    ]
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for row in after:
        by_kind[row["kind"]].append(row)
    old: dict[str, list[dict]] = defaultdict(list)
    for row in before:
        old[row["kind"]].append(row)
    for kind in sorted(by_kind, key=lambda k: (KINDS_ORDER + [k]).index(k)):
        rows = by_kind[kind]
        mine = statistics.mean(r["cpomdocs"] for r in rows)
        alone = statistics.mean(r["weasyprint"] for r in rows)
        charts = sum(r["charts"] for r in rows) / max(sum(r["cpomdocs"] for r in rows), 1e-9)
        earlier = statistics.mean(r["cpomdocs"] for r in old[kind]) if old[kind] else None
        stored = [r["cpomdocs_stored_charts"] for r in rows if "cpomdocs_stored_charts" in r]
        cached = (
            f"{_fr(statistics.mean(stored))} (×{_fr(statistics.mean(stored) / alone)})"
            if stored
            else "–"
        )
        pairs = paired_ratio(rows)
        paired = f"×{_fr(pairs)}" if pairs is not None else "–"
        lines.append(
            f"{kind:<21}{len(rows):>3}{_fr(earlier) if earlier else '–':>9}{_fr(mine):>9}"
            f"{_fr(alone):>12}{'×' + _fr(mine / alone):>8}{paired:>9}"
            f"{_fr(100 * charts, 0) + ' %':>12}"
            f"{cached:>17}"
        )
    total_after = sum(r["cpomdocs"] for r in after)
    total_alone = sum(r["weasyprint"] for r in after)
    summary = (
        f"Total : cpomdocs {_fr(total_after)} s CPU pour {len(after)} PDF, WeasyPrint seul "
        f"{_fr(total_alone)} s (×{_fr(total_after / total_alone)}"
        + (f", apparié ×{_fr(paired_total)})" if (paired_total := paired_ratio(after)) else ")")
    )
    if before:
        total_before = sum(r["cpomdocs"] for r in before)
        summary += f" ; avant : {_fr(total_before)} s (×{_fr(total_before / total_alone)})"
    lines += ["", summary]
    lines.append(
        "s CPU par document (composition + PDF, validation exclue), le plus rapide de "
        f"{_count(repeats, 'essai')} alternés ; ratio = cpomdocs / WeasyPrint seul "
        "sur le même HTML "
        "(cible ≤ ×1,10) ; apparié = médiane, document par document, du rapport de chaque "
        "essai à l'essai de WeasyPrint seul qui le suit (les deux dans la même minute de la "
        "machine), pondérée par le temps de WeasyPrint."
    )
    return "\n".join(lines)


def docx_table(sides: dict[str, list[dict]], repeats: int = 2) -> str:
    """Per kind: seconds per DOCX for each side, the DOCX engine alone, ratio, pictures."""
    after = [r for r in sides["après"] if "docx" in r]
    old: dict[str, list[dict]] = defaultdict(list)
    for row in sides.get("avant", []):
        if "docx" in row:
            old[row["kind"]].append(row)
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for row in after:
        by_kind[row["kind"]].append(row)
    lines = [
        f"{'document':<21}{'n':>3}{'avant':>9}{'après':>9}{'moteur seul':>13}{'ratio':>8}"
        f"{'images PNG':>12}",
    ]
    for kind in sorted(by_kind, key=lambda k: (KINDS_ORDER + [k]).index(k)):
        rows = by_kind[kind]
        mine = statistics.mean(r["docx"] for r in rows)
        alone = statistics.mean(r["docx_alone"] for r in rows)
        pictures = statistics.mean(r["docx_pictures"] for r in rows)
        earlier = statistics.mean(r["docx"] for r in old[kind]) if old[kind] else None
        lines.append(
            f"{kind:<21}{len(rows):>3}{_fr(earlier, 3) if earlier else '–':>9}{_fr(mine, 3):>9}"
            f"{_fr(alone, 3):>13}{'×' + _fr(mine / alone):>8}{_fr(pictures, 2):>12}"
        )
    total_after = sum(r["docx"] for r in after)
    total_alone = sum(r["docx_alone"] for r in after)
    summary = (
        f"Total : cpomdocs {_fr(total_after)} s CPU pour {len(after)} DOCX, moteur DOCX seul "
        f"{_fr(total_alone)} s (×{_fr(total_after / max(total_alone, 1e-9))})"
    )
    before = [r for r in sides.get("avant", []) if "docx" in r]
    if before:
        total_before = sum(r["docx"] for r in before)
        summary += f" ; avant : {_fr(total_before)} s (×{_fr(total_before / total_alone)})"
    lines += ["", summary]
    lines.append(
        "s CPU par DOCX (écriture seule : composition comptée plus haut, images PNG dessinées "
        "avant et comptées à part), le plus rapide de "
        f"{_count(repeats, 'essai')} alternés ; moteur seul = "
        "docxtpl "
        "sur le même modèle, les mêmes images et un corps vide, plus lxml et zlib sur le même "
        "corps XML ; ratio = cpomdocs / moteur seul."
    )
    return "\n".join(lines)


def main() -> None:
    """Measure and print, section by section."""
    from bench_scale import measure_rebuild_counts, measure_scale
    from bench_tags import measure_tags, report_tags

    from cpomdocs.build.workers import default_jobs

    parser = argparse.ArgumentParser(description="Mesure cpomdocs (temps CPU).")
    parser.add_argument("--before", type=Path, help="dossier src/ d'une autre version (avant)")
    parser.add_argument("--contracts", type=int, default=100, help="contrats à l'échelle (100)")
    parser.add_argument("-j", "--jobs", type=int, default=default_jobs(), help="processus")
    parser.add_argument("--sample", type=int, default=10, help="contrats pour -j 1 / -j 2 (10)")
    parser.add_argument("-f", "--format", action="append", help="format (pdf, docx ; les deux)")
    parser.add_argument("--quick", action="store_true", help="petites tailles, pour essayer")
    parser.add_argument("--no-scale", action="store_true", help="sans les mesures d'échelle")
    parser.add_argument("--folder", action="append", help="seulement cet exemple (répétable)")
    parser.add_argument(
        "--kinds-only", action="store_true", help="seulement les types de documents"
    )
    parser.add_argument(
        "--kind",
        action="append",
        help="seulement ce type de document (répétable ; « avenant », « compte-rendu »…)",
    )
    parser.add_argument(
        "--passes", type=int, default=1, help="passages entrelacés des types de documents (1)"
    )
    parser.add_argument("--repeats", type=int, default=2, help="essais par document et passage")
    args = parser.parse_args()
    if args.quick:
        args.contracts, args.sample = 8, 4
    sides = {"après": ROOT / "src"}
    if args.before:
        sides = {"avant": args.before.resolve(), **sides}
    folders = sorted(p for p in EXAMPLES.iterdir() if (p / "cpom.yaml").is_file())
    if args.folder:
        wanted = {Path(name).name for name in args.folder}  # a name or a path: same example
        unknown = sorted(wanted - {f.name for f in folders})
        if unknown:
            known = ", ".join(f.name for f in folders)
            parser.error(f"exemple inconnu : {', '.join(unknown)} (exemples : {known})")
        folders = [f for f in folders if f.name in wanted]
    unknown_kinds = sorted(set(args.kind or []) - set(KINDS_ORDER))
    if unknown_kinds:
        known = ", ".join(f"« {kind} »" for kind in KINDS_ORDER)
        parser.error(f"type de document inconnu : {', '.join(unknown_kinds)} (types : {known})")
    passes: dict[str, list[list[dict]]] = {side: [] for side in sides}
    print(f"Documents des exemples ({_count(len(folders), 'contrat')}), par type :", flush=True)
    for _ in range(args.passes):
        for side in sides:
            passes[side].append([])
        for folder in folders:  # interleaved: each folder by each version in turn
            for side, src in sides.items():
                passes[side][-1] += measure_kinds(folder, src, args.repeats, args.kind)
    rows = {side: fastest(runs) for side, runs in passes.items()}
    (Path(tempfile.gettempdir()) / "cpomdocs-bench-kinds.json").write_text(json.dumps(passes))
    print(kinds_table(rows, args.repeats * args.passes), flush=True)
    if args.passes > 1:
        print()
        print(ratios_by_pass(passes["après"]), flush=True)
    print()
    if any("docx" in row for row in rows["après"]):
        print("DOCX des mêmes documents, par type :", flush=True)
        print(docx_table(rows, args.repeats * args.passes), flush=True)
        print()
    if args.kinds_only or args.kind:
        return
    measure_rebuild_counts(EXAMPLES, sides)
    print()
    print(report_tags(measure_tags(rounds=1 if args.quick else 3)), flush=True)
    print()
    if not args.no_scale:
        formats = args.format or ["pdf", "docx"]
        measure_scale(args.contracts, args.jobs, min(args.sample, args.contracts), formats)


if __name__ == "__main__":
    main()
