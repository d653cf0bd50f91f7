"""A compte-rendu drafted by `cpomdocs new compte-rendu` holds zeros « à compléter »: the build
shows each as the highlighted blank « [à compléter] » (the editor's task, as `resultat_prevu`),
what follows from it as « – » (rate, gap) and its status « non évalué », never a 0 with a status;
« non renseignée » stays for a value the file does not give at all (a fact of the meeting); and
the draft hides no value of an earlier compte-rendu."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cpomdocs.cli.main import main
from cpomdocs.data.model_acts import MeetingReport
from cpomdocs.data.validate import check_folder

FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "ehpad-suivi"
NEW = "comptes-rendus/2027-03-10-comite-de-suivi"
PREPARATION = "preparation-dialogue-2027-10-15"


def _plain(text: str) -> str:
    text = text.replace("\u2010\n", "").replace("’", "'")
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def _draft(root: Path) -> Path:
    """The follow-up fixture with a new compte-rendu draft, as `cpomdocs new` writes it."""
    folder = Path(shutil.copytree(FIXTURE, root / "contracts" / "ehpad-suivi"))
    made = CliRunner().invoke(
        main, ["new", "compte-rendu", str(folder), "--type", "comité de suivi",
               "--date", "2027-03-10"],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real build (PDF and DOCX) of a contract folder holding a fresh draft."""
    root = tmp_path_factory.mktemp("brouillon")
    folder = _draft(root)
    text = (folder / f"{NEW}.yaml").read_text(encoding="utf-8")
    assert "  TO-HP: {2026: 0}  # à compléter" in text  # the case under test
    assert "  ABS-AS: {2026: 0}  # à compléter" in text  # 9.5 in the 2026-11-12 draft
    rotation = "  ROTATION: {2026: 0}  # à compléter : Taux de rotation du personnel\n"
    assert rotation in text  # taken out: a value the compte-rendu does not give at all
    (folder / f"{NEW}.yaml").write_text(text.replace(rotation, ""), encoding="utf-8")
    output = root / "build"
    result = CliRunner().invoke(
        main, ["build", str(folder.parent), "-o", str(output), "-j", "1", "--templates", "absent"]
    )
    assert result.exit_code == 0, result.output
    return output / "ehpad-suivi"


def _pdf(path: Path) -> str:
    return _plain(" ".join(page.extract_text() for page in PdfReader(path).pages))


def _docx_rows(path: Path, first_header: str) -> dict[str, list[str]]:
    table = next(t for t in docx.Document(path).tables if t.rows[0].cells[0].text == first_header)
    rows = [[_plain(c.text) for c in row.cells] for row in table.rows[1:]]
    return {row[0].split(" – ")[0]: row[1:] for row in rows}


def test_the_report_pdf_shows_a_placeholder_as_not_reported(built: Path) -> None:
    text = _pdf(built / f"{NEW}.pdf")
    # référence, cible, réalisé, écart, statut
    assert "O2 · TO-HP – Taux d'occupation de l'hébergement permanent 97,4 % (2023) 97 % " \
        "[à compléter] – non évalué" in text  # fmt: skip
    assert "TO-HP : valeur réalisée [à compléter]." in text
    assert "ROTATION : valeur réalisée non renseignée." in text  # not given: a fact, no blank
    assert "O1 · ROTATION – Taux de rotation du personnel 15 % (2024) 14 % – – non évalué" in text
    # the earlier compte-rendu's 9,5 % stands: the draft's 0 does not override it
    assert "aides-soignants 11,2 % (2023) 9,5 % 9,5 % 0 pt atteint" in text
    summary = text[text.index("Tableau récapitulatif") : text.index("Statut des objectifs")]
    assert " 0 % " not in summary and "non atteint" not in summary
    assert "Ensemble du contrat 1 1 0 0 100 %" in text  # ABS-AS alone is evaluated
    # the places come from the contract; the draft's two measures are to fill; the rate follows
    assert "EHPAD Les Cèdres 96 [à compléter] [à compléter] –" in text
    # its only line is « à compléter »: the row stays, its figure a blank to fill, not 0 €
    assert "Situation financière" in text
    assert "Ensemble du CPOM, 2026 [à compléter] – –" in text
    assert "Lieu [à compléter]" in text  # not « à compléter » as if it were a place
    assert "À compléter. Revue" not in text  # the draft's agenda is no review
    assert "O5 – Développer l'hébergement temporaire" in text.split("encore examinés")[1]


def test_the_report_docx_says_the_same(built: Path) -> None:
    rows = _docx_rows(built / f"{NEW}.docx", "Objectif et indicateur")
    assert rows["O2 · TO-HP"] == ["97,4 % (2023)", "97 %", "[à compléter]", "–", "non évalué"]
    assert rows["O1 · ROTATION"] == ["15 % (2024)", "14 %", "–", "–", "non évalué"]
    actual = docx.Document(built / f"{NEW}.docx").tables  # the blank is highlighted, as in the PDF
    cell = next(t for t in actual if t.rows[0].cells[0].text == "Objectif et indicateur")
    row = next(r for r in cell.rows if r.cells[0].text.startswith("O2 · TO-HP"))
    runs = [r for p in row.cells[3].paragraphs for r in p.runs]
    assert [r.text for r in runs] == ["[à compléter]"] and runs[0].font.highlight_color
    assert rows["O1 · ABS-AS"] == ["11,2 % (2023)", "9,5 %", "9,5 %", "0 pt", "atteint"]
    comments = _docx_rows(built / f"{NEW}.docx", "Objectif")
    assert comments["O2"] == ["non évalué", "TO-HP : valeur réalisée [à compléter]."]
    activity = _docx_rows(built / f"{NEW}.docx", "ESSMS")
    assert activity["EHPAD Les Cèdres"] == ["96", "[à compléter]", "[à compléter]", "–"]
    finances = _docx_rows(built / f"{NEW}.docx", "Périmètre et exercice")
    assert finances["Ensemble du CPOM, 2026"][:3] == ["[à compléter]", "–", "–"]


def test_the_preparation_file_keeps_the_earlier_values_and_reviews(built: Path) -> None:
    text = _pdf(built / f"{PREPARATION}.pdf")
    assert "97,4 % (2023) 96,1 % (2025) 97 % – non évalué" in text  # TO-HP: latest known 2025
    assert "Les plannings à 12 heures sont en place depuis septembre." in text
    assert "O4 – Réduire la consommation d'énergie du bâtiment abandonné" in text
    assert "À compléter" not in text


def test_only_the_marked_year_is_left_out(tmp_path: Path) -> None:
    folder = _draft(tmp_path)
    path = folder / f"{NEW}.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  TO-HP: {2026: 0}  # à compléter", "  TO-HP:\n    2025: 96.5\n    2026: 0  # à compléter"
    )
    path.write_text(text, encoding="utf-8")
    checked = next(c for c in check_folder(folder).reports if c.path == path)
    assert isinstance(checked.model, MeetingReport)
    assert checked.model.realisations["TO-HP"] == {2025: 96.5}
    assert "ABS-AS" not in checked.model.realisations
    assert [f.resultat_prevu for f in checked.model.execution_financiere] == [None]
    activity = checked.model.activite["340005131"]
    assert (activity.capacite, activity.journees_prevues, activity.journees_realisees) == (
        96,
        None,
        None,
    )


def test_an_approved_report_cannot_hold_placeholders(tmp_path: Path) -> None:
    folder = _draft(tmp_path)
    path = folder / f"{NEW}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("statut: projet", "statut: approuvé"), "utf-8"
    )
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if "  TO-HP:" in t)
    assert (
        f"{path}:{line}:3: realisations.TO-HP: valeur encore à compléter (Taux d'occupation de "
        "l'hébergement permanent) dans un document au statut « approuvé » : remplacez-la"
    ) in result.output
    built = CliRunner().invoke(main, ["build", str(folder.parent), "-o", str(tmp_path / "b")])
    assert built.exit_code != 0
    assert not (tmp_path / "b" / "ehpad-suivi" / f"{NEW}.pdf").exists()
