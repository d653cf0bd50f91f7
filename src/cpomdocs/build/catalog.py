"""The build, stage by stage: find contract folders → skip the unchanged ones (schedule.py) →
validate → compose each document → write its PDF and DOCX into build/<contract-id>/, atomically,
over worker processes → portfolio page (page.py).

Which documents a contract yields is the list DOCUMENT_SOURCES: each entry maps a validated
contract to the documents it plans (name, label, how to compose it); add an entry for avenants
or comptes-rendus. Which formats exist is `writers()`. Progress goes to a callback; the CLI prints.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

from cpomdocs import gitinfo
from cpomdocs.build.planned import (
    ContractInput,
    DocumentSource,
    PlannedDocument,
    life_documents,
    templates_of,
)
from cpomdocs.build.provenance import contract_provenance
from cpomdocs.data.folders import REDLINES_DIR
from cpomdocs.data.model import Contract
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.blocks import ComposedDocument
from cpomdocs.documents.compose import (
    ANNEXES_TEMPLATE,
    CONTRACT_TEMPLATE,
    compose_annexes,
    compose_contract,
    template_dependencies,
)
from cpomdocs.errors import CpomError


def contract_documents(source: ContractInput) -> list[PlannedDocument]:
    """The contract body and the volume of its opposable annexes."""
    options = {
        "contract_id": source.id,
        "created": source.created,
        "source_bytes": source.source_bytes,
        "templates": source.templates,
        "pending_figures": source.checked.contract.figures,  # a draft's numbers to fill
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


def validated_data(source: ContractInput) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The data of the contract and of its avenants as validated (the files `read_avenant`
    would read again), or None when one of them has no data to hand."""
    checked = source.checked
    files = [checked.contract, *checked.avenants]
    if any(c.document is None for c in files) or not isinstance(files[0].document.data, dict):
        return None
    avenants = [c.document.data for c in checked.avenants]  # type: ignore[union-attr]
    return files[0].document.data, [a for a in avenants if isinstance(a, dict)]  # type: ignore[union-attr]


def redline_documents(source: ContractInput) -> list[PlannedDocument]:
    """For each avenant, the contract and its annexes just after it, its changes marked (struck
    and inserted words in the PDF, tracked changes in the DOCX): comparaisons/avenant-NN."""
    from cpomdocs.data.model_acts import Avenant

    def compose(numero: int) -> ComposedDocument:
        from cpomdocs.documents.comparison import compose_avenant_redline

        return compose_avenant_redline(
            source.folder,
            numero,
            contract_id=source.id,
            created=source.created,
            templates=source.templates,
            read=validated_data(source),
        )

    numbers = sorted(
        c.model.numero for c in source.checked.avenants if isinstance(c.model, Avenant)
    )
    used = templates_of(source, CONTRACT_TEMPLATE, ANNEXES_TEMPLATE)
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
    life_documents,
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


def estimated_seconds(name: str, source: ContractInput) -> float:
    """A guess of a document's render time, for a first build (later builds know the real one):
    charts cost about 0.25 s each, table rows 0.03 s, a document 1 s (measured on the asba
    example, CPU seconds)."""
    charts = len(source.contract.all_indicators())
    rows = charts + len(source.contract.objectifs) + 10 * len(source.contract.etablissements)
    if name.startswith(("comptes-rendus/", "preparation-dialogue")):
        return 1.0 + 0.25 * charts
    if name.startswith(REDLINES_DIR):
        return 2.0 + 0.05 * rows
    if "annexes" in name or name.startswith("avenant-"):
        return 1.0 + 0.03 * rows
    return 1.0


def planned_documents(source: ContractInput) -> list[PlannedDocument]:
    """Every document a contract yields, from each entry of DOCUMENT_SOURCES."""
    return [planned for make in DOCUMENT_SOURCES for planned in make(source)]


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
