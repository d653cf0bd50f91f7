"""The figures a signed table prints are the figures the data holds: amounts to the cent at
most, the cents printed wherever one amount has some, ETP with even decimals, SESSAD actes."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from example_texts import CONTRACTS, CREATED, copy_example
from example_texts import edit as _edit
from example_texts import flat as _flat

from cpomdocs import fmt
from cpomdocs.cli.main import main
from cpomdocs.data.cents import is_money, whole_cents
from cpomdocs.data.load import load_document
from cpomdocs.data.model import Contract
from cpomdocs.data.validate import check_folder
from cpomdocs.documents.compose import compose_annexes, compose_contract
from cpomdocs.documents.redline import accept_all

FVO = "fondation-val-d-ouche-2027"
REPORT = "comptes-rendus/2026-10-15-comite-de-pilotage.yaml"


def _copy(tmp_path: Path, name: str = FVO) -> Path:
    return copy_example(tmp_path, name)


def _with_fifty_cents(folder: Path) -> None:
    """The FAM's 2027 prix de journée at ,50 (and the declared total), a result at ,50."""
    cpom = folder / "cpom.yaml"
    _edit(cpom, "prix_de_journee: {2027: 1718600.00", "prix_de_journee: {2027: 1718600.50")
    _edit(cpom, "totaux: {2027: 12359600.00", "totaux: {2027: 12359600.50")
    _edit(folder / REPORT, "resultat_realise: 148600.00", "resultat_realise: 148600.50")


# --- 1 (a): an amount is written to the cent at most --------------------------------------------


@pytest.mark.parametrize(
    ("text", "whole"),
    [("1160000.50", True), ("1.500", True), ("0.07", True), ("1.5e2", True), ("12", True),
     ("1160000.004", False), ("1160000.123", False), ("1e-3", False),
     ("12345678901234567.891", False)],
)  # fmt: skip
def test_cents_are_read_on_the_text_without_tolerance(text: str, whole: bool) -> None:
    assert whole_cents(text) is whole


def test_money_paths() -> None:
    assert is_money(("financement", "lignes", "210007597", "cd21", "prix_de_journee", 2027))
    assert is_money(("modifications", "financement", "investissements", 0, "montant"))
    assert is_money(("execution_financiere", 0, "resultat_realise"))
    assert not is_money(("financement", "modulation_activite", "taux_cible"))
    assert not is_money(("etablissements", "210007266", "activite", "etp", "soins"))


def test_an_amount_below_the_cent_is_refused_at_its_place(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    cpom = folder / "cpom.yaml"
    line = _edit(cpom, "{2027: 1718600.00", "{2027: 1718600.004")
    total = _edit(cpom, "totaux: {2027: 12359600.00", "totaux: {2027: 12359600.004")
    report_line = _edit(folder / REPORT, "resultat_realise: 148600.00", "resultat_realise: 1.125")
    found = [str(p) for p in check_folder(folder).all_problems if "centime" in p.message]
    rule = "un montant s'écrit au centime près au plus (deux décimales)"
    assert found == [
        f"{folder / REPORT}:{report_line}:23: execution_financiere.0.resultat_realise: "
        f"« 1.125 » : {rule}",
        f"{cpom}:{line}:33: financement.lignes.210007597.cd21.prix_de_journee.2027: "
        f"« 1718600.004 » : {rule}",
        f"{cpom}:{total}:18: financement.totaux.2027: « 12359600.004 » : {rule}",
    ]


def test_the_cents_check_reads_json_too(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"financement": {"totaux": {"2027": 10.001}}}', encoding="utf-8")
    assert load_document(path).numbers == {("financement", "totaux", "2027"): "10.001"}


# --- 1 (b): every document that prints an amount at ,50 shows « ,50 » -----------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fondation's copy with amounts at ,50, built (PDF, DOCX) and exported (XLSX)."""
    tmp = tmp_path_factory.mktemp("cents")
    folder = _copy(tmp)
    _with_fifty_cents(folder)
    assert check_folder(folder).ok
    out = tmp / "out"
    for args in (["build", str(folder), "-o", str(out), "-q", "-j", "1"],
                 ["export", str(folder), "-o", str(out)]):  # fmt: skip
        with pytest.raises(SystemExit) as done:
            main(args, prog_name="cpomdocs")
        assert done.value.code == 0
    return out / FVO


def _pdf(path: Path) -> str:
    return _flat(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                check=True).stdout)  # fmt: skip


def _docx(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return _flat(" ".join([p.text for p in document.paragraphs] + cells))


def test_contract_and_annexes_print_the_cents(built: Path) -> None:
    for text in (_pdf(built / "contrat.pdf"), _docx(built / "contrat.docx")):
        assert "1 718 600,50 €" in text and "12 359 600,50 €" in text
        assert "douze millions trois cent cinquante-neuf mille six cents euros et cinquante" in text
    for text in (_pdf(built / "annexes.pdf"), _docx(built / "annexes.docx")):
        assert "1 718 600,50 €" in text and "63 514 500,50 €" in text
        assert "1 744 400,00 €" in text  # the whole amounts of the same table keep « ,00 »


def test_the_compte_rendu_prints_the_cents_of_a_result(built: Path) -> None:
    stem = built / "comptes-rendus" / "2026-10-15-comite-de-pilotage"
    for text in (_pdf(stem.with_suffix(".pdf")), _docx(stem.with_suffix(".docx"))):
        assert "148 600,50 €" in text and "+53 600,50 €" in text
        assert "95 000,00 €" in text  # the table's other results show their cents too


def test_the_workbook_holds_and_shows_the_cents(built: Path) -> None:
    sheet = openpyxl.load_workbook(built / "tableau-de-bord.xlsx")["Financement"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == 1718600.5]
    assert cells and all(c.number_format.startswith("#,##0.00") for c in cells)


def _data(name: str) -> dict[str, Any]:
    checked = check_folder(CONTRACTS / name)
    assert checked.contract.document is not None
    return checked.contract.document.data


def test_a_subsidy_at_fifty_cents_is_printed_with_its_cents() -> None:
    data = _data("chrs-estuaire-2026")
    data["financement"]["activites_subventionnees"][0]["montants"][2026] = 186000.5
    contract = Contract.model_validate(data)
    text = _flat(accept_all(compose_annexes(contract, contract_id="x", created=CREATED).blocks))
    assert "186 000,50 €" in text


def test_whole_euro_tables_stay_without_cents() -> None:
    assert not fmt.has_cents([1718600.0, 0.0]) and fmt.has_cents([1718600.5])
    text = _flat(accept_all(compose_annexes(Contract.model_validate(_data(FVO)),
                                            contract_id=FVO, created=CREATED).blocks))  # fmt: skip
    assert "1 718 600 €" in text and ",00 €" not in text


# --- 2: ETP with the same number of decimals within a table ---------------------------------------


def test_etp_figures_share_their_decimals() -> None:
    assert fmt.decimals([14.0, 65.5, 107.0]) == 1 and fmt.decimals([14.0, 107.0]) == 0
    assert fmt.decimals([0.25, 1.0]) == 2 and fmt.fixed(14.0, 1) == "14,0"
    contract = Contract.model_validate(_data(FVO))
    body = _flat(accept_all(compose_contract(contract, contract_id=FVO, created=CREATED).blocks))
    # article 4: IME 65,5, SESSAD 14,0, MAS 107,0 ETP
    assert "65,5" in body and "14,0" in body and "107,0" in body
    annexes = _flat(accept_all(compose_annexes(contract, contract_id=FVO, created=CREATED).blocks))
    assert "encadrement des ateliers 14,0" in annexes  # beside 3,5 and 4,2 in the ESAT's table
    assert "administration et services généraux 16,0" in annexes


# --- 3: the SESSAD counts actes ---------------------------------------------------------------


def test_the_fondation_sessad_counts_actes() -> None:
    contract = Contract.model_validate(_data(FVO))
    body = _flat(accept_all(compose_contract(contract, contract_id=FVO, created=CREATED).blocks))
    assert "7 400 actes" in body and "11 200 journées" in body


def test_the_compte_rendu_names_the_unit_of_each_figure(built: Path) -> None:
    stem = built / "comptes-rendus" / "2026-10-15-comite-de-pilotage"
    text = _pdf(stem.with_suffix(".pdf"))
    assert "9 450 actes 9 820 actes" in text and "12 600 journées 12 180 journées" in text
    assert "– journées" not in text  # the ESAT reports no activity: no unit after the dash


def test_an_avenant_amount_below_the_cent_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "asba-beaujolais-2024")
    path = folder / "avenants" / "01-extension-ehpad-les-vignes.yaml"
    line = _edit(path, "credits_non_reconductibles: {2026: 20000.00}",
                 "credits_non_reconductibles: {2026: 20000.001}")  # fmt: skip
    found = [str(p) for p in check_folder(folder).all_problems if "centime" in p.message]
    assert len(found) == 1 and found[0].startswith(f"{path}:{line}:")
    assert "modifications.financement.lignes." in found[0] and "« 20000.001 »" in found[0]
