"""Charts of indicator trajectories (reference, yearly targets, actuals), and French numbers.

Drawn with matplotlib's object API (no pyplot state), imported inside the functions so that
commands that draw nothing do not pay for it. Output is deterministic: fixed SVG hash salt, no
date in the metadata, a fixed DPI for the PNG; SVG text stays text (DejaVu Sans, as the PDF).
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from cpomdocs import fmt
from cpomdocs.data.model import Indicator, Unit
from cpomdocs.documents import typography
from cpomdocs.documents.blocks import Image
from cpomdocs.followup import chart_canvas
from cpomdocs.followup.chart_canvas import STYLE as _STYLE
from cpomdocs.followup.chart_canvas import (
    WIDTH_CM,
    canvas,
    draw_ticks,
    plain_texts,
    pooled,
    print_png,
)
from cpomdocs.followup.chart_canvas import styled as _styled
from cpomdocs.followup.chart_plot import COLOURS, SERIES, plot_for
from cpomdocs.followup.chart_store import CHART_STORE, STORED_KINDS
from cpomdocs.followup.chart_svg import chart_svg

PNG_DPI = 200
AXIS_UNITS = {
    Unit.PERCENT: "en %",
    Unit.NUMBER: "valeur",
    Unit.DAYS: "en jours",
    Unit.EUROS: "en euros",
    Unit.RATIO: "ratio",
    Unit.POINTS: "en points",
    Unit.HOURS: "en heures",
    Unit.FTE: "en ETP",
    Unit.KWH_M2_YEAR: "en kWh/m²/an",
}


def value_fr(value: float | None, unit: Unit) -> str:
    """A value with its unit, as every document prints it (fmt.with_unit)."""
    return fmt.with_unit(value, unit.value)


def gap_fr(gap: float | None, unit: Unit) -> str:
    """A signed gap, as every document prints it (fmt.gap)."""
    return fmt.gap(gap, unit.value)


def chart_alt(
    code: str, indicator: Indicator, actuals: dict[int, float], reference: bool = True
) -> str:
    """The text alternative of a chart: what it shows, in one French sentence."""
    ref = indicator.reference
    parts = (
        [f"référence {ref.annee} : {value_fr(ref.valeur, indicator.unite)}"] if reference else []
    )
    parts += [
        f"cible {y} : {value_fr(v, indicator.unite)}" for y, v in sorted(indicator.cibles.items())
    ]
    parts += [f"réalisé {y} : {value_fr(v, indicator.unite)}" for y, v in sorted(actuals.items())]
    return f"Trajectoire de l'indicateur {code} ({indicator.libelle}) : " + " ; ".join(parts)


def indicator_chart(
    code: str,
    indicator: Indicator,
    actuals: dict[int, float],
    year: int | None = None,
    reference: bool = True,
) -> Image:
    """The trajectory of one indicator as an Image block, drawn only in the format a writer asks
    for (SVG for the PDF, PNG for the DOCX), and taken from the chart store when already drawn.
    Without `reference` (a draft's value still « à compléter »), the reference is not drawn."""
    shown = indicator.model_dump(mode="json")
    key = chart_key(code, shown if reference else [shown, "sans référence"], actuals, year)
    drawing = ChartDrawing(key, code, indicator, actuals, year, reference)
    alt = chart_alt(code, indicator, actuals, reference)
    return Image(alt=alt, width_cm=WIDTH_CM, draw=drawing)


def chart_key(code: str, indicator: object, actuals: dict[int, float], year: int | None) -> str:
    """The digest of what a chart shows and how it is drawn: equal keys, equal bytes."""
    what = [code, indicator, sorted(actuals.items()), year, _style_version()]
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()


@functools.cache
def _style_version() -> list[str]:
    """The drawing code and matplotlib's version: a new drawing code draws every chart anew."""
    from importlib.metadata import version

    code = b"".join(path.read_bytes() for path in drawing_modules())
    return [hashlib.sha256(code).hexdigest(), version("matplotlib"), str(PNG_DPI), str(_STYLE)]


def drawing_modules() -> list[Path]:
    """The modules whose code decides a chart's bytes (the chart store's key covers them)."""
    here = Path(__file__).parent
    names = ("chart_text.py", "chart_plot.py", "chart_svg.py")
    return [Path(__file__), Path(chart_canvas.__file__), *(here / name for name in names)]


class ChartDrawing:
    """One chart, drawn on demand: its SVG written each time (0.24 ms: faster than reading a
    file back), its PNG read from the chart store when drawn before (matplotlib, ~30 ms), on the
    process's one figure (chart_canvas.py), emptied for the next chart."""

    def __init__(
        self,
        key: str,
        code: str,
        indicator: Indicator,
        actuals: dict[int, float],
        year: int | None,
        reference: bool = True,
    ) -> None:
        self.key = key
        self.what = (code, indicator, actuals, year, reference)

    def __call__(self, kind: str) -> bytes:
        """The chart as "svg" or "png": a stored PNG when the store holds it, else drawn."""
        data = CHART_STORE.get(self.key, kind) if kind in STORED_KINDS else None
        if data is None:
            data = self.draw([kind])[kind]
            CHART_STORE.put(self.key, kind, data)
        return data

    def draw(self, kinds: list[str]) -> dict[str, bytes]:
        """Draw the chart in each of `kinds`: the SVG written directly (chart_svg.py), the PNG
        by matplotlib, both on one plot (chart_plot.py)."""
        drawn = {}
        points = Points(*self.what)
        if "png" in kinds:
            with _styled():
                drawn["png"] = print_png(_draw(points), PNG_DPI)
        if "svg" in kinds:  # styled only where it measures a text not met before (chart_svg)
            drawn["svg"] = chart_svg(
                points.plot, points.series, points.year, points.labels, points.ylabel
            )
        return {kind: drawn[kind] for kind in kinds}


class Points:
    """What a chart shows: its series (SERIES) by name, the year examined, the actuals' labels,
    the axis label, and the plot that holds them (chart_plot.py)."""

    def __init__(
        self,
        code: str,
        indicator: Indicator,
        actuals: dict[int, float],
        year: int | None,
        reference: bool,
    ) -> None:
        ref = indicator.reference
        start = [(ref.annee, ref.valeur)] if reference else []
        targets = sorted(indicator.cibles.items())
        done = sorted(actuals.items())
        # Without `reference`, the targets' line starts at the first target.
        self.series = {
            "target": [*start, *targets] if targets else [],
            "reference": start,
            "actual": done,
        }
        self.year = year
        self.labels = [(x, y, value_fr(y, indicator.unite)) for x, y in done]
        unit = indicator.unite
        self.ylabel = typography.text(AXIS_UNITS.get(unit, unit.value))
        shown = [*start, *targets, *done]
        years = [x for x, _ in shown] + ([year] if year is not None else [])
        values = [y for _, y in shown]
        whole = unit is Unit.NUMBER and all(float(v).is_integer() for v in values)
        self.plot = plot_for(years, values, whole)


def _draw(points: Points):  # noqa: ANN202
    """The plot alone, by matplotlib: its title, direction and key are text of the document
    (chart_figure.py); its limits and margins those of chart_plot.py."""
    figure, axes = canvas()
    plot = points.plot
    if points.year is not None:
        pooled("year", functools.partial(_band, axes)).set_x(points.year - 0.4)
    for name, shown in points.series.items():
        if shown:
            _series(name).set_data(*zip(*shown, strict=True))
    for x, y, text in points.labels:  # on a white round box, above the lines (plain_texts' zorder)
        plain_texts().add(
            axes.transData, (x, y), text, offset=(5, 5), boxed=True,
            ha="left", va="bottom", fontsize=7, color=COLOURS["actual"],
        )  # fmt: skip
    axes.set_xlim(*plot.xlim)
    axes.set_ylim(*plot.ylim)
    left, right, bottom, top = plot.box
    figure.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
    draw_ticks(axes, points.ylabel, plot.yticks)
    return figure


def _series(name: str):  # noqa: ANN202
    """The line of one series (SERIES), reused from chart to chart."""
    from matplotlib.lines import Line2D

    return pooled(name, lambda: Line2D([], [], **SERIES[name]))


def _band(axes):  # noqa: ANN001, ANN202
    """The band of the year examined: axvspan's rectangle, its x set by each chart."""
    from matplotlib.patches import Rectangle

    where = axes.get_xaxis_transform()
    return Rectangle((0, 0), 0.8, 1, transform=where, color=COLOURS["year"], zorder=0)
