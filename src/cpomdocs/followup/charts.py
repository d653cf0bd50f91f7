"""Charts of indicator trajectories (reference, yearly targets, actuals), and French numbers.

Drawn with matplotlib's object API (no pyplot state), imported inside the functions so that
commands that draw nothing do not pay for it. Output is deterministic: fixed SVG hash salt, no
date in the metadata, a fixed DPI for the PNG; SVG text stays text (DejaVu Sans, as the PDF).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

from cpomdocs import fmt
from cpomdocs.data.model import Indicator, Unit
from cpomdocs.documents import typography
from cpomdocs.documents.blocks import Image
from cpomdocs.followup import chart_canvas
from cpomdocs.followup.chart_canvas import (
    HEIGHT_CM,
    WIDTH_CM,
    canvas,
    draw_ticks,
    plain_texts,
    pooled,
    print_png,
    tick_number,
)
from cpomdocs.followup.chart_store import CHART_STORE

PNG_DPI = 200
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
    return [Path(__file__), Path(chart_canvas.__file__), here / "chart_text.py"]


class ChartDrawing:
    """One chart, drawn on demand, or read from the chart store.

    The first format asked for is drawn together with the other formats the build writes (the
    store knows them: SVG for a PDF, PNG for a DOCX), on the process's one figure
    (chart_canvas.py), emptied for the next chart: a document's figures are never all alive.
    """

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
        self.drawn: dict[str, bytes] = {}

    def __call__(self, kind: str) -> bytes:
        """The chart as "svg" or "png": from the store when it holds it, else drawn and stored."""
        if kind in self.drawn:
            return self.drawn.pop(kind)
        data = CHART_STORE.get(self.key, kind)
        if data is not None:
            return data
        wanted = [kind, *(k for k in CHART_STORE.kinds if k != kind)]
        wanted = [k for k in wanted if k == kind or CHART_STORE.get(self.key, k) is None]
        self.drawn = self.draw(wanted)
        for drawn_kind, drawn in self.drawn.items():
            CHART_STORE.put(self.key, drawn_kind, drawn)
        return self.drawn.pop(kind)

    def draw(self, kinds: list[str]) -> dict[str, bytes]:
        """Draw the chart in each of `kinds` ("svg", "png") from one figure, fixed margins."""
        drawn = {}
        with _styled():
            figure = _draw(*self.what)
            for kind in kinds:
                if kind == "png":
                    drawn[kind] = print_png(figure, PNG_DPI)
                else:  # the canvas's own print_svg: savefig adds nothing our charts need
                    out = io.BytesIO()
                    figure.canvas.print_svg(out, metadata={"Date": None})
                    drawn[kind] = out.getvalue()
        return drawn


@contextlib.contextmanager
def _styled() -> Iterator[None]:
    """matplotlib's settings of _STYLE while a chart draws, then those of before: only these
    keys, where rc_context copies all 300 of them (5 % of a chart)."""
    from matplotlib import rcParams

    saved = {key: rcParams[key] for key in _STYLE}
    rcParams.update(_STYLE)
    try:
        yield
    finally:
        rcParams.update(saved)


_STYLE = {
    "svg.hashsalt": "cpomdocs",
    "svg.fonttype": "none",  # text stays text: 3× faster for WeasyPrint, searchable in the PDF
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": False,
}


def _draw(  # noqa: ANN202
    code: str, indicator: Indicator, actuals: dict[int, float], year: int | None, reference: bool
):
    """The plot alone: its title, direction and key are text of the document (chart_caption.py).
    Without `reference`, the targets' line starts at the first target."""
    figure, axes = canvas()
    ref = indicator.reference
    start = [(ref.annee, ref.valeur)] if reference else []
    targets = sorted(indicator.cibles.items())
    done = sorted(actuals.items())
    years = [*(y for y, _ in start), *(y for y, _ in targets), *(y for y, _ in done)]
    if year is not None:
        years.append(year)
        pooled("year", functools.partial(_band, axes)).set_x(year - 0.4)
    if targets:
        _series("target").set_data(*zip(*[*start, *targets], strict=True))
    if start:
        _series("reference").set_data(*zip(*start, strict=True))
    if done:
        _series("actual").set_data(*zip(*done, strict=True))
        for x, y in done:  # on a white round box, above the lines (plain_texts' zorder)
            plain_texts().add(
                axes.transData, (x, y), value_fr(y, indicator.unite), offset=(5, 5), boxed=True,
                ha="left", va="bottom", fontsize=7, color=COLOURS["actual"],
            )  # fmt: skip
    axes.relim(visible_only=True)
    axes.autoscale_view(scalex=False)
    _floor_at_zero(axes, [y for _, y in (*start, *targets, *done)])
    axes.set_xlim(min(years) - 0.6, max(years) + 0.6)
    _fixed_margins(figure, axes)
    draw_ticks(axes, typography.text(AXIS_UNITS.get(indicator.unite, indicator.unite.value)))
    return figure


def _floor_at_zero(axes, values: list[float]) -> None:  # noqa: ANN001
    """No axis below 0 for values that cannot be negative (a count read « −25 » otherwise).

    The 20 % margin under the lowest value took the axis below 0; it now stops at 0, or just
    under it when a value is near 0 (room for its marker, never room for a tick).
    """
    low, high = axes.get_ylim()
    if not values or min(values) < 0 or low >= 0:
        return
    room = MARKER_ROOM * (high - low)
    lowest = min(values)
    axes.set_ylim(0.0 if lowest >= room else lowest - room, high)


MARKER_ROOM = 0.04  # of the axis height: half the largest marker, and less than any tick step


# How each series is drawn; chart_caption.py prints the key of the same styles in the text.
SERIES = {
    "target": {"linestyle": "--", "marker": "o", "markersize": 4, "color": COLOURS["target"]},
    "reference": {"linestyle": "none", "marker": "D", "markersize": 6,
                  "color": COLOURS["reference"], "zorder": 3},
    "actual": {"marker": "s", "markersize": 5, "linewidth": 2, "color": COLOURS["actual"],
               "zorder": 4},
}  # fmt: skip


def _series(name: str):  # noqa: ANN202
    """The line of one series (SERIES), reused from chart to chart."""
    from matplotlib.lines import Line2D

    return pooled(name, lambda: Line2D([], [], **SERIES[name]))


def _band(axes):  # noqa: ANN001, ANN202
    """The band of the year examined: axvspan's rectangle, its x set by each chart."""
    from matplotlib.patches import Rectangle

    where = axes.get_xaxis_transform()
    return Rectangle((0, 0), 0.8, 1, transform=where, color=COLOURS["year"], zorder=0)


# Fixed margins, in cm, where matplotlib's constrained layout put them on our charts (it cost a
# third of each chart); no title above the axes nor legend beside them: both are text of the
# document, so the axes take the whole width.
RIGHT_CM, BOTTOM_CM, TOP_CM = WIDTH_CM - 0.3, 0.64, HEIGHT_CM - 0.25
LEFT_BASE_CM = 0.8  # the axis label and the ticks, without the tick labels
DIGIT_CM = 0.18  # DejaVu Sans at 8 pt: a digit or a minus; separators are half as wide


def _fixed_margins(figure, axes) -> None:  # noqa: ANN001
    """Place the axes by the width of their longest y tick label (no layout pass)."""
    low, high = axes.get_ylim()
    labels = [tick_number(v) for v in axes.get_yticks() if low <= v <= high] or ["0"]
    longest = max(sum(DIGIT_CM if c.isalnum() or c == "-" else DIGIT_CM / 2 for c in text)
                  for text in labels)  # fmt: skip
    figure.subplots_adjust(
        left=(LEFT_BASE_CM + longest) / WIDTH_CM,
        right=RIGHT_CM / WIDTH_CM,
        bottom=BOTTOM_CM / HEIGHT_CM,
        top=TOP_CM / HEIGHT_CM,
    )
