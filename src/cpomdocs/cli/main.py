"""The command line: parse options, call the library, print. Nothing else lives here."""

from __future__ import annotations

import os
import sys

import click

from cpomdocs import __version__
from cpomdocs.cli import (
    contracts,
    documents,
    publication,
    scaffold,
    spreadsheet,
)
from cpomdocs.cli.common import EXIT_CODES, FrenchHelp, french_suggestions, print_problems
from cpomdocs.errors import CpomError, InputError

INTERNAL_ERROR = 3
INTERRUPTED = 130  # as a shell reports a command stopped by SIGINT (128 + 2)
INTERRUPTED_MESSAGE = (
    "interrompu (Ctrl-C) : les fichiers déjà écrits sont complets, les autres n'ont pas été "
    "écrits ; relancez la commande pour terminer"
)
DEBUG_VARIABLE = "CPOMDOCS_DEBUG"


class CpomGroup(FrenchHelp, click.Group):
    """The command group: prints a CpomError as its message, and a bug as one short line."""

    command_class = FrenchHelp
    group_class = type  # sub-groups get the same French help and error handling

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The subcommand; an unknown one with its close names in « »."""
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:
            raise french_suggestions(exc) from None

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; catch CpomError (the only family of expected failures)."""
        try:
            return super().invoke(ctx)
        except InputError as exc:  # many problems of one kind: the first ones, then a count
            print_problems(exc.problems, strict=False)
            ctx.exit(exc.exit_code)
        except CpomError as exc:
            click.secho(str(exc), fg="red", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.secho(INTERRUPTED_MESSAGE, fg="red", err=True)
            ctx.exit(INTERRUPTED)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # `cpomdocs validate | head`: the reader left, nothing is wrong
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:  # a bug of ours: no traceback for users, unless asked
            if os.environ.get(DEBUG_VARIABLE) == "1":
                raise
            click.secho(f"erreur interne : {type(exc).__name__}: {exc}", fg="red", err=True)
            click.echo(
                "C'est un défaut de cpomdocs, pas de vos fichiers : signalez-le avec la commande "
                f"lancée ; {DEBUG_VARIABLE}=1 affiche la trace complète.",
                err=True,
            )
            ctx.exit(INTERNAL_ERROR)


@click.group(
    cls=CpomGroup,
    epilog=EXIT_CODES,
    context_settings={"help_option_names": ["-h", "--help"]},
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
)
@click.version_option(
    __version__,
    "--version",
    prog_name="cpomdocs",
    message="%(prog)s %(version)s",
    help="Afficher la version et quitter.",
)
def main() -> None:
    """cpomdocs : les CPOM médico-sociaux sous forme de données.

    Chaque contrat vit en YAML dans contracts/<id>/ (cpom.yaml, avenants/, comptes-rendus/),
    est validé (schéma JSON puis règles métier) et rendu en PDF/A et DOCX.
    """


for command in (
    scaffold.init,
    scaffold.new,
    contracts.validate,
    contracts.schema,
    contracts.sign_off,
    documents.build,
    documents.merge,
    contracts.diff,
    contracts.textconv,
    publication.publish,
    publication.verify,
    spreadsheet.export,
    spreadsheet.import_,
):
    main.add_command(command)
spreadsheet.import_.add_command(documents.docx)  # cpomdocs import docx, beside import realisations
