"""Hostile audit 9, YAML: libyaml's rarer complaints are said in French too, at their line and
column (the English original stays in parentheses, as for the usual ones); a device or a named
pipe given as a file is refused, not read forever."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpomdocs.cli.main import main
from cpomdocs.data.load import NOT_REGULAR
from cpomdocs.data.signoff import SYMLINK

VALID = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal" / "cpom.yaml"
CASES = {
    "unicode": (
        'territoire: "\\ud800"',
        "échappement Unicode invalide dans un texte entre guillemets doubles (moitié de paire "
        "\\uD800-\\uDFFF ou code trop grand) : écrivez le caractère lui-même "
        "(found invalid Unicode character escape code)",
    ),
    "hexa": (
        'territoire: "\\x4g"',
        "échappement \\x, \\u ou \\U incomplet : chiffres hexadécimaux attendus (ou doublez la "
        "barre \\\\) (did not find expected hexdecimal number)",
    ),
    "ancre": (
        'territoire: &"Hérault" (34)',
        "nom d'ancre ou d'alias attendu après & ou * : une valeur qui commence par & ou * "
        "s'écrit entre guillemets (did not find expected alphabetic or numeric character)",
    ),
    "etiquette": (
        "territoire: !<Hérault (34)",
        "étiquette « !<…> » non refermée : une valeur qui commence par ! s'écrit entre "
        "guillemets (did not find the expected '>')",
    ),
    "bloc": (
        "territoire: |x\n  Hérault",
        "texte inattendu après | ou > : seuls -, + et un chiffre d'indentation peuvent les suivre "
        "sur la ligne (did not find expected comment or line break)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_rare_yaml_syntax_errors_are_said_in_french(tmp_path: Path, case: str) -> None:
    line, reason = CASES[case]
    text = VALID.read_text(encoding="utf-8")
    start = text.index("\nterritoire:") + 1
    end = text.index("\n", start)
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "cpom.yaml").write_text(text[:start] + line + text[end:], encoding="utf-8")
    done = CliRunner().invoke(main, ["validate", str(folder)])
    assert done.exit_code == 1
    [message] = [row for row in done.output.splitlines() if "syntaxe YAML" in row]
    where, said = message.split(": syntaxe YAML invalide : ", 1)
    number = text[:start].count("\n") + 1
    assert where.startswith(f"{folder / 'cpom.yaml'}:{number}:")
    assert said == reason


@pytest.mark.parametrize("kind", ["peripherique", "tube"])
def test_a_device_or_a_named_pipe_is_refused_not_read_forever(tmp_path: Path, kind: str) -> None:
    # its size says 0, so the 2 MB limit let it through; reading /dev/zero never ended
    path = tmp_path / "cpom.yaml"
    if kind == "tube":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    args = [sys.executable, "-m", "cpomdocs", "textconv", str(path)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=20, check=False)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"{path}: {NOT_REGULAR}\n"


def test_sign_off_refuses_a_symbolic_link(tmp_path: Path) -> None:
    # validate refuses a link leaving the contract folder; sign-off read it, then replaced the
    # link by a signed copy, leaving the file it pointed to unsigned
    text = VALID.read_text(encoding="utf-8")
    unsigned = text[: text.index("\nempreinte:") + 1]
    outside = tmp_path / "ailleurs.yaml"
    outside.write_text(unsigned, encoding="utf-8")
    folder = tmp_path / "contracts" / "c"
    folder.mkdir(parents=True)
    link = folder / "cpom.yaml"
    link.symlink_to(outside)
    done = CliRunner().invoke(main, ["sign-off", str(link)])
    assert (done.exit_code, done.output) == (1, f"{link}: {SYMLINK.format(target=outside)}\n")
    assert link.is_symlink() and outside.read_text(encoding="utf-8") == unsigned
