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

from dataclasses import dataclass

from cpomdocs import blanks
from cpomdocs.data.model import Direction, Indicator
from cpomdocs.documents.blocks import Paragraph, Run, Section
from cpomdocs.followup import charts

FIGURE_ROLE = "chart"  # the Section of a chart and its caption (print.css keeps it whole)
CAPTION_STYLE = "figure"
SWATCHES = {"target": "╌●╌", "reference": "◆", "actual": "━■━", "year": "█"}
GAP = "\u2003"  # an em space between the key's entries (HTML does not collapse it)


@dataclass(frozen=True)
class ToFill:
    """What a draft contract leaves « à compléter » of an indicator: its reference value, the
    years of its targets."""

    reference: bool = False
    years: tuple[int, ...] = ()


def indicator_figure(
    code: str,
    indicator: Indicator,
    actuals: dict[int, float],
    year: int | None = None,
    to_fill: ToFill | None = None,
) -> Section:
    """The chart of one indicator under its caption: title, direction, key. A draft's reference
    and targets still « à compléter » (`to_fill`) are not drawn (a 0 would read as a value): the
    key names them as blanks, and with nothing left to draw there is no plot."""
    to_fill = to_fill or ToFill()
    drawn = indicator.model_copy(
        update={"cibles": {y: v for y, v in indicator.cibles.items() if y not in to_fill.years}}
    )
    shown = bool(drawn.cibles or actuals or not to_fill.reference)
    runs = figure_caption(code, drawn, actuals, year if shown else None, to_fill)
    caption = Paragraph(runs, style=CAPTION_STYLE)
    if not shown:
        return Section(FIGURE_ROLE, [caption])
    chart = charts.indicator_chart(code, drawn, actuals, year, reference=not to_fill.reference)
    return Section(FIGURE_ROLE, [caption, chart])


def figure_caption(
    code: str,
    indicator: Indicator,
    actuals: dict[int, float],
    year: int | None,
    to_fill: ToFill | None = None,
) -> list[Run]:
    """The caption's runs: the title in bold, then the direction and the key on one line; a
    value to fill is named in the key with its blank, without a swatch (it is not drawn)."""
    to_fill = to_fill or ToFill()
    better = "plus haut est mieux" if indicator.sens is Direction.HAUSSE else "plus bas est mieux"
    runs = [
        Run(f"{code} – {indicator.libelle}", bold=True, line_break=True),
        Run(f"Sens : {indicator.sens.value} ({better})."),
    ]
    entries = []
    if indicator.cibles:
        entries.append(("target", "Cibles"))
    if not to_fill.reference:
        entries.append(("reference", f"Référence {indicator.reference.annee}"))
    if actuals:
        entries.append(("actual", "Réalisé"))
    if year is not None:
        entries.append(("year", f"Exercice {year}"))
    for series, label in entries:
        runs += [Run(GAP), *key_entry(series, label)]
    if to_fill.reference:
        runs += [Run(GAP), *blank_entry("Référence")]
    if to_fill.years:
        every = not indicator.cibles  # all of them: no list of years
        label = "Cibles" if every else "Cible" + ("s " if len(to_fill.years) > 1 else " ")
        label += "" if every else ", ".join(str(y) for y in to_fill.years)
        runs += [Run(GAP), *blank_entry(label)]
    return runs


def blank_entry(label: str) -> list[Run]:
    """A value the chart leaves out, a draft still having it to fill: « Cibles [à compléter] »."""
    label = label.replace(" ", "\u00a0")  # « Cibles 2030, 2031 » on one line, as a swatch's
    return [Run(f"{label}\u00a0", keep=True), Run(blanks.PENDING_TEXT, keep=True, pending=True)]


def key_entry(series: str, label: str) -> list[Run]:
    """A swatch coloured like `series` on the chart, then its label, never split across lines."""
    swatch = Run(SWATCHES[series], keep=True, colour=charts.COLOURS[series])
    return [swatch, Run(f"\u00a0{label}", keep=True)]
