"""What a contract folder has to publish: its signed documents (contract, annexes, avenants,
consolidated versions, comptes-rendus) with their sources and the PDFs build/ wrote for them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cpomdocs.build.catalog import source_date
from cpomdocs.data.consolidate import in_force
from cpomdocs.data.folders import REPORTS_DIR
from cpomdocs.data.model import Contract, ContractStatus
from cpomdocs.data.model_acts import Avenant, AvenantStatus, MeetingReport, ReportStatus
from cpomdocs.data.validate import ContractFolder

KIND_AVENANT = "avenant"
KIND_REPORT = "compte-rendu"
# The documents build/ writes for a contract (build.contract_documents) and for its consolidated
# version (avenant_document.life_documents), with the kind the manifest gives them.
CONTRACT_DOCUMENTS = {"contrat": "contrat", "annexes": "annexes du contrat"}
CONSOLIDATED_DOCUMENTS = {
    "contrat-consolide": "contrat consolidé",
    "annexes-consolidees": "annexes consolidées",
}


@dataclass(frozen=True)
class Publishable:
    """One signed document to publish: what it is, its sources, its unsigned PDF in build/."""

    kind: str
    contract_id: str
    version: str
    sources: tuple[Path, ...]
    relative: str  # path of the PDF under build/ and under the publication folder
    location: str  # « Fait à … », the signature's location


def is_contract_signed(contract: Contract) -> bool:
    """A contract was signed unless it is still a draft (projet)."""
    return contract.statut is not ContractStatus.PROJET


def avenant_name(numero: int) -> str:
    """The build name of an avenant's own document (avenant_document.life_documents)."""
    return f"avenant-{numero:02d}"


def report_name(path: Path) -> str:
    """The build name of a compte-rendu (reports.followup_jobs)."""
    return f"{REPORTS_DIR}/{path.stem}"


def _pdf(contract_id: str, name: str) -> str:
    return f"{contract_id}/{name}.pdf"


def publishable_documents(folder: ContractFolder) -> tuple[list[Publishable], list[str]]:
    """The signed documents of a validated contract folder, and the drafts left out."""
    contract = folder.contract.model
    if not isinstance(contract, Contract):
        return [], []
    cid, main, place = folder.id, folder.contract.path, contract.signature.lieu
    avenants = sorted(
        ((c.path, c.model) for c in folder.avenants if isinstance(c.model, Avenant)),
        key=lambda item: item[1].numero,
    )
    reports = [(c.path, c.model) for c in folder.reports if isinstance(c.model, MeetingReport)]
    if not is_contract_signed(contract):
        drafts = [*CONTRACT_DOCUMENTS, *(avenant_name(a.numero) for _, a in avenants)]
        drafts += [report_name(path) for path, _ in reports]
        return [], [_pdf(cid, name) for name in drafts]
    version = str(contract.version)
    documents = [
        Publishable(kind, cid, version, (main,), _pdf(cid, name), place)
        for name, kind in CONTRACT_DOCUMENTS.items()
    ]
    skipped: list[str] = []
    signed: list[Path] = []
    for path, avenant in avenants:
        relative = _pdf(cid, avenant_name(avenant.numero))
        if avenant.statut is not AvenantStatus.SIGNE:
            skipped.append(relative)
            continue
        signed.append(path)
        lieu = avenant.signature.lieu if avenant.signature else place
        number = f"avenant {avenant.numero}"
        documents.append(Publishable(KIND_AVENANT, cid, number, (main, *signed), relative, lieu))
    # The consolidated version is built (build/planned.py) when signed avenants have taken
    # effect by the day of the sources; one signed now to take effect later has none yet.
    applied = in_force([a for _, a in avenants], source_date(folder.folder).date())
    if applied:
        last = f"avenant {applied[-1].numero}"
        documents += [
            Publishable(kind, cid, last, (main, *signed), _pdf(cid, name), place)
            for name, kind in CONSOLIDATED_DOCUMENTS.items()
        ]
    for path, report in reports:
        relative = _pdf(cid, report_name(path))
        if report.statut is not ReportStatus.APPROUVE:
            skipped.append(relative)
            continue
        label = f"{report.type.value} {report.date.isoformat()}"
        sources = (main, *signed, path)
        documents.append(Publishable(KIND_REPORT, cid, label, sources, relative, report.lieu))
    return documents, skipped
