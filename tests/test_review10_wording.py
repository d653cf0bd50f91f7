"""Legal and wording findings of the session 9 review: an extension beside its authorisation,
the CHRS model's defined term, indicator units and act cells that break after « arrêté »."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cpomdocs.data.model import Contract
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.avenant import compose_avenant
from cpomdocs.documents.compose import compose_annexes, compose_contract
from cpomdocs.documents.redline import accept_all

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
CREATED = "2026-12-03T00:00:00Z"


def _flat(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def _checked(name: str) -> tuple[dict[str, Any], list[Any]]:
    checked = check_folder(CONTRACTS / name)
    assert checked.contract.document is not None, checked.contract.errors
    return checked.contract.document.data, [c.model for c in checked.avenants]


def contract_text(name: str) -> str:
    """The text of an example's contract, on one line, no-break spaces as spaces."""
    data, _ = _checked(name)
    document = compose_contract(Contract.model_validate(data), contract_id=name, created=CREATED)
    return _flat(accept_all(document.blocks))


def annexes_text(name: str) -> str:
    """The text of an example's annexes, on one line."""
    data, _ = _checked(name)
    document = compose_annexes(Contract.model_validate(data), contract_id=name, created=CREATED)
    return _flat(accept_all(document.blocks))


def avenant_text(name: str, numero: int = 1) -> str:
    """The text of an example's avenant, on one line."""
    data, avenants = _checked(name)
    document = compose_avenant(data, avenants, numero, contract_id=name, created=CREATED)
    return _flat(accept_all(document.blocks))


def test_a_chrs_contract_keeps_its_defined_term() -> None:
    told = contract_text("chrs-estuaire-2026")
    assert "ci-après dénommée « l'organisme gestionnaire »." in told
    assert " le gestionnaire" not in told.lower().replace("l'organisme gestionnaire", "")
    assert " du gestionnaire" not in told and " au gestionnaire" not in told
    assert "L'organisme gestionnaire transmet chaque année à l'autorité de tarification" in told
    assert "les parties fixent à l'organisme gestionnaire 2 objectifs" in told
    assert "Présentation de l'organisme gestionnaire" in told
    assert "Annexe 1 : Fiche signalétique de l'organisme gestionnaire et des" in told


def test_other_contracts_keep_le_gestionnaire() -> None:
    told = contract_text("ehpad-les-cedres-2025")
    assert "Présentation du gestionnaire" in told
    assert "organisme gestionnaire transmet" not in told


def test_an_energy_indicator_prints_its_unit() -> None:
    told = annexes_text("ehpad-les-cedres-2025")
    assert "ENERGIE 245 kWh/m²/an (2023) 240 kWh/m²/an 230 kWh/m²/an" in told
    assert "ENERGIE 232 kWh/m²/an (2022)" in annexes_text("asba-beaujolais-2024")
