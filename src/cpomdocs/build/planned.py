"""What the build plans: a validated contract with what its documents are made from, and each
document it yields (name, label, composer, templates).

The documents of a contract's life: its consolidated version (and the version in force at the
--as-of date), and each avenant's own document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cpomdocs import fmt
from cpomdocs.build.jobs import collector_paused
from cpomdocs.data.consolidate import consolidate, in_force
from cpomdocs.data.model import Contract
from cpomdocs.data.model_acts import Avenant
from cpomdocs.data.validate import ContractFolder
from cpomdocs.documents.avenant import AVENANT_TEMPLATE, compose_avenant, compose_consolidated
from cpomdocs.documents.blocks import ComposedDocument
from cpomdocs.documents.compose import ANNEXES_TEMPLATE, CONTRACT_TEMPLATE, template_dependencies
from cpomdocs.documents.motifs import motifs_warning


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

    def __post_init__(self) -> None:
        """`compose` runs with the collector paused (jobs.collector_paused: no cycles to free)."""
        object.__setattr__(self, "compose", _paused(self.compose))


def _paused(compose: Callable[[], ComposedDocument]) -> Callable[[], ComposedDocument]:
    def run() -> ComposedDocument:
        with collector_paused():
            return compose()

    return run


DocumentSource = Callable[[ContractInput], list[PlannedDocument]]


def templates_of(source: ContractInput, *roots: str) -> tuple[str, ...]:
    """The templates these root templates are made of, with their inclusions."""
    return tuple(sorted({t for r in roots for t in template_dependencies(r, source.templates)}))


def life_documents(source: ContractInput) -> list[PlannedDocument]:
    """The documents of the contract's life, each with the templates it is made from."""

    def used(name: str) -> tuple[str, ...]:
        if name.startswith("avenant-"):  # its text and the annexes it replaces
            return templates_of(source, AVENANT_TEMPLATE, ANNEXES_TEMPLATE)
        return templates_of(
            source, ANNEXES_TEMPLATE if name.startswith("annexes-") else CONTRACT_TEMPLATE
        )

    return [replace(p, templates=p.templates or used(p.name)) for p in _life_documents(source)]


def _life_documents(source: ContractInput) -> list[PlannedDocument]:
    """The consolidated contract and annexes (when signed avenants exist or with --as-of), and
    each avenant's own document, for build.DOCUMENT_SOURCES."""
    checked = source.checked
    document = checked.contract.document
    if document is None or not checked.avenants:
        return []
    data = document.data
    avenants = [c.model for c in checked.avenants if isinstance(c.model, Avenant)]
    files = {c.model.numero: c.path for c in checked.avenants if isinstance(c.model, Avenant)}
    options = {"contract_id": source.id, "created": source.created, "templates": source.templates}
    planned: list[PlannedDocument] = []

    def consolidated(suffix: tuple[str, str], label: str, as_of: dt.date) -> None:
        # Consolidated lazily: a failure then stops this document only, not the build.
        def compose(annexes: bool) -> ComposedDocument:
            state = consolidate(data, avenants, as_of)
            later = [a for a in in_force(avenants) if a not in state.applied]
            return compose_consolidated(state, annexes=annexes, pending=later, **options)

        contract_name, annexes_name = f"contrat-{suffix[0]}", f"annexes-{suffix[1]}"
        planned.append(PlannedDocument(contract_name, f"contrat {label}", lambda: compose(False)))
        annexes_label = f"annexes {label}es" if label.endswith("é") else f"annexes {label}"
        planned.append(PlannedDocument(annexes_name, annexes_label, lambda: compose(True)))

    # The consolidated version is the contract in force on the day of the document (the date of
    # its sources): the signed avenants that have taken effect by then; later ones are announced.
    day = dt.date.fromisoformat(source.created[:10])
    if in_force(avenants, day):
        consolidated(("consolide", "consolidees"), "consolidé", day)
    if source.as_of is not None:
        day = f"au-{source.as_of.isoformat()}"
        consolidated((day, day), f"au {fmt.date_fr(source.as_of)}", source.as_of)
    for avenant in sorted(avenants, key=lambda a: a.numero):
        path = files[avenant.numero]

        def compose(numero: int = avenant.numero, path: Path = path) -> ComposedDocument:
            return compose_avenant(
                data, avenants, numero, source=(path.name, path.read_bytes()), **options
            )

        name = f"avenant-{avenant.numero:02d}"
        planned.append(PlannedDocument(name, f"avenant n° {avenant.numero}", compose))
    return planned


def avenant_warning(source: ContractInput, name: str, document: ComposedDocument) -> str:
    """The warning of an avenant (document `name`) whose exposé des motifs names an article or
    an annex of the contract that the avenant, as composed, does not amend; "" otherwise."""
    for checked in source.checked.avenants:
        model = checked.model
        if isinstance(model, Avenant) and name == f"avenant-{model.numero:02d}":
            line = checked.document.locate(("motifs",))[0] if checked.document else 0
            where = f"{checked.path}:{line}" if line else str(checked.path)
            return motifs_warning(where, model.motifs, document)
    return ""
