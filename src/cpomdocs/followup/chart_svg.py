"""A chart's SVG written directly, for the PDF: the picture matplotlib drew, a fraction of the work.

matplotlib spent about 24 M instructions per chart building and walking its artists for a
picture of a dozen shapes; here the plot's geometry comes from chart_plot.py (matplotlib's own
limits, ticks and margins, as pure functions) and the texts are placed where matplotlib's Text
would put them (chart_text.py, measured once per process). The file is lighter for WeasyPrint
too: presentation attributes inherited from a few groups instead of a CSS style per element,
one clip path, markers drawn in place rather than through <use>, no metadata.
"""

from __future__ import annotations

import functools
import io
from typing import Any

from cpomdocs.followup.chart_canvas import (
    GRID_COLOUR,
    HEIGHT_CM,
    LABEL_PAD,
    TICK_PAD,
    TICK_SIZE,
    WIDTH_CM,
    _text_width,
    styled,
    tick_number,
)
from cpomdocs.followup.chart_plot import COLOURS, SERIES, Plot

W, H = WIDTH_CM / 2.54 * 72, HEIGHT_CM / 2.54 * 72  # points: the SVG's user units
MARKER_WIDTH = 1.0  # matplotlib's lines.markeredgewidth
DASHES = "5.55,2.4"  # lines.dashed_pattern (3.7, 1.6) × the targets' width 1.5
TICK_WIDTH = 0.8


def num(value: float) -> str:
    """A coordinate as matplotlib's SVG writes it: six decimals at most, no trailing zeros."""
    return f"{value:f}".rstrip("0").rstrip(".")


class Frame:
    """Data coordinates to the SVG's points (y downwards), for one plot."""

    def __init__(self, plot: Plot) -> None:
        left, right, bottom, top = plot.box
        self.left, self.right = left * W, right * W
        self.bottom, self.top = H - bottom * H, H - top * H  # SVG: y grows downwards
        (self.x0, x1), (self.y0, y1) = plot.xlim, plot.ylim
        self.sx = (self.right - self.left) / (x1 - self.x0)
        self.sy = (self.bottom - self.top) / (y1 - self.y0)

    def x(self, value: float) -> float:
        return self.left + (value - self.x0) * self.sx

    def y(self, value: float) -> float:
        return self.bottom - (value - self.y0) * self.sy

    def point(self, x: float, y: float) -> str:
        return f"{num(self.x(x))} {num(self.y(y))}"


def chart_svg(
    plot: Plot,
    series: dict[str, list[tuple[float, float]]],
    year: int | None,
    values: list[tuple[float, float, str]],
    ylabel: str,
) -> bytes:
    """The SVG of a chart: `series` by name (charts.SERIES), the band of `year`, the actuals'
    value labels `values` (x, y, text), the y axis label."""
    f = Frame(plot)
    out = io.StringIO()
    w = out.write
    w('<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
      f'version="1.1" width="{num(W)}pt" height="{num(H)}pt" viewBox="0 0 {num(W)} {num(H)}" '
      'stroke-linejoin="round" stroke-linecap="butt">\n'
      f'<defs><clipPath id="plot"><rect x="{num(f.left)}" y="{num(f.top)}" '
      f'width="{num(f.right - f.left)}" height="{num(f.bottom - f.top)}"/></clipPath></defs>\n'
      f'<rect width="{num(W)}" height="{num(H)}" fill="#ffffff"/>\n'
      '<g clip-path="url(#plot)">\n')  # fmt: skip
    if year is not None:  # the band of the year examined, under everything (zorder 0)
        colour = COLOURS["year"]
        w(f'<rect x="{num(f.x(year - 0.4))}" y="{num(f.top)}" width="{num(0.8 * f.sx)}" '
          f'height="{num(f.bottom - f.top)}" fill="{colour}" stroke="{colour}" '
          'stroke-linejoin="miter"/>\n')  # fmt: skip
    grid = "".join(f"M{num(f.left)} {num(f.y(y))}H{num(f.right)}" for y in plot.yticks)
    w(f'<path d="{grid}" fill="none" stroke="{GRID_COLOUR}" stroke-width="0.5" '
      'stroke-linecap="square"/>\n</g>\n')  # fmt: skip
    marks = "".join(f"M{num(f.left)} {num(f.y(y))}h{-TICK_SIZE}" for y in plot.yticks)
    marks += "".join(f"M{num(f.x(x))} {num(f.bottom)}v{TICK_SIZE}" for x in plot.xticks)
    w(f'<path d="{marks}" fill="none" stroke="#000000" stroke-width="{TICK_WIDTH}"/>\n')
    for name in ("target", "reference", "actual"):  # matplotlib's order: their zorders
        if series.get(name):
            w(_series(f, series[name], SERIES[name]))
        if name == "target":  # the spines (zorder 2.5), between the targets and the rest
            w(f'<path d="M{num(f.left)} {num(f.top)}V{num(f.bottom)}H{num(f.right)}" '
              f'fill="none" stroke="#000000" stroke-width="{TICK_WIDTH}" '
              'stroke-linejoin="miter" stroke-linecap="square"/>\n')  # fmt: skip
    w(_texts(f, plot, values, ylabel, COLOURS["actual"]))
    w("</svg>\n")
    return out.getvalue().encode("utf-8")


def _series(f: Frame, points: list[tuple[float, float]], style: dict[str, Any]) -> str:
    """A series' line (unless it has none) and its markers, clipped to the plot."""
    colour = style["color"]
    parts = ['<g clip-path="url(#plot)">']
    if style.get("linestyle") != "none":
        width = style.get("linewidth", 1.5)
        dashed = style.get("linestyle") == "--"
        dash = f' stroke-dasharray="{DASHES}"' if dashed else ' stroke-linecap="square"'
        d = "M" + "L".join(f.point(x, y) for x, y in points)
        parts.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}"{dash}/>')
    half = style["markersize"] / 2
    marker = style["marker"]
    join = "" if marker == "o" else ' stroke-linejoin="miter"'
    parts.append(f'<g fill="{colour}" stroke="{colour}" stroke-width="{MARKER_WIDTH}"{join}>')
    for x, y in points:
        cx, cy = num(f.x(x)), num(f.y(y))
        if marker == "o":
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{num(half)}"/>')
        elif marker == "s":
            parts.append(f'<rect x="{num(f.x(x) - half)}" y="{num(f.y(y) - half)}" '
                         f'width="{num(2 * half)}" height="{num(2 * half)}"/>')  # fmt: skip
        else:  # "D": a square of side markersize turned by 45°
            r = num(half * 2**0.5)
            parts.append(f'<path d="M{cx} {cy}m0 {r}l{r} -{r}l-{r} -{r}l-{r} {r}z"/>')
    parts.append("</g></g>\n")
    return "".join(parts)


def _texts(
    f: Frame, plot: Plot, values: list[tuple[float, float, str]], ylabel: str, colour: str
) -> str:
    """Value labels on their white boxes, tick labels, axis label: where matplotlib puts them."""
    parts = ['<g font-family="DejaVu Sans" font-size="8">']
    for x, y, text in values:  # anchored 5 points right of and above the point
        px, py = f.x(x) + 5, f.y(y) - 5
        (dx, dy), box = _layout(text, VALUE_STYLE + (("color", colour),))
        parts.append(f'<path d="{_box_path(box, px, py)}" fill="#ffffff"/>')
        parts.append(_text(px + dx, py - dy, text, f' font-size="7" fill="{colour}"'))
    gap = TICK_SIZE + TICK_PAD
    labels = [tick_number(y) for y in plot.yticks]
    for y, text in zip(plot.yticks, labels, strict=True):
        (dx, dy), _ = _layout(text, Y_TICK_STYLE)
        parts.append(_text(f.left - gap + dx, f.y(y) - dy, text))
    for x in plot.xticks:
        text = f"{x:.0f}"
        (dx, dy), _ = _layout(text, X_TICK_STYLE)
        parts.append(_text(f.x(x) + dx, f.bottom + gap - dy, text))
    widest = max((_label_width(text) for text in labels), default=0.0)
    px, py = f.left - (gap + widest + LABEL_PAD), (f.top + f.bottom) / 2
    (dx, dy), _ = _layout(ylabel, Y_LABEL_STYLE)
    parts.append(_text(px + dx, py - dy, ylabel, rotate=True))
    parts.append("</g>\n")
    return "".join(parts)


VALUE_STYLE = (("fontsize", 7), ("ha", "left"), ("va", "bottom"))
Y_TICK_STYLE = (("ha", "right"), ("va", "center_baseline"))
X_TICK_STYLE = (("ha", "center"), ("va", "top"))
Y_LABEL_STYLE = (("ha", "center"), ("rotation", "vertical"), ("rotation_mode", "anchor"),
                 ("va", "bottom"))  # fmt: skip


def _text(x: float, y: float, text: str, attributes: str = "", rotate: bool = False) -> str:
    """A text element whose first glyph's baseline starts at (x, y)."""
    from xml.sax.saxutils import escape

    turn = " rotate(-90)" if rotate else ""
    return (f'<text transform="translate({num(x)} {num(y)}){turn}"{attributes}>'
            f"{escape(text)}</text>")  # fmt: skip


def _box_path(box: list[tuple[str, list[tuple[float, float]]]], px: float, py: float) -> str:
    """A round box (_segments, y upwards, at the anchor) moved to (px, py) of the SVG."""
    return "".join(
        letter + " ".join(f"{num(px + x)} {num(py - y)}" for x, y in pairs) for letter, pairs in box
    )


def _segments(box: Any) -> list[tuple[str, list[tuple[float, float]]]]:
    """matplotlib's path as SVG commands and their points, in plain floats."""
    letters = {1: "M", 2: "L", 3: "Q", 4: "C", 79: "z"}
    segments = []
    for vertices, code in box.iter_segments(simplify=False, curves=True):
        pairs = [] if code == 79 else list(zip(vertices[::2], vertices[1::2], strict=True))
        segments.append((letters[code], [(float(x), float(y)) for x, y in pairs]))
    return segments


@functools.cache
def _probe() -> tuple[Any, Any]:
    """An SVG renderer and a 72 dpi figure, made once, to measure texts as matplotlib does."""
    from matplotlib.backends.backend_svg import RendererSVG
    from matplotlib.figure import Figure

    return RendererSVG(W, H, io.StringIO()), Figure(figsize=(W / 72, H / 72), dpi=72)


@functools.lru_cache(maxsize=4096)
def _label_width(text: str) -> float:
    """A tick label's width in points, in the charts' style whatever matplotlib's settings
    are outside a chart (a default font measured first gave other bytes in another process)."""
    with styled():
        return _text_width(text)


@functools.lru_cache(maxsize=4096)
def _layout(text: str, style: tuple) -> tuple[tuple[float, float], list]:
    """The offset of the first glyph from the anchor (points, y upwards) and the round box,
    measured by matplotlib in the charts' style the first time a text is met."""
    from cpomdocs.followup.chart_text import _layout as measured

    renderer, figure = _probe()
    with styled():
        (dx, dy), box, *_ = measured(renderer, figure, text, tuple(sorted(style)))
    return (float(dx), float(dy)), _segments(box)
