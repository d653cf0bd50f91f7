"""Validation of comptes-rendus against their contract: parties, objectives, indicators, years."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from cpomdocs.data.signoff import sign_off
from cpomdocs.data.validate import check_folder

FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "ehpad-suivi"

BAD_REPORT = """\
type: comité de suivi
statut: projet
date: 2026-11-20
lieu: Montpellier
exercice: 2026
participants:
  ars:
    - {nom: Nadia Benali, qualite: inspectrice}
  cd30:
    - {nom: Paul Roux, qualite: chef de service}
realisations:
  ABS-AS: {2024: 11.0, 2026: 9.4}
  ABS-IDE: {2026: 7}
objectifs:
  O9:
    commentaire: inconnu
"""


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "ehpad-suivi"
    shutil.copytree(FIXTURE, target)
    return target


def test_fixture_is_valid() -> None:
    checked = check_folder(FIXTURE)
    assert [p for p in checked.all_problems if p.is_error] == []


def test_report_naming_unknown_things(folder: Path) -> None:
    bad = folder / "comptes-rendus" / "2026-11-20-comite.yaml"
    bad.write_text(BAD_REPORT, encoding="utf-8")
    checked = check_folder(folder)
    lines = [str(p).replace(str(folder) + "/", "") for p in checked.all_problems if p.is_error]
    assert lines == [
        "comptes-rendus/2026-11-20-comite.yaml:9:3: participants.cd30: « cd30 » n'est pas une "
        "autorité signataire du contrat (autorites : ars, cd34)",
        "comptes-rendus/2026-11-20-comite.yaml:12:12: realisations.ABS-AS.2024: année 2024 hors "
        "de la période du contrat (2025–2029)",
        "comptes-rendus/2026-11-20-comite.yaml:13:3: realisations.ABS-IDE: indicateur « ABS-IDE » "
        "absent du contrat (indicateurs : ABS-AS, ROTATION, TO-HP, PAP, ENERGIE, TO-HT)",
        "comptes-rendus/2026-11-20-comite.yaml:15:3: objectifs.O9: objectif « O9 » absent du "
        "contrat (objectifs : O1, O2, O3, O4, O5)",
    ]


AVENANT = """\
numero: 1
objet: suivi de l'absentéisme des infirmiers
statut: signé
dates: {signature: 2026-12-15, effet: 2027-01-01}
signature: {lieu: Montpellier}
motifs: Le comité de suivi a demandé un indicateur propre aux infirmiers.
modifications:
  objectifs:
    O1:
      indicateurs:
        ABS-AS:
          cibles: {2026: 9.8}
        ABS-IDE:
          libelle: Taux d'absentéisme des infirmiers
          methode_calcul: jours d'absence × 100 / jours travaillés théoriques
          source: tableau de bord de la performance ANAP
          unite: "%"
          sens: baisse
          reference: {valeur: 8.1, annee: 2025}
          cibles: {2027: 7.5, 2028: 7, 2029: 6.5}
"""
REPORT_NAMING_NEW_INDICATOR = """\
type: comité de suivi
statut: projet
date: {date}
lieu: Montpellier
exercice: 2026
realisations:
  ABS-IDE: {{2027: 7.9}}
"""


def test_reports_are_checked_against_the_contract_in_force_on_their_date(folder: Path) -> None:
    (folder / "avenants").mkdir()
    (folder / "avenants" / "01-absenteisme-ide.yaml").write_text(AVENANT, encoding="utf-8")
    sign_off(folder / "avenants" / "01-absenteisme-ide.yaml", dt.date(2026, 7, 1))
    reports = folder / "comptes-rendus"
    before = reports / "2026-12-01-comite.yaml"
    before.write_text(REPORT_NAMING_NEW_INDICATOR.format(date="2026-12-01"), encoding="utf-8")
    after = reports / "2027-03-01-comite.yaml"
    after.write_text(REPORT_NAMING_NEW_INDICATOR.format(date="2027-03-01"), encoding="utf-8")
    checked = check_folder(folder)
    errors = [p for p in checked.all_problems if p.is_error]
    assert [(Path(p.file).name, p.field, p.message) for p in errors] == [
        (
            "2026-12-01-comite.yaml",
            "realisations.ABS-IDE",
            "indicateur « ABS-IDE » absent du contrat (indicateurs : ABS-AS, ROTATION, TO-HP, PAP,"
            " ENERGIE, TO-HT)",
        )
    ]


def test_the_report_document_uses_the_targets_in_force(folder: Path) -> None:
    from cpomdocs.data.validate import contract_on
    from cpomdocs.followup.report_views import report_context

    (folder / "avenants").mkdir()
    (folder / "avenants" / "01-absenteisme-ide.yaml").write_text(AVENANT, encoding="utf-8")
    sign_off(folder / "avenants" / "01-absenteisme-ide.yaml", dt.date(2026, 7, 1))
    checked = check_folder(folder)
    reports = [c.model for c in checked.reports]
    november = next(r for r in reports if r.exercice == 2026)
    spring = november.model_copy(update={"date": dt.date(2027, 3, 1)})
    before = report_context(contract_on(checked, november.date), "x", november, reports)
    after = report_context(contract_on(checked, spring.date), "x", spring, reports)
    target = {r["code"]: r["target"] for r in before["summary"]}["ABS-AS"]
    assert target == "9,5\u00a0%"
    rows = {r["code"]: r for r in after["summary"]}
    assert rows["ABS-AS"]["target"] == "9,8\u00a0%"
    assert rows["ABS-AS"]["status"] == "atteint"  # 9.5 actual, lower is better
    assert rows["ABS-IDE"]["status"] == "non évalué"
