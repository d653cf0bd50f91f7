"""trust18: the hostile pass over every command — the holes it found, each with its test."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_hostile9_imports import _refused_xlsx, rezip, workbook  # noqa: F401  (a fixture)

from cpomdocs.build.cache import CACHE_FILE, BuildCache
from cpomdocs.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"


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


# --- merge: a shard's cache is data from elsewhere ----------------------------------------------


@pytest.fixture(scope="module")
def shard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real shard: the minimal EHPAD contract built as part 1 of 1 (DOCX, the faster)."""
    root = tmp_path_factory.mktemp("part")
    shutil.copytree(FIXTURES / "valid" / "ehpad-minimal", root / "contracts" / "ehpad-minimal")
    done = CliRunner().invoke(
        main, ["build", str(root / "contracts"), "--shard", "1/1", "-o", str(root / "part-1"),
               "-f", "docx", "-q"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    return root / "part-1"


def _tampered(shard: Path, tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    part = Path(shutil.copytree(shard, tmp_path / "part-1"))
    cache = json.loads((part / CACHE_FILE).read_text("utf-8"))
    change(cache)
    (part / CACHE_FILE).write_text(json.dumps(cache), "utf-8")
    return part


def _card(cache: dict[str, Any]) -> dict[str, Any]:
    return cache["cards"]["ehpad-minimal"]["card"]


def _first_link(cache: dict[str, Any]) -> dict[str, Any]:
    return _card(cache)["groups"]["Documents"][0]["links"][0]


@pytest.mark.parametrize(
    "change",
    [
        lambda c: next(iter(c["entries"].values())).update(outputs=1.5),
        lambda c: next(iter(c["entries"].values())).update(fingerprint=None),
        lambda c: c["cards"].update({"ehpad-minimal": "carte"}),
        lambda c: _card(c).update(groups=True),
        lambda c: _card(c).update(parties="ARS"),
        lambda c: _first_link(c).update(href=7),
        lambda c: c.update(sources=[]),
    ],
    ids=["outputs-number", "fingerprint-null", "card-text", "groups-bool", "parties-text",
         "href-number", "sources-list"],
)  # fmt: skip
def test_a_misshapen_shard_cache_is_refused_in_french(shard, tmp_path, change) -> None:
    """`merge` read a shard's cache as it came: a number where a list of files belongs, a card
    that is a text… gave « erreur interne » (KeyError, TypeError, AttributeError). Now one
    French line naming the file; no output folder made."""
    part = _tampered(shard, tmp_path, change)
    done = CliRunner().invoke(main, ["merge", str(part), "-o", str(tmp_path / "build")])
    assert (done.exit_code, done.output) == (
        2,
        f"{part / CACHE_FILE}: cache de construction illisible ou d'une autre version de "
        "cpomdocs : reconstruisez cette part (cpomdocs build --shard K/N)\n",
    )
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize("href", ["javascript:alert(document.domain)", "https://ailleurs.example/x",
                                  "../../contrat.pdf", "/etc/passwd"])  # fmt: skip
def test_a_shard_cannot_put_a_foreign_link_on_the_portfolio_page(shard, tmp_path, href) -> None:
    """A shard's card linking to « javascript: » (or off the build folder) was written as such
    into the merged index.html: a click ran it. Refused now, like any misshapen cache."""
    part = _tampered(shard, tmp_path, lambda c: _first_link(c).update(href=href))
    done = CliRunner().invoke(main, ["merge", str(part), "-o", str(tmp_path / "build")])
    assert done.exit_code == 2 and "cache de construction illisible" in done.output
    assert not (tmp_path / "build").exists()
    assert BuildCache(part).cards == {}  # a build into that folder starts over: new cards


def test_a_clean_shard_still_merges(shard, tmp_path) -> None:
    """The shape check accepts what a build writes (else every build would start over)."""
    assert not BuildCache(shard).damaged and BuildCache(shard).cards
    done = CliRunner().invoke(main, ["merge", str(shard), "-o", str(tmp_path / "build")])
    assert done.exit_code == 0, done.output
    page = (tmp_path / "build" / "index.html").read_text("utf-8")
    assert 'href="ehpad-minimal/contrat.docx"' in page


# --- publish: a damaged PDF in build/ ---------------------------------------------------------


def test_a_truncated_or_empty_build_pdf_is_not_published_and_said_in_french(
    publish_project, tmp_path
) -> None:
    """A PDF of build/ cut short (a full disk, an interrupted copy) or emptied: pypdf's
    PdfStreamError / EmptyFileError came out as « erreur interne », after an English « EOF
    marker not found ». Now one French line for each; the other documents are published."""
    build = Path(shutil.copytree(publish_project.build, tmp_path / "build"))
    contract = build / "ehpad-les-cedres-2025" / "contrat.pdf"
    contract.write_bytes(contract.read_bytes()[: contract.stat().st_size // 2])
    (build / "ehpad-les-cedres-2025" / "annexes.pdf").write_bytes(b"")
    certs = publish_project.certs
    done = subprocess.run(
        [sys.executable, "-m", "cpomdocs", "publish", "--build-dir", str(build),
         "-o", str(tmp_path / "pub"), "--p12", str(certs.p12), "--password", certs.password],
        cwd=publish_project.root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    said = done.stdout + done.stderr
    assert done.returncode == 1, said
    assert "erreur interne" not in said and "EOF marker" not in said, said
    for name in ("annexes.pdf", "contrat.pdf"):
        line = f"{build}/ehpad-les-cedres-2025/{name}: PDF illisible (tronqué ou vide ?) : "
        assert line + "reconstruisez-le avec « cpomdocs build »\n" in said, said
    assert (tmp_path / "pub" / "ehpad-les-cedres-2025" / "avenant-01.pdf").is_file()
