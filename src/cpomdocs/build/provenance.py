"""The source attached to each built PDF: every data file of the contract, the schema, the commit.

With it a signed PDF carries what it was rendered from; `cpomdocs verify` renders it again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpomdocs.documents.blocks import ComposedDocument
from cpomdocs.errors import CpomError
from cpomdocs.gitinfo import folder_commit

if TYPE_CHECKING:
    from cpomdocs.build.reads import Origin

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
    from cpomdocs.data.folders import links_outside, source_files

    files = source_files(folder)
    leaving = [path for path, _ in links_outside(folder) if path in files]
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
    """What one document is made from: the data files it reads (reads.py), their commit."""
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
