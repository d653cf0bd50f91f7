"""Instructions (callgrind) of one document kind of the examples, beside WeasyPrint alone.

    python scripts/bench_instructions.py KIND [--no-pdf] [--contracts DIR]
    make bench-instructions KIND=avenant

KIND is one of bench_kinds.kind_of's kinds: « contrat », « annexes », « avenant », « version
annotée », « contrat consolidé »… Every document of that kind in the example folders is
measured, one callgrind process per folder, and the script prints, per document and in all:

- compose: `PlannedDocument.compose()`, the text caches cleared first (as bench_kinds does);
- html: `render_html` of the composed document (typography, tables, column widths);
- pdf: `render_pdf` (its own `render_html`, then WeasyPrint with the source files attached,
  the PDF/A catalog finisher, the pinned epoch), and the collection of its garbage;
- weasyprint: WeasyPrint alone on the same HTML (scripts/engine_alone.py: tagged PDF/A-3b, one
  font configuration per process, as render_pdf), and the collection of its garbage;
- ours = compose + pdf − weasyprint, and the ratio (compose + pdf) / weasyprint, the figure of
  issue #17 (target ≤ 1,10) counted in instructions instead of CPU seconds.

--no-pdf measures compose and html only (≈ 1 G instructions: a minute under callgrind instead of
several), for working on our part.

Instructions, not seconds: on a machine shared by several jobs, a count of instructions is the
same from one run to the next (±0,5 %), whatever the load. PYTHONHASHSEED=0 fixes the order of
sets and dicts of strings, and so the work done.

Why a warm-up, and how it is left out: the first document of a process pays for imports, fonts,
the first compiling of each template, markdown-it's and Jinja's rules… a build's worker pays
them once (build/warm.py, and its earlier documents), never per document; bench_kinds keeps the
fastest of its runs, a warm one. So each process first writes the PDF of the folder's first
document and WeasyPrint's alone (--no-pdf: skipped), composes each measured document once,
freezes the warm objects, and only then measures, each document with the text caches cleared
(bench_kinds' `_forget_texts`). The measured stretches are cut by callgrind itself:
`--dump-before=getsid` writes the counts so far and zeroes them each time the process calls
`os.getsid` (a system call nothing else here makes), so the warm-up lands in a dump of its own
that is left out: the subtraction is exact, not a second process's total taken from the first.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MARKER = "getsid"  # the C function whose calls cut the measure (os.getsid)
STAGES_PDF = ("compose", "html", "pdf", "weasyprint")
STAGES_QUICK = ("compose", "html")


NAMES: list[str] = []  # the stretches measured in this process, in the order of the dumps


def _cut(name: str) -> None:
    """End the stretch named `name` (callgrind dumps and zeroes its counts here)."""
    NAMES.append(name)
    os.getsid(0)


def inside(folder: Path, kind: str, with_pdf: bool) -> None:
    """Under callgrind: warm up, then measure each document of `kind`; print the stretches'
    names in the order of the dumps (one JSON line)."""
    import gc

    sys.path.insert(0, str(HERE))
    import bench_kinds

    from cpomdocs.build.catalog import contract_input, planned_documents
    from cpomdocs.render.pdf import render_html, render_pdf

    planned = planned_documents(contract_input(folder, None, None, "bench"))
    measured = [p for p in planned if bench_kinds.kind_of(p.name) == kind]
    if with_pdf:  # WeasyPrint's first use: fonts, CSS, its own imports
        render_pdf(planned[0].compose())
        _weasyprint(render_html(planned[0].compose()))
    for document in measured:  # templates compiled, as in bench_kinds' fastest run of two
        render_html(document.compose())
    gc.collect()
    gc.freeze()  # as bench_kinds and the build's workers
    for document in measured:
        bench_kinds._forget_texts()
        gc.collect()
        _cut("warm-up")  # left out, as each stretch below that has no tab in its name
        composed = document.compose()
        _cut(f"{document.name}\tcompose")
        html = render_html(composed)
        _cut(f"{document.name}\thtml")
        if not with_pdf:
            continue
        gc.collect()
        _cut("setup")
        render_pdf(composed)
        gc.collect()  # bench_kinds' `_timed` counts the collection of the run's garbage
        _cut(f"{document.name}\tpdf")
        _weasyprint(html)
        _cut(f"{document.name}\tweasyprint")
    print(json.dumps(NAMES), flush=True)


def _weasyprint(html: str) -> None:
    """WeasyPrint alone, as bench_kinds' side, then the collection of its garbage."""
    import gc

    import engine_alone

    engine_alone.write_pdf(html)
    gc.collect()


def _totals(prefix: Path) -> list[tuple[Path, int]]:
    """Each dump of one callgrind run and its instruction count, in order."""
    counts = []
    dumps = sorted(
        prefix.parent.glob(prefix.name + ".*"), key=lambda p: int(p.name.rsplit(".", 1)[1])
    )
    for dump in dumps:
        text = dump.read_text(encoding="utf-8", errors="replace")
        found = re.search(r"^(?:totals|summary): (\d+)", text, re.MULTILINE)
        counts.append((dump, int(found.group(1)) if found else 0))
    return counts


def measure(
    folder: Path, kind: str, with_pdf: bool, keep: Path | None = None
) -> dict[str, dict[str, int]]:
    """Run one folder under callgrind: {document: {stage: instructions}}; `keep`, a folder
    where each stretch's callgrind file is copied (for callgrind_annotate)."""
    with tempfile.TemporaryDirectory(prefix="cpom-callgrind-") as work:
        prefix = Path(work) / "cg.out"
        env = {**os.environ, "PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "1767225600"}
        command = [
            "valgrind", "--tool=callgrind", f"--callgrind-out-file={prefix}",
            f"--dump-before={MARKER}", "--dump-line=no", "--compress-strings=no",
            sys.executable, str(Path(__file__).resolve()), kind, "--inside", str(folder),
        ]  # fmt: skip
        if not with_pdf:
            command.append("--no-pdf")
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            sys.exit(f"callgrind a échoué sur {folder.name} :\n{done.stderr[-3000:]}")
        names = json.loads(done.stdout.strip().splitlines()[-1])
        # the dump made by a cut carries the stretch before it; the last one (at exit) is left
        result: dict[str, dict[str, int]] = {}
        for name, (dump, count) in zip(names, _totals(prefix), strict=False):
            if "\t" in name:
                document, stage = name.split("\t")
                result.setdefault(document, {})[stage] = count
                if keep is not None:
                    keep.mkdir(parents=True, exist_ok=True)
                    slug = f"{folder.name}-{document}-{stage}".replace("/", "-")
                    shutil.copyfile(dump, keep / f"{slug}.callgrind")
    return result


def _folders_with(contracts: Path, kind: str) -> list[Path]:
    """The example folders that yield a document of `kind` (the others are not run)."""
    sys.path.insert(0, str(HERE))
    from bench_kinds import kind_of

    from cpomdocs.build.catalog import contract_input, planned_documents

    found = []
    for folder in sorted(p for p in contracts.iterdir() if p.is_dir()):
        planned = planned_documents(contract_input(folder, None, None, "bench"))
        if any(kind_of(p.name) == kind for p in planned):
            found.append(folder)
    return found


def _m(count: float) -> str:
    return f"{count / 1e6:8.1f} M"


def report(rows: dict[str, dict[str, int]], with_pdf: bool) -> None:
    """Print each document's stretches and the totals."""
    stages = STAGES_PDF if with_pdf else STAGES_QUICK
    print("document".ljust(44) + "".join(s.rjust(11) for s in stages))
    total = dict.fromkeys(stages, 0)
    for document, counts in rows.items():
        print(document.ljust(44) + "".join(_m(counts.get(s, 0)).rjust(11) for s in stages))
        for stage in stages:
            total[stage] += counts.get(stage, 0)
    print("total".ljust(44) + "".join(_m(total[s]).rjust(11) for s in stages))
    if with_pdf:
        ours = total["compose"] + total["pdf"] - total["weasyprint"]
        extras = total["pdf"] - total["html"] - total["weasyprint"]
        print(f"ours (compose + pdf − weasyprint): {_m(ours)}, of which PDF extras {_m(extras)}")
        ratio = (ours + total["weasyprint"]) / total["weasyprint"]
        print(f"ratio (compose + pdf) / weasyprint: ×{ratio:.4f}")
    else:
        ours = total["compose"] + total["html"]
        print(f"ours without the PDF's extras (compose + html): {_m(ours)}")


def main() -> None:
    """Measure the kind named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind")
    parser.add_argument("--inside", type=Path, help=argparse.SUPPRESS)  # one folder, measured
    parser.add_argument("--no-pdf", action="store_true", help="compose and html only")
    parser.add_argument("--contracts", type=Path, default=ROOT / "contracts")
    parser.add_argument("--keep", type=Path, help="copy each stretch's callgrind file here")
    args = parser.parse_args()
    if args.inside:  # under callgrind
        inside(args.inside, args.kind, not args.no_pdf)
        return
    rows: dict[str, dict[str, int]] = {}
    for folder in _folders_with(args.contracts, args.kind):
        for document, counts in measure(folder, args.kind, not args.no_pdf, args.keep).items():
            rows[f"{folder.name}/{document}"] = counts
    if not rows:
        sys.exit(f"aucun document de type « {args.kind} » dans {args.contracts}")
    report(rows, not args.no_pdf)


if __name__ == "__main__":
    main()
