"""The build's orchestration: skip what is fresh, render the rest over worker processes.

For each contract folder: if its files, the templates it used and the options are those of the
last build (build/.cpomdocs-cache.json), it is skipped before any validation. Otherwise it is
validated, its documents planned (build.DOCUMENT_SOURCES), and each document whose own
fingerprint changed becomes a task (folder, document name, options) that a worker validates,
composes, renders and writes. The main process prints events as results come back, then
writes the portfolio page from cached cards.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cpomdocs.build.cache import BuildCache, fingerprint
from cpomdocs.build.inputs import (
    ALL_TEMPLATES,
    BuildSettings,
    Templates,
    document_fingerprint,
    file_parts,
    folder_digest,
    git_states,
)
from cpomdocs.build.queue import TAIL, composed, tail_longest_first
from cpomdocs.build.task import (
    DEFAULT_TIMEOUT,
    WARM_MODULE,
    WORKER_MODULES,
    WRITER_MODULES,
    DocumentResult,
    DocumentTask,
    render_document,
)
from cpomdocs.build.workers import in_shard, run_all, start_early
from cpomdocs.data.folders import find_contract_folders
from cpomdocs.errors import CpomError
from cpomdocs.render.writers import FORMATS

if TYPE_CHECKING:
    from cpomdocs.data.validate import ContractFolder


@dataclass
class BuildEvent:
    """Something the build did, for a progress display: kind is contract, document, written,
    failed, fresh (a contract skipped, already up to date), warning or notice."""

    kind: str
    contract: str = ""
    document: str = ""
    path: Path | None = None
    message: str = ""


Progress = Callable[[BuildEvent], None]


@dataclass
class BuildReport:
    """What a build did: files written, documents skipped, problems and failures per contract."""

    written: list[Path] = field(default_factory=list)
    documents: int = 0
    skipped: int = 0  # documents already up to date
    problems: dict[str, list] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    removed: list[str] = field(default_factory=list)  # deleted contracts whose outputs went
    portfolio: Path | None = None  # build/index.html
    portfolio_written: bool = False  # False when the page was already up to date
    warnings: list[str] = field(default_factory=list)  # texts that differ from the signed ones
    unverified: list[str] = field(default_factory=list)  # signed files without a text digest

    @property
    def failed(self) -> list[str]:
        """Ids of the contracts that could not be built, wholly or partly."""
        invalid = {cid for cid, found in self.problems.items() if any(p.is_error for p in found)}
        return sorted(invalid | {cid for cid, messages in self.failures.items() if messages})


@dataclass
class Plan:
    """One build's settings and the state it compares against."""

    output: Path
    templates: Path | None
    settings: BuildSettings
    force: bool
    cache: BuildCache
    catalog: Templates
    report: BuildReport
    notify: Progress
    git: dict[Path, str] = field(default_factory=dict)
    timeout: float | None = DEFAULT_TIMEOUT  # seconds per document render
    checked: dict[str, ContractFolder] = field(default_factory=dict)  # contracts in flight
    pending: dict[str, dict] = field(default_factory=dict)  # contract id → its document entries
    serial: bool = True  # in parallel, each contract's events wait until it is complete
    order: list[str] = field(default_factory=list)  # contracts in planning order, not shown yet
    buffers: dict[str, list[BuildEvent]] = field(default_factory=dict)
    complete: set[str] = field(default_factory=set)
    strict: bool = False  # a text that differs from the signed one fails its document
    warned: set[str] = field(default_factory=set)  # contracts whose cached documents warned

    def __post_init__(self) -> None:
        entries = self.cache.entries.items()
        self.warned = {key.split("/", 1)[0] for key, entry in entries if entry.warnings}

    def emit(self, event: BuildEvent) -> None:
        """Show an event now (serial build) or once its contract is complete (parallel)."""
        if self.serial:
            self.notify(event)
        else:
            self.buffers.setdefault(event.contract, []).append(event)

    def release(self, cid: str) -> None:
        """Show the events of the complete contracts, in planning order, as a serial build."""
        self.complete.add(cid)
        while self.order and self.order[0] in self.complete:
            for event in self.buffers.pop(self.order.pop(0), []):
                self.notify(event)

    def base(self, folder: Path, digest: str) -> list[str]:
        """The fingerprint parts shared by every document of this contract."""
        return self.settings.base(folder, digest, self.git.get(folder))

    def contract_fresh(self, folder: Path, digest: str) -> bool:
        """True when the whole contract is unchanged since its last complete build."""
        if self.force:
            return False
        names = self.cache.templates_of(folder.name)
        key = fingerprint([*self.base(folder, digest), *self.catalog.parts(names)])
        if self.strict and any(self._warnings(folder.name)):
            return False  # rendered again, and refused
        return self.cache.is_fresh(folder.name, key)

    def _warnings(self, cid: str, document: str = "") -> Iterator[str]:
        if not document and cid not in self.warned:  # the no-op path: one set lookup
            return
        names = [document] if document else self.cache.documents_of(cid)
        for name in names:
            yield from self.cache.warnings_of(f"{cid}/{name}")

    def kept(self, cid: str, document: str = "") -> None:
        """Say again the warnings of documents kept from an earlier build (all of a contract's
        when `document` is empty): their files still carry the « Réédition » mention."""
        for message in self._warnings(cid, document):
            self.report.warnings.append(message)
            self.emit(BuildEvent("warning", cid, document, message=message))

    def tasks(self, folder: Path, digest: str) -> Iterator[DocumentTask]:
        """Validate a changed contract and yield its documents whose inputs changed."""
        from cpomdocs.build.catalog import contract_input, estimated_seconds, planned_documents
        from cpomdocs.build.reads import FolderHistory, document_reads

        cid = folder.name
        self.order.append(cid)
        self.emit(BuildEvent("contract", cid))
        source = contract_input(folder, self.templates, self.settings.as_of, digest)
        self.checked[cid] = source.checked
        self.report.problems[cid] = source.checked.all_problems
        if source.failure:
            self.report.failures.setdefault(cid, []).append(source.failure)
            self.emit(BuildEvent("failed", cid, message=source.failure))
            return
        planned = planned_documents(source)
        history = FolderHistory.read(folder)
        common = self.settings.common()
        entries = self.pending.setdefault(cid, {})
        for stale in set(self.cache.documents_of(cid)) - {p.name for p in planned}:
            self.cache.forget(f"{cid}/{stale}", remove_outputs=True)
        todo: list[DocumentTask] = []
        for document in planned:
            names = list(document.templates) or [ALL_TEMPLATES]
            reads = document_reads(source.checked, document.name)  # not the whole folder
            origin = history.origin(reads)
            parts = [*common, *file_parts(folder, reads), *origin.parts()]
            key = document_fingerprint(parts, self.catalog, names)
            entries[document.name] = (key, names)
            known = self.cache.seconds_of(f"{cid}/{document.name}")
            fresh = not self.force and self.cache.is_fresh(f"{cid}/{document.name}", key)
            if fresh and not (self.strict and any(self._warnings(cid, document.name))):
                self.report.skipped += 1
                self.kept(cid, document.name)
                continue
            todo.append(
                DocumentTask(
                    folder,
                    digest,
                    document.name,
                    document.label,
                    self.output,
                    self.templates,
                    self.settings.formats,
                    self.settings.as_of,
                    self.timeout,
                    reads=tuple(reads),
                    origin=origin,
                    strict=self.strict,
                    estimate=known or estimated_seconds(document.name, source),
                )
            )
        # Longest first (by last build's time, else by an estimate from its charts and table
        # rows), so that in parallel the contract's slowest document does not start last.
        todo.sort(key=lambda task: -task.estimate)
        yield from todo

    def finish_contract(self, folder: Path, digest: str) -> None:
        """Record a contract whose documents are all built, so that it is skipped next time."""
        from cpomdocs.build.page import refresh_card

        cid = folder.name
        refresh_card(self.cache, self.checked.pop(cid), self.output)
        self.release(cid)
        entries = self.pending.pop(cid, None)
        if entries is None or self.report.failures.get(cid):
            self.cache.forget(cid)
            return
        names = sorted({n for _, used in entries.values() for n in used})
        outputs = [self.output / o for d in entries for o in self.cache.outputs_of(f"{cid}/{d}")]
        key = fingerprint([*self.base(folder, digest), *self.catalog.parts(names)])
        self.cache.record(cid, key, outputs, names)


def build_portfolio(
    sources: list[Path],
    output: Path,
    *,
    templates: Path | None = None,
    formats: tuple[str, ...] = FORMATS,
    on_event: Progress | None = None,
    as_of: dt.date | None = None,
    force: bool = False,
    jobs: int = 1,
    shard: tuple[int, int] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    strict: bool = False,
) -> BuildReport:
    """Build what changed among the contracts of `sources` into `output`/<contract-id>/."""
    from cpomdocs.build.lock import output_lock

    with output_lock(output):  # one command at a time writes into an output folder
        started = time.perf_counter()
        notify = on_event or (lambda event: None)
        report = BuildReport()
        folders = find_contract_folders(sources)
        cache = BuildCache(output)
        report.removed = cache.prune({f.name: f for f in folders})
        if shard is not None:
            folders = [f for f in folders if in_shard(f.name, *shard)]
        formats = _available(formats, notify)
        plan = Plan(
            output,
            templates,
            BuildSettings(tuple(formats), as_of),
            force,
            cache,
            Templates(templates, tuple(formats)),
            report,
            notify,
            git_states(sources, folders),
            timeout,
            strict=strict,
        )
        changed: list[tuple[Path, str]] = []
        for folder in folders:
            digest = folder_digest(folder)
            if plan.contract_fresh(folder, digest):
                report.skipped += len(cache.documents_of(folder.name))
                notify(BuildEvent("fresh", folder.name))
                plan.kept(folder.name)
            else:
                changed.append((folder, digest))
        _render(plan, changed, jobs)
        if changed or report.removed:
            from cpomdocs.followup.chart_store import prune_charts

            prune_charts(output, cache.charts_in_use())
        from cpomdocs.build.page import INDEX, update_page

        page = update_page(cache, {f.name: f for f in folders}, output)
        report.portfolio_written = page is not None
        report.portfolio = output / INDEX if (output / INDEX).is_file() else None
        cache.save()
        report.seconds = time.perf_counter() - started
        return report


def _available(formats: tuple[str, ...], notify: Progress) -> list[str]:
    """The requested formats this installation can write (a notice for the others)."""
    if not formats:
        return []
    from importlib.util import find_spec

    found = [f for f in formats if f != "docx" or find_spec("docxtpl") is not None]
    for missing in (f for f in formats if f not in found):
        notify(BuildEvent("notice", message=f"format {missing} indisponible dans cette version"))
    return found


def _render(plan: Plan, changed: list[tuple[Path, str]], jobs: int) -> None:
    """Render the documents of the changed contracts; record each as its result comes back."""
    if not changed:
        return
    remaining: dict[str, int] = {}
    digests = {folder.name: (folder, digest) for folder, digest in changed}

    def tasks() -> Iterator[DocumentTask]:
        for folder, digest in changed:
            found = list(plan.tasks(folder, digest))
            remaining[folder.name] = len(found)
            if not found:
                plan.finish_contract(folder, digest)
            yield from found

    plan.serial = jobs <= 1
    formats = plan.settings.formats
    writing = tuple(WRITER_MODULES[f] for f in formats if f in WRITER_MODULES)
    preload = (*WORKER_MODULES, *writing, WARM_MODULE)  # warm last: it uses all the others
    queue = tasks() if plan.serial else tail_longest_first(composed(tasks()), TAIL * jobs)
    if jobs > 1 and len(changed) > 1:  # at least two documents: the workers' imports and
        start_early(preload)  # warm-up overlap this process's validation and planning
    # A worker that ignores its time limit (stuck in native code) is killed: late, to leave a
    # task queued behind a slow one its own full time.
    limit = 2 * plan.timeout + 30 if plan.timeout else None
    for task, result, error in run_all(render_document, queue, jobs, preload, limit):
        cid = task.folder.name
        if result is None and isinstance(error, CpomError):
            result = DocumentResult([], str(error))
        elif result is None:
            result = DocumentResult([], f"erreur interne ({type(error).__name__} : {error})")
        plan.emit(BuildEvent("document", cid, task.label))
        if result.failure:
            # A composition error may already name its document (« avenant n° 2 : … »).
            failure = result.failure.removeprefix(f"{task.label} : ")
            plan.report.failures.setdefault(cid, []).append(f"{task.label} : {failure}")
            plan.emit(BuildEvent("failed", cid, task.label, message=failure))
            plan.cache.forget(f"{cid}/{task.name}")
        else:
            for path in result.written:
                plan.report.written.append(path)
                plan.emit(BuildEvent("written", cid, task.label, path))
            for message in result.warnings:
                plan.report.warnings.append(message)
                plan.emit(BuildEvent("warning", cid, task.label, message=message))
            if result.unverified and result.unverified not in plan.report.unverified:
                plan.report.unverified.append(result.unverified)
            plan.report.documents += 1
            key, names = plan.pending[cid][task.name]
            plan.cache.record(
                f"{cid}/{task.name}",
                key,
                result.written,
                names,
                result.seconds,
                result.charts,
                result.warnings,
            )
        remaining[cid] -= 1
        if remaining[cid] == 0:
            plan.finish_contract(*digests[cid])
