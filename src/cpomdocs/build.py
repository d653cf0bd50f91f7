"""The build, stage by stage: find contract folders → validate → compose each document → write
its PDF and DOCX into build/<contract-id>/, atomically.

Which documents a contract yields is the list DOCUMENT_SOURCES: each entry maps a validated
contract to the documents it plans (name, label, how to compose it); add an entry for avenants
or comptes-rendus. Which formats exist is `writers()`. Progress goes to a callback; the CLI prints.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from cpomdocs.blocks import ComposedDocument
from cpomdocs.compose import (
    ANNEXES_TEMPLATE,
    CONTRACT_TEMPLATE,
    compose_annexes,
    compose_contract,
    template_dependencies,
)
from cpomdocs.errors import CpomError, Problem, UsageError
from cpomdocs.model import Contract
from cpomdocs.provenance import attach_provenance, contract_provenance
from cpomdocs.validate import ContractFolder, check_folder, find_contract_folders
from cpomdocs.write import write_bytes_atomic

FORMATS = ("pdf", "docx")
Writer = Callable[[ComposedDocument, Path | None], bytes]


@dataclass
class BuildEvent:
    """Something the build did, for a progress display: kind is contract, document, written,
    failed or notice."""

    kind: str
    contract: str = ""
    document: str = ""
    path: Path | None = None
    message: str = ""


Progress = Callable[[BuildEvent], None]


@dataclass
class ContractInput:
    """A validated contract and what its documents are made from."""

    id: str
    folder: Path
    checked: ContractFolder
    contract: Contract
    source_name: str
    source_bytes: bytes
    created: str  # ISO 8601, UTC: from SOURCE_DATE_EPOCH, the last commit, or the files' mtime
    templates: Path | None
    as_of: dt.date | None = None  # build --as-of: also the contract as in force at that date


@dataclass(frozen=True)
class PlannedDocument:
    """One document a contract yields: its file name (without extension), label and composer,
    and the names of the templates it is made from (for incremental builds)."""

    name: str
    label: str
    compose: Callable[[], ComposedDocument]
    templates: tuple[str, ...] = ()


DocumentSource = Callable[[ContractInput], list[PlannedDocument]]


def contract_documents(source: ContractInput) -> list[PlannedDocument]:
    """The contract body and the volume of its opposable annexes."""
    options = {
        "contract_id": source.id,
        "created": source.created,
        "source_bytes": source.source_bytes,
        "templates": source.templates,
    }
    body = tuple(template_dependencies(CONTRACT_TEMPLATE, source.templates))
    annexes = tuple(template_dependencies(ANNEXES_TEMPLATE, source.templates))
    return [
        PlannedDocument(
            "contrat", "contrat", lambda: compose_contract(source.contract, **options), body
        ),
        PlannedDocument(
            "annexes", "annexes", lambda: compose_annexes(source.contract, **options), annexes
        ),
    ]


def _life_documents(source: ContractInput) -> list[PlannedDocument]:
    from cpomdocs.avenant_document import life_documents

    return life_documents(source)


def followup_documents(source: ContractInput) -> list[PlannedDocument]:
    """The comptes-rendus and the file preparing the next dialogue de gestion (reports.py)."""
    from cpomdocs.reports import followup_jobs

    return [
        PlannedDocument(job.name, job.label, partial(job.compose, source.created, source.templates))
        for job in followup_jobs(source.checked)
    ]


DOCUMENT_SOURCES: list[DocumentSource] = [contract_documents, _life_documents, followup_documents]


@dataclass
class BuildReport:
    """What a build did: files written, validation problems and render failures per contract."""

    written: list[Path] = field(default_factory=list)
    documents: int = 0
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    folders: list[ContractFolder] = field(default_factory=list)  # for the portfolio page
    portfolio: Path | None = None  # build/index.html

    @property
    def failed(self) -> list[str]:
        """Ids of the contracts that could not be built, wholly or partly."""
        invalid = {cid for cid, found in self.problems.items() if any(p.is_error for p in found)}
        return sorted(invalid | {cid for cid, messages in self.failures.items() if messages})


def source_date(folder: Path) -> dt.datetime:
    """When the contract's sources were made: SOURCE_DATE_EPOCH, else the last commit that
    touched the folder, else the newest file's mtime. Never the clock: builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise UsageError(f"SOURCE_DATE_EPOCH invalide : « {epoch} » (secondes depuis 1970)")
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "."],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0 and result.stdout.strip().isdigit():
            return dt.datetime.fromtimestamp(int(result.stdout.strip()), dt.UTC)
    except OSError:  # git is not installed
        pass
    newest = max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0)
    return dt.datetime.fromtimestamp(int(newest), dt.UTC)


def writers(formats: tuple[str, ...] = FORMATS) -> dict[str, Writer]:
    """The writers of the requested formats that this installation has."""
    found: dict[str, Writer] = {}
    if "pdf" in formats:
        from cpomdocs.pdf import render_pdf

        found["pdf"] = render_pdf
    if "docx" in formats:
        try:
            from cpomdocs.docx import render_docx  # type: ignore[import-not-found]
        except ImportError:  # the DOCX writer lands in another branch
            pass
        else:
            found["docx"] = render_docx
    return found


def planned_documents(source: ContractInput) -> list[PlannedDocument]:
    """Every document a contract yields, from each entry of DOCUMENT_SOURCES."""
    return [planned for make in DOCUMENT_SOURCES for planned in make(source)]


def build(
    sources: list[Path],
    output: Path,
    *,
    templates: Path | None = None,
    formats: tuple[str, ...] = FORMATS,
    on_event: Progress | None = None,
    as_of: dt.date | None = None,
) -> BuildReport:
    """Validate and render every contract found in `sources` into `output`/<contract-id>/."""
    started = time.perf_counter()
    notify = on_event or (lambda event: None)
    report = BuildReport()
    folders = find_contract_folders(sources)
    active = writers(formats)
    for missing in (f for f in formats if f not in active):
        notify(BuildEvent("notice", message=f"format {missing} indisponible dans cette version"))
    for folder in folders:
        build_contract(folder, output, templates, active, report, notify, as_of=as_of)
    from cpomdocs.portfolio import write_portfolio

    report.portfolio = write_portfolio(report.folders, output)
    report.seconds = time.perf_counter() - started
    return report


def build_contract(
    folder: Path,
    output: Path,
    templates: Path | None,
    active: dict[str, Writer],
    report: BuildReport,
    notify: Progress,
    as_of: dt.date | None = None,
) -> None:
    """Validate one contract folder and write each of its documents in each format."""
    checked = check_folder(folder)
    report.folders.append(checked)
    cid = checked.id
    notify(BuildEvent("contract", cid))
    report.problems[cid] = checked.all_problems
    failures = report.failures.setdefault(cid, [])
    if not checked.ok or not isinstance(checked.contract.model, Contract):
        failures.append("contrat invalide : aucun document produit")
        notify(BuildEvent("failed", cid, message=failures[-1]))
        return
    path = checked.contract.path
    try:
        created = source_date(folder).strftime("%Y-%m-%dT%H:%M:%SZ")
    except CpomError as exc:
        failures.append(str(exc))
        notify(BuildEvent("failed", cid, message=str(exc)))
        return
    source = ContractInput(
        cid,
        folder,
        checked,
        checked.contract.model,
        path.name,
        path.read_bytes(),
        created,
        templates,
        as_of,
    )
    provenance = contract_provenance(folder, cid, created)
    for planned in planned_documents(source):
        notify(BuildEvent("document", cid, planned.label))
        try:
            document = attach_provenance(planned.compose(), provenance, planned.name)
            for extension, write in active.items():
                target = output / cid / f"{planned.name}.{extension}"
                write_bytes_atomic(target, write(document, templates))
                report.written.append(target)
                notify(BuildEvent("written", cid, planned.label, target))
            report.documents += 1
        except CpomError as exc:
            failures.append(f"{planned.label} : {exc}")
            notify(BuildEvent("failed", cid, planned.label, message=str(exc)))
        except Exception as exc:  # a bug met on one contract must not stop the others
            message = f"erreur interne ({type(exc).__name__} : {exc})"
            failures.append(f"{planned.label} : {message}")
            notify(BuildEvent("failed", cid, planned.label, message=message))
