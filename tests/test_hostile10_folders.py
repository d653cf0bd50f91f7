"""A contract folder whose cpom.yaml is a folder, a named pipe or a broken link: every command
names what is there instead of saying « aucun cpom.yaml » (or skipping the contract)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import cpomdocs_here

EXPECTED = "contracts/x/cpom.yaml: n'est pas un fichier ({kind}) : le fichier du contrat était "
KINDS = {
    "dossier": lambda path: path.mkdir(),
    "tube nommé": lambda path: os.mkfifo(path),
    "lien symbolique cassé": lambda path: path.symlink_to("ailleurs.yaml"),
}
COMMANDS = [
    ["validate", "contracts/x"],
    ["validate", "contracts"],
    ["build", "contracts", "-o", "sortie"],
    ["export", "contracts/x", "-o", "sortie"],
    ["import", "realisations", "classeur.xlsx", "contracts/x"],
    ["new", "avenant", "contracts/x"],
    ["new", "compte-rendu", "contracts/x", "--type", "comité de suivi", "--date", "2027-01-01"],
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_contract_file_not_a_file(tmp_path: Path, kind: str, command: list[str]) -> None:
    (tmp_path / "contracts" / "x").mkdir(parents=True)
    KINDS[kind](tmp_path / "contracts" / "x" / "cpom.yaml")
    (tmp_path / "classeur.xlsx").write_bytes(b"")
    if kind == "tube nommé":  # a real process, so that a pipe read without end would time out
        result = subprocess.run(
            [sys.executable, "-m", "cpomdocs", *command],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    else:  # the same command in this process (cli_support): the same code and message
        result = cpomdocs_here(tmp_path, *command)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(EXPECTED.format(kind=kind)), result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["classeur.xlsx", "contracts"]
