"""click's own messages (usage errors, help pages) come out in French, exit code 2."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_dir
from click.testing import CliRunner

from cpomdocs.cli import french
from cpomdocs.cli.main import main

CLICK_SOURCE = Path(click.__file__).parent
NOT_MESSAGES = {"d"}  # _termui_impl's time format for a progress bar, not words
ENGLISH = ("Usage", "Options:", "Commands", "Show this", "default:", "Error", "Try ", "required",
           "TEXT", "PATH", "FILE", "DIRECTORY", "INTEGER", "FLOAT", "COMMAND", "ARGS")  # fmt: skip


def _click_message_ids() -> set[str | tuple[str, str]]:
    """Every string click passes to gettext or ngettext, read from its source with Babel."""
    found = extract_from_dir(str(CLICK_SOURCE), method_map=[("**.py", "python")])
    return {message for _file, _line, message, _comments, _context in found}


def test_every_click_message_has_a_french_translation() -> None:
    translated = set(french.MESSAGES) | set(french.PLURALS) | NOT_MESSAGES
    assert sorted(map(str, _click_message_ids() - translated)) == []


def test_every_loaded_click_module_looks_up_the_catalogue() -> None:
    modules = [m for name, m in sys.modules.items() if name.split(".")[0] == "click"]
    gettext_users = [m for m in modules if hasattr(m, "_")]
    assert len(gettext_users) >= 8
    assert all(m._ is french.french for m in gettext_users)
    assert all(m.ngettext is french.french_plural for m in modules if hasattr(m, "ngettext"))


def _usage_error(*args: str) -> list[str]:
    """The real CLI on a malformed command: its stderr lines; the exit code must be 2."""
    result = CliRunner().invoke(main, list(args), prog_name="cpomdocs")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    return result.stderr.splitlines()


# command line → (usage line, error line); every kind of usage error click raises
USAGE_ERRORS = {
    ("new", "contracts/x", "--base", "foo"): (
        "Utilisation : cpomdocs new [OPTIONS] [avenant|compte-rendu] DOSSIER",
        "Erreur : Valeur invalide pour « --base » : « foo » n'est pas parmi « ehpad », "
        "« handicap », « generique », « chrs ».",
    ),
    ("sign-off",): (
        "Utilisation : cpomdocs sign-off [OPTIONS] CHEMIN...",
        "Erreur : Il manque l'argument « CHEMIN... ».",
    ),
    ("validate", "--nope"): (
        "Utilisation : cpomdocs validate [OPTIONS] [CHEMIN]...",
        "Erreur : Option inconnue : « --nope ».",
    ),
    ("validate", "--stict"): (
        "Utilisation : cpomdocs validate [OPTIONS] [CHEMIN]...",
        "Erreur : Option inconnue : « --stict ». Vouliez-vous dire « --strict » ?",
    ),
    ("textconv", "a.yaml", "b.yaml"): (
        "Utilisation : cpomdocs textconv [OPTIONS] FICHIER",
        "Erreur : Argument en trop : b.yaml",
    ),
    ("buil",): (
        "Utilisation : cpomdocs [OPTIONS] COMMANDE [ARGUMENTS]...",
        "Erreur : Commande inconnue : « buil ». Vouliez-vous dire « build » ?",
    ),
    ("build", "-j", "zero"): (
        "Utilisation : cpomdocs build [OPTIONS] [CHEMIN]...",
        "Erreur : Valeur invalide pour « -j » / « --jobs » : « zero » n'est pas un nombre valide.",
    ),
    ("build", "-j", "0"): (
        "Utilisation : cpomdocs build [OPTIONS] [CHEMIN]...",
        "Erreur : Valeur invalide pour « -j » / « --jobs » : 0 ne convient pas : "
        "de 1 à 256 attendu.",
    ),
    ("build", "-j", "99999999999999999999"): (  # was « erreur interne » (islice overflow)
        "Utilisation : cpomdocs build [OPTIONS] [CHEMIN]...",
        "Erreur : Valeur invalide pour « -j » / « --jobs » : 99999999999999999999 ne convient "
        "pas : de 1 à 256 attendu.",
    ),
    ("build", "--timeout", "99999999999999999999"): (  # was « erreur interne » (OverflowError)
        "Utilisation : cpomdocs build [OPTIONS] [CHEMIN]...",
        "Erreur : Valeur invalide pour « --timeout » : 99999999999999999999 ne convient pas : "
        "de 1 à 86\u202f400 attendu.",
    ),
    ("build", "--as-of", "2027-13-01"): (
        "Utilisation : cpomdocs build [OPTIONS] [CHEMIN]...",
        "Erreur : Valeur invalide pour « --as-of » : « 2027-13-01 » n'est pas une date AAAA-MM-JJ "
        "(ex. 2027-06-15).",
    ),
    ("import", "realisations", "classeur.xlsx"): (
        "Utilisation : cpomdocs import realisations [OPTIONS] CLASSEUR CONTRAT",
        "Erreur : Il manque l'argument « CONTRAT ».",
    ),
}


@pytest.mark.parametrize("args", list(USAGE_ERRORS), ids=" ".join)
def test_usage_error_is_french(args: tuple[str, ...]) -> None:
    usage, error = USAGE_ERRORS[args]
    command = usage.removeprefix("Utilisation : ").partition(" [OPTIONS]")[0]
    assert _usage_error(*args) == [usage, f"Aide : « {command} --help ».", "", error]
    assert not re.search(r"'[^'\s]+'", error), "a name between English quotes, not « »"


def test_option_missing_its_value_is_french() -> None:
    assert _usage_error("build", "--timeout") == [
        "Erreur : L'option « --timeout » demande une valeur."
    ]
    assert _usage_error("validate", "--strict=oui") == [
        "Erreur : L'option « --strict » ne prend pas de valeur."
    ]


def test_file_where_a_folder_is_expected_is_french(tmp_path: Path) -> None:
    a_file = tmp_path / "schema"
    a_file.write_text("")
    assert _usage_error("schema", "-o", str(a_file))[-1] == (
        f"Erreur : Valeur invalide pour « -o » / « --output » : « {a_file} » est un fichier : un "
        "dossier est attendu."
    )
    assert _usage_error("diff", "-o", str(tmp_path))[-1] == (
        f"Erreur : Valeur invalide pour « -o » / « --output » : « {tmp_path} » est un dossier : un "
        "fichier est attendu."
    )


def _helps() -> list[list[str]]:
    groups = [[name] for name, c in main.commands.items() if isinstance(c, click.Group)]
    subcommands = [[*g, name] for g in groups for name in main.commands[g[0]].commands]
    return [[], *([name] for name in sorted(main.commands)), *subcommands]


@pytest.mark.parametrize("command", _helps(), ids=" ".join)
def test_every_help_page_is_french(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"], prog_name="cpomdocs")
    assert result.exit_code == 0
    assert result.output.startswith(f"Utilisation : {' '.join(['cpomdocs', *command])} ")
    assert "\nOptions :\n" in result.output
    assert [w for w in ENGLISH if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", result.output)] == []


def test_option_extras_read_as_french() -> None:
    """« [par défaut : 300 ; de 1 à 86 400] »: the French semicolon, and no « 1<=x<=86400 »."""
    result = CliRunner().invoke(main, ["build", "--help"], prog_name="cpomdocs", terminal_width=200)
    assert "[par défaut : 300 ; de 1 à 86\u202f400]" in result.output
    assert "<=x" not in result.output and "; " not in result.output.replace(" ; ", "")


def test_installed_command_speaks_french() -> None:
    """The console script itself, in a fresh process with an English locale."""
    done = subprocess.run(
        [str(Path(sys.executable).parent / "cpomdocs"), "new", "contracts/x", "--base", "foo"],
        capture_output=True, text=True, env={"LANG": "C", "LC_ALL": "C.UTF-8"}, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1].startswith("Erreur : Valeur invalide pour « --base » : ")
    assert "Aide : « cpomdocs new --help »." in done.stderr
