"""What a worker does with one document: validate its contract, compose, render, write.

A DocumentTask is small and picklable (a folder, a document name, the options), so that it
crosses to a worker process; the validated contract is memoised per process (build.py), so the
documents of one contract validate it once per worker.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from cpomdocs.errors import CpomError

# What render_document imports, per format: preloaded once for all the worker processes.
WORKER_MODULES = (
    "cpomdocs.build.catalog",
    "cpomdocs.build.provenance",
    "cpomdocs.followup.reports",
    "matplotlib.figure",
)
WRITER_MODULES = {"pdf": "cpomdocs.render.pdf", "docx": "cpomdocs.render.docx"}


@dataclass(frozen=True)
class DocumentTask:
    """One document to render, in a form a worker process can receive."""

    folder: Path
    contract_digest: str
    name: str
    label: str
    output: Path
    templates: Path | None
    formats: tuple[str, ...]
    as_of: dt.date | None


@dataclass
class DocumentResult:
    """What a worker did with one document: the files written, or why it failed."""

    written: list[Path]
    failure: str = ""
    seconds: float = 0.0  # wall time of the render


def render_document(task: DocumentTask) -> DocumentResult:
    """Compose, render and write one document (in a worker process, or in this one)."""
    from cpomdocs.build.catalog import contract_input, planned_documents
    from cpomdocs.build.provenance import attach_provenance
    from cpomdocs.render.writers import writers

    started = time.perf_counter()
    try:
        source = contract_input(task.folder, task.templates, task.as_of, task.contract_digest)
        if source.failure:
            return DocumentResult([], source.failure)
        planned = {p.name: p for p in planned_documents(source)}
        if task.name not in planned:
            return DocumentResult([], "document disparu entre la planification et le rendu")
        document = attach_provenance(planned[task.name].compose(), source.provenance, task.name)
        written = []
        from cpomdocs.write import write_bytes_atomic

        for extension, write in writers(task.formats).items():
            target = task.output / source.id / f"{task.name}.{extension}"
            write_bytes_atomic(target, write(document, task.templates))
            written.append(target)
        return DocumentResult(written, seconds=time.perf_counter() - started)
    except CpomError as exc:
        return DocumentResult([], str(exc))
    except Exception as exc:  # a bug met on one document must not stop the others
        return DocumentResult([], f"erreur interne ({type(exc).__name__} : {exc})")
