"""The documents of a contract's life: its consolidated version, and each avenant's own text,
made from the difference between the consolidated versions before and after it."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from cpomdocs import fmt
from cpomdocs.data.consolidate import Consolidated, apply_avenants
from cpomdocs.data.model_acts import Avenant, AvenantStatus
from cpomdocs.documents.avenant_texts import valid_contract
from cpomdocs.documents.blocks import ComposedDocument, PageBreak, Paragraph, Run, Section
from cpomdocs.documents.compose import (
    compose_annexes,
    compose_contract,
    compose_markdown,
    contract_meta,
)
from cpomdocs.documents.consolidated_marks import (
    avenant_words,
    drafted,
    mark_modified,
    modified_by,
)
from cpomdocs.documents.markdown_speed import shared_inline
from cpomdocs.documents.motifs import authorising_acts

AVENANT_TEMPLATE = "avenant.md.j2"


@shared_inline()  # the contract and annexes are composed twice: their paragraphs parsed once
def compose_avenant(
    contract_data: dict[str, Any],
    avenants: list[Avenant],
    numero: int,
    *,
    contract_id: str,
    created: str,
    templates: Path | None = None,
    source: tuple[str, bytes] | None = None,
) -> ComposedDocument:
    """Avenant n° `numero`: its articles from the diff of the consolidated versions around it."""
    ordered = sorted(avenants, key=lambda a: a.numero)
    avenant = next(a for a in ordered if a.numero == numero)
    earlier = [a for a in ordered if a.numero < numero]
    before = apply_avenants(contract_data, [a.modifications for a in earlier])
    after_data = apply_avenants(before, [avenant.modifications])
    label = f"avenant n° {numero}"
    original = valid_contract({k: v for k, v in contract_data.items() if k != "empreinte"}, label)
    options = {"contract_id": contract_id, "created": created, "templates": templates}
    articles, replaced, new = drafted(before, after_data, label, **options)
    after = new.contract
    context = new.context()
    context.update(
        legal_basis=after.base_legale.value,
        authorisations=authorising_acts(before, after_data),
        a=avenant,
        earlier=earlier,
        articles=articles,
        annexes_replaced=replaced,
        signed_on=original.dates.signature,
        first_effect=original.dates.effet,
        effect_article=len(articles) + 1,
    )
    title = f"Avenant n° {numero}"
    name, data = source or ("", None)
    meta = contract_meta(after, title=title, created=created, source_bytes=data, source_name=name)
    draft = avenant.statut is not AvenantStatus.SIGNE
    meta = dataclasses.replace(
        meta,
        subject=f"{title} au CPOM {after.reference} – {avenant.objet}",
        version_label=f"{after.reference} – avenant n° {numero}" + (" – projet" if draft else ""),
        watermark=f"PROJET – avenant n° {numero}" if draft else "",
    )
    document = compose_markdown(AVENANT_TEMPLATE, context, meta, templates)
    for number, _ in replaced:
        document.blocks.extend([PageBreak(), *new.annex(number).blocks])
    return document


def consolidated_label(consolidated: Consolidated) -> str:
    """« version consolidée au 1er juillet 2027 »."""
    day = consolidated.date or consolidated.contract.dates.effet
    return f"version consolidée au {fmt.date_fr(day)}"


def _with_cover_line(
    document: ComposedDocument, line: str, style: str = "subtitle"
) -> ComposedDocument:
    paragraph = Paragraph([Run(line)], style=style)
    for block in document.blocks:
        if isinstance(block, Section) and block.role == "cover":
            titles = [i for i, b in enumerate(block.children) if getattr(b, "style", "") == "title"]
            block.children.insert(titles[-1] + 1 if titles else 0, paragraph)
            return document
    document.blocks.insert(0, paragraph)
    return document


@shared_inline()  # the contract as composed before each avenant: its paragraphs parsed once
def compose_consolidated(
    consolidated: Consolidated,
    *,
    annexes: bool = False,
    contract_id: str,
    created: str,
    templates: Path | None = None,
    pending: list[Avenant] | None = None,
) -> ComposedDocument:
    """The contract (or its annexes) as in force at a date, titled « version consolidée au … »;
    `pending`, signed avenants that take effect later, are announced on the cover."""
    compose = compose_annexes if annexes else compose_contract
    document = compose(
        consolidated.contract, contract_id=contract_id, created=created, templates=templates
    )
    options = {"contract_id": contract_id, "created": created, "templates": templates}
    mark_modified(document, modified_by(consolidated, annexes, **options), annexes)
    label = consolidated_label(consolidated)
    line = label[0].upper() + label[1:]
    acts = [avenant_words(a) for a in consolidated.applied]
    if len(acts) == 1:
        line += f", intégrant {acts[0]}"
    elif acts:  # « intégrant les avenants n° 1 du …, n° 2 du … et n° 3 du … »
        numbers = [act.removeprefix("l'avenant ") for act in acts]
        line += f", intégrant les avenants {', '.join(numbers[:-1])} et {numbers[-1]}"
    meta = document.meta
    document.meta = dataclasses.replace(
        meta,
        version_label=f"{consolidated.contract.reference} – {label}",
        subject=f"{meta.subject} – {label}",
        watermark="",
    )
    for avenant in sorted(pending or [], key=lambda a: a.numero, reverse=True):
        signed = avenant.dates.signature
        _with_cover_line(
            document,
            f"L'avenant n° {avenant.numero}"
            + (f", signé le {fmt.date_fr(signed)}," if signed else "")
            + f" prendra effet le {fmt.date_fr(avenant.dates.effet)} : il n'est pas intégré à "
            "la présente version.",
            style="note",
        )
    return _with_cover_line(document, line)
