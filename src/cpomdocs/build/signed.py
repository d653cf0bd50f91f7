"""The signed text: recorded at sign-off, compared when a signed act's document is rendered.

A signed file's empreinte freezes its data; the wording of its documents also comes from the
templates (cpomdocs' own and the user's templates/). `cpomdocs sign-off` records the digests of
the text of each document of the act (documents/signed_text.py); the build composes these
documents anyway, so it compares their text for free and marks a document whose text is no
longer the one signed (« Réédition », watermark) rather than let it pass for the signed copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cpomdocs import __version__, fmt
from cpomdocs.build.catalog import contract_documents, source_date
from cpomdocs.build.planned import ContractInput, life_documents
from cpomdocs.data.fingerprint import is_signed
from cpomdocs.data.folders import AVENANTS_DIR, is_contract_folder
from cpomdocs.data.model import Contract, SignedText
from cpomdocs.data.model_acts import Avenant
from cpomdocs.data.signoff import SignOffError
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.blocks import ComposedDocument
from cpomdocs.documents.signed_text import first_difference, mark_reissue, text_record

CONTRACT_ACT = ("contrat", "annexes")  # the body and the opposable annexes are signed together
DIFFERS = (
    "{file} : {act} : le texte produit pour « {label} » diffère du texte signé, à partir de "
    "« {passage} » (les modèles de cpomdocs ou de templates/ ont changé depuis la signature ; "
    "texte signé composé par cpomdocs {version}). {outcome} Pour reproduire le texte signé, "
    "{how} ; pour changer le texte du contrat, passez par un avenant"
)
MARKED = "Le PDF et le DOCX portent la mention « Réédition » : seul l'exemplaire signé fait foi."
REFUSED = "Document refusé (--strict) : aucun fichier écrit pour lui."
OTHER_RELEASE = 'construisez avec cpomdocs {version} (pip install "cpomdocs=={version}")'
SAME_RELEASE = "rétablissez la rédaction signée dans templates/ (ou retirez-en la modification)"


def act_names(model: Contract | Avenant) -> tuple[str, ...]:
    """The documents of the build that make up the act signed in a contract or avenant file."""
    return CONTRACT_ACT if isinstance(model, Contract) else (f"avenant-{model.numero:02d}",)


def _act_of(source: ContractInput, name: str) -> tuple[Path, Contract | Avenant] | None:
    """The signed file whose act includes the document `name`, and its model."""
    if name in CONTRACT_ACT:
        signed = is_signed(source.contract)
        return (source.checked.contract.path, source.contract) if signed else None
    for checked in source.checked.avenants:
        model = checked.model
        if isinstance(model, Avenant) and is_signed(model) and name in act_names(model):
            return checked.path, model
    return None


@dataclass
class TextCheck:
    """A rendered document checked against its signed text."""

    document: ComposedDocument
    warning: str = ""  # its text differs from the signed one (the document is then marked)
    unverified: str = ""  # the signed file, when its empreinte holds no text to compare with


def check_signed_text(
    source: ContractInput, name: str, label: str, doc: ComposedDocument, strict: bool = False
) -> TextCheck:
    """Compare a composed document of a signed act with the text recorded at sign-off; when it
    differs, the document comes back marked as a reissue, with the warning to print (strict: the
    reason to refuse it)."""
    act = _act_of(source, name)
    if act is None or act[1].empreinte is None:
        return TextCheck(doc)
    path, model = act
    texte = model.empreinte.texte  # type: ignore[union-attr]
    if texte is None or name not in texte.documents:
        return TextCheck(doc, unverified=str(path))
    passage = first_difference(texte.documents[name].model_dump(), doc)
    if passage is None:
        return TextCheck(doc)
    signed = fmt.date_fr(model.dates.signature)
    if isinstance(model, Contract):
        act_label = f"version {model.version}, signée le {signed}"
    else:
        act_label = f"avenant n° {model.numero}, signé le {signed}"
    how = SAME_RELEASE if texte.cpomdocs == __version__ else OTHER_RELEASE
    warning = DIFFERS.format(
        file=path,
        act=act_label,
        label=label,
        passage=passage,
        version=texte.cpomdocs,
        outcome=REFUSED if strict else MARKED,
        how=how.format(version=texte.cpomdocs),
    )
    return TextCheck(mark_reissue(doc, signed, passage), warning)


def _folder_of(path: Path) -> Path:
    folder = path.parent.parent if path.parent.name == AVENANTS_DIR else path.parent
    if not is_contract_folder(folder):
        raise SignOffError(
            path, "ni contrat ni avenant d'un dossier de contrat : son texte ne peut être composé"
        )
    return folder


def signed_text(path: Path, templates: Path | None = None) -> dict[str, Any]:
    """The digests of the text of the act signed in `path` (a contract or an avenant file of a
    contract folder), composed as the build composes it (for `cpomdocs sign-off`)."""
    folder = _folder_of(path)
    checked = check_folder(folder)
    contract = checked.contract.model
    if not isinstance(contract, Contract):
        raise SignOffError(
            path, f"{checked.contract.path} invalide : le texte ne peut être composé"
        )
    created = source_date(folder).strftime("%Y-%m-%dT%H:%M:%SZ")
    source = ContractInput(folder.name, folder, checked, contract, "", b"", created, templates)
    model: Contract | Avenant = contract
    for other in checked.avenants:
        if other.path.resolve() == path.resolve() and isinstance(other.model, Avenant):
            model = other.model
    if model is contract and path.resolve() != checked.contract.path.resolve():
        raise SignOffError(path, "avenant invalide : son texte ne peut être composé")
    planned = {p.name: p for p in [*contract_documents(source), *life_documents(source)]}
    documents = {name: text_record(planned[name].compose()) for name in act_names(model)}
    return SignedText(cpomdocs=__version__, documents=documents).model_dump()  # type: ignore[arg-type]
