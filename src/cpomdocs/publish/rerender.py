"""A published PDF rendered again from the source attached to it, and compared with its text,
as `verify` does, within a time limit (a PDF received by mail may carry any source)."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from cpomdocs.build.catalog import planned_documents
from cpomdocs.build.planned import ContractInput
from cpomdocs.build.provenance import (
    DATA_SUFFIXES,
    PROVENANCE_FORMAT,
    PROVENANCE_NAME,
    ProvenanceError,
    attach_provenance,
    renderer_digest,
)
from cpomdocs.build.signed import check_signed_text
from cpomdocs.build.task import DEFAULT_TIMEOUT, Expired, time_limit
from cpomdocs.errors import CpomError
from cpomdocs.fmt import plural
from cpomdocs.publish.seal import attached_source, document_text, first_difference
from cpomdocs.publish.verify_checks import Check, Outcome, VerifyReport, unreadable

OTHER_RENDERER = "produit par une autre version de cpomdocs"  # a « NON VÉRIFIÉ » new render
TIMED_OUT = (
    "interrompu au bout de {seconds} s (limite de --timeout) : la source jointe "
    "n'a pas été comparée au texte du PDF ; relancez avec un --timeout plus grand"
)


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or path.suffix not in DATA_SUFFIXES:
        raise ProvenanceError(f"source jointe : chemin de fichier refusé « {name} »")
    return path


def _write_sources(folder: Path, files: Any) -> None:
    """The attached source files, written under `folder`; ProvenanceError for what no file can
    be (a PDF received by mail may carry anything: a NUL, a lone surrogate, a list)."""
    if not isinstance(files, dict) or not all(isinstance(t, str) for t in files.values()):
        raise ProvenanceError("source jointe : « fichiers » n'est pas une table de textes")
    try:
        for relative, text in files.items():
            target = folder / _safe_relative(str(relative))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
    except (OSError, ValueError) as exc:  # NUL, surrogate, name too long, a file as a folder
        why = type(exc).__name__
        raise ProvenanceError(f"source jointe : fichiers impossibles à écrire ({why})") from None


def render_provenance(provenance: dict[str, Any], templates: Path | None = None) -> bytes:
    """Render the document described by an attached provenance again, as PDF."""
    from cpomdocs.data.folders import contract_file
    from cpomdocs.data.model import Contract
    from cpomdocs.data.validate import check_folder
    from cpomdocs.render.pdf import render_pdf

    if provenance.get("format") != PROVENANCE_FORMAT:
        raise ProvenanceError("source jointe d'un format inconnu")
    contract_id, name = str(provenance.get("contrat", "")), str(provenance.get("document", ""))
    with tempfile.TemporaryDirectory(prefix="cpomdocs-verify-") as tmp:
        if not contract_id or "/" in contract_id or contract_id.startswith("."):
            raise ProvenanceError(
                f"source jointe : identifiant de contrat refusé « {contract_id} »"
            )
        folder = Path(tmp) / contract_id
        _write_sources(folder, provenance.get("fichiers"))
        if not isinstance(created := provenance.get("cree"), str):  # was KeyError: 'cree'
            raise ProvenanceError("source jointe : date de création (« cree ») "
                                  "absente ou illisible")  # fmt: skip
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
            created=created,
            templates=templates,
        )
        planned = {p.name: p for p in planned_documents(source)}
        if name not in planned:
            raise ProvenanceError(f"document « {name} » inconnu de cette version de cpomdocs")
        # marked as the build marked it when its text is no longer the signed one
        composed = check_signed_text(source, name, name, planned[name].compose()).document
        document = attach_provenance(composed, provenance, name)
        return render_pdf(document, templates)


def _describe(name: str, source: dict[str, Any]) -> str:
    if source.get("format") != PROVENANCE_FORMAT:
        return f"source jointe « {name} »"
    commit = str(source.get("commit") or "hors git")[:12]
    dirty = ", modifications non commitées" if source.get("modifications_non_commitees") else ""
    files = len(source.get("fichiers") or {})
    return f"source jointe « {name} » ({plural(files, 'fichier')}, commit {commit}{dirty})"


def check_source(
    data: bytes,
    shown: str,
    report: VerifyReport,
    render: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> None:
    """The source is attached, and rendering it again (within `timeout` seconds) gives the
    same text."""
    try:
        attached = attached_source(data)
    except Exception as exc:
        report.add(shown, "source", False, f"pièces jointes illisibles : {unreadable(exc)}")
        return
    if attached is None:
        report.add(shown, "source", False, "aucune source (JSON ou YAML) jointe au PDF")
        return
    name, source = attached
    report.add(shown, "source", True, _describe(name, source))
    if not render:
        return
    if source.get("format") != PROVENANCE_FORMAT:
        message = f"« {name} » ne décrit pas le rendu (pas de {PROVENANCE_NAME}) : rendu impossible"
        report.checks.append(Check(shown, "nouveau rendu", Outcome.SKIPPED, message))
        return
    try:
        with time_limit(timeout):
            again = render_provenance(source)
    except CpomError as exc:
        report.add(shown, "nouveau rendu", False, str(exc))
        return
    except Expired:
        seconds = f"{timeout:g}".replace(".", ",")
        message = TIMED_OUT.format(seconds=seconds)
        report.checks.append(Check(shown, "nouveau rendu", Outcome.SKIPPED, message))
        return
    published, rendered = document_text(data), document_text(again)
    if published == rendered:
        report.add(shown, "nouveau rendu", True, "la source jointe redonne le même texte")
        return
    where = first_difference(published, rendered)
    recorded = source.get("rendu_sha256")
    if isinstance(recorded, str) and recorded != renderer_digest():
        # another cpomdocs (a release, other templates) may word a clause otherwise: a
        # difference says nothing about the document, only that this version cannot judge it
        message = (
            f"{OTHER_RENDERER} ({source.get('cpomdocs')}, empreinte "
            f"du rendu {recorded[:12]}) que celle-ci ({renderer_digest()[:12]}), dont le texte "
            f"diffère : {where} ; refaites la vérification avec la version qui l'a produit"
        )
        report.checks.append(Check(shown, "nouveau rendu", Outcome.SKIPPED, message))
        return
    report.add(shown, "nouveau rendu", False, f"la source jointe donne un autre texte : {where}")
