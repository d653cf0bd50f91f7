"""The build, stage by stage: find contract folders → skip the unchanged ones (schedule.py) →
validate → compose each document → write its PDF and DOCX into build/<contract-id>/, atomically,
over worker processes → portfolio page (page.py).

Which documents a contract yields is the list DOCUMENT_SOURCES: each entry maps a validated
contract to the documents it plans (name, label, how to compose it); add an entry for avenants
or comptes-rendus. Which formats exist is `writers()`. Progress goes to a callback; the CLI prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from cpomdocs import gitinfo
from cpomdocs.build.provenance import contract_provenance
from cpomdocs.build.schedule import FORMATS, BuildEvent, BuildReport, Progress, build_portfolio
from cpomdocs.data.folders import REDLINES_DIR
from cpomdocs.data.model import Contract
from cpomdocs.data.validate import ContractFolder, check_folder
from cpomdocs.documents.blocks import ComposedDocument
from cpomdocs.documents.compose import (
    ANNEXES_TEMPLATE,
    CONTRACT_TEMPLATE,
    compose_annexes,
    compose_contract,
    template_dependencies,
)
from cpomdocs.errors import CpomError

__all__ = ["FORMATS", "BuildEvent", "BuildReport", "Progress", "build"]
Writer = Callable[[ComposedDocument, Path | None], bytes]


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
    failure: str = ""  # why no document can be made (an invalid contract, a bad date)
    provenance: dict[str, Any] = field(default_factory=dict)  # attached to each PDF


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


def _templates_of(source: ContractInput, *roots: str) -> tuple[str, ...]:
    """The templates these root templates are made of, with their inclusions."""
    return tuple(sorted({t for r in roots for t in template_dependencies(r, source.templates)}))


def _life_documents(source: ContractInput) -> list[PlannedDocument]:
    from cpomdocs.documents.avenant import AVENANT_TEMPLATE, life_documents

    def used(name: str) -> tuple[str, ...]:
        if name.startswith("avenant-"):  # its text and the annexes it replaces
            return _templates_of(source, AVENANT_TEMPLATE, ANNEXES_TEMPLATE)
        return _templates_of(
            source, ANNEXES_TEMPLATE if name.startswith("annexes-") else CONTRACT_TEMPLATE
        )

    return [replace(p, templates=p.templates or used(p.name)) for p in life_documents(source)]


def followup_documents(source: ContractInput) -> list[PlannedDocument]:
    """The comptes-rendus and the file preparing the next dialogue de gestion (reports.py)."""
    from cpomdocs.followup.reports import PREPARATION_TEMPLATE, REPORT_TEMPLATE, followup_jobs

    def used(name: str) -> tuple[str, ...]:
        root = REPORT_TEMPLATE if name.startswith("comptes-rendus/") else PREPARATION_TEMPLATE
        return tuple(template_dependencies(root, source.templates))

    return [
        PlannedDocument(
            job.name,
            job.label,
            partial(job.compose, source.created, source.templates),
            used(job.name),
        )
        for job in followup_jobs(source.checked)
    ]


def redline_documents(source: ContractInput) -> list[PlannedDocument]:
    """For each avenant, the contract and its annexes just after it, its changes marked (struck
    and inserted words in the PDF, tracked changes in the DOCX): comparaisons/avenant-NN."""
    from cpomdocs.data.model_acts import Avenant

    def compose(numero: int) -> ComposedDocument:
        from cpomdocs.versions.compare import compose_avenant_redline

        return compose_avenant_redline(
            source.folder,
            numero,
            contract_id=source.id,
            created=source.created,
            templates=source.templates,
        )

    numbers = sorted(
        c.model.numero for c in source.checked.avenants if isinstance(c.model, Avenant)
    )
    used = _templates_of(source, CONTRACT_TEMPLATE, ANNEXES_TEMPLATE)
    return [
        PlannedDocument(
            f"{REDLINES_DIR}/avenant-{numero:02d}",
            f"version annotée de l'avenant n° {numero}",
            partial(compose, numero),
            used,
        )
        for numero in numbers
    ]


DOCUMENT_SOURCES: list[DocumentSource] = [
    contract_documents,
    _life_documents,
    followup_documents,
    redline_documents,
]


def source_date(folder: Path) -> dt.datetime:
    """When the contract's sources were made: SOURCE_DATE_EPOCH, else the last commit that
    touched the folder, else the newest file's mtime. Never the clock: builds are reproducible."""
    stamp = gitinfo.source_date_epoch() or gitinfo.last_commit_time(folder)
    if stamp is not None:
        return stamp
    newest = max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0)
    return dt.datetime.fromtimestamp(int(newest), dt.UTC)


def writers(formats: tuple[str, ...] = FORMATS) -> dict[str, Writer]:
    """The writers of the requested formats that this installation has."""
    found: dict[str, Writer] = {}
    if "pdf" in formats:
        from cpomdocs.render.pdf import render_pdf

        found["pdf"] = render_pdf
    if "docx" in formats:
        try:
            from cpomdocs.render.docx import render_docx  # type: ignore[import-not-found]
        except ImportError:  # the DOCX writer lands in another branch
            pass
        else:
            found["docx"] = render_docx
    return found


def planned_documents(source: ContractInput) -> list[PlannedDocument]:
    """Every document a contract yields, from each entry of DOCUMENT_SOURCES."""
    return [planned for make in DOCUMENT_SOURCES for planned in make(source)]


# The build itself (skip what is fresh, render the rest over workers) lives in schedule.py.
build = build_portfolio


_INPUTS: dict[tuple[Path, Path | None, dt.date | None, str], ContractInput] = {}
_KEPT_INPUTS = 4  # validated contracts kept per process (bounds memory)


def contract_input(
    folder: Path, templates: Path | None, as_of: dt.date | None, digest: str
) -> ContractInput:
    """A contract folder validated, with its creation date and provenance (memoised per process
    by folder and content digest, so the documents of one contract validate it once)."""
    key = (folder, templates, as_of, digest)
    if key in _INPUTS:
        return _INPUTS[key]
    checked = check_folder(folder)
    cid = checked.id
    path = checked.contract.path
    source = ContractInput(cid, folder, checked, None, path.name, b"", "", templates, as_of)  # type: ignore[arg-type]
    if not checked.ok or not isinstance(checked.contract.model, Contract):
        source.failure = "contrat invalide : aucun document produit"
    else:
        try:
            source.created = source_date(folder).strftime("%Y-%m-%dT%H:%M:%SZ")
        except CpomError as exc:
            source.failure = str(exc)
        else:
            source.contract = checked.contract.model
            source.source_bytes = path.read_bytes()
            source.provenance = contract_provenance(folder, cid, source.created)
    while len(_INPUTS) >= _KEPT_INPUTS:
        del _INPUTS[next(iter(_INPUTS))]
    _INPUTS[key] = source
    return source
