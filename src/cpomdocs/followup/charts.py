"""Charts of indicator trajectories (reference, yearly targets, actuals), and French numbers.

Drawn with matplotlib's object API (no pyplot state), imported inside the functions so that
commands that draw nothing do not pay for it. Output is deterministic: fixed SVG hash salt, no
date in the metadata, a fixed DPI for the PNG; SVG text stays text (DejaVu Sans, as the PDF).
"""

from __future__ import annotations

import io
import textwrap

from cpomdocs import fmt
from cpomdocs.data.model import Direction, Indicator, Unit
from cpomdocs.documents import typography
from cpomdocs.documents.blocks import Image

WIDTH_CM, HEIGHT_CM = 16.0, 6.4
PNG_DPI = 200
TITLE_CHARS = 72
COLOURS = {"target": "#1f4e79", "actual": "#c55a11", "reference": "#595959", "year": "#e7eef6"}
AXIS_UNITS = {
    Unit.PERCENT: "en %",
    Unit.NUMBER: "valeur",
    Unit.DAYS: "en jours",
    Unit.EUROS: "en euros",
    Unit.RATIO: "ratio",
    Unit.POINTS: "en points",
    Unit.HOURS: "en heures",
    Unit.FTE: "en ETP",
}


def value_fr(value: float | None, unit: Unit) -> str:
    """A value with its unit, as every document prints it (fmt.with_unit)."""
    return fmt.with_unit(value, unit.value)


def gap_fr(gap: float | None, unit: Unit) -> str:
    """A signed gap, as every document prints it (fmt.gap)."""
    return fmt.gap(gap, unit.value)


def chart_alt(code: str, indicator: Indicator, actuals: dict[int, float]) -> str:
    """The text alternative of a chart: what it shows, in one French sentence."""
    ref = indicator.reference
    parts = [f"référence {ref.annee} : {value_fr(ref.valeur, indicator.unite)}"]
    parts += [
        f"cible {y} : {value_fr(v, indicator.unite)}" for y, v in sorted(indicator.cibles.items())
    ]
    parts += [f"réalisé {y} : {value_fr(v, indicator.unite)}" for y, v in sorted(actuals.items())]
    return f"Trajectoire de l'indicateur {code} ({indicator.libelle}) : " + " ; ".join(parts)


def indicator_chart(
    code: str, indicator: Indicator, actuals: dict[int, float], year: int | None = None
) -> Image:
    """The trajectory of one indicator as an Image block (SVG for the PDF, PNG for the DOCX)."""
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        figure = _draw(code, indicator, actuals, year)
        svg, png = io.BytesIO(), io.BytesIO()
        figure.get_layout_engine().execute(figure)  # lay out once, then keep that layout:
        figure.set_layout_engine(None)  # each savefig then draws once instead of twice
        figure.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
        figure.savefig(svg, format="svg", metadata={"Date": None})
    return Image(svg.getvalue(), png.getvalue(), chart_alt(code, indicator, actuals), WIDTH_CM)


_STYLE = {
    "svg.hashsalt": "cpomdocs",
    "svg.fonttype": "none",  # text stays text: 3× faster for WeasyPrint, searchable in the PDF
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "legend.frameon": False,
    "path.simplify": False,
}


def _draw(code: str, indicator: Indicator, actuals: dict[int, float], year: int | None):  # noqa: ANN202
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    figure = Figure(figsize=(WIDTH_CM / 2.54, HEIGHT_CM / 2.54), layout="constrained")
    axes = figure.add_subplot()
    ref = indicator.reference
    targets = sorted(indicator.cibles.items())
    done = sorted(actuals.items())
    years = [ref.annee, *(y for y, _ in targets), *(y for y, _ in done)]
    if year is not None:
        years.append(year)
        axes.axvspan(
            year - 0.4, year + 0.4, color=COLOURS["year"], zorder=0, label=f"Exercice {year}"
        )
    if targets:
        xs, ys = zip(*[(ref.annee, ref.valeur), *targets], strict=True)
        axes.plot(
            xs,
            ys,
            linestyle="--",
            marker="o",
            markersize=4,
            color=COLOURS["target"],
            label="Cibles",
        )
    axes.plot(
        [ref.annee], [ref.valeur], linestyle="none", marker="D", markersize=6,
        color=COLOURS["reference"], label=f"Référence {ref.annee}", zorder=3,
    )  # fmt: skip
    if done:
        xs, ys = zip(*done, strict=True)
        axes.plot(
            xs,
            ys,
            marker="s",
            markersize=5,
            linewidth=2,
            color=COLOURS["actual"],
            label="Réalisé",
            zorder=4,
        )
        for x, y in done:
            axes.annotate(
                value_fr(y, indicator.unite), (x, y), textcoords="offset points", xytext=(5, 5),
                ha="left", va="bottom", fontsize=7, color=COLOURS["actual"], zorder=5,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            )  # fmt: skip
    axes.set_xlim(min(years) - 0.6, max(years) + 0.6)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:.0f}"))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _: fmt.number(y)))
    axes.margins(y=0.2)
    axes.set_ylabel(typography.text(AXIS_UNITS.get(indicator.unite, indicator.unite.value)))
    axes.grid(axis="y", color="#d9d9d9", linewidth=0.5)
    better = "plus haut est mieux" if indicator.sens is Direction.HAUSSE else "plus bas est mieux"
    title = typography.text(f"{code} – {indicator.libelle}")
    axes.set_title(textwrap.fill(title, TITLE_CHARS), loc="left")
    legend = axes.legend(
        loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, title_fontsize=7,
        title=typography.text(f"Sens : {indicator.sens.value}\n({better})"), alignment="left",
    )  # fmt: skip
    legend.get_title().set_color(COLOURS["reference"])
    return figure
