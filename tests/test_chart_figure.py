"""A chart's title, direction and key are text of the document, above the plot (PDF and DOCX)."""

from __future__ import annotations

import io
import re

import docx
from pypdf import PdfReader
from test_charts import ABSENTEEISM, ACTUALS

from cpomdocs.documents.blocks import ComposedDocument, DocumentMeta, Image, Paragraph, Section
from cpomdocs.followup.chart_figure import SWATCHES, figure_caption, indicator_figure
from cpomdocs.followup.charts import COLOURS, SERIES

NBSP, NNBSP = "\u00a0", "\u202f"


def _text(runs) -> str:  # noqa: ANN001
    return "".join(run.text for run in runs)


def _plain(text: str) -> str:
    text = text.replace("\u2010\n", "").replace(NBSP, " ").replace(NNBSP, " ")
    return re.sub(r"\s+", " ", text)


def _document() -> ComposedDocument:
    meta = DocumentMeta("Essai", "Essai", "cpomdocs", "", [], "", "2026-01-01T00:00:00Z")
    return ComposedDocument(meta, [indicator_figure("ABS-AS", ABSENTEEISM, ACTUALS, 2026)])


def test_the_caption_says_title_direction_and_the_series_shown() -> None:
    runs = figure_caption("ABS-AS", ABSENTEEISM, ACTUALS, 2026)
    assert runs[0].bold and runs[0].line_break
    assert _text(runs).replace("\u2003", " | ") == (
        "ABS-AS – Taux d'absentéisme des aides-soignants"
        "Sens : baisse (plus bas est mieux). | ╌●╌\u00a0Cibles | ◆\u00a0Référence 2023"
        " | ━■━\u00a0Réalisé | █\u00a0Exercice 2026"
    )
    bare = _text(figure_caption("ABS-AS", ABSENTEEISM, {}, None))  # as the legend did
    assert "Réalisé" not in bare and "Exercice" not in bare and "Cibles" in bare


def test_each_swatch_has_the_colour_of_its_series_on_the_chart() -> None:
    runs = figure_caption("ABS-AS", ABSENTEEISM, ACTUALS, 2026)
    colours = {run.text: run.colour for run in runs if run.colour}
    assert colours == {
        SWATCHES["target"]: SERIES["target"]["color"],
        SWATCHES["reference"]: SERIES["reference"]["color"],
        SWATCHES["actual"]: SERIES["actual"]["color"],
        SWATCHES["year"]: COLOURS["year"],
    }


def test_the_figure_is_a_caption_then_the_plot() -> None:
    figure = indicator_figure("ABS-AS", ABSENTEEISM, ACTUALS, 2026)
    assert isinstance(figure, Section) and figure.role == "chart"
    caption, plot = figure.children
    assert isinstance(caption, Paragraph) and caption.style == "figure"
    assert isinstance(plot, Image) and plot.alt.startswith("Trajectoire de l'indicateur ABS-AS")


def test_the_pdf_holds_the_caption_as_text_typeset() -> None:
    from cpomdocs.render.pdf import render_html, render_pdf

    html = render_html(_document())
    assert '<section class="chart"><p class="figure"><span class="nowrap"><strong>ABS-AS' in html
    assert f'<span style="color: {COLOURS["actual"]}"><span class="nowrap">━■━' in html
    assert f"Sens{NBSP}: baisse" in html  # French typography, as in the rest of the text
    pdf = PdfReader(io.BytesIO(render_pdf(_document())))
    text = _plain(" ".join(page.extract_text() for page in pdf.pages))
    assert "ABS-AS – Taux d’absentéisme des aides-soignants" in text
    assert "Sens : baisse (plus bas est mieux)." in text
    for label in ("Cibles", "Référence 2023", "Réalisé", "Exercice 2026"):
        assert label in text


def test_the_docx_holds_the_caption_kept_with_the_picture() -> None:
    from cpomdocs.render.docx import render_docx

    document = docx.Document(io.BytesIO(render_docx(_document())))
    caption = next(p for p in document.paragraphs if p.text.startswith("ABS-AS"))
    assert caption.style.name == "Légende graphique"
    assert caption.style.paragraph_format.keep_with_next
    assert _plain(caption.text) == (
        "ABS-AS – Taux d’absentéisme des aides-soignants"
        "\nSens : baisse (plus bas est mieux). ╌●╌ Cibles ◆ Référence 2023 ━■━ Réalisé"
        " █ Exercice 2026"
    ).replace("\n", " ")
    colours = {run.text: str(run.font.color.rgb) for run in caption.runs if run.font.color.rgb}
    assert colours["━■━"] == COLOURS["actual"].lstrip("#").upper()
    assert colours["╌●╌"] == COLOURS["target"].lstrip("#").upper()
    after = caption._p.getnext()
    assert after is not None and after.xpath(".//pic:pic")  # the chart follows its caption
