"""What is done with one document: validate its contract, compose, render, write.

A DocumentTask is picklable (a folder, a document name, the options), so that it crosses to a
worker process. In a parallel build the main process composes each document first, with the
contract it validated to plan it (catalog.contract_input is memoised per process), and the task
carries the composed document (60–160 KB pickled): the workers only render and write, and pay
no validation nor template compilation. With -j 1 everything is done here, in one go.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cpomdocs.errors import CpomError

if TYPE_CHECKING:
    from cpomdocs.build.provenance import Origin
    from cpomdocs.documents.blocks import ComposedDocument

# What render_document imports for a composed document, per format: preloaded once for all the
# worker processes. Not the validation nor the composition (the main process composes): the
# forkserver, which every worker waits for, imports 0.3–0.5 s less.
WORKER_MODULES = ("cpomdocs.build.task", "cpomdocs.build.workers", "matplotlib.figure")
WRITER_MODULES = {"pdf": "cpomdocs.render.pdf", "docx": "cpomdocs.render.docx"}
DEFAULT_TIMEOUT = 300.0  # seconds per document: the largest example renders in about 10 s
TIMED_OUT = (
    "rendu interrompu au bout de {seconds} s (limite de --timeout) : document trop volumineux "
    "ou trop complexe ; aucun fichier écrit pour lui"
)


class Expired(BaseException):
    """Raised in a render that ran out of time (a BaseException: no `except Exception` in a
    library swallows it)."""


AGAIN = 0.01  # seconds: a limit whose exception was swallowed is raised again this soon


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the block with Expired after `seconds` (main thread only: SIGALRM).

    The alarm may land while Python runs a finalizer or a garbage-collector callback (a
    library's __del__, hypothesis's gc timer in the tests): an exception raised there cannot
    propagate, Python prints « Exception ignored » and the render went on without a limit.
    Such a swallowed Expired is kept quiet and raised again a moment later.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise Expired

    def swallowed(unraisable: sys.UnraisableHookArgs) -> None:
        if isinstance(unraisable.exc_value, Expired):
            signal.setitimer(signal.ITIMER_REAL, AGAIN)
        else:
            hook(unraisable)

    previous, hook = signal.signal(signal.SIGALRM, expire), sys.unraisablehook
    sys.unraisablehook = swallowed
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = hook


WARM_MODULE = "cpomdocs.build.warm"  # its import renders a sample: the lazy parts load once


@dataclass(frozen=True)
class Composed:
    """A document ready for its writers, or why it could not be made."""

    contract: str = ""  # its contract's id: the folder of its files in the output
    document: ComposedDocument | None = None  # composed, provenance attached, typeset
    failure: str = ""
    warnings: list[str] = field(default_factory=list)  # text not the signed one, motifs…
    unverified: str = ""  # a signed file whose empreinte holds no text to compare with


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
    reads: tuple[
        str, ...
    ] = ()  # the files of the folder it is made from (provenance.document_reads)
    origin: Origin | None = None  # its date and commit, from those files
    strict: bool = False  # a text that differs from the signed one fails the document
    estimate: float = 0.0  # seconds expected (last build's, else a guess): the queue's order
    composed: Composed | None = None  # made beforehand by the main process of a parallel build


@dataclass
class DocumentResult:
    """What a worker did with one document: the files written, or why it failed."""

    written: list[Path]
    failure: str = ""
    seconds: float = 0.0  # wall time of the render
    charts: list[str] = field(default_factory=list)  # the stored charts it shows (chart_store)
    warnings: list[str] = field(default_factory=list)  # its text is not the signed one
    unverified: str = ""  # a signed file whose empreinte holds no text to compare with
    began: float = 0.0  # time.time() when the worker took it (build_timeline.py)
    worker: int = 0  # the pid of the process that rendered it
    cpu: tuple[float, float] = (0.0, 0.0)  # its process's CPU seconds when taken, when written
    digests: dict[Path, str] = field(default_factory=dict)  # sha256 of each file it wrote


def render_document(task: DocumentTask) -> DocumentResult:
    """Compose (unless done already), render and write one document (in a worker process, or
    in this one), within the task's time limit."""
    from cpomdocs.build.workers import collector_held

    began, cpu = time.time(), time.process_time()
    try:
        with collector_held(), time_limit(task.timeout):
            result = _render(task)
            result.began, result.worker = began, os.getpid()
            result.cpu = (cpu, time.process_time())
            return result
    except Expired:
        return DocumentResult([], _timed_out(task))


def compose_document(task: DocumentTask) -> Composed:
    """Validate, compose and typeset one document within the task's time limit: the main
    process of a parallel build does it while its workers render, and hands them the result."""
    try:
        with time_limit(task.timeout):
            return _compose(task)
    except Expired:
        return Composed(failure=_timed_out(task))


def _timed_out(task: DocumentTask) -> str:
    return TIMED_OUT.format(seconds=f"{task.timeout:g}".replace(".", ","))


def _compose(task: DocumentTask) -> Composed:
    """compose_document without its time limit."""
    from cpomdocs.build.catalog import contract_input, planned_documents
    from cpomdocs.build.planned import avenant_warning
    from cpomdocs.build.provenance import attach_provenance, document_provenance
    from cpomdocs.build.signed import check_signed_text
    from cpomdocs.documents import typography

    try:
        source = contract_input(task.folder, task.templates, task.as_of, task.contract_digest)
        if source.failure:
            return Composed(failure=source.failure)
        if task.origin is not None:  # dated and sourced by its own files, not the folder's
            provenance = document_provenance(source.folder, source.id, task.origin, task.reads)
            source = replace(source, created=task.origin.created, provenance=provenance)
        planned = {p.name: p for p in planned_documents(source)}
        if task.name not in planned:
            return Composed(failure="document disparu entre la planification et le rendu")
        document = planned[task.name].compose()
        checked = check_signed_text(source, task.name, task.label, document, task.strict)
        notes = [n for n in (checked.warning, avenant_warning(source, task.name, document)) if n]
        if notes and task.strict:
            return Composed(failure=notes[0])
        document = attach_provenance(checked.document, source.provenance, task.name)
        document = typography.typeset(document)  # once for both writers
        return Composed(source.id, document, "", notes, checked.unverified)
    except CpomError as exc:
        return Composed(failure=str(exc))
    except Exception as exc:  # a bug met on one document must not stop the others
        return Composed(failure=f"erreur interne ({type(exc).__name__} : {exc})")


def _render(task: DocumentTask) -> DocumentResult:
    """render_document without its time limit."""
    import hashlib

    from cpomdocs.followup.chart_store import CHART_STORE
    from cpomdocs.render.writers import writers
    from cpomdocs.write import inside, write_bytes_atomic

    started = time.perf_counter()
    composed = task.composed or _compose(task)
    if composed.document is None:
        return DocumentResult([], composed.failure)
    CHART_STORE.open(task.output)
    try:
        written, digests = [], {}
        for extension, write in writers(task.formats).items():
            target = inside(task.output, f"{composed.contract}/{task.name}.{extension}")
            data = write(composed.document, task.templates)
            write_bytes_atomic(target, data)
            written.append(target)
            digests[target] = hashlib.sha256(data).hexdigest()  # publish compares the PDF's
        seconds = time.perf_counter() - started
        warnings = list(composed.warnings)
        charts = sorted(CHART_STORE.used)
        result = DocumentResult(written, "", seconds, charts, warnings, composed.unverified)
        result.digests = digests
        return result
    except CpomError as exc:
        return DocumentResult([], str(exc))
    except Exception as exc:  # a bug met on one document must not stop the others
        return DocumentResult([], f"erreur interne ({type(exc).__name__} : {exc})")
