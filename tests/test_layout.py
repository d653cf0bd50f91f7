"""The house: the light path stays light, modules stay small, package files stay empty."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "cpomdocs"
MINIMAL = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal"
MAX_LINES = 400

PROBE = """
import json, sys
from cpomdocs.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
heavy = ("pydantic", "jsonschema", "weasyprint", "docxtpl", "matplotlib")
print(json.dumps({"code": code, "heavy": sorted(m for m in heavy if m in sys.modules)}))
"""


def _probe(*args: str) -> dict[str, object]:
    """Run the command line in a fresh interpreter; its exit code and the heavy modules loaded."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_help_imports_no_heavy_library() -> None:
    assert _probe("--help") == {"code": 0, "heavy": []}


def test_noop_build_imports_no_heavy_library(tmp_path: Path) -> None:
    out = tmp_path / "build"
    args = ["build", str(MINIMAL), "-o", str(out), "-f", "docx", "-j", "1", "-q"]
    assert _probe(*args)["code"] == 0  # the first build, as a user runs it: a fresh process
    assert (out / "ehpad-minimal" / "contrat.docx").is_file()
    assert _probe(*args) == {"code": 0, "heavy": []}


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} : {lines} lignes"


def test_package_files_are_empty() -> None:
    filled = [p for p in PACKAGE.rglob("__init__.py") if p.read_text().strip()]
    assert filled == [PACKAGE / "__init__.py"]  # the version, and nothing else
