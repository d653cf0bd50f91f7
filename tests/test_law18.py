"""What session 15's reader of the law fixed: the title of the head of a département, the legal
references that could not be verified (rewritten to verified ones), and what an ARS officer
saw in the built examples."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from example_texts import (
    CONTRACTS,
    annexes_text,
    contract_text,
    copy_example,
    edit,
)
from test_review9_wording import avenant_text

from cpomdocs.data.validate import check_file, check_folder
from cpomdocs.documents.blocks import Run
from cpomdocs.render.html_inline import inline_html

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.name for p in CONTRACTS.iterdir() if p.is_dir())


def _warnings(path: Path) -> list[tuple[int, str, str]]:
    return [(p.line, p.field, p.message) for p in check_file(path).problems if not p.is_error]


# --- 1. « président du Département » is not a title: the CGCT says « du conseil départemental »


def test_a_signatory_titled_president_du_departement_is_warned(tmp_path: Path) -> None:
    path = copy_example(tmp_path, "ehpad-les-cedres-2025") / "cpom.yaml"
    edit(path, "statut: signé", "statut: projet")
    line = edit(
        path,
        "qualite: présidente du conseil départemental",
        "qualite: présidente du Département de l'Hérault",
    )
    assert _warnings(path) == [
        (
            line,
            "autorites.cd34.representant.qualite",
            "« présidente du Département » n'est pas le titre d'une fonction : l'exécutif du "
            "département est le « présidente du conseil départemental » (CGCT, art. L.3221-1) ; "
            "écrivez « présidente du conseil départemental » (le Département reste le nom de la "
            "collectivité)",
        )
    ]


def test_an_office_of_the_conseil_general_is_warned_but_an_old_act_is_not(
    tmp_path: Path,
) -> None:
    path = copy_example(tmp_path, "ehpad-les-cedres-2025") / "cpom.yaml"
    edit(path, "statut: signé", "statut: projet")
    line = edit(
        path,
        "qualite: présidente du conseil départemental",
        "qualite: présidente du conseil général",
    )
    # An act of 2010 was signed by the « président du conseil général »: cited so, rightly.
    edit(
        path,
        "arrêté du président du conseil départemental de l'Hérault n° 2017-0043",
        "arrêté du président du conseil général de l'Hérault n° 2010-0043",
    )
    warnings = _warnings(path)
    assert [(n, field) for n, field, _ in warnings] == [
        (line, "autorites.cd34.representant.qualite")
    ]
    assert warnings[0][2].startswith("« conseil général » : l'assemblée du département s'appelle")


def test_the_right_titles_are_not_warned() -> None:
    for name in EXAMPLES:
        problems = check_folder(CONTRACTS / name).all_problems
        assert [p for p in problems if "CGCT" in p.message or "conseil général" in p.message] == []


def test_the_examples_name_the_office_as_the_law_does() -> None:
    asba = "asba-beaujolais-2024"
    texts = [contract_text(asba), annexes_text(asba), avenant_text(asba),
             contract_text("fondation-val-d-ouche-2027")]  # fmt: skip
    for text in texts:
        assert "président du Département" not in text
    assert (
        "Vu l'arrêté du président du conseil départemental du Rhône n° 2025-4133 du 15 septembre "
        "2025 portant habilitation à l'aide sociale de l'EHPAD Les Vignes ;"
    ) in texts[2]
    assert "sauf décision contraire du président du conseil départemental." in texts[1]


# --- 2. References that could not be read are rewritten to ones that could -------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_unverified_reference_is_printed(name: str) -> None:
    text = contract_text(name) + annexes_text(name)
    for unverified in ("article 5 de l'arrêté", "art. 5", "R.314-43-2", "II, III et IV"):
        assert unverified not in text


def test_no_unverified_reference_is_left_in_the_sources() -> None:
    sources = [*ROOT.glob("src/cpomdocs/**/*.py"), *ROOT.glob("src/cpomdocs/**/*.j2"),
               ROOT / "README.md"]  # fmt: skip
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert "2019, art. 5" not in text, path
        assert "article 5 de l'arrêté du 25 octobre 2019" not in text, path
        assert "R.314-43-2" not in text, path


def test_the_chrs_results_and_the_handicap_modulation_cite_verified_texts() -> None:
    assert (
        "En application de l'arrêté du 25 octobre 2019 fixant le contenu du cahier des charges "
        "du contrat pluriannuel d'objectifs et de moyens prévu à l'article L.313-11-2 du code de "
        "l'action sociale et des familles pour les établissements mentionnés à l'article "
        "L.345-1 du même code, l'organisme gestionnaire affecte librement les "
        "résultats"
    ) in contract_text("chrs-estuaire-2026")
    assert (
        "En application de l'article L.313-12-2 du code de l'action sociale et des familles, le "
        "présent contrat prévoit une modulation de la dotation globalisée commune"
    ) in contract_text("fondation-val-d-ouche-2027")


# --- 3. An annexe does not end with a few lines alone on a page --------------------------------

SHORT = 8  # text lines under the running header: fewer is « a few lines alone on a page »
ANNEX_HEADING = re.compile(r"^\s*Annexe \d+ –", re.MULTILINE)


def _stranded_pages(pages: list[str]) -> list[tuple[int, int]]:
    """(page, lines) of each page that ends an annexe begun on an earlier page with few lines."""
    bodies = [[line for line in page.splitlines() if line.strip()][1:-1] for page in pages]
    found = []
    for n, (body, after) in enumerate(zip(bodies, bodies[1:], strict=False), start=1):
        opens = any(ANNEX_HEADING.match(line) for line in body[:2])
        if not opens and any(ANNEX_HEADING.match(line) for line in after[:2]) and len(body) < SHORT:
            found.append((n, len(body)))
    return found


def _pages(pdf: Path) -> list[str]:
    layout = ["pdftotext", "-layout", str(pdf), "-"]
    text = subprocess.run(layout, capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


ANNEXED = [("chrs-estuaire-2026", "annexes"), ("chrs-estuaire-2026", "avenant-01"),
           ("asba-beaujolais-2024", "avenant-01"), ("asba-beaujolais-2024", "annexes")]  # fmt: skip


@pytest.mark.parametrize(("name", "document"), ANNEXED)
def test_no_annexe_ends_with_a_few_lines_alone_on_a_page_pdf(
    name: str, document: str, built: Path
) -> None:
    """chrs annexes p. 10 and asba avenant p. 13: the end of annexe 5 (« Évolution, EPRD et
    affectation des résultats ») alone on a page. Its « Synthèse par établissement ou service »
    repeated the « Total » row of each establishment's table: gone, annexe 5 fits."""
    pages = _pages(built / name / f"{document}.pdf")
    assert sum(1 for page in pages if ANNEX_HEADING.search(page)) >= 2
    assert _stranded_pages(pages) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_no_annexe_ends_with_a_few_lines_alone_on_a_page_docx(built: Path, tmp_path: Path) -> None:
    """The same DOCX, as LibreOffice lays them out (chrs annexes: 2 lines alone on p. 10)."""
    for n, (name, document) in enumerate(ANNEXED[:3]):
        shutil.copyfile(built / name / f"{document}.docx", tmp_path / f"d{n}.docx")
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
    files = [str(tmp_path / f"d{n}.docx") for n in range(3)]
    subprocess.run([*command, *files], capture_output=True, timeout=600)
    for n in range(3):
        pages = _pages(tmp_path / f"d{n}.pdf")
        assert sum(1 for page in pages if ANNEX_HEADING.search(page)) >= 2
        assert _stranded_pages(pages) == [], ANNEXED[n]


# --- 4. A code's article is never cut after its letter -----------------------------------------


def test_a_code_article_is_never_cut_after_its_letter(tmp_path: Path) -> None:
    """asba avenant p. 2: « inférieure au seuil fixé à l'article D. » / « 313-2 du code … »."""
    from weasyprint import HTML

    text = "Cette extension, inférieure au seuil fixé à l’article D.313-2 du code, et L.313-12-2."
    html = inline_html([Run(text)])
    assert "D.\u2060313-2" in html and "L.\u2060313-12-2" in html
    body = "".join(
        f'<p style="width: {width}px; font: 11pt serif">{html}</p>' for width in range(150, 400, 7)
    )
    HTML(string=f"<html lang='fr'><body>{body}</body></html>").write_pdf(tmp_path / "d.pdf")
    lines = [line.strip() for page in _pages(tmp_path / "d.pdf") for line in page.splitlines()]
    assert sum("313-2" in line for line in lines) == 36
    assert [line for line in lines if line.endswith(("D.", "L."))] == []
    assert sum(line.startswith("313-") for line in lines) == 0


# --- 5. No parenthesis inside a parenthesis ----------------------------------------------------

NESTED = re.compile(r"\([^()]*\(")


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_parenthesis_opens_inside_another(name: str) -> None:
    """asba annexe 1, La Parenthèse: « dotation globale (forfait global de soins (ARS) ; tarifs
    … arrêtés par le Département) »: the option now says who fixes what without parentheses."""
    text = contract_text(name) + " " + annexes_text(name)
    assert [m.group() for m in NESTED.finditer(text)] == []
    if name == "asba-beaujolais-2024":
        assert (
            "Mode de tarification : dotation globale (forfait global de soins arrêté par l'ARS ; "
            "tarifs journaliers dépendance et hébergement arrêtés par le président du conseil "
            "départemental)"
        ) in text
