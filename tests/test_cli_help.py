"""Every help page, as a newcomer reads it: an example of the command itself, exit codes that
speak of this command's options, and a missing file refused as a usage error (code 2)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cpomdocs.cli.main import main


def _commands() -> list[tuple[str, ...]]:
    """Every command and subcommand, as typed after « cpomdocs »."""
    found: list[tuple[str, ...]] = []
    for name, command in sorted(main.commands.items()):
        found.append((name,))
        if isinstance(command, click.Group):
            found.extend((name, sub) for sub in sorted(command.commands))
    return found


def _help(words: tuple[str, ...]) -> str:
    result = CliRunner().invoke(main, [*words, "--help"])
    assert result.exit_code == 0
    return result.stdout


def _example_lines(text: str) -> list[str]:
    """The lines of the « Exemple(s) » block of a help page."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("Exemple"))
    block = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        block.append(line.strip())
    return block


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
def test_every_help_shows_an_example_of_its_own_command(words: tuple[str, ...]) -> None:
    text = _help(words)
    assert "Exemple" in text, f"cpomdocs {' '.join(words)} --help n'a pas d'exemple"
    examples = _example_lines(text)
    assert any(line.startswith(f"cpomdocs {' '.join(words)}") for line in examples), examples


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
def test_exit_codes_name_only_the_options_the_command_has(words: tuple[str, ...]) -> None:
    # sign-off, textconv, merge and import docx said « avertissement avec --strict », an option
    # they do not have, and import docx « tout est valide » for an import.
    text = _help(words)
    codes = text[text.index("Codes de sortie :") :]
    options = text[text.index("Options :") : text.index("Codes de sortie :")]
    if "--strict" in codes:
        assert "--strict" in options
    assert "  3  erreur interne de cpomdocs" in codes  # publish and verify had no code 3
    if words in {("publish",), ("verify",)}:
        assert ("publié" in codes) is (words == ("publish",))


@pytest.mark.parametrize(
    "words",
    [("sign-off",), ("textconv",), ("import", "docx")],
    ids=" ".join,
)
def test_a_missing_file_is_a_usage_error(words: tuple[str, ...], tmp_path: Path) -> None:
    missing = tmp_path / ("absent.docx" if "docx" in words else "absent.yaml")
    extra = [str(tmp_path)] if "docx" in words else []
    result = CliRunner().invoke(main, [*words, str(missing), *extra])
    assert result.exit_code == 2, result.output  # was 1, as for an invalid file
    assert result.stderr.startswith(f"{missing}")
    assert "fichier introuvable" in result.stderr


@pytest.mark.parametrize("command", ["validate", "build", "export"])
def test_outside_a_repository_the_default_folder_is_explained(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It said « contracts: chemin introuvable (ni fichier ni dossier) », naming a path the
    # newcomer never typed.
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [command])
    assert (result.exit_code, result.stderr) == (
        2,
        f"pas de dossier contracts/ dans {tmp_path} : lancez la commande depuis votre dépôt de "
        "contrats (« cpomdocs init » en crée un), ou nommez le contrat "
        "(ex. contracts/ehpad-les-tilleuls-2027)\n",
    )
    assert list(tmp_path.iterdir()) == []  # nothing written, not even build/
