"""Charts of indicator trajectories (reference, yearly targets, actuals), and French numbers.

Drawn with matplotlib's object API (no pyplot state), imported inside the functions so that
commands that draw nothing do not pay for it. Output is deterministic: fixed SVG hash salt, no
date in the metadata, a fixed DPI for the PNG; SVG text stays text (DejaVu Sans, as the PDF).
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import io
import json
import textwrap
from pathlib import Path

from cpomdocs import fmt
from cpomdocs.data.model import Direction, Indicator, Unit
from cpomdocs.documents import typography
from cpomdocs.documents.blocks import Image
from cpomdocs.followup.chart_store import CHART_STORE

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
    """The trajectory of one indicator as an Image block, drawn only in the format a writer asks
    for (SVG for the PDF, PNG for the DOCX), and taken from the chart store when already drawn."""
    key = chart_key(code, indicator.model_dump(mode="json"), actuals, year)
    drawing = ChartDrawing(key, code, indicator, actuals, year)
    return Image(alt=chart_alt(code, indicator, actuals), width_cm=WIDTH_CM, draw=drawing)


def chart_key(code: str, indicator: object, actuals: dict[int, float], year: int | None) -> str:
    """The digest of what a chart shows and how it is drawn: equal keys, equal bytes."""
    what = [code, indicator, sorted(actuals.items()), year, _style_version()]
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()


@functools.cache
def _style_version() -> list[str]:
    """This module's code and matplotlib's version: a new drawing code draws every chart anew."""
    from importlib.metadata import version

    source = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return [source, version("matplotlib"), str(PNG_DPI), str(_STYLE)]


class ChartDrawing:
    """One chart, drawn on demand, or read from the chart store.

    The first format asked for is drawn together with the other formats the build writes (the
    store knows them: SVG for a PDF, PNG for a DOCX), from one figure that is then dropped, so
    that a document's figures are never all alive at once.
    """

    def __init__(
        self,
        key: str,
        code: str,
        indicator: Indicator,
        actuals: dict[int, float],
        year: int | None,
    ) -> None:
        self.key = key
        self.what = (code, indicator, actuals, year)
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
        import matplotlib

        drawn = {}
        with matplotlib.rc_context(_STYLE):
            figure = _draw(*self.what)
            for kind in kinds:
                out = io.BytesIO()
                if kind == "png":
                    figure.savefig(out, format="png", dpi=PNG_DPI, metadata={"Software": None})
                else:
                    figure.savefig(out, format="svg", metadata={"Date": None})
                drawn[kind] = out.getvalue()
        return drawn


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
    "axes.titley": 1.0,  # a fixed title position: matplotlib's search for one costs 10 %
    "legend.frameon": False,
    "path.simplify": False,
}


_CANVAS: list = []  # one figure and its axes per process, cleared and drawn again per chart


def _canvas():  # noqa: ANN202
    """The process's figure and axes, emptied of the previous chart's artists.

    Making a figure, its axes and their ticks costs about a third of a chart; everything that is
    the same for every chart (size, tick locator and formatters, grid) is set once here.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if not _CANVAS:
        figure = Figure(figsize=(WIDTH_CM / 2.54, HEIGHT_CM / 2.54))
        measured_svg_canvas()(figure)  # becomes figure.canvas: its SVG renderer keeps metrics
        axes = figure.add_subplot()
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:.0f}"))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _: _tick_number(float(y))))
        axes.xaxis.set_label_coords(0.5, 0.0)  # no x label: spares matplotlib placing it
        axes.margins(y=0.2)
        axes.grid(axis="y", color="#d9d9d9", linewidth=0.5)
        params = figure.subplotpars
        margins = {side: getattr(params, side) for side in ("left", "right", "bottom", "top")}
        _CANVAS.append((figure, axes, margins))
    figure, axes, margins = _CANVAS[0]
    figure.subplots_adjust(**margins)  # as a new figure: the y ticks depend on the axes' height
    for artist in [*axes.lines, *axes.patches, *axes.texts]:
        artist.remove()
    if axes.legend_ is not None:
        axes.legend_.remove()
    axes.relim()  # no artist left: the data limits are empty again
    axes.set_prop_cycle(None)
    axes.set_autoscaley_on(True)
    return figure, axes


@functools.lru_cache(maxsize=1024)
def _tick_number(value: float) -> str:
    """A y tick label (Babel is slow, and the same ticks come back on every chart)."""
    return fmt.number(value)


@functools.cache
def measured_svg_canvas():  # noqa: ANN201
    """matplotlib's SVG canvas, whose renderers share one cache of text sizes.

    matplotlib measures each text (tick labels, legend, title) with FreeType once per renderer,
    that is once per chart drawn; the sizes depend only on the text and its font, so a process
    keeps them: about a fifth of a chart.
    """
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG

    sizes: dict[tuple, tuple[float, float, float]] = {}

    class MeasuredRendererSVG(RendererSVG):
        def get_text_width_height_descent(self, s, prop, ismath):  # noqa: ANN001, ANN202
            key = (s, prop.copy(), ismath)
            if key not in sizes:
                sizes[key] = super().get_text_width_height_descent(s, prop, ismath)
            return sizes[key]

    class MeasuredCanvasSVG(FigureCanvasSVG):
        def print_svg(self, out, *, metadata=None, **_):  # noqa: ANN001, ANN003, ANN202
            """FigureCanvasSVG.print_svg of matplotlib 3.11 into bytes, measuring renderer."""
            writer = codecs.getwriter("utf-8")(out)
            dpi, self.figure.dpi = self.figure.dpi, 72
            width, height = self.figure.get_size_inches()
            svg = MeasuredRendererSVG(
                width * 72, height * 72, writer, image_dpi=dpi, metadata=metadata
            )
            renderer = MixedModeRenderer(self.figure, width, height, dpi, svg)
            self.figure.draw(renderer)
            renderer.finalize()

    return MeasuredCanvasSVG


def _draw(code: str, indicator: Indicator, actuals: dict[int, float], year: int | None):  # noqa: ANN202
    figure, axes = _canvas()
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
    axes.set_ylabel(typography.text(AXIS_UNITS.get(indicator.unite, indicator.unite.value)))
    better = "plus haut est mieux" if indicator.sens is Direction.HAUSSE else "plus bas est mieux"
    title = textwrap.wrap(typography.text(f"{code} – {indicator.libelle}"), TITLE_CHARS)
    axes.set_title("\n".join(title), loc="left")
    legend = axes.legend(
        loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, title_fontsize=7,
        title=typography.text(f"Sens : {indicator.sens.value}\n({better})"), alignment="left",
    )  # fmt: skip
    legend.get_title().set_color(COLOURS["reference"])
    _fixed_margins(figure, axes, len(title))
    return figure


# Fixed margins, in cm, where matplotlib's constrained layout put them on our charts (it cost a
# third of each chart): the legend right of the axes, one or two title lines above them.
RIGHT_CM, BOTTOM_CM = 12.8, 0.64
TOP_CM = {1: 5.83, 2: 5.4}
LEFT_BASE_CM = 0.8  # the axis label and the ticks, without the tick labels
DIGIT_CM = 0.18  # DejaVu Sans at 8 pt: a digit or a minus; separators are half as wide


def _fixed_margins(figure, axes, title_lines: int) -> None:  # noqa: ANN001
    """Place the axes by the width of their longest y tick label (no layout pass)."""
    low, high = axes.get_ylim()
    formatter = axes.yaxis.get_major_formatter()
    labels = [formatter(v) for v in axes.get_yticks() if low <= v <= high] or ["0"]
    longest = max(sum(DIGIT_CM if c.isalnum() or c == "-" else DIGIT_CM / 2 for c in text)
                  for text in labels)  # fmt: skip
    figure.subplots_adjust(
        left=(LEFT_BASE_CM + longest) / WIDTH_CM,
        right=RIGHT_CM / WIDTH_CM,
        bottom=BOTTOM_CM / HEIGHT_CM,
        top=TOP_CM.get(title_lines, TOP_CM[2] - 0.43 * (title_lines - 2)) / HEIGHT_CM,
    )
