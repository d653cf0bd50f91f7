"""What every command shares: French help, exit codes, the way problems are printed."""

from __future__ import annotations

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
