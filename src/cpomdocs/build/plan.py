"""A build's plan: what it compares against (cache, templates, settings), the events it shows
and the report it returns, and the documents of each changed contract that need rendering."""

from __future__ import annotations

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
)
from cpomdocs.build.task import DEFAULT_TIMEOUT, DocumentTask

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
    rank: int = 0  # a contract event: its place among the contracts to build (1…total)
    total: int = 0


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
    overwriting: bool = False  # entries forgotten whose files are about to be rewritten
    contracts: int = 0  # how many contracts this build renders (its progress: « 3/20 »)
    ranked: int = 0  # how many of them were planned so far

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
        from cpomdocs.build.provenance import FolderHistory, document_reads
        from cpomdocs.data.validate import meetings_to_come

        cid = folder.name
        self.order.append(cid)
        self.ranked += 1
        self.emit(BuildEvent("contract", cid, rank=self.ranked, total=self.contracts))
        source = contract_input(folder, self.templates, self.settings.as_of, digest)
        self.checked[cid] = source.checked
        self.report.problems[cid] = [
            *source.checked.all_problems,
            *meetings_to_come(source.checked),
        ]
        if source.failure:
            self.report.failures.setdefault(cid, []).append(source.failure)
            self.emit(BuildEvent("failed", cid, message=source.failure))
            return
        planned = planned_documents(source)
        history = FolderHistory.read(folder)
        common = self.settings.common()
        entries = self.pending.setdefault(cid, {})
        self.cache.forget(cid)  # until all its documents are done, the contract is not fresh
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
            self._forget(f"{cid}/{document.name}")  # an interrupted rewrite claims nothing
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

    def _forget(self, key: str) -> None:
        """Drop the entry of a document about to be rebuilt: should the build stop while its
        files are rewritten, the saved cache must not call them fresh (the data reverted)."""
        if key in self.cache.entries:
            self.cache.forget(key)
            self.overwriting = True

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
