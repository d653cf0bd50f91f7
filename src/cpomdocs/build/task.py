"""What a worker does with one document: validate its contract, compose, render, write.

A DocumentTask is small and picklable (a folder, a document name, the options), so that it
crosses to a worker process; the validated contract is memoised per process (build.py), so the
documents of one contract validate it once per worker.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cpomdocs.errors import CpomError

if TYPE_CHECKING:
    from cpomdocs.build.reads import Origin

# What render_document imports, per format: preloaded once for all the worker processes.
WORKER_MODULES = (
    "cpomdocs.build.catalog",
    "cpomdocs.build.provenance",
    "cpomdocs.build.signed",
    "cpomdocs.followup.reports",
    "matplotlib.figure",
)
WRITER_MODULES = {"pdf": "cpomdocs.render.pdf", "docx": "cpomdocs.render.docx"}
DEFAULT_TIMEOUT = 300.0  # seconds per document: the largest example renders in about 10 s
TIMED_OUT = (
    "rendu interrompu au bout de {seconds} s (limite de --timeout) : document trop volumineux "
    "ou trop complexe ; aucun fichier écrit pour lui"
)


class _Expired(BaseException):
    """Raised in a render that ran out of time (a BaseException: no `except Exception` in a
    library swallows it)."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the block with _Expired after `seconds` (main thread only: SIGALRM)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


WARM_MODULE = "cpomdocs.build.warm"  # its import renders a sample: the lazy parts load once


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
    timeout: float | None = DEFAULT_TIMEOUT  # seconds; None: no limit
    reads: tuple[str, ...] = ()  # the files of the folder it is made from (reads.py)
    origin: Origin | None = None  # its date and commit, from those files
    strict: bool = False  # a text that differs from the signed one fails the document
    estimate: float = 0.0  # seconds expected (last build's, else a guess): the queue's order


@dataclass
class DocumentResult:
    """What a worker did with one document: the files written, or why it failed."""

    written: list[Path]
    failure: str = ""
    seconds: float = 0.0  # wall time of the render
    charts: list[str] = field(default_factory=list)  # the stored charts it shows (chart_store)
    warnings: list[str] = field(default_factory=list)  # its text is not the signed one
    unverified: str = ""  # a signed file whose empreinte holds no text to compare with


def render_document(task: DocumentTask) -> DocumentResult:
    """Compose, render and write one document (in a worker process, or in this one), within
    the task's time limit."""
    from cpomdocs.build.workers import collector_held

    try:
        with collector_held(), time_limit(task.timeout):
            return _render(task)
    except _Expired:
        seconds = f"{task.timeout:g}".replace(".", ",")
        return DocumentResult([], TIMED_OUT.format(seconds=seconds))


def _render(task: DocumentTask) -> DocumentResult:
    """render_document without its time limit."""
    from cpomdocs.build.catalog import contract_input, planned_documents
    from cpomdocs.build.provenance import attach_provenance, document_provenance
    from cpomdocs.build.signed import check_signed_text
    from cpomdocs.documents import typography
    from cpomdocs.followup.chart_store import CHART_STORE, IMAGE_FORMATS
    from cpomdocs.render.writers import writers

    started = time.perf_counter()
    CHART_STORE.open(
        task.output, tuple(IMAGE_FORMATS[f] for f in task.formats if f in IMAGE_FORMATS)
    )
    try:
        source = contract_input(task.folder, task.templates, task.as_of, task.contract_digest)
        if source.failure:
            return DocumentResult([], source.failure)
        if task.origin is not None:  # dated and sourced by its own files, not the folder's
            provenance = document_provenance(source.folder, source.id, task.origin, task.reads)
            source = replace(source, created=task.origin.created, provenance=provenance)
        planned = {p.name: p for p in planned_documents(source)}
        if task.name not in planned:
            return DocumentResult([], "document disparu entre la planification et le rendu")
        document = planned[task.name].compose()
        checked = check_signed_text(source, task.name, task.label, document, task.strict)
        if checked.warning and task.strict:
            return DocumentResult([], checked.warning)
        document = attach_provenance(checked.document, source.provenance, task.name)
        document = typography.typeset(document)  # once for both writers
        written = []
        from cpomdocs.write import inside, write_bytes_atomic

        for extension, write in writers(task.formats).items():
            target = inside(task.output, f"{source.id}/{task.name}.{extension}")
            write_bytes_atomic(target, write(document, task.templates))
            written.append(target)
        seconds = time.perf_counter() - started
        warnings, unverified = [checked.warning] if checked.warning else [], checked.unverified
        return DocumentResult(written, "", seconds, sorted(CHART_STORE.used), warnings, unverified)
    except CpomError as exc:
        return DocumentResult([], str(exc))
    except Exception as exc:  # a bug met on one document must not stop the others
        return DocumentResult([], f"erreur interne ({type(exc).__name__} : {exc})")
