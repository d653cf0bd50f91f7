"""The SVG written without matplotlib's figure: the limits, ticks and texts matplotlib gives."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from cpomdocs.data.model import Indicator
from cpomdocs.followup import charts
from cpomdocs.followup.chart_plot import plot_for, visible

EXAMPLES = Path(__file__).parent.parent / "contracts"
TEXT = re.compile(r"translate\(([-\d.]+) ([-\d.]+)\)[^>]*>([^<]+)</text>")


def indicator(reference: float, targets: dict[int, float], unit: str = "%") -> Indicator:
    """An indicator with these reference (2023) and targets."""
    return Indicator.model_validate(
        {
            "libelle": "Indicateur d'essai",
            "methode_calcul": "décompte",
            "source": "tableau de bord",
            "unite": unit,
            "sens": "hausse",
            "reference": {"valeur": reference, "annee": 2023},
            "cibles": targets,
        }
    )


CASES = {
    "rate with actuals": (indicator(11.2, {2025: 10.5, 2026: 9.5, 2027: 9}), {2025: 10.8}, 2026),
    "euros, long labels": (indicator(1234500, {2026: 1260000}, "€"), {2024: 1240000.5}, 2024),
    "a reference alone": (indicator(42, {}, "nombre"), {}, None),
    "negative values": (indicator(-3, {2025: -5, 2026: 2}, "points"), {2024: -4.5}, 2025),
    "a count from 0": (indicator(0, {2025: 40, 2027: 120}, "nombre"), {2024: 14}, 2026),
}


def matplotlib_autoscale(points: charts.Points) -> tuple:
    """What matplotlib's own autoscaling gives on a new figure with the same lines: y limits,
    and the visible y ticks of its axis, at the fixed margins' height, for the plot's limits."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(charts._STYLE):
        figure = Figure(figsize=(charts.WIDTH_CM / 2.54, 6.1 / 2.54))
        axes = figure.add_subplot()
        axes.margins(y=0.2)
        for shown in points.series.values():
            if shown:
                axes.plot(*zip(*shown, strict=True))
        left, right, bottom, top = points.plot.box
        figure.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
        low, high = axes.get_ylim()
        axes.set_ylim(*points.plot.ylim)
        return (low, high), visible(list(axes.get_yticks()), points.plot.ylim)


@pytest.mark.parametrize("case", sorted(CASES))
def test_limits_and_ticks_are_matplotlibs(case: str) -> None:
    points = charts.Points("X", *CASES[case], True)
    (low, high), ticks = matplotlib_autoscale(points)
    if case == "a count from 0":  # no axis below 0 for a count: room for the marker at 0 only
        assert low < points.plot.ylim[0] < 0 and points.plot.ylim[1] == high
        assert -points.plot.ylim[0] < 0.05 * (high - points.plot.ylim[0])
    else:
        assert points.plot.ylim == (low, high)
    assert list(points.plot.yticks) == ticks


@pytest.mark.parametrize("case", sorted(CASES))
def test_texts_where_matplotlibs_svg_puts_them(case: str) -> None:
    """Every tick label, value label and axis label at the very point of matplotlib's SVG of
    the same plot (its figure drawn by charts._draw, as for the PNG)."""
    points = charts.Points("X", *CASES[case], True)
    drawing = charts.ChartDrawing("k", "X", *CASES[case], True)
    ours = drawing.draw(["svg"])["svg"].decode("utf-8")
    with charts._styled():
        figure = charts._draw(points)
        out = io.BytesIO()
        figure.canvas.print_svg(out, metadata={"Date": None})
    theirs = out.getvalue().decode("utf-8")
    assert TEXT.findall(ours) == TEXT.findall(theirs)
    assert len(TEXT.findall(ours)) >= 5


def test_one_light_svg_per_chart() -> None:
    """No metadata, no CSS per element, one clip path, markers drawn in place."""
    svg = charts.ChartDrawing("k", "X", *CASES["rate with actuals"], True).draw(["svg"])["svg"]
    assert b"<metadata" not in svg and b"style=" not in svg and b"<use" not in svg
    assert svg.count(b"<clipPath") == 1
    assert svg.count(b"<circle") == 4  # reference + 3 targets: the targets' line starts there
    assert len(svg) < 4000


def test_the_plot_is_the_one_of_every_example_chart() -> None:
    """On the examples' charts (asba's preparation file), the plot's limits are matplotlib's."""
    from cpomdocs.build.catalog import contract_input, planned_documents
    from cpomdocs.followup.chart_store import CHART_STORE

    seen: list[charts.ChartDrawing] = []
    original = charts.ChartDrawing.__init__

    def keep(self, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        original(self, *args, **kwargs)
        seen.append(self)

    CHART_STORE.open(None)
    charts.ChartDrawing.__init__ = keep
    try:
        source = contract_input(EXAMPLES / "asba-beaujolais-2024", None, None, "test")
        planned = [p for p in planned_documents(source) if p.name.startswith("preparation")]
        planned[0].compose()
    finally:
        charts.ChartDrawing.__init__ = original
    assert len(seen) == 18
    for drawing in seen:
        points = charts.Points(*drawing.what)
        (low, high), ticks = matplotlib_autoscale(points)
        assert points.plot.ylim in ((low, high), (0.0, high)) or low < 0
        assert points.plot.ylim[1] == high and list(points.plot.yticks) == ticks


def test_a_single_value_gets_room_around_it() -> None:
    low, high = plot_for([2020], [1.0]).ylim
    assert low < 1.0 < high
