"""trust18: the hostile pass over every command — the holes it found, each with its test."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from test_hostile9_imports import _refused_xlsx, rezip, workbook  # noqa: F401  (a fixture)


def test_a_cell_style_beyond_the_workbook_s_styles_is_refused_in_french(workbook: bytes) -> None:  # noqa: F811
    """A Réalisé cell whose style number points past the workbook's styles (a damaged or
    hand-edited file): read-only openpyxl looks the style up late, and the IndexError came out
    as « erreur interne ». Now the workbook is refused as unreadable, the report untouched."""
    sheet = zipfile.ZipFile(BytesIO(workbook)).read("xl/worksheets/sheet1.xml").decode()
    damaged = re.sub(r' s="\d+"', ' s="4000"', sheet)
    assert damaged != sheet
    stderr = _refused_xlsx(rezip(workbook, {"xl/worksheets/sheet1.xml": damaged.encode()}))
    assert stderr == (
        "rempli.xlsx: classeur illisible (IndexError) : un fichier .xlsx enregistré par Excel "
        "ou LibreOffice était attendu\n"
    )
