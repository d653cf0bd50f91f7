"""An avenant that takes an ESSMS out of the perimeter and leaves objectives, financing or texts
that still name it: one message per thing left, at the avenant's line that removes it, naming
the field and what to write in the avenant (never « absent du périmètre » on the contract)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cpomdocs.data.validate import check_folder

EXAMPLE = Path(__file__).resolve().parent.parent / "contracts" / "asba-beaujolais-2024"
HEAD = (
    "numero: 2\nobjet: retrait de l'EHPAD Le Clos des Saules\nstatut: projet\n"
    "dates: {effet: 2027-01-01}\nmotifs: Retrait.\nmodifications:\n"
    '  etablissements:\n    "690794326": null\n'
)
LEAD = "l'avenant retire du périmètre « EHPAD Le Clos des Saules » (690794326), mais "


def problems(tmp_path: Path, avenant: str) -> list[str]:
    """The problems of the example with avenant n° 2 `avenant`, as the CLI prints them."""
    folder = tmp_path / "asba"
    shutil.copytree(EXAMPLE, folder)
    (folder / "avenants" / "02-retrait.yaml").write_text(avenant, encoding="utf-8")
    found = check_folder(folder).all_problems
    return sorted(str(p).replace(str(folder) + "/", "") for p in found)


def test_what_still_names_a_removed_essms_is_told_on_the_avenant(tmp_path: Path) -> None:
    where = "avenants/02-retrait.yaml:8:5: "
    warning = where + "avertissement: "
    text = "ce texte le nomme encore (« Clos des Saules ») : modifiez-le dans l'avenant"
    assert problems(tmp_path, HEAD) == sorted([
        where + "financement.investissements.4: " + LEAD + "l'opération « Rénovation "
        "énergétique du Clos des Saules, tranche 1 (isolation par l'extérieur, menuiseries) » "
        "(2026) du plan d'investissement le concerne encore : réécrivez dans l'avenant la liste "
        "financement.investissements sans elle (une liste se remplace entière)",
        where + "financement.investissements.5: " + LEAD + "l'opération « Rénovation "
        "énergétique du Clos des Saules, tranche 2 (chaufferie bois, gestion technique "
        "centralisée) » (2027) du plan d'investissement le concerne encore : réécrivez dans "
        "l'avenant la liste financement.investissements sans elle (une liste se remplace "
        "entière)",
        where + "financement.lignes.690794326: " + LEAD + "ses lignes de financement restent "
        '(annexe 5) : supprimez-les dans l\'avenant (financement: {lignes: {"690794326": null}})',
        where + "objectifs.O2.etablissements: " + LEAD + "l'objectif O2 le compte encore parmi "
        'ses ESSMS : écrivez dans l\'avenant objectifs: {O2: {etablissements: ["690794219"]}}',
        where + "objectifs.O3.etablissements: " + LEAD + "l'objectif O3 le compte encore parmi "
        'ses ESSMS : écrivez dans l\'avenant objectifs: {O3: {etablissements: ["690794219"]}}',
        where + "objectifs.O8.etablissements: " + LEAD + "l'objectif O8 le compte encore parmi "
        'ses ESSMS : écrivez dans l\'avenant objectifs: {O8: {etablissements: ["690794219"]}}',
        warning + "objectifs.O2.actions.A2.1.moyens: " + LEAD + text,
        warning + "objectifs.O3.actions.A3.3.pilote: " + LEAD + text,
        warning + "objectifs.O7.constat: " + LEAD + text,
        warning + "objectifs.O8.actions.A8.1.libelle: " + LEAD + text,
        warning + "objectifs.O8.constat: " + LEAD + text,
    ])  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "  objectifs:\n    O8: {etablissements: ['690794326']}\n",
            "objectifs.O8.etablissements: " + LEAD + "l'objectif O8 ne concerne que lui (une "
            "liste vide voudrait dire : tous les ESSMS) : supprimez l'objectif dans l'avenant "
            "(objectifs: {O8: null}) ou nommez les ESSMS qu'il concerne désormais",
        ),
        (
            "  suivi:\n    evaluations:\n      - {libelle: évaluation de la qualité, "
            "etablissement: '690794326', date_prevue: 2027-03-31}\n",
            "avertissement: suivi.evaluations.0: " + LEAD + "l'annexe 6 prévoit encore pour lui "
            "« évaluation de la qualité » le 2027-03-31 : réécrivez dans l'avenant la liste "
            "suivi.evaluations sans cette évaluation (une liste se remplace entière)",
        ),
    ],
    ids=["objective-of-it-alone", "evaluation-after-effect"],
)
def test_each_kind_of_leftover_has_its_message(tmp_path: Path, extra: str, expected: str) -> None:
    found = problems(tmp_path, HEAD + extra)
    assert "avenants/02-retrait.yaml:8:5: " + expected in found
    assert not [p for p in found if "absent du périmètre" in p]  # told once, on the avenant


def test_an_avenant_that_cleans_up_after_the_essms_has_no_such_message(tmp_path: Path) -> None:
    cleaned = HEAD + (
        "  objectifs:\n"
        "    O2: {etablissements: ['690794219']}\n"
        "    O3: {etablissements: ['690794219']}\n"
        "    O8: null\n"
        "  financement:\n"
        "    lignes: {'690794326': null}\n"
    )
    found = problems(tmp_path, cleaned)
    left = [p.split(": " + LEAD)[0].split(": ")[-1] for p in found if LEAD in p]
    assert sorted(left) == [  # the investments (not rewritten here) and the texts of O2, O3, O7
        "financement.investissements.4",
        "financement.investissements.5",
        "objectifs.O2.actions.A2.1.moyens",
        "objectifs.O3.actions.A3.3.pilote",
        "objectifs.O7.constat",
    ]
    assert not [p for p in found if "absent du périmètre" in p], found
