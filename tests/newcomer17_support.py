"""What the newcomer tests share (session 17): the command line, and the example contract of the
Cèdres copied into a git repository of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner, Result
from gitrepo import git_as_tester

from cpomdocs.cli.main import main

ROOT = Path(__file__).parents[1]
CEDRES = "ehpad-les-cedres-2025"


def cli(*args: str) -> Result:
    """`cpomdocs ARGS…` through click's runner."""
    return CliRunner().invoke(main, list(args))


def copy_cedres(tmp_path: Path) -> Path:
    """The example contract of the Cèdres in a git repository of its own: contracts/<id>."""
    folder = tmp_path / "contracts" / CEDRES
    shutil.copytree(ROOT / "contracts" / CEDRES, folder)
    git_as_tester(tmp_path, "init", "-q", "-b", "main")
    git_as_tester(tmp_path, "add", "-A")
    git_as_tester(tmp_path, "commit", "-qm", "contrat signé")
    return folder


def replace_once(path: Path, *edits: tuple[str, str]) -> None:
    """Each (old, new) of `edits` replaced once in the file at `path`; `old` must be there."""
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
