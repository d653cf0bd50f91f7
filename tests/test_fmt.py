"""French formatting goes through cpomdocs.fmt: the same value prints the same in every document."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

import pytest

from cpomdocs import fmt
from cpomdocs.build.catalog import contract_input, planned_documents
from cpomdocs.data.signoff import sign_off
from cpomdocs.documents.blocks import Block, Heading, ListBlock, Paragraph, Section, Table
from cpomdocs.documents.markdown import plain_text

EXAMPLE = Path(__file__).resolve().parent.parent / "contracts" / "asba-beaujolais-2024"
NNBSP, NBSP, MINUS = "\u202f", "\u00a0", "\u2212"
AMOUNT = f"1{NNBSP}200,50{NBSP}€"  # 1200.5 as the annexe financière prints it


def block_texts(blocks: list[Block]) -> list[str]:
    """The text of every paragraph, heading and table cell of blocks."""
    found: list[str] = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            found.append(plain_text(block.runs))
        elif isinstance(block, Table):
            found.extend(plain_text(cell) for row in [block.header, *block.rows] for cell in row)
        elif isinstance(block, ListBlock):
            for item in block.items:
                found.extend(block_texts(item))
        elif isinstance(block, Section):
            found.extend(block_texts(block.children))
    return found


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every document of the example, an indicator in euros (1 200,5) in its data and reports."""
    folder = tmp_path_factory.mktemp("fmt") / EXAMPLE.name
    shutil.copytree(EXAMPLE, folder)
    cpom = folder / "cpom.yaml"
    text = cpom.read_text(encoding="utf-8")
    text = text.replace(
        "        unite: nombre\n        sens: hausse\n        reference: {valeur: 42, annee: 2022}",
        "        unite: €\n        sens: hausse\n        reference: {valeur: 1200.5, annee: 2022}",
    )
    cpom.write_text(text, encoding="utf-8")
    # a signed contract carries its fingerprint (a new signed content: --nouveau-contenu)
    sign_off(cpom, dt.date(2026, 11, 23), replace_content=True)
    report = folder / "comptes-rendus" / "2026-10-08-point-a-mi-parcours.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace(
            "AIDANTS: {2024: 47, 2025: 64}", "AIDANTS: {2024: 1200.5, 2025: 64}"
        ),
        encoding="utf-8",
    )
    digest = hashlib.sha256(cpom.read_bytes()).hexdigest()
    source = contract_input(folder, None, None, digest)
    assert not source.failure
    return {
        planned.name: "\n".join(block_texts(planned.compose().blocks))
        for planned in planned_documents(source)
    }


def test_an_amount_prints_the_same_in_every_document_kind(documents: dict[str, str]) -> None:
    holding = {name for name, text in documents.items() if AMOUNT in text}
    # the indicator table of the annexes, the compte-rendu's tracking, the preparation file
    assert {"annexes", "comptes-rendus/2026-10-08-point-a-mi-parcours"} <= holding
    assert any(name.startswith("preparation") for name in holding), sorted(documents)
    for name, text in documents.items():
        assert f"1{NNBSP}200,5{NBSP}€" not in text, name


def test_every_amount_has_cents_or_none_and_a_minus_sign(documents: dict[str, str]) -> None:
    """One format per amount kind: « 1 234,50 € » or « 1 235 € », never « 1 234,5 € » or « -5 »."""
    amount = re.compile(rf"[-{MINUS}+]?\d[\d{NNBSP}]*(,\d+)?{NBSP}€")
    for name, text in documents.items():
        for found in amount.finditer(text):
            shown = found.group()
            assert not shown.startswith("-"), (name, shown)
            assert found.group(1) in (None, ",00") or len(found.group(1)) == 3, (name, shown)


def test_fmt_formats() -> None:
    assert fmt.amount(-25000) == f"{MINUS}25{NNBSP}000,00{NBSP}€"
    assert fmt.amount_round(-18700.4) == f"{MINUS}18{NNBSP}700{NBSP}€"
    assert fmt.signed(-3.2, fmt.percent(3.2)) == f"{MINUS}3,2{NBSP}%"
    assert fmt.gap(-0.9, "%") == f"{MINUS}0,9{NBSP}pt"
    assert fmt.gap(-2, "jours") == f"{MINUS}2{NBSP}jours"
    assert fmt.with_unit(1200.5, "€") == AMOUNT
    assert fmt.with_unit(3, "heures") == f"3{NBSP}h"
    assert fmt.rate(0.4) == f"40{NBSP}%"
    assert fmt.date_or(None) == "date à fixer"
    assert fmt.date_fr(dt.date(2026, 1, 1)) == "1er janvier 2026"
