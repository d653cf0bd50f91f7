"""WeasyPrint alone on a sample of a portfolio's documents: the machine's speed, this minute.

    python scripts/bench_yardstick.py CONTRATS [--every 10]   (prints one JSON line)

Run by bench_scale.py in the same run as the portfolio builds, as a separate process. The
machine's speed moves by ±35 % between evenings: a build's seconds judged alone say as much about
the machine as about cpomdocs. This gives the yardstick to divide them by: every `every`-th
document of the build (folders sorted, each contract's documents in their planned order), its
HTML made as the build hands it to WeasyPrint (composed, provenance attached, typeset), then
WeasyPrint alone on that HTML — tagged PDF/A-3b, as render_pdf asks — under the workers'
garbage collector regime. Its CPU seconds only (composition and HTML not counted), after one
document rendered to warm up (fonts, imports), as a build's worker is warmed by its forkserver.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import time
from pathlib import Path

os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")

FULL_COLLECTIONS_HELD = 1000  # the build's third threshold during a render (build/jobs.py)


def sample(contracts: Path, every: int) -> list[tuple[Path, str, str]]:
    """(folder, document name, label) of every `every`-th document of the portfolio's build."""
    from cpomdocs.build.catalog import contract_input, planned_documents
    from cpomdocs.data.folders import find_contract_folders

    documents = []
    for folder in find_contract_folders([contracts]):
        source = contract_input(folder, None, None, "yardstick")
        documents += [(folder, p.name, p.label) for p in planned_documents(source)]
    return documents[::every]


def build_html(folder: Path, name: str, label: str) -> str:
    """The HTML the build hands WeasyPrint for one document (task.compose_document's path)."""
    from cpomdocs.build.task import DocumentTask, compose_document
    from cpomdocs.render.pdf import render_html

    task = DocumentTask(folder, "yardstick", name, label, Path("."), None, ("pdf",), None)
    composed = compose_document(task)
    if composed.document is None:
        raise SystemExit(f"{folder.name}/{name} : {composed.failure}")
    return render_html(composed.document)


def weasyprint_seconds(html: str) -> float:
    """CPU seconds of WeasyPrint alone on `html`, full collections held, its garbage counted."""
    import engine_alone

    gc.collect()
    saved = gc.get_threshold()
    gc.set_threshold(saved[0], saved[1], FULL_COLLECTIONS_HELD)
    try:
        started = time.process_time()
        engine_alone.write_pdf(html)
        gc.collect()
        return time.process_time() - started
    finally:
        gc.set_threshold(*saved)


def main() -> None:
    """Print {"documents": n, "seconds": total CPU, "names": [...]} for the sample."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contracts", type=Path)
    parser.add_argument("--every", type=int, default=10)
    args = parser.parse_args()
    htmls = [
        (f"{f.name}/{n}", build_html(f, n, lab)) for f, n, lab in sample(args.contracts, args.every)
    ]
    weasyprint_seconds(htmls[0][1])  # warm-up, not counted
    gc.freeze()
    seconds = [weasyprint_seconds(html) for _, html in htmls]
    print(
        json.dumps(
            {"documents": len(htmls), "seconds": sum(seconds), "names": [n for n, _ in htmls]}
        )
    )


if __name__ == "__main__":
    main()
