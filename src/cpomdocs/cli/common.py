"""What every command shares: French help, exit codes, the way problems are printed."""

from __future__ import annotations

import click

from cpomdocs.errors import Problem

EXIT_CODES = """\b
Codes de sortie :
  0  tout est valide
  1  au moins une erreur (ou un avertissement avec --strict)
  2  commande mal formée (chemin introuvable, option invalide)
  3  erreur interne de cpomdocs (à signaler ; CPOMDOCS_DEBUG=1 affiche la trace)"""

HELP_TEXT = "Afficher cette aide et quitter."


class FrenchHelp(click.Command):
    """A command whose --help option speaks French."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """The --help option, with a French help text."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


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
