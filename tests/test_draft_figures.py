"""A fresh draft's numbers « # à compléter » (capacities, GMP/PMP, point GIR, amounts and their
totals, indicator references and targets) print as the highlighted blank « [à compléter] » in
the PDF and the DOCX, never as 0 (« 0 place », « 0,00 € », « zéro euro », « 0 % »); a total
over an amount still to fill is a blank too, while the figures already filled show."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cpomdocs.cli.main import main
from cpomdocs.data.validate import check_file

BLANK = "[à compléter]"
FILLED_SOINS = (
    "        forfait_global_soins: {2027: 1200000, 2028: 1220000, 2029: 1240000, "
    "2030: 1260000, 2031: 1280000}\n"
)


def _plain(text: str) -> str:
    text = text.replace("\u2010\n", "").replace("’", "'")
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def _pdf(path: Path) -> str:
    return _plain(" ".join(page.extract_text() for page in PdfReader(path).pages))


def _new(root: Path, name: str, base: str) -> Path:
    folder = root / "contracts" / name
    made = CliRunner().invoke(main, ["new", str(folder), "--base", base, "--effet", "2027-01-01"])
    assert made.exit_code == 0, made.output
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Three drafts built for real: EHPAD and handicap as `cpomdocs new` writes them, and an
    EHPAD whose ARS line is filled (the comment « # à compléter » gone)."""
    root = tmp_path_factory.mktemp("chiffres")
    _new(root, "ehpad", "ehpad")
    _new(root, "handicap", "handicap")
    partial = _new(root, "ehpad-partiel", "ehpad") / "cpom.yaml"
    text = partial.read_text(encoding="utf-8")
    line = re.search(r"^ +forfait_global_soins: .*# à compléter\n", text, re.M)
    assert line is not None
    text = text.replace(line.group(), FILLED_SOINS).replace(  # the rule: totals = sum of lines
        "totaux: {2027: 0, 2028: 0, 2029: 0, 2030: 0, 2031: 0}",
        "totaux: {2027: 1200000, 2028: 1220000, 2029: 1240000, 2030: 1260000, 2031: 1280000}",
    )
    partial.write_text(text, encoding="utf-8")
    output = root / "build"
    result = CliRunner().invoke(
        main, ["build", str(root / "contracts"), "-o", str(output), "-j", "2"]
    )
    assert result.exit_code == 0, result.output
    return output, result.output


def test_the_ehpad_draft_prints_no_zero(built: tuple[Path, str]) -> None:
    text = _pdf(built[0] / "ehpad" / "contrat.pdf")
    annexes = _pdf(built[0] / "ehpad" / "annexes.pdf")
    for shown in (text, annexes):
        assert re.findall(r"(?<![\d,])0(?:,00)? ?(?:€|%|places?)", shown) == []
        assert "zéro euro" not in shown
    assert f"EHPAD {BLANK} Hébergement permanent {BLANK} {BLANK}" in text
    # GMP, PMP, their validation dates (the scaffold's date d'effet is no validation date) and
    # the revalorisation: all on the line « # à compléter »
    assert f"{BLANK} (validé le {BLANK}) {BLANK} (validé le {BLANK}) avant le {BLANK}" in text
    assert f"est autorisé par arrêté du {BLANK}." in text  # the authorisation's date
    assert "Le présent contrat prend effet le 1er janvier 2027" in text  # given with --effet
    assert f"EHPAD {BLANK} {BLANK} {BLANK} {BLANK}" in text  # point GIR, option, tarif
    assert f"Total {' '.join([BLANK] * 6)}" in text  # five years and the contract's total
    assert (
        f"ces financements s'élèvent à {BLANK}. Sur la durée du contrat, leur montant "
        f"prévisionnel est de {BLANK}." in text
    )
    # annexe 4: a reference whose value and year are both to fill is one blank
    assert f"TO-HP {BLANK} {' '.join([BLANK] * 5)}" in annexes
    assert f"TO-HP {BLANK} ({BLANK})" not in annexes
    assert f"de {BLANK} en {BLANK} à {BLANK} en 2031" in annexes  # annexe 3
    assert f"Hébergement permanent {BLANK} {BLANK}" in annexes  # annexe 1
    assert f"Autorisation arrêté du {BLANK}" in annexes  # annexe 1
    assert f"A1.1 {BLANK} {BLANK} {BLANK} –" in annexes  # annexe 3: the action's deadline too


def test_the_docx_highlights_the_blank_figures(built: tuple[Path, str]) -> None:
    document = docx.Document(str(built[0] / "ehpad" / "annexes.docx"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Code" and
                 t.rows[0].cells[1].text == "Référence")  # fmt: skip
    row = table.rows[1].cells
    assert row[0].text == "TO-HP"
    assert row[1].text == BLANK  # reference value and year to fill: one blank
    for cell in row[1:]:
        runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip(" ()")]
        assert runs and all(r.text == BLANK for r in runs), [r.text for r in runs]
        assert all(r.font.highlight_color is not None for r in runs)


def test_a_filled_line_shows_and_its_totals_wait_for_the_others(
    built: tuple[Path, str],
) -> None:
    text = _pdf(built[0] / "ehpad-partiel" / "contrat.pdf")
    assert "ARS [à compléter] 1 200 000 € 1 220 000 € 1 240 000 € 1 260 000 € 1 280 000 € " \
        "6 200 000 €" in text  # fmt: skip
    assert f"Département {BLANK} {' '.join([BLANK] * 6)}" in text
    assert f"Total {' '.join([BLANK] * 6)}" in text  # the Département's part is still to fill
    annexes = _pdf(built[0] / "ehpad-partiel" / "annexes.pdf")
    assert "Forfait global de soins 1 200 000 € 1 220 000 €" in annexes


def test_the_handicap_draft_blanks_activity_and_modulation(built: tuple[Path, str]) -> None:
    text = _pdf(built[0] / "handicap" / "contrat.pdf")
    assert re.findall(r"(?<![\d,])0(?:,00)? ?(?:€|%|places?)", text) == []
    assert f"taux de réalisation de {BLANK} de l'activité cible" in text
    assert f"est inférieur à {BLANK}, et sauf circonstances" in text
    assert f"IME {BLANK} {BLANK} {BLANK} – {BLANK}" in text  # file active, jours, cible, ETP
    annexes = _pdf(built[0] / "handicap" / "annexes.pdf")
    assert re.findall(r"(?<![\d,])0(?:,00)? ?(?:€|%|places?)", annexes) == []


def test_the_build_says_one_line_per_draft(built: tuple[Path, str]) -> None:
    output = built[1]
    lines = [line for line in output.splitlines() if "à compléter" in line]
    assert len(lines) == 3, lines
    ehpad = next(line for line in lines if "/ehpad/cpom.yaml" in line)
    assert re.search(
        r"ehpad/cpom\.yaml: avertissement: \d+ valeurs à compléter \(reference, territoire, "
        r"signature\.lieu, …\) ; « cpomdocs validate \S+ehpad/cpom\.yaml » pour la liste$",
        ehpad,
    ), ehpad
    listed = CliRunner().invoke(main, ["validate", ehpad.split(":")[0]])
    count = int(re.search(r"(\d+) valeurs", ehpad).group(1))  # type: ignore[union-attr]
    assert listed.output.count(": à compléter") + listed.output.count(": à compléter (") >= count


def test_a_finess_key_to_fill_does_not_blank_the_figures_under_it(tmp_path: Path) -> None:
    """« "000000000": # à compléter » names the key: capacities written under it, without a
    comment of their own, are values."""
    folder = _new(tmp_path, "cle", "ehpad")
    path = folder / "cpom.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "hebergement_permanent: {autorisees: 0, installees: 0}  # à compléter",
        "hebergement_permanent: {autorisees: 80, installees: 80}",
    )
    path.write_text(text, encoding="utf-8")
    figures = check_file(path).figures
    assert not any(".capacites." in f for f in figures)
    assert "etablissements.000000000.ehpad.gmp.valeur" in figures
    assert "objectifs.O1.indicateurs.TO-HP.cibles.2027" in figures


def test_a_figure_typed_into_a_blank_reads_back_with_its_unit() -> None:
    """A counter-party fills « [à compléter] » in Word: the blank showed no unit to compare."""
    from cpomdocs.wordback.values import ValueError_, typed_value

    assert typed_value("92,5 %", BLANK, 0, "valeur") == 92.5
    assert typed_value("1 200 000 €", BLANK, 0, "2027") == 1200000
    with pytest.raises(ValueError_, match="unité « % » inattendue"):
        typed_value("92 %", "0", 0, "valeur")  # a value shown without a unit keeps the check


def test_a_total_still_to_fill_is_no_sum_to_check(tmp_path: Path) -> None:
    """A draft fills its ARS line and leaves « totaux: {…: 0}  # à compléter »: the declared
    totals are not a value yet, so « total 2027 déclaré 0,00 € » would be a false error that
    stops the build; the documents sum the lines anyway."""
    folder = _new(tmp_path, "totaux", "ehpad")
    path = folder / "cpom.yaml"
    text = path.read_text(encoding="utf-8")
    line = re.search(r"^ +forfait_global_soins: .*# à compléter\n", text, re.M)
    assert line is not None and "  totaux: {2027: 0, 2028: 0" in text
    path.write_text(text.replace(line.group(), FILLED_SOINS), encoding="utf-8")
    output = tmp_path / "build"
    result = CliRunner().invoke(
        main, ["build", str(folder), "-o", str(output), "-j", "1", "-f", "pdf"]
    )
    assert result.exit_code == 0, result.output
    assert "déclaré" not in result.output
    text = _pdf(output / "totaux" / "contrat.pdf")
    assert "ARS [à compléter] 1 200 000 € 1 220 000 €" in text
    assert f"Total {' '.join([BLANK] * 6)}" in text
    listed = CliRunner().invoke(main, ["validate", str(path)])
    assert "financement.totaux: à compléter (somme des lignes de chaque année)" in listed.output
    # Once the comment is gone, the totals are values: the rule holds again.
    text = re.sub(r"(totaux: \{[^}]*\})  # à compléter.*", r"\1", path.read_text("utf-8"))
    path.write_text(text, encoding="utf-8")
    refused = CliRunner().invoke(main, ["validate", str(path)])
    assert refused.exit_code == 1
    assert "total 2027 déclaré 0,00 €, mais la somme des lignes fait 1 200 000,00 €" in (
        refused.output.replace("\u202f", " ").replace("\u00a0", " ")
    )


def test_a_date_d_effet_given_is_not_to_fill(tmp_path: Path) -> None:
    given = (_new(tmp_path, "donnee", "ehpad") / "cpom.yaml").read_text(encoding="utf-8")
    assert "  effet: 2027-01-01\n" in given  # --effet 2027-01-01: the user's own date
    folder = tmp_path / "contracts" / "defaut"
    assert CliRunner().invoke(main, ["new", str(folder), "--base", "ehpad"]).exit_code == 0
    default = (folder / "cpom.yaml").read_text(encoding="utf-8")
    assert re.search(r"^  effet: \d{4}-01-01  # à compléter : date par défaut", default, re.M)
