"""The compte-rendu of a draft contract: the contract's indicator references and targets still
« à compléter » print the highlighted blank in the summary table, are neither evaluated nor
drawn (a 0 on a chart reads as a value), and the chart's key names them as blanks."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cpomdocs.cli.main import main

BLANK = "[à compléter]"
REPORT = "comptes-rendus/2028-06-15-dialogue-de-gestion-annuel"
TO_HP = "O1 · TO-HP – Taux d'occupation de l'hébergement permanent"
# TO-HP of the partly filled draft: reference and three targets given, two still to fill.
FILLED_TARGETS = """\
          reference: {valeur: 92, annee: 2026}
          cibles:
            2027: 93
            2028: 94
            2029: 95
            2030: 0  # à compléter
            2031: 0  # à compléter
"""


def _plain(text: str) -> str:
    text = text.replace("\u2010\n", "").replace("’", "'")
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def _pdf(path: Path) -> str:
    return _plain(" ".join(page.extract_text() for page in PdfReader(path).pages))


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two drafts with a compte-rendu each, built for real: one as `cpomdocs new` writes it, one
    whose TO-HP reference and first targets are filled and whose compte-rendu gives TO-HP."""
    root = tmp_path_factory.mktemp("suivi-projet") / "contracts"
    for name in ("projet", "partiel"):
        _invoke("new", str(root / name), "--base", "ehpad", "--effet", "2027-01-01")
    path = root / "partiel" / "cpom.yaml"
    text = path.read_text(encoding="utf-8")
    lines = re.search(r"^ +reference: .*\n +cibles: .*\n", text, re.M)  # TO-HP's, the first
    assert lines is not None
    path.write_text(text.replace(lines.group(), FILLED_TARGETS, 1), encoding="utf-8")
    for name in ("projet", "partiel"):
        _invoke("new", "compte-rendu", str(root / name), "--type", "dialogue de gestion annuel",
                "--date", "2028-06-15")  # fmt: skip
    report = root / "partiel" / f"{REPORT}.yaml"
    text = report.read_text(encoding="utf-8")
    actual = re.search(r"^  TO-HP: \{2027: 0\}  # à compléter.*$", text, re.M)
    assert actual is not None
    report.write_text(text.replace(actual.group(), "  TO-HP: {2027: 92.5}"), encoding="utf-8")
    output = root.parent / "build"
    _invoke("build", str(root), "-o", str(output), "-j", "2")
    return output


def test_the_summary_shows_blanks_not_zeros(built: Path) -> None:
    text = _pdf(built / "projet" / f"{REPORT}.pdf")
    summary = text[text.index("Tableau récapitulatif") : text.index("Statut des objectifs")]
    assert re.findall(r"(?<![\d,])0 ?%", summary) == []
    # référence (its year to fill too: one blank), cible, réalisé, écart, statut
    assert f"{TO_HP} {BLANK} {BLANK} {BLANK} – non évalué" in summary
    assert f"TO-HP : cible 2027 {BLANK}." in text  # why it is not evaluated
    assert f"Référence {BLANK} Cibles {BLANK}" in text  # the chart's key


def test_nothing_to_draw_draws_no_chart(built: Path) -> None:
    document = docx.Document(str(built / "projet" / f"{REPORT}.docx"))
    assert len(document.inline_shapes) == 0  # no reference, no target, no actual: no plot
    key = next(p for p in document.paragraphs if "Sens\u00a0: hausse" in p.text)
    blanks = [r for r in key.runs if r.text == BLANK]
    assert len(blanks) == 2 and all(r.font.highlight_color for r in blanks)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Objectif et indicateur")
    cells = table.rows[1].cells
    assert [c.text for c in cells[1:]] == [BLANK, BLANK, BLANK, "–", "non évalué"]
    runs = [r for c in cells[1:4] for p in c.paragraphs for r in p.runs]
    assert all(r.text == BLANK and r.font.highlight_color for r in runs)


def test_a_partly_filled_indicator_draws_what_is_given(built: Path) -> None:
    text = _pdf(built / "partiel" / f"{REPORT}.pdf")
    # 92,5 covers half of the way from 92 to 93: evaluated against the filled values
    assert f"{TO_HP} 92 % (2026) 93 % 92,5 % −0,5 pt partiellement atteint" in text
    key = f"╌●╌ Cibles ◆ Référence 2026 ━■━ Réalisé █ Exercice 2027 Cibles 2030, 2031 {BLANK}"
    assert key in text
    axis = text[text.index(key) + len(key) : text.index("en %", text.index(key))]
    assert axis.split()[-1] == "2029"  # the years drawn: no point at 2030 or 2031
    document = docx.Document(str(built / "partiel" / f"{REPORT}.docx"))
    (shape,) = document.inline_shapes  # TO-HP's chart; ABS has nothing to draw yet
    alt = _plain(shape._inline.docPr.get("descr"))
    assert alt.startswith("Trajectoire de l'indicateur TO-HP")
    assert "référence 2026 : 92 %" in alt and "cible 2029 : 95 %" in alt
    assert "2030" not in alt and "0 %" not in alt  # the targets to fill are not drawn
