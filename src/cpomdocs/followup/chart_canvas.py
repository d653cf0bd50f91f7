"""The figure every chart of a process is drawn on, and its ticks drawn as a few artists.

Most of a chart's time went to matplotlib's general machinery rather than to what the chart
shows: a new figure and axes per chart, one Tick object (mark, grid line, label, and their
bounding boxes) per tick, text measured anew for each file. Here one figure and its axes are
made once per process and emptied between charts; ticks, grid and axis label are drawn as a few
plain artists at the positions matplotlib's locators choose; text sizes are kept. The bytes
drawn do not depend on the charts drawn before (tests/test_charts.py checks it).
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Iterator, Sequence
from typing import Any

from cpomdocs import fmt

WIDTH_CM, HEIGHT_CM = 16.0, 6.1  # the plot: its title and key are text above it
GRID_COLOUR = "#d9d9d9"
TICK_SIZE, TICK_PAD, LABEL_PAD = 3.5, 3.5, 4.0  # points: matplotlib's defaults
PNG_LEVEL = 1  # zlib's fastest: see print_png
ZORDER_AXIS = 1.5  # under the lines, above the highlighted year (as matplotlib's axes)


@contextlib.contextmanager
def styled() -> Iterator[None]:
    """matplotlib's settings of STYLE while a chart draws, then those of before: only these
    keys, where rc_context copies all 300 of them (5 % of a chart)."""
    from matplotlib import rcParams

    saved = {key: rcParams[key] for key in STYLE}
    rcParams.update(STYLE)
    try:
        yield
    finally:
        rcParams.update(saved)


STYLE = {
    "svg.hashsalt": "cpomdocs",
    "svg.fonttype": "none",  # text stays text: 3× faster for WeasyPrint, searchable in the PDF
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "font.weight": "normal",  # the font in full: a setting made outside a chart never shows
    "font.style": "normal",
    "font.variant": "normal",
    "font.stretch": "normal",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": False,
}


_CANVAS: list = []  # (figure, axes, default margins, texts): one per process
_POOL: dict[str, Any] = {}  # the artists every chart draws (its series, the year's band), reused


def canvas() -> tuple[Any, Any]:
    """The process's figure and axes, emptied of the previous chart's artists."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    if not _CANVAS:
        figure = Figure(figsize=(WIDTH_CM / 2.54, HEIGHT_CM / 2.54))
        measured_svg_canvas()(figure)  # becomes figure.canvas: its SVG renderer keeps metrics
        axes = figure.add_subplot()
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.margins(y=0.2)
        axes.tick_params(left=False, bottom=False, labelleft=False, labelbottom=False)
        axes.xaxis.set_visible(False)  # ticks and labels: draw_ticks draws them
        axes.yaxis.set_visible(False)
        params = figure.subplotpars
        margins = {side: getattr(params, side) for side in ("left", "right", "bottom", "top")}
        from cpomdocs.followup.chart_text import PlainTexts

        texts = PlainTexts()
        texts.set_zorder(5)  # value labels over the lines (the actuals: 4)
        axes.add_artist(texts)
        _CANVAS.append((figure, axes, margins, texts))
    figure, axes, margins, texts = _CANVAS[0]
    texts.items = []
    figure.subplots_adjust(**margins)  # as a new figure: the y ticks depend on the axes' height
    kept = _POOL.values()
    for artist in [*axes.lines, *axes.patches, *axes.texts, *axes.collections]:
        if artist not in kept:
            artist.remove()
    for artist in kept:
        artist.set_visible(False)
    axes.relim(visible_only=True)  # nothing shown: the data limits are empty again
    axes.set_prop_cycle(None)
    axes.set_autoscaley_on(True)
    return figure, axes


def pooled(name: str, make: Any) -> Any:
    """The artist `name` of the canvas's axes, made by `make()` the first time, shown again.

    Making and adding an artist (a Line2D, its clip path, its transforms) cost more than
    drawing it: the series and the year's band are made once and given each chart's data.
    """
    if name not in _POOL:
        axes = _CANVAS[0][1]
        artist = make()
        axes.add_artist(artist) if not hasattr(artist, "get_xydata") else axes.add_line(artist)
        _POOL[name] = artist
    _POOL[name].set_visible(True)
    return _POOL[name]


def plain_texts() -> Any:
    """The artist that draws the current chart's texts (chart_text.PlainTexts)."""
    return _CANVAS[0][3]


def tick_number(value: float) -> str:
    """A y tick label in French."""
    return _tick_number(float(value))


@functools.lru_cache(maxsize=1024)
def _tick_number(value: float) -> str:
    return fmt.number(value)  # Babel is slow, and the same ticks come back on every chart


def draw_ticks(axes: Any, ylabel: str, yticks: Sequence[float] | None = None) -> None:
    """Tick marks, tick labels, y grid and y label, where matplotlib's axis would draw them;
    `yticks`: the plot's own (chart_plot.py, a count's whole numbers), else matplotlib's.

    One grid collection and one marker line per axis instead of an object per tick (the axis
    machinery was half of a chart's time), made once per process; the labels are plain texts.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import TICKDOWN, TICKLEFT
    from matplotlib.transforms import offset_copy

    figure = axes.get_figure()
    ys = list(yticks) if yticks is not None else _visible(axes.get_yticks(), axes.get_ylim())
    xs = _visible(axes.get_xticks(), axes.get_xlim())
    to_y, to_x = axes.get_yaxis_transform(), axes.get_xaxis_transform()
    grid = pooled("grid", lambda: LineCollection(
        [], transform=to_y, colors=GRID_COLOUR, linewidths=0.5, capstyle="projecting",
        zorder=ZORDER_AXIS,
    ))  # fmt: skip
    grid.set_segments([[(0, y), (1, y)] for y in ys])
    marks = {"linestyle": "none", "markersize": TICK_SIZE, "markeredgewidth": 0.8,
             "color": "black", "clip_on": False, "zorder": ZORDER_AXIS}  # fmt: skip
    left_marks = pooled("y marks", lambda: _line([], [], to_y, marker=TICKLEFT, **marks))
    left_marks.set_data([0.0] * len(ys), ys)
    down_marks = pooled("x marks", lambda: _line([], [], to_x, marker=TICKDOWN, **marks))
    down_marks.set_data(xs, [0.0] * len(xs))
    gap = TICK_SIZE + TICK_PAD
    left = offset_copy(to_y, figure, x=-gap, y=0, units="points")
    below = offset_copy(to_x, figure, x=0, y=-gap, units="points")
    texts = plain_texts()
    labels = [tick_number(y) for y in ys]
    for y, text in zip(ys, labels, strict=True):
        texts.add(left, (0, y), text, ha="right", va="center_baseline")
    for x in xs:
        texts.add(below, (x, 0), f"{x:.0f}", ha="center", va="top")
    widest = max((_text_width(text) for text in labels), default=0.0)
    away = -(gap + widest + LABEL_PAD)
    at_left = offset_copy(axes.transAxes, figure, x=away, y=0, units="points")
    texts.add(at_left, (0, 0.5), ylabel, ha="center", va="bottom", rotation="vertical",
              rotation_mode="anchor")  # fmt: skip


def _visible(ticks: Any, limits: tuple[float, float]) -> list[float]:
    """The ticks inside the view limits (with matplotlib's tolerance)."""
    low, high = sorted(limits)
    slack = (high - low) * 1e-10
    return [float(t) for t in ticks if low - slack <= t <= high + slack]


def _line(xs: list[float], ys: list[float], transform: Any, **style: Any) -> Any:
    from matplotlib.lines import Line2D

    return Line2D(xs, ys, transform=transform, **style)


@functools.lru_cache(maxsize=1024)
def _text_width(text: str) -> float:
    """The width in points of a y tick label, as matplotlib measures it for the SVG."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    return TextToPath().get_text_width_height_descent(text, FontProperties(), False)[0]


@functools.cache
def measured_svg_canvas() -> Any:
    """matplotlib's SVG canvas, whose renderers share one cache of text sizes.

    The PDF's SVG is written by chart_svg.py; this canvas's print_svg is what it is checked
    against (tests/test_chart_svg.py: every text at the same point). matplotlib measures each
    text with FreeType once per renderer, that is once per chart; the sizes depend only on the
    text and its font, so the process keeps them.
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
            """FigureCanvasSVG.print_svg of matplotlib 3.11 into bytes, measuring renderer; the
            text is encoded once at the end, not piece by piece (a codecs writer per element)."""
            writer = io.StringIO()
            dpi, self.figure.dpi = self.figure.dpi, 72
            width, height = self.figure.get_size_inches()
            svg = MeasuredRendererSVG(
                width * 72, height * 72, writer, image_dpi=dpi, metadata=metadata
            )
            renderer = MixedModeRenderer(self.figure, width, height, dpi, svg)
            self.figure.draw(renderer)
            renderer.finalize()
            out.write(writer.getvalue().encode("utf-8"))

    return MeasuredCanvasSVG


def print_png(figure: Any, dpi: int) -> bytes:
    """The figure as a PNG at `dpi`: opaque RGB, zlib level 1 (PNG_LEVEL).

    savefig writes RGBA at level 6; the charts have no transparency (a white figure), so the
    alpha channel was a quarter of the pixels for nothing. RGB at level 1: the same pixels,
    encoded in 13 ms instead of 20 ms per chart, files 10 % larger (RGB at level 6: 17 ms, 10 %
    smaller); the DOCX stores pictures as they are (docx_package.py).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas, saved_dpi = figure.canvas, figure.dpi
    figure.dpi = dpi
    try:
        agg = FigureCanvasAgg(figure)  # becomes figure.canvas until restored below
        agg.draw()
        size = agg.get_width_height()
        pixels = Image.frombuffer("RGBA", size, agg.buffer_rgba(), "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        pixels.convert("RGB").save(out, format="png", compress_level=PNG_LEVEL, dpi=(dpi, dpi))
        return out.getvalue()
    finally:
        figure.dpi = saved_dpi
        figure.set_canvas(canvas)
