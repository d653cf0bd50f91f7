"""Publication: sign the PDF/A of every signed document, list them in manifest.json."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cpomdocs.errors import Problem, Severity
from cpomdocs.model import Contract, ContractStatus
from cpomdocs.model_acts import Avenant, AvenantStatus, MeetingReport, ReportStatus
from cpomdocs.signing import SigningKey, load_key, pdfa_identification, sign_pdf
from cpomdocs.sources import attached_source, head_commit, sha256_bytes, source_entry
from cpomdocs.validate import ContractFolder, check_folder, find_contract_folders
from cpomdocs.write import write_bytes_atomic, write_text_atomic

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "cpomdocs-manifeste/1"
CONSOLIDATED_NAME = "cpom-consolide"

KIND_CONTRACT = "contrat"
KIND_CONSOLIDATED = "version consolidée"
KIND_AVENANT = "avenant"
KIND_REPORT = "compte-rendu"

NOT_BUILT = "PDF introuvable : lancez d'abord « cpomdocs build »"
NOT_PDFA = "ce PDF n'est pas un PDF/A-3b (identification XMP pdfaid absente ou différente)"
NO_SOURCE = "ce PDF n'embarque pas sa source (pièce jointe JSON ou YAML absente)"
NOT_COMMITTED = "fichier source non commité : le manifeste ne peut pas citer son commit"
INVALID_CONTRACT = (
    "contrat invalide : rien n'est publié (corrigez d'abord les erreurs de validation)"
)


@dataclass(frozen=True)
class Publishable:
    """One signed document to publish: what it is, its sources, its unsigned PDF in build/."""

    kind: str
    contract_id: str
    version: str
    sources: tuple[Path, ...]
    relative: str  # path of the PDF under build/ and under the publication folder
    location: str  # « Fait à … », the signature's location


@dataclass
class PublishReport:
    """What a publication did: files signed, drafts left out, problems per contract."""

    published: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    manifest: Path | None = None

    @property
    def failed(self) -> bool:
        """True when at least one signed document could not be published."""
        return any(p.is_error for p in self.problems)


def is_contract_signed(contract: Contract) -> bool:
    """A contract was signed unless it is still a draft (projet)."""
    return contract.statut is not ContractStatus.PROJET


def build_pdf_path(contract_id: str, source: Path, folder: Path) -> str:
    """Where build/ holds the PDF of a source file: the contracts/ tree mirrored, .pdf suffix."""
    relative = source.relative_to(folder).with_suffix(".pdf")
    return f"{contract_id}/{relative.as_posix()}"


def publishable_documents(folder: ContractFolder) -> tuple[list[Publishable], list[str]]:
    """The signed documents of a validated contract folder, and the drafts left out."""
    contract = folder.contract.model
    if not isinstance(contract, Contract):
        return [], []
    cid, root = folder.id, folder.folder
    main = folder.contract.path
    place = contract.signature.lieu
    if not is_contract_signed(contract):
        return [], [build_pdf_path(cid, main, root)]
    documents = [
        Publishable(
            KIND_CONTRACT,
            cid,
            str(contract.version),
            (main,),
            build_pdf_path(cid, main, root),
            place,
        )
    ]
    skipped: list[str] = []
    signed_avenants: list[tuple[Path, Avenant]] = []
    for checked in folder.avenants:
        if not isinstance(checked.model, Avenant):
            continue
        relative = build_pdf_path(cid, checked.path, root)
        if checked.model.statut is not AvenantStatus.SIGNE:
            skipped.append(relative)
            continue
        signed_avenants.append((checked.path, checked.model))
        lieu = checked.model.signature.lieu if checked.model.signature else place
        number = f"avenant {checked.model.numero}"
        documents.append(Publishable(KIND_AVENANT, cid, number, (checked.path,), relative, lieu))
    if signed_avenants:
        last = max(model.numero for _, model in signed_avenants)
        sources = (main, *(path for path, _ in sorted(signed_avenants, key=lambda a: a[1].numero)))
        relative = f"{cid}/{CONSOLIDATED_NAME}.pdf"
        documents.append(
            Publishable(KIND_CONSOLIDATED, cid, f"avenant {last}", sources, relative, place)
        )
    for checked in folder.reports:
        if not isinstance(checked.model, MeetingReport):
            continue
        relative = build_pdf_path(cid, checked.path, root)
        if checked.model.statut is not ReportStatus.APPROUVE:
            skipped.append(relative)
            continue
        version = f"{checked.model.type.value} {checked.model.date.isoformat()}"
        documents.append(
            Publishable(KIND_REPORT, cid, version, (checked.path,), relative, checked.model.lieu)
        )
    return documents, skipped


def _check_unsigned(pdf: bytes, shown: str) -> list[Problem]:
    problems = []
    if pdfa_identification(pdf) != ("3", "B"):
        problems.append(Problem(shown, 0, 0, "", NOT_PDFA))
    if attached_source(pdf) is None:
        problems.append(Problem(shown, 0, 0, "", NO_SOURCE))
    return problems


def publish_document(
    doc: Publishable, build_dir: Path, out_dir: Path, key: SigningKey, repo_root: Path
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Sign one document's PDF into `out_dir`; its manifest entry, or the problems met."""
    source_pdf = build_dir / doc.relative
    shown = source_pdf.as_posix()
    if not source_pdf.is_file():
        return None, [Problem(shown, 0, 0, "", NOT_BUILT)]
    unsigned = source_pdf.read_bytes()
    problems = _check_unsigned(unsigned, shown)
    if problems:
        return None, problems
    reason = f"Publication du {doc.kind} {doc.contract_id} ({doc.version})"
    signed = sign_pdf(unsigned, key, reason=reason, location=doc.location)
    write_bytes_atomic(out_dir / doc.relative, signed)
    attached = attached_source(unsigned)
    entry = {
        "fichier": doc.relative,
        "sha256": sha256_bytes(signed),
        "type": doc.kind,
        "contrat": doc.contract_id,
        "version": doc.version,
        "sources": [source_entry(path, repo_root) for path in doc.sources],
        "source_jointe": attached[0] if attached else None,
        "non_signe": {"sha256": sha256_bytes(unsigned), "octets": len(unsigned)},
        "signataire": key.subject,
    }
    return entry, []


def _uncommitted(entry: dict[str, Any], repo_root: Path) -> list[Problem]:
    return [
        Problem(source["chemin"], 0, 0, "", NOT_COMMITTED, Severity.WARNING)
        for source in entry["sources"]
        if source["commit"] is None
    ]


def _remove_stale(out_dir: Path, published: set[str]) -> list[Path]:
    """Remove the files that the previous publication listed and this one does not."""
    try:
        previous = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["documents"]
        listed = {str(entry["fichier"]) for entry in previous}
    except (OSError, ValueError, KeyError, TypeError):
        return []
    removed = []
    for relative in sorted(listed - published):
        path = out_dir / relative
        if path.is_file() and path.resolve().is_relative_to(out_dir.resolve()):
            path.unlink()
            removed.append(path)
    return removed


def publish(
    build_dir: Path,
    out_dir: Path,
    p12_path: Path,
    password: str,
    contracts: list[Path] | None = None,
    repo_root: Path | None = None,
) -> PublishReport:
    """Sign every signed document built in `build_dir` into `out_dir`, with manifest.json."""
    key = load_key(p12_path, password)
    sources = contracts or [Path("contracts")]
    repo_root = repo_root or Path.cwd()
    report = PublishReport()
    entries: list[dict[str, Any]] = []
    folders = [check_folder(path) for path in find_contract_folders(sources)]
    for folder in folders:
        if not folder.ok:
            report.problems.append(Problem(str(folder.contract.path), 0, 0, "", INVALID_CONTRACT))
            continue
        documents, skipped = publishable_documents(folder)
        report.skipped.extend(skipped)
        for doc in documents:
            entry, problems = publish_document(doc, build_dir, out_dir, key, repo_root)
            report.problems.extend(problems)
            if entry is not None:
                entries.append(entry)
                report.published.append(out_dir / doc.relative)
                report.problems.extend(_uncommitted(entry, repo_root))
    report.removed = _remove_stale(out_dir, {e["fichier"] for e in entries})
    manifest = {
        "format": MANIFEST_FORMAT,
        "publie_le": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "commit": head_commit(repo_root),
        "signataire": key.subject,
        "documents": sorted(entries, key=lambda e: e["fichier"]),
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    report.manifest = write_text_atomic(out_dir / MANIFEST, text)
    from cpomdocs.portfolio import write_portfolio

    write_portfolio(folders, out_dir)
    return report
