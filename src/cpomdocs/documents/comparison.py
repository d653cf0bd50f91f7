"""A comparison as a document: the contract and annexes of a new version, what changed marked."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from cpomdocs import gitinfo
from cpomdocs.data.model import Contract
from cpomdocs.documents.blocks import ComposedDocument, PageBreak
from cpomdocs.documents.compose import compose_annexes, compose_contract
from cpomdocs.documents.markdown_speed import shared_inline
from cpomdocs.documents.redline import redline_document
from cpomdocs.errors import UsageError
from cpomdocs.versions.sources import Version, read_avenant


def _composed(
    version: Version, created: str = "", contract_id: str = "", templates: Path | None = None
) -> ComposedDocument:
    """The contract body and its annexes of one version, as one document (dated `created`,
    else SOURCE_DATE_EPOCH or now)."""
    try:
        contract = Contract.model_validate(version.data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(
            f"{version.label} : contrat invalide ({where} : {first['msg']}), "
            "la version annotée demande deux contrats valides"
        ) from None
    options = {
        "contract_id": contract_id,
        "created": created or now_stamp(),
        "templates": templates,
    }
    body = compose_contract(contract, **options)
    annexes = compose_annexes(contract, **options)
    return ComposedDocument(body.meta, [*body.blocks, PageBreak(), *annexes.blocks])


@shared_inline()  # the two versions' texts are nearly the same: each piece parsed once
def redline(
    old: Version,
    new: Version,
    created: str,
    contract_id: str = "",
    templates: Path | None = None,
) -> ComposedDocument:
    """The contract and its annexes of NEW, with what changed since OLD marked."""
    label = f"version annotée : {old.words} → {new.words}"
    return redline_document(
        _composed(old, created, contract_id, templates),
        _composed(new, created, contract_id, templates),
        label,
    )


def compose_avenant_redline(
    folder: Path, numero: int, *, contract_id: str, created: str, templates: Path | None = None
) -> ComposedDocument:
    """The contract and its annexes just after avenant n° `numero`, its changes marked."""
    old, new = read_avenant(folder, numero)
    return redline(old, new, created, contract_id, templates)


def now_stamp() -> str:
    """SOURCE_DATE_EPOCH, else the clock (a redline asked for at the command line)."""
    return gitinfo.now().strftime("%Y-%m-%dT%H:%M:%SZ")
