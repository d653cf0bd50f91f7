"""CPU seconds of each document of one contract folder, beside WeasyPrint alone on its HTML.

    python scripts/bench_kinds.py CONTRACT_FOLDER   (prints one JSON line per document)

Run by bench.py once per folder and per version of cpomdocs (PYTHONPATH names which), so that
the version before a change and the one after are measured in the same run, interleaved. Only
APIs that both versions have are used. For each document: cpomdocs' CPU time to compose it and
write its PDF (validation excluded: it is shared by the contract's documents), the part of it
spent drawing charts, WeasyPrint's CPU time alone on the same HTML, and, when this version keeps
charts already drawn (chart_store.py), the time again with its charts in the store. Then the
same for its DOCX: cpomdocs' CPU time to write it and the DOCX engine's alone (bench_docx.py).

Both sides run under the same garbage collector regime, the build's (build/workers.py): the
process's warm objects frozen after the warm-up (as warm.py does for the workers), full
collections held during a run, and one collection at its end, counted. Each run starts from a
collected heap, so that neither side pays for the other's garbage: a document leaves 50 000 to
300 000 objects in cycles, and a full collection landing in one side's run (~0.1 s) weighed
more than cpomdocs' own work. The warm-up draws charts too: matplotlib's first use (imports,
fonts) is paid once per worker before any document, never by a document of a build.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")

import bench_docx  # noqa: E402

from cpomdocs.build.catalog import contract_input, planned_documents  # noqa: E402
from cpomdocs.followup import charts  # noqa: E402
from cpomdocs.render.pdf import render_html, render_pdf  # noqa: E402

CHART_SECONDS = [0.0]
REPEATS = int(os.environ.get("CPOMDOCS_BENCH_REPEATS", "2"))  # set by bench.py --repeats
FULL_COLLECTIONS_HELD = 1000  # the build's third threshold during a render (build/workers.py)


def _clocked(function: Any) -> Any:
    """`function`, its CPU time added to CHART_SECONDS (outermost call only)."""
    depth = [0]

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                CHART_SECONDS[0] += time.process_time() - started

    return timed


def _watch_charts() -> None:
    """Count the time of chart drawing, in either version of charts.py."""
    charts.indicator_chart = _clocked(charts.indicator_chart)
    import cpomdocs.followup.reports as reports

    reports.indicator_chart = charts.indicator_chart
    drawing = getattr(charts, "ChartDrawing", None)
    if drawing is not None:
        drawing.__call__ = _clocked(drawing.__call__)


def kind_of(name: str) -> str:
    """The kind of a document, from its name."""
    if name.startswith("comptes-rendus/"):
        return "compte-rendu"
    if name.startswith("comparaisons/"):
        return "version annotée"
    named = {
        "preparation-dialogue": "dossier préparatoire",
        "avenant": "avenant",
        "contrat-": "contrat consolidé",
        "annexes-": "annexes consolidées",
    }
    for prefix, kind in named.items():
        if name.startswith(prefix):
            return kind
    return name


def _timed(work: Any) -> tuple[float, Any]:
    """CPU seconds of `work()` and its result: from a collected heap, full collections held,
    then its own garbage collected and counted (the same for both sides)."""
    gc.collect()
    saved = gc.get_threshold()
    gc.set_threshold(saved[0], saved[1], FULL_COLLECTIONS_HELD)
    try:
        started = time.process_time()
        result = work()
        gc.collect()
        return time.process_time() - started, result
    finally:
        gc.set_threshold(*saved)


def _forget_texts() -> None:
    """Forget the texts this version keeps between documents (fmt.text_cache): each run pays
    for its document's words as the first document of a worker does."""
    from cpomdocs import fmt

    getattr(fmt, "clear_text_caches", lambda: None)()


def _cpomdocs(planned: Any) -> tuple[float, float, str]:
    """CPU seconds to compose and write the PDF, the charts' part, and the HTML."""
    CHART_SECONDS[0] = 0.0
    _forget_texts()

    def work() -> Any:
        document = planned.compose()
        render_pdf(document)
        return document

    total, document = _timed(work)
    return total, CHART_SECONDS[0], render_html(document)


def _weasyprint_alone(html: str) -> float:
    import engine_alone

    def work() -> None:
        engine_alone.write_pdf(html)

    return _timed(work)[0]


def _stores_svg() -> bool:
    """Whether this version keeps the PDF's charts (SVG) in the chart store: else a PDF never
    reads the store, and its time with the charts stored is its time."""
    from cpomdocs.followup import chart_store

    return "svg" in getattr(chart_store, "STORED_KINDS", ("svg", "png"))


def _warm_up(planned: list[Any]) -> None:
    """First use of each writer (imports, fonts, matplotlib) on this folder's documents, then
    the warm objects frozen: not counted, as in a build's workers."""
    with_charts = [
        p for p in planned if kind_of(p.name) in ("compte-rendu", "dossier préparatoire")
    ]
    for document in [planned[0], *with_charts[:1]]:
        render_pdf(document.compose())
        _weasyprint_alone(render_html(document.compose()))
        bench_docx.warm_up(document.compose())
    gc.collect()
    gc.freeze()


def main() -> None:
    """Measure every document of the folder named on the command line."""
    folder = Path(sys.argv[1])
    _watch_charts()
    source = contract_input(folder, None, None, "bench")
    planned = planned_documents(source)
    wanted = [k for k in os.environ.get("CPOMDOCS_BENCH_KINDS", "").split("\n") if k]
    try:
        from cpomdocs.followup.chart_store import CHART_STORE
    except ImportError:
        CHART_STORE = None
    with tempfile.TemporaryDirectory(prefix="cpom-bench-charts-") as store:
        _warm_up(planned)
        for document in planned:
            if wanted and kind_of(document.name) not in wanted:
                continue  # bench.py --kind: the others not measured (warmed up all the same)
            runs, alone = [], []
            for _ in range(REPEATS):  # alternated, the fastest of each kept: the machine is shared
                if CHART_STORE is not None:
                    CHART_STORE.open(None)  # charts drawn every time, as in a first build
                runs.append(_cpomdocs(document))
                alone.append(_weasyprint_alone(runs[-1][2]))
            total, chart, _ = min(runs)
            row = {
                "document": document.name,
                "kind": kind_of(document.name),
                "cpomdocs": total,
                "charts": chart,
                "weasyprint": min(alone),
                # each run beside the WeasyPrint run just after it: both in the same minute
                "pairs": [[run[0], engine] for run, engine in zip(runs, alone, strict=True)],
            }
            if CHART_STORE is not None and chart and _stores_svg():
                CHART_STORE.open(Path(store))
                _cpomdocs(document)  # draws into the store
                row["cpomdocs_stored_charts"] = min(_cpomdocs(document)[0] for _ in range(REPEATS))
            if CHART_STORE is not None:
                CHART_STORE.open(None)  # the DOCX's pictures drawn, timed apart
            row.update(bench_docx.measure(document.compose(), REPEATS))
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
