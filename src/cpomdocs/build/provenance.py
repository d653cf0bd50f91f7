"""The source attached to each built PDF: every data file of the contract, the schema, the commit.

With it a signed PDF carries what it was rendered from; `cpomdocs verify` renders it again.

Which files of a contract folder each document reads, and the date and commit it carries.

A change rebuilds only the documents that read the changed file (schedule.py): a new
compte-rendu rebuilds itself and the preparation file, not the contract. For the same reason a
document's date, commit and attached sources come from its own files, not from the whole
folder: a document left as it was is then byte-identical to one built from scratch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cpomdocs import gitinfo
from cpomdocs.data.folders import REDLINES_DIR, REPORTS_DIR
from cpomdocs.data.model_acts import MeetingReport
from cpomdocs.data.validate import ContractFolder
from cpomdocs.documents.blocks import ComposedDocument
from cpomdocs.errors import CpomError
from cpomdocs.gitinfo import folder_commit

CONTRACT_ONLY = ("contrat", "annexes")  # the signed contract: its file, nothing else
CONTRACT_LIFE = ("contrat-", "annexes-", "avenant-", f"{REDLINES_DIR}/")  # and its avenants


def document_reads(folder: ContractFolder, name: str) -> list[str]:
    """The files (relative to the contract folder) that document `name` is made from."""
    root = folder.folder

    def relative(paths: list[Path]) -> list[str]:
        return sorted({p.relative_to(root).as_posix() for p in paths})

    main = [folder.contract.path]
    avenants = [c.path for c in folder.avenants]
    reports = [(c.path, c.model) for c in folder.reports if isinstance(c.model, MeetingReport)]
    if name in CONTRACT_ONLY:
        return relative(main)
    if name.startswith(f"{REPORTS_DIR}/"):
        stem = name.split("/", 1)[1]
        this = next((report for path, report in reports if path.stem == stem), None)
        if this is not None:  # the comptes-rendus before it and itself (actuals, actions)
            shown = [p for p, r in reports if r.date < this.date or p.stem == stem]
            return relative([*main, *avenants, *shown])
    elif name.startswith("preparation-dialogue"):
        return relative([*main, *avenants, *(p for p, _ in reports)])
    elif name.startswith(CONTRACT_LIFE):
        return relative([*main, *avenants])
    # a document this list does not know: every source of the folder, to be safe
    from cpomdocs.data.folders import source_files

    return relative(list(source_files(root)))


@dataclass(frozen=True)
class Origin:
    """What a document says about its sources: its date, the commit of its files, local edits."""

    created: str  # ISO 8601 UTC
    commit: str | None
    dirty: bool

    def parts(self) -> list[str]:
        """Fingerprint parts: a new commit or date gives new bytes, so a rebuild."""
        return [f"created:{self.created}", f"commit:{self.commit or ''}", f"dirty:{self.dirty}"]


@dataclass
class FolderHistory:
    """The git history of one contract folder, read once for all its documents."""

    folder: Path
    commits: dict[str, tuple[str, int]]
    modified: set[str]

    @classmethod
    def read(cls, folder: Path) -> FolderHistory:
        """One `git log` and one `git status` of the folder (nothing outside git)."""
        return cls(folder, gitinfo.file_commits(folder), gitinfo.modified_files(folder))

    def origin(self, reads: list[str]) -> Origin:
        """SOURCE_DATE_EPOCH, else the newest commit among `reads`, else their newest mtime."""
        known = [self.commits[name] for name in reads if name in self.commits]
        newest = max(known, key=lambda commit: commit[1], default=None)
        stamp = gitinfo.source_date_epoch()
        if stamp is None and newest is not None:
            stamp = dt.datetime.fromtimestamp(newest[1], dt.UTC)
        if stamp is None:
            mtimes = [(self.folder / name).stat().st_mtime for name in reads]
            stamp = dt.datetime.fromtimestamp(int(max(mtimes, default=0)), dt.UTC)
        dirty = any(name in self.modified for name in reads)
        commit = newest[0] if newest else None
        return Origin(stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), commit, dirty)


PROVENANCE_NAME = "cpomdocs-source.json"
PROVENANCE_FORMAT = "cpomdocs-source/1"
DATA_SUFFIXES = (".yaml", ".yml", ".json")


class ProvenanceError(CpomError):
    """Raised when an attached source cannot be rendered again."""


@cache
def schema_digest() -> str:
    """The sha256 of the three JSON Schemas: the version of the data model a source follows."""
    from cpomdocs.data.schema import Kind, schema_for

    text = json.dumps([schema_for(kind) for kind in Kind], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def renderer_digest() -> str:
    """One sha256 over the cpomdocs that renders: its modules, templates, stylesheet and DOCX
    template. A publication records it, so that `verify` knows whether its own rendering can be
    compared with the published text (another cpomdocs may word a clause otherwise)."""
    digest = hashlib.sha256()
    package = Path(__file__).parents[1]
    files = (p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in sorted(files):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def contract_sources(folder: Path) -> dict[str, str]:
    """The text of the contract's own sources (cpom.yaml, avenants/, comptes-rendus/), by path
    relative to the folder: nothing else of the folder is attached to a PDF."""
    from cpomdocs.data.folders import source_files

    files, root = source_files(folder), folder.resolve()
    leaving = [path for path in files if not path.resolve().is_relative_to(root)]  # avenants/ too
    if leaving:
        raise ProvenanceError(f"{leaving[0]}: lien symbolique hors du dossier du contrat : refusé")
    return {p.relative_to(folder).as_posix(): p.read_text("utf-8") for p in files}


def contract_provenance(folder: Path, contract_id: str, created: str) -> dict[str, Any]:
    """What every document of a contract is made from (the document name is added per file)."""
    from cpomdocs import __version__

    commit, dirty = folder_commit(folder)
    return {
        "format": PROVENANCE_FORMAT,
        "cpomdocs": __version__,
        "rendu_sha256": renderer_digest(),
        "schema_sha256": schema_digest(),
        "commit": commit or None,
        "modifications_non_commitees": dirty,
        "contrat": contract_id,
        "cree": created,
        "fichiers": contract_sources(folder),
    }


def document_provenance(
    folder: Path, contract_id: str, origin: Origin, reads: tuple[str, ...] | list[str]
) -> dict[str, Any]:
    """What one document is made from: the data files it reads (document_reads), their commit."""
    from cpomdocs import __version__

    wanted = set(reads)
    files = {name: text for name, text in contract_sources(folder).items() if name in wanted}
    return {
        "format": PROVENANCE_FORMAT,
        "cpomdocs": __version__,
        "rendu_sha256": renderer_digest(),
        "schema_sha256": schema_digest(),
        "commit": origin.commit,
        "modifications_non_commitees": origin.dirty,
        "contrat": contract_id,
        "cree": origin.created,
        "fichiers": files,
    }


def sources_digest(files: dict[str, str]) -> str:
    """The sha256 of a contract's data files (path → text): what a document was built from."""
    text = json.dumps(files, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def attach_provenance(
    document: ComposedDocument, provenance: dict[str, Any], name: str
) -> ComposedDocument:
    """The document with its provenance attached (as cpomdocs-source.json) for the PDF writer,
    and told in the DOCX's custom properties (contract, document, commit, sources)."""
    payload = {**provenance, "document": name}
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    attachments = [*document.meta.attachments, (PROVENANCE_NAME, data, "application/json")]
    properties = {
        **document.meta.properties,
        "cpomdocs.contrat": str(provenance.get("contrat") or ""),
        "cpomdocs.document": name,
        "cpomdocs.commit": str(provenance.get("commit") or ""),
        "cpomdocs.modifications_non_commitees": (
            "oui" if provenance.get("modifications_non_commitees") else "non"
        ),
        "cpomdocs.sources_sha256": sources_digest(provenance.get("fichiers") or {}),
        "cpomdocs.logiciel": str(provenance.get("cpomdocs") or ""),
    }
    meta = dataclasses.replace(document.meta, attachments=attachments, properties=properties)
    return dataclasses.replace(document, meta=meta)
