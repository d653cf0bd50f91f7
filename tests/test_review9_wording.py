"""Wording and legal leftovers of the session 9 review: the punctuation after a quoted alinéa,
a refused avenant named once, the parties with their article, and the examples' own words."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from incremental_support import small_portfolio

from cpomdocs.build import catalog
from cpomdocs.build.planned import ContractInput, PlannedDocument
from cpomdocs.cli.main import main
from cpomdocs.data.model import Contract
from cpomdocs.data.model_law import ActivityUnit
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.avenant import compose_avenant
from cpomdocs.documents.compose import compose_annexes, compose_contract
from cpomdocs.documents.redline import accept_all
from cpomdocs.errors import RenderError
from cpomdocs.followup.reports import compose_report
from cpomdocs.render.docx import render_docx

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
    # The last quoted alinéa ends the article with its own full stop, as in the JO (review16).
    assert "dans l'aile Est réaménagée. » Article 2" in told


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
            ["D'une part, Le préfet de la région Pays de la Loire, représenté par",
             "conclu entre le préfet de la région Pays de la Loire et l'Association Estuaire"],
            ["Pour le préfet de la région Pays de la Loire et par délégation "
             "Directeur départemental"],
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


def _line_of(text: str, words: str) -> int:
    """The number of the only line of `text` holding `words`."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if words in line]
    assert len(lines) == 1, (words, lines)
    return lines[0]


def test_places_habilitees_changed_under_the_old_act_are_warned(tmp_path: Path) -> None:
    folder = tmp_path / "asba"
    shutil.copytree(CONTRACTS / "asba-beaujolais-2024", folder)
    path = folder / "avenants" / "01-extension-ehpad-les-vignes.yaml"
    text = path.read_text(encoding="utf-8")
    act = (
        "      habilitation_acte: arrêté du président du conseil départemental du Rhône "
        "n° 2025-4133"
    )
    assert act in text
    path.write_text(text.replace(act, "      # " + act.strip()), encoding="utf-8")
    warned = [p for p in check_folder(folder).all_problems if "habilit" in p.message]
    assert [(Path(p.file).name, p.line, p.column, p.field) for p in warned] == [
        (
            path.name,
            _line_of(text, "places_habilitees: 96"),
            26,
            "modifications.etablissements.690794219.places_habilitees",
        )
    ]
    assert warned[0].message == (
        "l'avenant porte les places habilitées à l'aide sociale de l'EHPAD Les Vignes de 86 à 96 "
        "sans nouvel acte d'habilitation (habilitation_acte cite encore « arrêté du président du "
        "conseil départemental du Rhône n° 2016-5880 du 3 janvier 2017 ») : indiquez l'arrêté "
        "ou la convention qui habilite les 96 places (habilitation_acte)"
    )


def test_the_example_avenant_cites_the_act_that_habilitates_its_places() -> None:
    assert [p for p in check_folder(CONTRACTS / "asba-beaujolais-2024").all_problems] == []
    assert (
        "Vu l'arrêté du président du conseil départemental du Rhône n° 2025-4133 du 15 septembre "
        "2025 portant habilitation à l'aide sociale de l'EHPAD Les Vignes ;"
    ) in avenant_text("asba-beaujolais-2024")


def test_an_acts_object_follows_its_date() -> None:
    visa = avenant_text("chrs-estuaire-2026")
    assert (
        "Vu l'arrêté préfectoral n° 2026-DDETS-0933 du 2 octobre 2026 modifiant l'autorisation "
        "du CHRS Le Phare (extension de 10 places en diffus) ;" in visa
    )
    told = contract_text("chrs-estuaire-2026") + avenant_text("asba-beaujolais-2024")
    assert ") du " not in told.replace("(FINESS", "")


def test_amounts_off_the_stated_rate_are_warned(tmp_path: Path) -> None:
    folder = tmp_path / "asba"
    shutil.copytree(CONTRACTS / "asba-beaujolais-2024", folder)
    path = folder / "avenants" / "01-extension-ehpad-les-vignes.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("    evolution: |\n"), text.index("empreinte:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    warned = [str(p) for p in check_folder(folder).all_problems if "taux d'évolution" in p.message]
    soins, dependance = _line_of(text, "forfait_global_soins"), _line_of(text, "dependance:")
    assert warned == [
        f"{path}:{soins}:33: avertissement: modifications.financement.lignes.690794219.ars."
        "forfait_global_soins: le texte « financement.evolution » annonce un taux d'évolution "
        "de 1,5\u00a0% par an, que ne suit pas le montant que l'avenant fixe pour 2026 (forfait "
        "global de soins de l'EHPAD Les Vignes : +13\u00a0%) : dites dans ce texte ce qui fait "
        "exception (financement.evolution dans l'avenant)",
        f"{path}:{dependance}:38: avertissement: modifications.financement.lignes.690794219.cd69."
        "forfait_global_dependance: le texte « financement.evolution » annonce un taux "
        "d'évolution de 1,5\u00a0% par an, que ne suit pas le montant que l'avenant fixe pour "
        "2026 (forfait global dépendance de l'EHPAD Les Vignes : +13,1\u00a0%) : dites dans ce "
        "texte ce qui fait exception (financement.evolution dans l'avenant)",
    ]


def test_the_example_avenant_says_which_amounts_leave_the_rate() -> None:
    told = avenant_text("asba-beaujolais-2024")
    assert "ils appliquent un taux d'évolution de 1,5 % par an, sauf en 2026 pour l'EHPAD" in told


def report_text(name: str, units: dict[str, str] | None = None) -> str:
    """The text of an example's first compte-rendu (activity units changed by `units`)."""
    checked = check_folder(CONTRACTS / name)
    contract = Contract.model_validate(checked.contract.document.data)
    report = checked.reports[0].model
    for finess, unit in (units or {}).items():
        report.activite[finess].unite = ActivityUnit(unit)
    document = compose_report(contract, report, [report], contract_id=name, created=CREATED)
    return _flat(accept_all(document.blocks))


def test_activity_columns_say_their_unit() -> None:
    # the SESSAD counts actes since cents12: set back to journées, every ESSMS counts days
    told = report_text("fondation-val-d-ouche-2027", {"210007373": "journées"})
    assert "Capacité (places) Journées prévues Journées réalisées Taux" in told
    contract = contract_text("fondation-val-d-ouche-2027")
    assert "Activité cible (par an) ETP IME Les Lavandières 64 210 11 200 journées 65,5" in contract


def test_activity_in_several_units_says_it_in_each_cell() -> None:
    told = report_text("fondation-val-d-ouche-2027", {"210007373": "actes"})
    assert "Capacité (places) Activité prévue Activité réalisée Taux" in told
    assert "SESSAD Val d'Ouche 45 9 450 actes" in told


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_docx_money_tables_keep_each_amount_on_one_line(tmp_path: Path) -> None:
    data, _ = _checked("ehpad-les-cedres-2025")
    contract = Contract.model_validate(data)
    document = compose_annexes(contract, contract_id="cedres", created=CREATED)
    body = render_docx(document)
    (tmp_path / "annexes.docx").write_bytes(body)
    profile = f"-env:UserInstallation=file://{tmp_path}/profil-lo"  # one profile per soffice
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
    subprocess.run([*command, str(tmp_path / "annexes.docx")], capture_output=True, timeout=300)
    pdf = tmp_path / "annexes.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "1 533 000 €" in _flat(text)  # annex 5's first total, whole
    assert [line for line in text.splitlines() if line.strip() == "€"] == []
    with zipfile.ZipFile(tmp_path / "annexes.docx") as docx:
        xml = docx.read("word/document.xml").decode()
    header = xml[xml.index("<w:tblHeader/>") :].split("</w:tr>")[0]
    assert "<w:keepNext/>" in header  # a table's heading stays with its first rows
