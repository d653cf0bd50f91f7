"""An avenant that adds an establishment, then one that removes it: the avenant inserts (and
deletes) its rows in every table of the contract and its alinéas of article 1er, in the words of
the contract as composed; the consolidated contract and the redline show the same rows."""

from __future__ import annotations

import copy
import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from test_avenant_document import DOCUMENT_DAY, FIXTURE, _docx_changes, pdf_text, plain

from cpomdocs.build.catalog import contract_input, planned_documents
from cpomdocs.data.consolidate import apply_avenants
from cpomdocs.data.signoff import sign_off
from cpomdocs.data.validate import check_folder
from cpomdocs.render.writers import writers

NEW = "340005149"
ROWS = {  # each table of the contract that prints the new EHPAD: its row, as the reader sees it
    "perimeter": "34 000 514 9 EHPAD Les Oliviers 500 – EHPAD Clermont-l'Hérault 60",
    "capacities": "EHPAD Les Oliviers Hébergement permanent 56 56 EHPAD Les Oliviers "
    "Hébergement temporaire 4 4",
    "gmp": "EHPAD Les Oliviers 702 (validé le 14 octobre 2024) 198 (validé le 5 novembre 2024) "
    "avant le 30 juin 2027",
    "tariffs": "EHPAD Les Oliviers 7,62 € tarif partiel, sans pharmacie à usage intérieur 61,40 €",
}
ADDED = [
    "L'article 1er « L'identification du gestionnaire et périmètre du contrat » est ainsi "
    "modifié : 1° Dans la partie « Présentation du gestionnaire », les mots : « un établissement "
    "» sont remplacés par les mots : « deux établissements » ;",  # two EHPAD (review17)
    "2° Au tableau du périmètre du contrat, après la ligne relative à l'EHPAD Les Cèdres, il est "
    "inséré une ligne ainsi rédigée : FINESS ET Établissement ou service Catégorie Commune "
    "Places autorisées " + ROWS["perimeter"],
    "3° Après les alinéas relatifs à l'EHPAD Les Cèdres, il est inséré deux alinéas ainsi "
    "rédigés : « L'EHPAD Les Oliviers (FINESS ET 34 000 514 9) est autorisé par arrêté conjoint "
    "ARS/CD n° 2026-0777 du 1er juillet 2026.",
    "1° Au tableau « Activité et capacités », après les lignes relatives à l'EHPAD Les Cèdres, "
    "il est inséré deux lignes ainsi rédigées : Établissement ou service Mode d'accueil Places "
    "autorisées Places installées " + ROWS["capacities"],
    "2° Au premier tableau de la partie « Dépendance et besoins en soins des résidents », après "
    "la ligne relative à l'EHPAD Les Cèdres, il est inséré une ligne ainsi rédigée : EHPAD GMP "
    "validé PMP validé Réévaluation " + ROWS["gmp"],
    "3° Au deuxième tableau de la partie « Dépendance et besoins en soins des résidents », "
    "après la ligne relative à l'EHPAD Les Cèdres, il est inséré une ligne ainsi rédigée : "
    "EHPAD Valeur du point GIR départemental Option tarifaire Tarif journalier hébergement "
    + ROWS["tariffs"],
]
REMOVED = [
    "2° Au tableau du périmètre du contrat, la ligne relative à l'EHPAD Les Oliviers est "
    "supprimée ;",
    "3° L'alinéa présentant l'EHPAD Les Oliviers et l'alinéa qui le suit sont supprimés.",
    "1° Au tableau « Activité et capacités », les lignes relatives à l'EHPAD Les Oliviers sont "
    "supprimées ;",
    "2° Au premier tableau de la partie « Dépendance et besoins en soins des résidents », la "
    "ligne relative à l'EHPAD Les Oliviers est supprimée ;",
    "3° Au deuxième tableau de la partie « Dépendance et besoins en soins des résidents », la "
    "ligne relative à l'EHPAD Les Oliviers est supprimée ;",
]


def _avenant(numero: int, objet: str, signed: str, effet: str, changes: dict[str, Any]) -> str:
    head = {
        "numero": numero,
        "objet": objet,
        "statut": "signé",
        "dates": {"signature": signed, "effet": effet},
        "signature": {"lieu": "Montpellier"},
        "motifs": "Essai.",
    }
    return yaml.safe_dump({**head, "modifications": changes}, allow_unicode=True, sort_keys=False)


def _totals(lines: dict[str, Any]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for financeurs in lines.values():
        for kinds in financeurs.values():
            for years in kinds.values():
                for year, value in years.items():
                    totals[str(year)] = round(totals.get(str(year), 0) + value, 2)
    return totals


# The documents the tests read: the two avenants, their versions annotées, the consolidation.
READ = ("avenant-02", "avenant-03", "comparaisons/avenant-02", "comparaisons/avenant-03",
        "contrat-consolide")  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with avenant 2 (an EHPAD enters, in force) and 3 (it leaves, in 2029)."""
    root = tmp_path_factory.mktemp("essms")
    folder = root / "ehpad-les-cedres"
    shutil.copytree(FIXTURE, folder)
    data = check_folder(folder)
    first = [a.model.modifications for a in data.avenants]
    before = apply_avenants(data.contract.document.data, first)
    essms = copy.deepcopy(before["etablissements"]["340005131"])
    essms.update(nom="EHPAD Les Oliviers", siret="43370215600020")
    essms["autorisation"].update(date="2026-07-01", reference="arrêté conjoint ARS/CD n° 2026-0777")
    essms["capacites"] = {
        "hebergement_permanent": {"autorisees": 56, "installees": 56},
        "hebergement_temporaire": {"autorisees": 4, "installees": 4},
    }
    essms["places_habilitees"] = 60
    essms["ehpad"].update(gmp={"valeur": 702, "date_validation": "2024-10-14"},
                          pmp={"valeur": 198, "date_validation": "2024-11-05"},
                          tarif_hebergement=61.4)  # fmt: skip
    lines = copy.deepcopy(before["financement"]["lignes"])
    lines[NEW] = {"ars": {"forfait_global_soins": {y: 800000.0 for y in range(2025, 2030)}}}
    added = {"etablissements": {NEW: essms}, "financement": {"lignes": {NEW: lines[NEW]}}}
    added["financement"]["totaux"] = _totals(lines)
    removed = {"etablissements": {NEW: None}, "financement": {"lignes": {NEW: None}}}
    removed["financement"]["totaux"] = _totals(before["financement"]["lignes"])
    for numero, name, objet, signed, effet, changes in (
        (2, "02-oliviers.yaml", "entrée de l'EHPAD Les Oliviers", "2026-07-20", "2026-08-01",
         added),
        (3, "03-sortie.yaml", "sortie de l'EHPAD Les Oliviers", "2026-08-20", "2029-01-01",
         removed),
    ):  # fmt: skip
        path = folder / "avenants" / name
        path.write_text(_avenant(numero, objet, signed, effet, changes), encoding="utf-8")
        sign_off(path, dt.date.fromisoformat(signed))
    assert check_folder(folder).all_problems == []
    output = root / "build" / folder.name
    with pytest.MonkeyPatch.context() as patch:  # only the documents read here (the whole
        patch.setenv("SOURCE_DATE_EPOCH", str(DOCUMENT_DAY))  # build is tested elsewhere)
        source = contract_input(folder, None, None, "test_avenant_essms")
        for planned in planned_documents(source):
            if planned.name in READ:
                document = planned.compose()
                for suffix, write in writers().items():
                    target = output / f"{planned.name}.{suffix}"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(write(document, None))
    assert sorted(p.name for p in output.rglob("*.pdf")) == sorted(
        f"{n.split('/')[-1]}.pdf" for n in READ
    )
    return output


def _docx_text(path: Path) -> str:
    """A DOCX's paragraphs and tables in reading order."""
    texts = []
    for block in docx.Document(str(path)).iter_inner_content():
        if isinstance(block, docx.table.Table):
            texts.extend(cell.text for row in block.rows for cell in row.cells)
        else:
            texts.append(block.text)
    return plain(" ".join(texts))


def test_the_avenant_inserts_its_rows_in_every_table(built: Path) -> None:
    for text in (pdf_text(built / "avenant-02.pdf"), _docx_text(built / "avenant-02.docx")):
        missing = [sentence for sentence in ADDED if sentence not in text]
        assert missing == []


def test_the_consolidated_contract_prints_the_rows_the_avenant_inserted(built: Path) -> None:
    text = pdf_text(built / "contrat-consolide.pdf")
    assert re.search(r"intégrant les avenants n° 1 du .{8,20} et n° 2 du ", text)
    for name, row in ROWS.items():
        assert row in text, name
    alinea = "L'EHPAD Les Oliviers (FINESS ET 34 000 514 9) est autorisé par arrêté conjoint"
    assert alinea in text


def test_the_redline_inserts_and_deletes_the_same_rows(built: Path) -> None:
    _, inserted = _docx_changes(built / "comparaisons" / "avenant-02.docx")
    deleted, _ = _docx_changes(built / "comparaisons" / "avenant-03.docx")
    for name, row in ROWS.items():
        cells = row.replace(" ", "")  # tracked runs cell by cell: compare without spaces
        assert cells in inserted.replace(" ", ""), name
        assert cells in deleted.replace(" ", ""), name


def test_the_avenant_deletes_its_rows_from_every_table(built: Path) -> None:
    for text in (pdf_text(built / "avenant-03.pdf"), _docx_text(built / "avenant-03.docx")):
        missing = [sentence for sentence in REMOVED if sentence not in text]
        assert missing == []
