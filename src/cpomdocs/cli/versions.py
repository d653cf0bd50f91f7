"""Commands that compare versions: diff, textconv."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cpomdocs.cli.common import EXIT_CODES, FrenchHelp, file_option, format_option

DIFF_FORMATS = ("text", "md", "json", "html", "pdf", "docx")
DIFF_EXIT_CODES = """\b
Codes de sortie :
  0  comparaison faite, qu'il y ait des différences ou non
  1  une des deux versions est illisible ou invalide (ses erreurs sont affichées)
  2  commande mal formée (source introuvable, option invalide)
  3  erreur interne de cpomdocs (à signaler ; CPOMDOCS_DEBUG=1 affiche la trace)"""


@click.command(cls=FrenchHelp, epilog=DIFF_EXIT_CODES)
@click.argument("sources", nargs=-1, metavar="[SOURCE]...")
@click.option("--rev", "rev_range", metavar="A..B", help="Un contrat entre deux révisions git.")
@click.option("--avenant", type=int, metavar="N", help="Le contrat avant et après l'avenant N.")
@format_option(
    DIFF_FORMATS, name="output_format", default="text",
    help="text (terminal, par défaut), md (commentaire de pull request), json, html, pdf, docx.",
)  # fmt: skip
@file_option("-o", "--output", help="Écrire dans ce fichier (obligatoire pour pdf et docx).")
def diff(
    sources: tuple[str, ...],
    rev_range: str | None,
    avenant: int | None,
    output_format: str,
    output: Path | None,
) -> None:
    """Comparer deux versions d'un contrat, dans les mots du métier.

    \b
    cpomdocs diff ANCIEN NOUVEAU        fichiers, dossiers ou révisions git
                                        (HEAD~3:contracts/x/cpom.yaml)
    cpomdocs diff --rev A..B DOSSIER    un contrat entre deux révisions git
    cpomdocs diff --avenant 1 DOSSIER   un contrat avant et après son avenant n° 1

    text, md et json s'affichent sur la sortie standard ; html, pdf et docx (modifications suivies
    de Word) sont des versions annotées du contrat, écrites avec -o FICHIER.
    """
    from cpomdocs.build.compare import run_diff

    color = output is None and sys.stdout.isatty()
    text = run_diff(list(sources), rev_range, avenant, output_format, output, color=color)
    if text is not None:
        click.echo(text, nl=False)
    else:
        click.echo(f"{output} écrit", err=True)


@click.command(cls=FrenchHelp, epilog=EXIT_CODES)
@click.argument("path", metavar="FICHIER", type=click.Path(dir_okay=False, path_type=Path))
def textconv(path: Path) -> None:
    """Afficher un contrat ou un avenant en français, un fait par ligne (pour git diff).

    \b
    Dans le dépôt :  git config diff.cpom.textconv "cpomdocs textconv"
    et dans .gitattributes :  contracts/**/*.yaml diff=cpom
    """
    from cpomdocs.versions.text import textconv as as_text

    click.echo(as_text(path), nl=False)
