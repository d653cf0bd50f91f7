"""Where a chart's axes, limits and ticks go, computed as matplotlib computed them for our charts.

The SVG of a chart is written by chart_svg.py without drawing a matplotlib figure: its limits
(the data, 20 % of margin above and below, no axis below 0 for values that cannot be negative),
its ticks (matplotlib's own locators, as pure functions) and its fixed margins are computed here
from the values alone. The PNG is drawn by matplotlib on the same plot (charts._draw), so both
formats show one chart; tests/test_chart_svg.py checks that they agree on every example chart.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from cpomdocs.followup.chart_canvas import HEIGHT_CM, WIDTH_CM, tick_number

Y_MARGIN = 0.2  # of the data's height, above and below (axes.margins(y=0.2))
X_MARGIN = 0.6  # years, left of the first and right of the last
MARKER_ROOM = 0.04  # of the axis height: half the largest marker, and less than any tick step
TICK_LABEL_PT = 8.0  # font.size of the charts (charts._STYLE): y tick labels are this size
DEFAULT_HEIGHT = 0.88 - 0.11  # matplotlib's default subplot height (figure fraction)

# Fixed margins, in cm, where matplotlib's constrained layout put them on our charts (it cost a
# third of each chart); no title above the axes nor legend beside them: both are text of the
# document, so the axes take the whole width.
RIGHT_CM, BOTTOM_CM, TOP_CM = WIDTH_CM - 0.3, 0.64, HEIGHT_CM - 0.25
LEFT_BASE_CM = 0.8  # the axis label and the ticks, without the tick labels
DIGIT_CM = 0.18  # DejaVu Sans at 8 pt: a digit or a minus; separators are half as wide

COLOURS = {"target": "#1f4e79", "actual": "#c55a11", "reference": "#595959", "year": "#e7eef6"}

# How each series is drawn; chart_caption.py prints the key of the same styles in the text.
SERIES = {
    "target": {"linestyle": "--", "marker": "o", "markersize": 4, "color": COLOURS["target"]},
    "reference": {"linestyle": "none", "marker": "D", "markersize": 6,
                  "color": COLOURS["reference"], "zorder": 3},
    "actual": {"marker": "s", "markersize": 5, "linewidth": 2, "color": COLOURS["actual"],
               "zorder": 4},
}  # fmt: skip


@dataclass(frozen=True)
class Plot:
    """The axes of one chart: view limits, visible ticks, and its box (figure fractions)."""

    xlim: tuple[float, float]
    ylim: tuple[float, float]
    xticks: tuple[float, ...]
    yticks: tuple[float, ...]
    box: tuple[float, float, float, float]  # left, right, bottom, top


def plot_for(years: list[int], values: list[float], whole: bool = False) -> Plot:
    """The plot of a chart whose points have these `values` over these `years`; `whole`: a
    count (households, people), whose axis has no tick between two whole numbers (« 19,5 »)."""
    xlim = (min(years) - X_MARGIN, max(years) + X_MARGIN)
    ylim = y_limits(values)
    left = (LEFT_BASE_CM + longest_label_cm(ylim, whole)) / WIDTH_CM
    box = (left, RIGHT_CM / WIDTH_CM, BOTTOM_CM / HEIGHT_CM, TOP_CM / HEIGHT_CM)
    yticks = visible(y_ticks(ylim, (TOP_CM - BOTTOM_CM) / 2.54), ylim)
    counted = [t for t in yticks if float(t).is_integer()]
    if whole and len(counted) >= 2:
        yticks = counted
    xticks = visible(x_ticks(xlim), xlim)
    return Plot(xlim, ylim, tuple(xticks), tuple(yticks), box)


def y_limits(values: list[float]) -> tuple[float, float]:
    """matplotlib's autoscaled y limits (data, nonsingular, 20 % margins), then never below 0
    for values that cannot be negative (a count read « −25 » otherwise): the axis stops at 0,
    or just under it when a value is near 0 (room for its marker, never room for a tick)."""
    locator = _auto_locator(None)
    low, high = locator.nonsingular(min(values), max(values))
    delta = (high - low) * Y_MARGIN
    low, high = (float(v) for v in locator.view_limits(low - delta, high + delta))
    lowest = min(values)
    if lowest < 0 or low >= 0:
        return low, high
    room = MARKER_ROOM * (high - low)
    return (0.0 if lowest >= room else lowest - room), high


@functools.lru_cache(maxsize=1024)
def y_ticks(ylim: tuple[float, float], height_in: float) -> tuple[float, ...]:
    """The y ticks of matplotlib's AutoLocator for axes `height_in` inches high."""
    bins = max(min(int(height_in * 72 // (TICK_LABEL_PT * 2)), 9), 1)  # Axis.get_tick_space
    return tuple(float(t) for t in _auto_locator(bins).tick_values(*ylim))


@functools.lru_cache(maxsize=256)
def x_ticks(xlim: tuple[float, float]) -> tuple[float, ...]:
    """The years under the x axis (MaxNLocator(integer=True), 10 bins at most)."""
    return tuple(float(t) for t in _year_locator().tick_values(*xlim))


def visible(ticks: Sequence[float], limits: tuple[float, float]) -> list[float]:
    """The ticks inside the view limits (with matplotlib's tolerance)."""
    low, high = sorted(limits)
    slack = (high - low) * 1e-10
    return [t for t in ticks if low - slack <= t <= high + slack]


def longest_label_cm(ylim: tuple[float, float], whole: bool = False) -> float:
    """The width of the longest y tick label, counted in digits, for the axes of matplotlib's
    default height (where the fixed margins were measured) and for the axes drawn (their ticks
    may be finer: « 97,5 » beside « 97 », the axis label cut at the left edge): no text layout
    needed."""
    low, high = ylim
    heights = (DEFAULT_HEIGHT * HEIGHT_CM / 2.54, (TOP_CM - BOTTOM_CM) / 2.54)
    ticks = [t for inches in heights for t in y_ticks(ylim, inches) if low <= t <= high]
    counted = [t for t in ticks if float(t).is_integer()]
    if whole and len(counted) >= 2:  # a count's axis (plot_for)
        ticks = counted
    labels = [tick_number(t) for t in ticks] or ["0"]
    return max(sum(DIGIT_CM if c.isalnum() or c == "-" else DIGIT_CM / 2 for c in text)
               for text in labels)  # fmt: skip


@functools.cache
def _auto_locator(bins: int | None):  # noqa: ANN202
    """matplotlib's AutoLocator with a fixed number of bins (its 'auto' asks the axis)."""
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=bins or "auto", steps=[1, 2, 2.5, 5, 10])


@functools.cache
def _year_locator():  # noqa: ANN202
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)
