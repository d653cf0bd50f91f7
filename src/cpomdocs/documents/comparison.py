"""A comparison as a document: the contract and annexes of a new version, what changed marked."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cpomdocs import gitinfo
from cpomdocs.data.document import Document
from cpomdocs.data.messages import model_problems
from cpomdocs.data.model import Contract
from cpomdocs.documents.blocks import ComposedDocument, PageBreak, Paragraph, Run, Section
from cpomdocs.documents.compose import compose_annexes, compose_contract
from cpomdocs.documents.markdown_speed import shared_inline
from cpomdocs.documents.redline import redline_document
from cpomdocs.errors import CpomError
from cpomdocs.versions.sources import Version, around_avenant, read_avenant


def _composed(
    version: Version, created: str = "", contract_id: str = "", templates: Path | None = None
) -> ComposedDocument:
    """The contract body and its annexes of one version, as one document (dated `created`,
    else SOURCE_DATE_EPOCH or now)."""
    try:
        contract = Contract.model_validate(version.data)
    except ValidationError as exc:  # said in French, as validate says it (pydantic's is English)
        first = model_problems(exc, Document(Path(version.label), version.data))[0]
        raise CpomError(  # exit code 1, as diff --help says of an invalid version
            f"{version.label} : contrat invalide ({first.field} : {first.message}), "
            "la version annotée demande deux contrats valides"
        ) from None
    dates = contract.dates
    if dates.fin <= dates.effet:  # no year to show: the composing would fail (« erreur interne »)
        raise CpomError(
            f"{version.label} : contrat invalide (dates.fin : la date de fin {dates.fin} doit être "
            f"postérieure à la date d'effet {dates.effet}), la version annotée demande deux "
            "contrats valides"
        )
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
    heading: str = "",
) -> ComposedDocument:
    """The contract and its annexes of NEW, with what changed since OLD marked; its cover says
    what it is (`heading`), that it is no contract, and what the marks mean."""
    label = f"version annotée : {old.words} → {new.words}"
    document = redline_document(
        _composed(old, created, contract_id, templates),
        _composed(new, created, contract_id, templates),
        label,
    )
    return annotated_cover(document, heading or label[0].upper() + label[1:])


LEGEND = (
    "Légende : le texte inséré est souligné en vert, le texte supprimé est barré en rouge. "
    "Dans la version Word, ces marques sont des modifications suivies (révisions)."
)
WORKING_COPY = "Document de travail sans valeur contractuelle"


def annotated_cover(document: ComposedDocument, heading: str) -> ComposedDocument:
    """The cover titled `heading` above the contract's title, then the mention « document de
    travail sans valeur contractuelle » and the legend of the marks (on the cover's page)."""
    cover = next((b for b in document.blocks if isinstance(b, Section) and b.role == "cover"), None)
    if cover is None:
        cover = Section("cover", [])
        document.blocks[:0] = [cover, PageBreak()]
    titles = [i for i, b in enumerate(cover.children) if getattr(b, "style", "") == "title"]
    at = titles[0] if titles else 0
    for index in titles:  # the contract's own title under the heading, in smaller letters
        old = cover.children[index]
        runs = [dataclasses.replace(r, bold=True) for r in old.runs]
        cover.children[index] = dataclasses.replace(old, runs=runs, style="center")
    cover.children[at:at] = [
        Paragraph([Run(heading)], style="title"),
        Paragraph([Run(WORKING_COPY, bold=True)], style="center"),
        Paragraph([Run(LEGEND, italic=True)], style="center"),
    ]
    return document


def compose_avenant_redline(
    folder: Path,
    numero: int,
    *,
    contract_id: str,
    created: str,
    templates: Path | None = None,
    read: tuple[dict[str, Any], list[dict[str, Any]]] | None = None,
) -> ComposedDocument:
    """The contract and its annexes just after avenant n° `numero`, its changes marked; `read`,
    the data of the folder's contract and avenants already read (else read from `folder`)."""
    old, new = read_avenant(folder, numero) if read is None else around_avenant(*read, numero)
    before = "contrat initial" if numero == 1 else f"contrat modifié par l'avenant n° {numero - 1}"
    heading = f"Version annotée : {before} et avenant n° {numero}"
    return redline(old, new, created, contract_id, templates, heading)


def now_stamp() -> str:
    """SOURCE_DATE_EPOCH, else the clock (a redline asked for at the command line)."""
    return gitinfo.now().strftime("%Y-%m-%dT%H:%M:%SZ")
