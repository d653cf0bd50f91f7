"""The source attached to each built PDF: every data file of the contract, the schema, the commit.

With it a signed PDF carries what it was rendered from; `cpomdocs verify` renders it again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tempfile
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from cpomdocs.documents.blocks import ComposedDocument
from cpomdocs.errors import CpomError
from cpomdocs.publish.attachments import git_output

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


def contract_sources(folder: Path) -> dict[str, str]:
    """The text of every data file of a contract folder, by path relative to the folder."""
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix in DATA_SUFFIXES]
    return {p.relative_to(folder).as_posix(): p.read_text("utf-8") for p in sorted(files)}


def contract_provenance(folder: Path, contract_id: str, created: str) -> dict[str, Any]:
    """What every document of a contract is made from (the document name is added per file)."""
    from cpomdocs import __version__

    commit = git_output(folder, "log", "-1", "--format=%H", "--", ".")
    dirty = bool(git_output(folder, "status", "--porcelain", "--", "."))
    return {
        "format": PROVENANCE_FORMAT,
        "cpomdocs": __version__,
        "schema_sha256": schema_digest(),
        "commit": commit or None,
        "modifications_non_commitees": dirty,
        "contrat": contract_id,
        "cree": created,
        "fichiers": contract_sources(folder),
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


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or path.suffix not in DATA_SUFFIXES:
        raise ProvenanceError(f"source jointe : chemin de fichier refusé « {name} »")
    return path


def render_provenance(provenance: dict[str, Any], templates: Path | None = None) -> bytes:
    """Render the document described by an attached provenance again, as PDF."""
    from cpomdocs.build.catalog import ContractInput, planned_documents
    from cpomdocs.data.model import Contract
    from cpomdocs.data.validate import check_folder, contract_file
    from cpomdocs.render.pdf import render_pdf

    if provenance.get("format") != PROVENANCE_FORMAT:
        raise ProvenanceError("source jointe d'un format inconnu")
    contract_id, name = str(provenance["contrat"]), str(provenance["document"])
    with tempfile.TemporaryDirectory(prefix="cpomdocs-verify-") as tmp:
        if not contract_id or "/" in contract_id or contract_id.startswith("."):
            raise ProvenanceError(
                f"source jointe : identifiant de contrat refusé « {contract_id} »"
            )
        folder = Path(tmp) / contract_id
        for relative, text in provenance["fichiers"].items():
            target = folder / _safe_relative(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        checked = check_folder(folder)
        if not checked.ok or not isinstance(checked.contract.model, Contract):
            raise ProvenanceError("la source jointe n'est plus valide avec le schéma actuel")
        main = contract_file(folder)
        source = ContractInput(
            id=contract_id,
            folder=folder,
            checked=checked,
            contract=checked.contract.model,
            source_name=main.name,
            source_bytes=main.read_bytes(),
            created=str(provenance["cree"]),
            templates=templates,
        )
        planned = {p.name: p for p in planned_documents(source)}
        if name not in planned:
            raise ProvenanceError(f"document « {name} » inconnu de cette version de cpomdocs")
        document = attach_provenance(planned[name].compose(), provenance, name)
        return render_pdf(document, templates)
