"""cpomdocs init and new where the disk says no: a file where a folder is expected, a write
refused by the system (a file size limit, as a full disk would): one French line per file,
code 1 (init) or 2 (new), every file written complete, no temporary file left."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cpomdocs.cli.main import main

ROOT = Path(__file__).parent.parent
CHRS = "contracts/chrs-estuaire-2026"


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output and "erreur interne" not in result.output
    return result


def test_init_where_a_folder_is_a_file(tmp_path: Path) -> None:
    (tmp_path / ".github").write_text("à moi\n", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert result.exit_code == 1
    refused = [line for line in result.stdout.splitlines() if line.startswith("refusé")]
    assert refused == [
        f"refusé      {tmp_path}/.github/{name} : {tmp_path}/.github est un fichier, un dossier "
        "était attendu"
        for name in ("dependabot.yml", "workflows/pr-diff.yml", "workflows/publish.yml")
    ]
    assert (tmp_path / ".github").read_text(encoding="utf-8") == "à moi\n"
    assert (tmp_path / "schema" / "cpom.schema.json").is_file()  # the others are written


def _small_files_only() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))


def test_init_with_a_file_size_limit(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cpomdocs", "init", "depot"], cwd=tmp_path, capture_output=True,
        text=True, timeout=60, preexec_fn=_small_files_only,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "refusé      depot/README.md : écriture impossible : fichier plus grand que la " in (
        result.stdout
    )
    assert "Traceback" not in result.stderr and "erreur interne" not in result.stderr
    files = [p for p in (tmp_path / "depot").rglob("*") if p.is_file()]
    assert not [p for p in files if p.name.endswith(".tmp")]
    assert (tmp_path / "depot" / ".gitattributes").stat().st_size > 0
    assert not (tmp_path / "depot" / "README.md").exists()


def test_new_where_a_folder_is_a_file(tmp_path: Path) -> None:
    shutil.copytree(ROOT / CHRS, tmp_path / "c")
    shutil.rmtree(tmp_path / "c" / "avenants")
    (tmp_path / "c" / "avenants").write_text("notes\n", encoding="utf-8")
    result = run("new", "avenant", str(tmp_path / "c"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{tmp_path}/c/avenants/01-projet.yaml : écriture impossible : un fichier se trouve là "
        "où un dossier est attendu\n"
    )
