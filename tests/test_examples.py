"""The example portfolio of contracts/: every folder is valid and keeps what it demonstrates."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from cpomdocs.data.consolidate import consolidate
from cpomdocs.data.load import load_document
from cpomdocs.data.model import Contract, ContractStatus, LegalBasis
from cpomdocs.data.model_acts import Avenant, AvenantStatus, MeetingKind, MeetingReport
from cpomdocs.data.validate import ContractFolder, check_file, check_folder

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
FOLDERS = sorted(p for p in CONTRACTS.iterdir() if (p / "cpom.yaml").is_file())
ASSOCIATION = CONTRACTS / "asba-beaujolais-2024"
HANDICAP = CONTRACTS / "fondation-val-d-ouche-2027"
SINGLE_EHPAD = CONTRACTS / "ehpad-les-cedres-2025"
SCHEMA_HEADER = "# yaml-language-server: $schema="


@pytest.fixture(scope="module")
def checked() -> dict[str, ContractFolder]:
    return {folder.name: check_folder(folder) for folder in FOLDERS}


def contract_of(result: ContractFolder) -> Contract:
    assert isinstance(result.contract.model, Contract)
    return result.contract.model


def test_the_portfolio_holds_the_three_examples() -> None:
    assert {ASSOCIATION, HANDICAP, SINGLE_EHPAD} <= set(FOLDERS)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_example_validates_without_error_or_warning(
    folder: Path, checked: dict[str, ContractFolder]
) -> None:
    problems = checked[folder.name].all_problems
    # A draft under negotiation may still say what is left to fill in, and only that.
    pending = [p for p in problems if not p.is_error and p.message.startswith("à compléter")]
    problems = [p for p in problems if p not in pending]
    assert problems == [], "\n".join(str(p) for p in problems)
    if pending:
        assert checked[folder.name].contract.document.data["statut"] == "projet"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_file_names_its_schema_for_editors(folder: Path) -> None:
    expected = {
        folder / "cpom.yaml": "../../schema/cpom.schema.json",
        **{p: "../../../schema/avenant.schema.json" for p in folder.glob("avenants/*.yaml")},
        **{p: "../../../schema/compte-rendu.schema.json" for p in folder.glob("comptes-rendus/*")},
    }
    for path, schema in expected.items():
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert first_line == SCHEMA_HEADER + schema, path
        assert (path.parent / schema).resolve().is_file(), path


def test_association_runs_two_ehpad_a_ssiad_and_a_day_care(
    checked: dict[str, ContractFolder],
) -> None:
    contract = contract_of(checked[ASSOCIATION.name])
    categories = Counter(e.categorie.code for e in contract.etablissements.values())
    assert categories == Counter({"500": 2, "354": 1, "207": 1})
    assert contract.statut is ContractStatus.SIGNE
    assert contract.base_legale is LegalBasis.EHPAD
    assert set(contract.autorites) == {"ars", "cd69"}
    assert len(contract.objectifs) >= 8
    assert len(contract.all_indicators()) >= 15
    directions = {indicator.sens.value for _, indicator in contract.all_indicators().values()}
    assert directions == {"hausse", "baisse"}
    assert {d.annee for d in contract.suivi.dialogues} == {2026, 2028}
    years = range(2024, 2029)
    for finess in contract.etablissements:
        assert finess in contract.financement.lignes
    assert sorted(contract.financement.totaux) == list(years)


def test_association_has_one_signed_avenant_that_keeps_the_contract_valid(
    checked: dict[str, ContractFolder], tmp_path: Path
) -> None:
    result = checked[ASSOCIATION.name]
    assert len(result.avenants) == 1
    avenant = result.avenants[0].model
    assert isinstance(avenant, Avenant)
    assert avenant.numero == 1 and avenant.statut is AvenantStatus.SIGNE
    assert result.avenants[0].path.name.startswith("01-extension-")

    contract_data = load_document(ASSOCIATION / "cpom.yaml").data
    patched = consolidate(contract_data, [avenant]).data  # without the contract's empreinte
    patched["statut"] = "projet"  # a signed file needs its fingerprint; this one has none
    consolidated = tmp_path / "cpom.json"
    consolidated.write_text(json.dumps(patched, ensure_ascii=False), encoding="utf-8")
    after = check_file(consolidated)
    assert after.problems == [], "\n".join(str(p) for p in after.problems)

    before, extended = contract_of(result), after.model
    assert isinstance(extended, Contract)
    [finess] = avenant.modifications["etablissements"]
    capacity_before = before.etablissements[finess].capacites.hebergement_permanent
    capacity_after = extended.etablissements[finess].capacites.hebergement_permanent
    assert capacity_before and capacity_after
    assert capacity_after.autorisees == capacity_before.autorisees + 10
    effect_year = avenant.dates.effet.year
    assert extended.financement.totaux[effect_year] > before.financement.totaux[effect_year]
    assert (
        extended.financement.totaux[effect_year - 1] == before.financement.totaux[effect_year - 1]
    )


def test_association_has_a_follow_up_committee_and_a_mid_term_review(
    checked: dict[str, ContractFolder],
) -> None:
    result = checked[ASSOCIATION.name]
    reports = [c.model for c in result.reports]
    assert all(isinstance(r, MeetingReport) for r in reports)
    kinds = {r.type for r in reports if isinstance(r, MeetingReport)}
    assert kinds == {MeetingKind.COMITE_SUIVI, MeetingKind.MI_PARCOURS}
    [review] = [
        r for r in reports if isinstance(r, MeetingReport) and r.type is MeetingKind.MI_PARCOURS
    ]
    codes = set(contract_of(result).all_indicators())
    assert set(review.realisations) == codes
    missing = [code for code, values in review.realisations.items() if set(values) != {2024, 2025}]
    assert len(missing) == 1
    assert any(d.avenant_necessaire for d in review.decisions)
    assert {a.statut.value for a in review.actions.values()} >= {"à faire", "fait"}
    assert set(review.activite) == set(contract_of(result).etablissements)


def test_handicap_example_is_a_draft_with_a_common_allocation(
    checked: dict[str, ContractFolder],
) -> None:
    result = checked[HANDICAP.name]
    contract = contract_of(result)
    assert contract.statut is ContractStatus.PROJET and contract.dates.signature is None
    assert contract.base_legale is LegalBasis.HANDICAP
    codes = {e.categorie.code for e in contract.etablissements.values()}
    assert codes == {"183", "182", "255", "437", "246"}
    dgc = contract.financement.dotation_globalisee_commune
    assert dgc is not None and dgc.beneficiaire in contract.etablissements
    shares = [
        funding.dotation_globalisee_commune
        for by_party in contract.financement.lignes.values()
        for funding in by_party.values()
    ]
    for year, amount in dgc.montants.items():
        assert amount == pytest.approx(sum(share.get(year, 0.0) for share in shares))
    [fam] = [f for f, e in contract.etablissements.items() if e.categorie.code == "437"]
    assert set(contract.financement.lignes[fam]) == {"ars", "cd21"}
    assert 6 <= len(contract.objectifs) <= 8
    kinds = [c.model.type for c in result.reports if isinstance(c.model, MeetingReport)]
    assert kinds == [MeetingKind.COMITE_PILOTAGE]


def test_single_ehpad_example_has_one_establishment(checked: dict[str, ContractFolder]) -> None:
    contract = contract_of(checked[SINGLE_EHPAD.name])
    assert len(contract.etablissements) == 1
