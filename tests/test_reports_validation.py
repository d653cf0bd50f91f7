"""Validation of comptes-rendus against their contract: parties, objectives, indicators, years."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cpomdocs.validate import check_folder

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
        "absent du contrat",
        "comptes-rendus/2026-11-20-comite.yaml:15:3: objectifs.O9: objectif « O9 » absent du "
        "contrat",
    ]
