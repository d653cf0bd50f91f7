"""Indicator charts: SVG and PNG, deterministic, French numbers; matplotlib loaded lazily."""

from __future__ import annotations

import hashlib
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cpomdocs.data.model import Indicator, Unit
from cpomdocs.documents.blocks import Image
from cpomdocs.fmt import number as number_fr
from cpomdocs.followup.charts import PNG_DPI, WIDTH_CM, gap_fr, indicator_chart, value_fr

NNBSP, NBSP = "\u202f", "\u00a0"
EXAMPLE = "asba-beaujolais-2024"
ABSENTEEISM = Indicator.model_validate(
    {
        "libelle": "Taux d'absentéisme des aides-soignants",
        "methode_calcul": "jours d'absence × 100 / jours travaillés théoriques",
        "source": "tableau de bord de la performance ANAP",
        "unite": "%",
        "sens": "baisse",
        "reference": {"valeur": 11.2, "annee": 2023},
        "cibles": {2025: 10.5, 2026: 9.5, 2027: 9},
    }
)
ACTUALS = {2025: 10.8, 2026: 9.5}


@pytest.fixture(scope="module")
def chart():
    return indicator_chart("ABS-AS", ABSENTEEISM, ACTUALS, 2026)


def test_french_numbers() -> None:
    assert number_fr(1234567.891) == f"1{NNBSP}234{NNBSP}567,89"
    assert number_fr(97.0) == "97"
    assert number_fr(-0.0001) == "0"
    assert value_fr(10.8, Unit.PERCENT) == f"10,8{NBSP}%"
    assert value_fr(245, Unit.NUMBER) == "245"
    assert value_fr(12, Unit.DAYS) == f"12{NBSP}jours"
    assert value_fr(None, Unit.PERCENT) == "–"
    assert gap_fr(0.3000000001, Unit.PERCENT) == f"+0,3{NBSP}pt"
    assert gap_fr(-0.9, Unit.PERCENT) == f"\u22120,9{NBSP}pt"
    assert gap_fr(0.0, Unit.PERCENT) == f"0{NBSP}pt"
    assert gap_fr(5, Unit.NUMBER) == "+5"
    assert gap_fr(None, Unit.NUMBER) == "–"
    assert value_fr(1200.5, Unit.EUROS) == f"1{NNBSP}200,50{NBSP}€"  # as in the annexe financière


def test_the_plot_leaves_title_direction_and_legend_to_the_document(chart) -> None:
    svg = chart.svg.decode("utf-8")
    for moved in ("Sens", "Taux d", "ABS-AS", "Cibles", "Référence", "Réalisé", "Exercice"):
        assert moved not in svg


def test_svg_and_png(chart) -> None:
    root = ET.fromstring(chart.svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert b"<dc:date>" not in chart.svg  # no clock time in the file
    assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
    width, _ = struct.unpack(">II", chart.png[16:24])
    assert width == int(WIDTH_CM / 2.54 * PNG_DPI)  # 16 cm at 200 dpi
    assert chart.width_cm == WIDTH_CM
    assert chart.alt == (
        "Trajectoire de l'indicateur ABS-AS (Taux d'absentéisme des aides-soignants) : "
        f"référence 2023 : 11,2{NBSP}% ; cible 2025 : 10,5{NBSP}% ; cible 2026 : 9,5{NBSP}% ; "
        f"cible 2027 : 9{NBSP}% ; réalisé 2025 : 10,8{NBSP}% ; réalisé 2026 : 9,5{NBSP}%"
    )


def test_png_is_matplotlib_picture_without_alpha(chart) -> None:
    """The DOCX's PNG: opaque RGB (no alpha channel to encode), the very pixels of savefig."""
    import io

    import matplotlib
    from PIL import Image as Picture
    from PIL import ImageChops

    from cpomdocs.followup import charts

    png = Picture.open(io.BytesIO(chart.png))
    assert png.mode == "RGB"
    assert round(png.info["dpi"][0]) == PNG_DPI
    with matplotlib.rc_context(charts._STYLE):
        figure = charts._draw(charts.Points("ABS-AS", ABSENTEEISM, ACTUALS, 2026, True))
        saved = io.BytesIO()
        figure.savefig(saved, format="png", dpi=PNG_DPI, metadata={"Software": None})
    rgba = Picture.open(saved)
    assert rgba.getextrema()[3] == (255, 255)  # opaque: dropping alpha loses nothing
    assert ImageChops.difference(rgba.convert("RGB"), png).getbbox() is None


def test_actuals_are_drawn(chart) -> None:
    without = indicator_chart("ABS-AS", ABSENTEEISM, {}, 2026)
    # the actual series adds its line, two square markers and two value labels on white boxes
    assert without.svg.count(b"<rect x=") + 2 == chart.svg.count(b"<rect x=")
    assert chart.svg.count(b'stroke="#c55a11"') == 2 and b"#c55a11" not in without.svg
    assert chart.svg.count(b"<text ") == without.svg.count(b"<text ") + 2
    assert chart.svg.count(b'fill="#ffffff"') == without.svg.count(b'fill="#ffffff"') + 2


def test_same_inputs_same_bytes(chart) -> None:
    again = indicator_chart("ABS-AS", ABSENTEEISM, ACTUALS, 2026)
    assert again.svg == chart.svg and again.png == chart.png


def test_same_bytes_in_another_process(chart) -> None:
    here = str(Path(__file__).parent)
    code = (
        f"import hashlib, sys; sys.path[:0] = [{here!r}];"
        "from test_charts import ABSENTEEISM, ACTUALS;"
        "from cpomdocs.followup.charts import indicator_chart;"
        "c = indicator_chart('ABS-AS', ABSENTEEISM, ACTUALS, 2026);"
        "print(hashlib.sha256(c.svg).hexdigest(), hashlib.sha256(c.png).hexdigest())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    expected = f"{hashlib.sha256(chart.svg).hexdigest()} {hashlib.sha256(chart.png).hexdigest()}"
    assert out.stdout.strip() == expected


def test_same_bytes_whatever_matplotlib_was_set_to_before(chart) -> None:
    """A process whose matplotlib settings were changed before the chart (another library, a
    notebook) draws the same bytes: every text is measured in the charts' own style."""
    here = str(Path(__file__).parent)
    code = (
        f"import hashlib, sys; sys.path[:0] = [{here!r}];"
        "import matplotlib; matplotlib.rcParams.update({'font.size': 17, 'font.weight': 'bold'});"
        "from test_charts import ABSENTEEISM, ACTUALS;"
        "from cpomdocs.followup.charts import indicator_chart;"
        "c = indicator_chart('ABS-AS', ABSENTEEISM, ACTUALS, 2026);"
        "print(hashlib.sha256(c.svg).hexdigest(), hashlib.sha256(c.png).hexdigest())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    expected = f"{hashlib.sha256(chart.svg).hexdigest()} {hashlib.sha256(chart.png).hexdigest()}"
    assert out.stdout.strip() == expected


def test_matplotlib_not_imported_until_drawing() -> None:
    code = (
        "import sys, cpomdocs.followup.charts, cpomdocs.followup.tracking;"
        " print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


BUDGET = Indicator.model_validate(
    {
        "libelle": "Montant des dépenses de formation continue engagées pour l'ensemble des "
        "personnels soignants et éducatifs",
        "methode_calcul": "somme des dépenses",
        "source": "comptes",
        "unite": "€",
        "sens": "hausse",
        "reference": {"valeur": 1_250_000, "annee": 2021},
        "cibles": {2022: 1_300_000, 2024: 1_450_000},
    }
)


def _digests(image) -> str:  # noqa: ANN001
    return f"{hashlib.sha256(image.svg).hexdigest()} {hashlib.sha256(image.png).hexdigest()}"


def example_chart(code: str) -> Image:
    """A chart of the asba example, with the actual of 2024 its comptes-rendus give."""
    from cpomdocs.data.validate import check_folder

    contract = check_folder(Path(__file__).parents[1] / "contracts" / EXAMPLE).contract.model
    _, indicator = contract.all_indicators()[code]
    return indicator_chart(code, indicator, {2024: {"TO-HP": 96.8, "TO-HT": 70.1}[code]}, 2024)


def _fresh(expression: str) -> str:
    """The digests of a chart drawn first thing in a new process."""
    here = str(Path(__file__).parent)
    code = (
        f"import sys; sys.path[:0] = [{here!r}];"
        "from test_charts import BUDGET, _digests, example_chart, indicator_chart;"
        f"print(_digests({expression}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_a_reused_figure_draws_the_same_bytes_as_a_fresh_one() -> None:
    """One figure, its series' lines and its year band serve every chart of a process: nothing
    drawn before may show in a chart.

    TO-HT drawn after TO-HP once got TO-HP's left margin (its y ticks were chosen on the axes
    left by TO-HP); FORM (no actual, no year) after TO-HT must not keep TO-HT's actuals, value
    labels or band. Each is drawn first in a new process, then after others in this one.
    """
    assert example_chart("TO-HP").svg.count(b"<text ") > 10
    assert _digests(example_chart("TO-HT")) == _fresh("example_chart('TO-HT')")
    other = indicator_chart("FORM", BUDGET, {}, None)  # other unit, no actual, no year
    assert other.svg.count(b"<text ") > 6 and other.png.startswith(b"\x89PNG")
    assert _digests(other) == _fresh("indicator_chart('FORM', BUDGET, {}, None)")


def test_svg_keeps_french_numbers_as_text(chart) -> None:
    texts = re.findall(r">([^<]+)</text>", chart.svg.decode("utf-8"))
    assert {"9", "9,5", "10", "10,5", "11", "2023", "2027", "en %"} <= set(texts)  # axes
    assert {f"10,8{NBSP}%", f"9,5{NBSP}%"} <= set(texts)  # the actuals' labels


def test_the_chart_store_key_covers_every_drawing_module() -> None:
    """Old stored charts (with their legend inside) are never reused by a new drawing code."""
    from cpomdocs.followup import charts

    folder = Path(charts.__file__).parent
    drawing = {p.name for p in folder.glob("chart*.py")} - {"chart_store.py", "chart_figure.py"}
    assert {p.name for p in charts.drawing_modules()} == drawing
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in charts.drawing_modules()))
    assert charts._style_version()[0] == digest.hexdigest()


def test_a_count_never_gets_an_axis_below_zero() -> None:
    """TELEMED (0 in 2023, 14 in 2024, 120 targeted) once read « −25 » under its axis: the 20 %
    margin under the lowest value now stops at 0 when no value is negative."""
    from cpomdocs.followup.charts import Points, _draw

    teleconsultations = Indicator.model_validate(
        {
            "libelle": "Nombre de téléconsultations réalisées",
            "methode_calcul": "décompte",
            "source": "logiciel de soins",
            "unite": "nombre",
            "sens": "hausse",
            "reference": {"valeur": 0, "annee": 2023},
            "cibles": {2025: 40, 2027: 120},
        }
    )
    for reference, actuals in ((True, {2024: 14}), (False, {2026: 60})):
        axes = _draw(Points("TELEMED", teleconsultations, actuals, 2026, reference)).axes[0]
        low, high = axes.get_ylim()
        assert (-0.05 * high < low <= 0) if reference else low > 0  # 40 to 120: no 0 needed
        assert high > 120
        ticks = re.findall(
            r">([^<]+)</text>",
            indicator_chart("TELEMED", teleconsultations, actuals, 2026).svg.decode("utf-8"),
        )
        assert "0" in ticks and not [t for t in ticks if t.startswith(("-", "\u2212"))]
    negative = Indicator.model_validate({**teleconsultations.model_dump(), "cibles": {2025: -5}})
    assert _draw(Points("X", negative, {}, None, True)).axes[0].get_ylim()[0] < -5
