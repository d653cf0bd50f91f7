"""The wheel, installed in a fresh venv, makes and builds a users' repository outside this one.

The venv is fresh (no cpomdocs in it but the wheel's); its dependencies come from the running
interpreter's site-packages through a .pth file instead of PyPI, which keeps this test under a
minute. That site-packages' own .pth files (the editable install of this source tree) are not
read, so `import cpomdocs` can only find the wheel's copy — which the test checks.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
BASES = ("ehpad", "handicap", "generique", "chrs")


def sh(
    *args: str | Path, cwd: Path | None = None, check: bool = True
) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1796083200", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    if check and done.returncode != 0:
        pytest.fail(f"{args} → {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel of this source tree, and nothing else of cpomdocs."""
    work = tmp_path_factory.mktemp("wheel")
    sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", ROOT, "-w", work / "dist")
    (wheel,) = (work / "dist").glob("cpomdocs-*.whl")
    sh(sys.executable, "-m", "venv", "--without-pip", work / "venv")
    python = work / "venv" / "bin" / "python"
    purelib = sh(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout
    Path(purelib.strip(), "zz-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    sh(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel)
    return work / "venv"


@pytest.fixture(scope="module")
def users_repo(venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty folder outside this repository, made a users' repository by the wheel."""
    root = tmp_path_factory.mktemp("depot-des-contrats")
    assert ROOT not in root.parents
    cpomdocs = venv / "bin" / "cpomdocs"
    sh(cpomdocs, "init", cwd=root)
    for base in BASES:
        sh(
            cpomdocs,
            "new",
            f"contracts/{base}-2027",
            "--base",
            base,
            "--effet",
            "2027-01-01",
            cwd=root,
        )
    return root


def test_the_wheel_is_what_runs(venv: Path) -> None:
    found = sh(venv / "bin" / "python", "-c", "import cpomdocs; print(cpomdocs.__file__)").stdout
    assert Path(found.strip()).is_relative_to(venv)
    version = sh(venv / "bin" / "python", "-m", "cpomdocs", "--version").stdout
    assert re.fullmatch(r"cpomdocs \d+\.\d+\.\d+\n", version)
    package = Path(found.strip()).parent
    for shipped in ("schema/cpom.schema.json", "templates/contrat.md.j2", "templates/print.css",
                    "templates/docx/document.docx", "scaffold/templates/new/chrs.yaml.j2",
                    "scaffold/templates/repository/dot-github/workflows/pr-diff.yml"):  # fmt: skip
        assert (package / shipped).is_file(), shipped
    licence = next(venv.glob("lib/python*/site-packages/cpomdocs-*.dist-info/licenses/LICENSE"))
    assert licence.read_text().startswith("MIT License")


def test_init_writes_the_shipped_schemas(users_repo: Path) -> None:
    for name in ("cpom", "avenant", "compte-rendu"):
        shipped = (ROOT / "schema" / f"{name}.schema.json").read_text()
        assert (users_repo / "schema" / f"{name}.schema.json").read_text() == shipped
    assert (users_repo / ".github/workflows/pr-diff.yml").is_file()


def test_drafts_validate_with_warnings(venv: Path, users_repo: Path) -> None:
    done = sh(venv / "bin" / "cpomdocs", "validate", cwd=users_repo)
    lines = done.stdout.splitlines()
    summary = rf"{len(BASES)} contrats vérifiés : 0 erreur, \d+ avertissements"
    assert re.fullmatch(summary, lines[-1])
    for base in BASES:
        assert (
            f"contracts/{base}-2027/cpom.yaml:7:12: avertissement: reference: à compléter" in lines
        )


def test_a_draft_builds_to_pdf_and_docx(venv: Path, users_repo: Path) -> None:
    sh(venv / "bin" / "cpomdocs", "build", "contracts/ehpad-2027", "-j", "1", cwd=users_repo)
    out = users_repo / "build" / "ehpad-2027"
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        "annexes.docx", "annexes.pdf", "contrat.docx", "contrat.pdf",
    ]  # fmt: skip
    from docx import Document
    from pypdf import PdfReader

    pdf_text = "".join(page.extract_text() for page in PdfReader(out / "contrat.pdf").pages[2:4])
    assert "Vu l’arrêté du 3 mars 2017" in " ".join(pdf_text.split())  # typographic apostrophe
    paragraphs = [p.text for p in Document(str(out / "contrat.docx")).paragraphs]
    assert any("L.313-12 IV ter" in text for text in paragraphs)
