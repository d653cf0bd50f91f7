"""A small portfolio for the incremental and parallel build tests: tiny real documents."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hostile import example_data, write_contract

from cpomdocs.build import catalog as build_module
from cpomdocs.build.planned import ContractInput, PlannedDocument
from cpomdocs.documents.blocks import DocumentMeta
from cpomdocs.documents.compose import compose_markdown

TEMPLATES = {
    "fiche.md.j2": "# Fiche {{ id }}\n\nGestionnaire : {{ nom }}.\n",
    "note.md.j2": "# Note {{ id }}\n\nPremière version de la note.\n",
}


def tiny_documents(source: ContractInput) -> list[PlannedDocument]:
    """Two one-page documents per contract, each from its own override template."""
    meta = DocumentMeta("Fiche", "Fiche", "OG", "Fiche", [], "v1", source.created)
    context = {"id": source.id, "nom": source.contract.gestionnaire.nom}
    return [
        PlannedDocument(
            stem,
            stem,
            lambda stem=stem: compose_markdown(f"{stem}.md.j2", context, meta, source.templates),
            (f"{stem}.md.j2",),
        )
        for stem in ("fiche", "note")
    ]


def small_portfolio(
    root: Path, monkeypatch: pytest.MonkeyPatch, ids: tuple[str, ...] = ("c1", "c2")
) -> tuple[Path, Path]:
    """Contracts under root/contracts and override templates under root/templates."""
    monkeypatch.setattr(build_module, "DOCUMENT_SOURCES", [tiny_documents])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    for number, cid in enumerate(ids):
        data = copy.deepcopy(example_data())
        data["gestionnaire"]["nom"] = f"Association numéro {number + 1}"
        write_contract(root / "contracts" / cid, data)
    templates = root / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    for name, text in TEMPLATES.items():
        (templates / name).write_text(text, encoding="utf-8")
    return root / "contracts", templates


def stamps(folder: Path) -> dict[str, int]:
    """The modification time of every file under `folder`, by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }
