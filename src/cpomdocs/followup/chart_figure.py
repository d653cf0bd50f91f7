"""A chart as a figure of the document: its title, direction and key as text, then the plot.

matplotlib drew the title, « Sens : hausse » and the legend inside each chart, and the legend's
layout alone was about a third of a chart's time. As text of the document they cost WeasyPrint
and Word next to nothing, are searchable, read aloud, and typeset like the rest (« Sens : »
with its no-break space). The key sits just above each plot, in the caption: the reader never
looks for it on another page (the PDF and the DOCX break pages differently, so a key per page
could not be placed alike in both), and it names only the series that the chart shows, as the
legend did. Its swatches are glyphs of the PDF's font, coloured like the series they stand for
(charts.SERIES): ╌●╌ the targets' dashed line and dots, ◆ the reference, ━■━ the actuals' thick
line and squares, █ the band of the year examined.
"""

from __future__ import annotations

from cpomdocs.data.model import Direction, Indicator
from cpomdocs.documents.blocks import Paragraph, Run, Section
from cpomdocs.followup import charts

FIGURE_ROLE = "chart"  # the Section of a chart and its caption (print.css keeps it whole)
CAPTION_STYLE = "figure"
SWATCHES = {"target": "╌●╌", "reference": "◆", "actual": "━■━", "year": "█"}
GAP = "\u2003"  # an em space between the key's entries (HTML does not collapse it)


def indicator_figure(
    code: str, indicator: Indicator, actuals: dict[int, float], year: int | None = None
) -> Section:
    """The chart of one indicator under its caption: title, direction, key."""
    caption = Paragraph(figure_caption(code, indicator, actuals, year), style=CAPTION_STYLE)
    return Section(FIGURE_ROLE, [caption, charts.indicator_chart(code, indicator, actuals, year)])


def figure_caption(
    code: str, indicator: Indicator, actuals: dict[int, float], year: int | None
) -> list[Run]:
    """The caption's runs: the title in bold, then the direction and the key on one line."""
    better = "plus haut est mieux" if indicator.sens is Direction.HAUSSE else "plus bas est mieux"
    runs = [
        Run(f"{code} – {indicator.libelle}", bold=True, line_break=True),
        Run(f"Sens : {indicator.sens.value} ({better})."),
    ]
    entries = []
    if indicator.cibles:
        entries.append(("target", "Cibles"))
    entries.append(("reference", f"Référence {indicator.reference.annee}"))
    if actuals:
        entries.append(("actual", "Réalisé"))
    if year is not None:
        entries.append(("year", f"Exercice {year}"))
    for series, label in entries:
        runs += [Run(GAP), *key_entry(series, label)]
    return runs


def key_entry(series: str, label: str) -> list[Run]:
    """A swatch coloured like `series` on the chart, then its label, never split across lines."""
    swatch = Run(SWATCHES[series], keep=True, colour=charts.COLOURS[series])
    return [swatch, Run(f"\u00a0{label}", keep=True)]
