"""What every command shares: French help, exit codes, the way problems are printed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from cpomdocs.cli.french import speak_french
from cpomdocs.errors import Problem

speak_french()  # before any command is declared: a click.Path takes its name when created

EXIT_CODES = """\b
Codes de sortie :
  0  tout est valide
  1  au moins une erreur (ou un avertissement avec --strict)
  2  commande mal formée (chemin introuvable, option invalide)
  3  erreur interne de cpomdocs (à signaler ; CPOMDOCS_DEBUG=1 affiche la trace)"""


class FrenchFormatter(click.HelpFormatter):
    """Help pages with French typography: a space before the colon of « Options : »."""

    def write_heading(self, heading: str) -> None:
        """One heading line, « Titre : »."""
        self.write(f"{'':>{self.current_indent}}{heading} :\n")


class FrenchContext(click.Context):
    """A context whose help pages use FrenchFormatter."""

    formatter_class = FrenchFormatter


class FrenchHelp(click.Command):
    """A command whose help and usage errors are in French (see cli/french.py)."""

    context_class = FrenchContext


def print_problems(problems: list[Problem], strict: bool) -> tuple[int, int]:
    """Print each problem on stderr (errors in red, warnings in yellow); count them."""
    errors = warnings = 0
    for problem in problems:
        if problem.is_error:
            errors += 1
            click.secho(str(problem), fg="red", err=True)
        else:
            warnings += 1
            click.secho(str(problem), fg="yellow", err=True)
    return errors, warnings


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


# The options and arguments several commands declare: one definition each, French metavars.
Decorator = Callable[[Callable[..., None]], Callable[..., None]]


def paths_argument(required: bool = False) -> Decorator:
    """Contract folders, folders holding them, or files (CHEMIN...)."""
    return click.argument(
        "paths", nargs=-1, required=required, metavar="CHEMIN..." if required else "[CHEMIN]...",
        type=click.Path(path_type=Path),
    )  # fmt: skip


def folder_option(
    *names: str, help: str, default: str | None = None, files_too: bool = False
) -> Decorator:
    """An option naming a folder (DOSSIER), its default shown in --help."""
    # files_too: a file there gets cpomdocs' own message (build.lock) rather than click's
    kind = click.Path(path_type=Path) if files_too else click.Path(file_okay=False, path_type=Path)
    return click.option(
        *names, type=kind, metavar="DOSSIER", help=help,
        default=Path(default) if default else None, show_default=default is not None,
    )  # fmt: skip


def output_option(help: str, default: str = "build", files_too: bool = False) -> Decorator:
    """-o/--output: the folder a command writes into."""
    return folder_option("-o", "--output", help=help, default=default, files_too=files_too)


def file_option(*names: str, help: str, multiple: bool = False) -> Decorator:
    """An option naming a file (FICHIER); repeatable with multiple=True."""
    return click.option(
        *names, type=click.Path(dir_okay=False, path_type=Path), metavar="FICHIER",
        multiple=multiple, help=help,
    )  # fmt: skip


def format_option(
    choices: tuple[str, ...], help: str, name: str, default: str | None = None,
    multiple: bool = False, show_default: bool = False,
) -> Decorator:  # fmt: skip
    """-f/--format: one of a command's output formats (repeatable with multiple=True)."""
    return click.option(
        "-f", "--format", name, type=click.Choice(choices), default=default, multiple=multiple,
        show_default=show_default, help=help,
    )  # fmt: skip


def trust_option(help: str) -> Decorator:
    """--trust: a root certificate (PEM or DER) that verification accepts; repeatable."""
    return file_option("--trust", help=help, multiple=True)
