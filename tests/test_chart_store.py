"""The chart store: a chart is drawn only in the format asked for, its PNG never twice for the
same data (its SVG, cheaper to write than to read back, each time), and only the store's own
files in the output folder are ever removed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cpomdocs.data.model import Indicator
from cpomdocs.followup.chart_store import CHART_STORE, CHARTS_DIR, prune_charts
from cpomdocs.followup.charts import indicator_chart

OCCUPANCY = {
    "libelle": "Taux d'occupation",
    "methode_calcul": "journées réalisées × 100 / journées théoriques",
    "source": "tableau de bord",
    "unite": "%",
    "sens": "hausse",
    "reference": {"valeur": 90.5, "annee": 2024},
    "cibles": {2025: 92, 2026: 95},
}


@pytest.fixture
def store(tmp_path: Path):  # noqa: ANN201
    CHART_STORE.open(tmp_path)
    CHART_STORE.drawn = 0
    yield tmp_path / CHARTS_DIR
    CHART_STORE.open(None)


def _chart(cibles: dict[int, float] | None = None):  # noqa: ANN202
    data = {**OCCUPANCY, "cibles": cibles or OCCUPANCY["cibles"]}
    return indicator_chart("TO", Indicator.model_validate(data), {2025: 91.0}, 2025)


def test_only_the_format_asked_for_is_drawn(store: Path) -> None:
    svg = _chart().svg
    assert svg.startswith(b"<?xml") and CHART_STORE.drawn == 1
    assert not store.exists() or not list(store.iterdir())  # an SVG is not stored


def test_a_stored_chart_is_not_drawn_again(store: Path) -> None:
    first = _chart().png
    again = _chart().png
    assert again == first and CHART_STORE.drawn == 1
    assert _chart({2025: 92, 2026: 96}).png != first  # another target: another chart
    assert CHART_STORE.drawn == 2 and len(list(store.iterdir())) == 2


def test_an_svg_is_written_each_time_a_png_once(store: Path) -> None:
    chart = _chart()
    assert chart.svg == _chart().svg and CHART_STORE.drawn == 2
    assert chart.png == _chart().png and CHART_STORE.drawn == 3
    assert [p.suffix for p in store.iterdir()] == [".png"]


def test_prune_removes_only_unused_charts_of_the_store(store: Path, tmp_path: Path) -> None:
    assert _chart().png
    assert _chart({2025: 92, 2026: 96}).png
    kept, gone = sorted(p.name for p in store.iterdir())
    older = f"{'2' * 64}.svg"  # an SVG stored by an older version: no document asks for it
    (store / older).write_text("<svg/>")
    (store / "notes.txt").write_text("à garder")
    outside = tmp_path.parent / f"{'0' * 64}.png"
    outside.write_text("hors du dossier de sortie")
    os.symlink(outside, store / f"{'1' * 64}.png")
    assert prune_charts(tmp_path, {kept}) == sorted([gone, older])
    names = sorted(p.name for p in store.iterdir())
    assert names == sorted([kept, "notes.txt", f"{'1' * 64}.png"])
    assert outside.read_text() == "hors du dossier de sortie"
