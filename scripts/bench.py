"""Benchmark the rendering on a synthetic portfolio (scripts/gen_portfolio.py).

    python scripts/bench.py [-n 20] [--contracts 100] [-j N] [--quick] [--scale-only]

Prints, per format, the median seconds per document and the share of the time spent inside
WeasyPrint / docxtpl themselves against cpomdocs' own code (loading, validation, composition,
HTML writing), and the peak memory of the process. Target: cpomdocs' own share under 10 %.

Times are CPU seconds of this process (time.process_time): on a machine shared with other jobs,
wall-clock times swell with the load while CPU times stay comparable. The wall-clock median is
printed too.

Then the cost of the PDF tags (accessibility): one example contract's PDFs rendered with and
without them, interleaved (bench_tags.py).

Then, at portfolio scale (bench_scale.py): a full build of --contracts synthetic contracts, a
no-op rebuild, a rebuild after one field of one contract changed, after a template changed, the
speed-up of -j 2 over -j 1, and the peak memory at a quarter of the portfolio and at all of it.
--quick: 3 contracts for the render figures, 8 at scale.
"""

from __future__ import annotations

import argparse
import functools
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from bench_tags import measure_tags, report_tags  # noqa: E402
from gen_portfolio import generate  # noqa: E402

from cpomdocs.data.model import Contract  # noqa: E402
from cpomdocs.data.validate import check_folder  # noqa: E402
from cpomdocs.documents.compose import compose_annexes, compose_contract  # noqa: E402
from cpomdocs.render.pdf import render_html  # noqa: E402
from cpomdocs.render.writers import writers  # noqa: E402

CREATED = "2025-01-01T00:00:00Z"


class LibraryClock:
    """Seconds spent inside the methods of a third-party class (docxtpl's DocxTemplate)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.depth = 0

    def wrap(self, owner: Any, name: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.depth += 1
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.depth -= 1
                if self.depth == 0:
                    self.seconds += time.process_time() - started

        setattr(owner, name, timed)


def _docx_clock() -> LibraryClock | None:
    try:
        import docxtpl
    except ImportError:
        return None
    clock = LibraryClock()
    for name in ("__init__", "render", "save", "new_subdoc", "build_xml", "fix_tables"):
        if hasattr(docxtpl.DocxTemplate, name):
            clock.wrap(docxtpl.DocxTemplate, name)
    return clock


def measure(folders: list[Path]) -> dict[str, Any]:
    """Render every document of every folder in every format; return the timings."""
    active = writers()
    docx_clock = _docx_clock() if "docx" in active else None
    own = defaultdict(float)  # format → seconds of cpomdocs' own code
    library = defaultdict(float)  # format → seconds inside WeasyPrint / docxtpl
    per_document: dict[str, list[float]] = defaultdict(list)
    wall: dict[str, list[float]] = defaultdict(list)
    stages = defaultdict(float)
    warm = True
    for folder in folders:
        started = time.process_time()
        checked = check_folder(folder)
        assert checked.ok and isinstance(checked.contract.model, Contract), folder
        validation = time.process_time() - started
        stages["chargement et validation"] += validation
        contract = checked.contract.model
        for compose in (compose_contract, compose_annexes):
            started = time.process_time()
            doc = compose(contract, contract_id=folder.name, created=CREATED)
            composition = time.process_time() - started
            stages["composition"] += composition
            common = composition + validation / 2  # the contract's validation serves 2 documents
            stages["commun"] += common
            for fmt, write in active.items():
                if warm:  # the first document pays imports and font loading: not counted
                    write(doc, None)
                wall_started = time.perf_counter()
                if fmt == "pdf":
                    started = time.process_time()
                    render_html(doc)
                    html = time.process_time() - started
                    started = time.process_time()
                    write(doc, None)
                    total = time.process_time() - started
                    inside = total - html
                else:
                    before = docx_clock.seconds if docx_clock else 0.0
                    started = time.process_time()
                    write(doc, None)
                    total = time.process_time() - started
                    inside = (docx_clock.seconds - before) if docx_clock else 0.0
                wall[fmt].append(time.perf_counter() - wall_started)
                own[fmt] += common + total - inside
                library[fmt] += inside
                per_document[fmt].append(common + total)
            warm = False
    return {
        "formats": list(active),
        "own": own,
        "library": library,
        "per_document": per_document,
        "wall": wall,
        "stages": stages,
        "documents": 2 * len(folders),
    }


def _fr(value: float, digits: int = 3) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def report(results: dict[str, Any], contracts: int) -> str:
    """The figures as a small French table."""
    names = {"pdf": "WeasyPrint", "docx": "docxtpl"}
    lines = [
        f"Portefeuille synthétique : {contracts} contrats, {results['documents']} documents "
        "par format (contrat + annexes)",
        "",
        f"{'format':<7}{'s CPU/doc':>11}{'s réelles/doc':>15}{'bibliothèque':>22}{'cpomdocs':>12}",
    ]
    for fmt in results["formats"]:
        own, lib = results["own"][fmt], results["library"][fmt]
        share = own / (own + lib) if own + lib else 0.0
        median = statistics.median(results["per_document"][fmt])
        wall = statistics.median(results["wall"][fmt])
        label = f"{names.get(fmt, fmt)} {_fr(100 * (1 - share), 1)} %"
        lines.append(
            f"{fmt:<7}{_fr(median):>11}{_fr(wall):>15}{label:>22}{_fr(100 * share, 1) + ' %':>12}"
        )
    lines.append("")
    common = results["stages"].pop("commun")
    writers_own = sum(results["own"].values()) - common * len(results["formats"])
    libraries = sum(results["library"].values())
    whole = common + writers_own + libraries
    lines.append(
        f"Construction complète ({' + '.join(results['formats'])}) : cpomdocs "
        f"{_fr(100 * (common + writers_own) / whole, 1)} %, bibliothèques "
        f"{_fr(100 * libraries / whole, 1)} % "
        f"({_fr(whole / results['documents'])} s CPU par document)"
    )
    per_contract = {k: v / contracts for k, v in results["stages"].items()}
    lines.append(
        "Par contrat (s CPU) : "
        + ", ".join(f"{stage} {_fr(seconds)} s" for stage, seconds in per_contract.items())
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(f"Mémoire maximale du processus : {peak:.0f} Mo")
    lines.append("Cible : la part de cpomdocs sous 10 % du temps de construction.")
    return "\n".join(lines)


def main() -> None:
    """Generate the portfolio, measure, print."""
    from bench_scale import measure_scale

    from cpomdocs.build.workers import default_jobs

    parser = argparse.ArgumentParser(description="Mesure le rendu sur un portefeuille synthétique.")
    parser.add_argument("-n", type=int, default=20, help="contrats pour le rendu (20)")
    parser.add_argument("--contracts", type=int, default=100, help="contrats à l'échelle (100)")
    parser.add_argument("-j", "--jobs", type=int, default=default_jobs(), help="processus")
    parser.add_argument("--sample", type=int, default=10, help="contrats pour -j 1 / -j 2 (10)")
    parser.add_argument("-f", "--format", action="append", help="format (pdf, docx ; les deux)")
    parser.add_argument("--quick", action="store_true", help="petites tailles, pour essayer")
    parser.add_argument("--scale-only", action="store_true", help="seulement les mesures d'échelle")
    args = parser.parse_args()
    if args.quick:
        args.n, args.contracts, args.sample = 3, 8, 4
    if not args.scale_only:
        with tempfile.TemporaryDirectory(prefix="cpom-bench-") as tmp:
            folders = generate(args.n, Path(tmp))
            results = measure(folders)
        print(report(results, args.n), flush=True)
        print(report_tags(measure_tags(rounds=1 if args.quick else 3)), flush=True)
        print()
    formats = args.format or ["pdf", "docx"]
    measure_scale(args.contracts, args.jobs, min(args.sample, args.contracts), formats)


if __name__ == "__main__":
    main()
