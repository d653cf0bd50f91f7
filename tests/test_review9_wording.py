"""Wording and legal leftovers of the session 9 review: the punctuation after a quoted alinéa,
a refused avenant named once, the parties with their article, and the examples' own words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from incremental_support import small_portfolio

from cpomdocs.build import catalog
from cpomdocs.build.planned import ContractInput, PlannedDocument
from cpomdocs.cli.main import main
from cpomdocs.data.model import Contract
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.avenant import compose_avenant
from cpomdocs.documents.compose import compose_contract
from cpomdocs.documents.redline import accept_all
from cpomdocs.errors import RenderError

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
CREATED = "2026-12-03T00:00:00Z"


def _flat(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def _checked(name: str) -> tuple[dict[str, Any], list[Any]]:
    checked = check_folder(CONTRACTS / name)
    assert checked.contract.document is not None
    return checked.contract.document.data, [c.model for c in checked.avenants]


def avenant_text(name: str, numero: int = 1) -> str:
    """The text of an example's avenant, on one line, no-break spaces as spaces."""
    data, avenants = _checked(name)
    document = compose_avenant(data, avenants, numero, contract_id=name, created=CREATED)
    return _flat(accept_all(document.blocks))


def contract_text(name: str) -> str:
    """The text of an example's contract, on one line."""
    data, _ = _checked(name)
    document = compose_contract(Contract.model_validate(data), contract_id=name, created=CREATED)
    return _flat(accept_all(document.blocks))


def test_a_point_ending_with_a_quoted_alinea_ends_with_its_punctuation() -> None:
    told = avenant_text("asba-beaujolais-2024")
    assert "infirmière de coordination (IDEC). » ; 4° L'alinéa" in told
    assert "dans l'aile Est réaménagée. ». Article 2" in told


def refused(source: ContractInput) -> list[PlannedDocument]:
    """An avenant whose composition is refused with a message that names it."""

    def compose() -> object:
        raise RenderError("avenant n° 2 : le modèle du contrat n'imprime pas la durée")

    return [PlannedDocument("avenant-02", "avenant n° 2", compose, ("fiche.md.j2",))]


def test_a_refused_avenant_is_named_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    contracts, templates = small_portfolio(tmp_path, monkeypatch, ids=("c1",))
    monkeypatch.setattr(catalog, "DOCUMENT_SOURCES", [refused])
    args = ["build", str(contracts), "-o", str(tmp_path / "build"), "--templates", str(templates)]
    result = CliRunner().invoke(main, [*args, "-f", "pdf", "-j", "1"])
    assert result.exit_code == 1
    said = "échec : avenant n° 2 : le modèle du contrat n'imprime pas la durée"
    assert f"  {said}" in result.output.splitlines()
    assert "avenant n° 2 : avenant n° 2" not in result.output


@pytest.mark.parametrize(
    ("name", "parties", "signs"),
    [
        (
            "asba-beaujolais-2024",
            ["L'Agence régionale de santé Auvergne-Rhône-Alpes, représentée par",
             "Le Département du Rhône, représenté par"],
            ["Pour l'Agence régionale de santé Auvergne-Rhône-Alpes Directrice générale,",
             "Pour l'Association Saône-Beaujolais Autonomie Président"],
        ),
        (
            "chrs-estuaire-2026",
            ["D'une part, Le préfet de la région Pays de la Loire, représenté par"],
            ["Pour le préfet de la région Pays de la Loire Directeur départemental"],
        ),
    ],
)  # fmt: skip
def test_the_parties_are_named_with_their_article(
    name: str, parties: list[str], signs: list[str]
) -> None:
    told = contract_text(name)
    for words in [*parties, *signs]:
        assert words in told
    assert "D'une part, Agence" not in told and "D'une part, Préfet" not in told
