"""A published PDF rendered again from the source attached to it, as `verify` does."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from cpomdocs.build.catalog import planned_documents
from cpomdocs.build.planned import ContractInput
from cpomdocs.build.provenance import (
    DATA_SUFFIXES,
    PROVENANCE_FORMAT,
    ProvenanceError,
    attach_provenance,
)
from cpomdocs.build.signed import check_signed_text


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or path.suffix not in DATA_SUFFIXES:
        raise ProvenanceError(f"source jointe : chemin de fichier refusé « {name} »")
    return path


def render_provenance(provenance: dict[str, Any], templates: Path | None = None) -> bytes:
    """Render the document described by an attached provenance again, as PDF."""
    from cpomdocs.data.folders import contract_file
    from cpomdocs.data.model import Contract
    from cpomdocs.data.validate import check_folder
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
        # marked as the build marked it when its text is no longer the signed one
        composed = check_signed_text(source, name, name, planned[name].compose()).document
        document = attach_provenance(composed, provenance, name)
        return render_pdf(document, templates)
