"""Commands on the tableau de bord as a spreadsheet: export, and import of the actual values."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cpomdocs.cli.common import (
    FrenchHelp,
    contract_paths,
    file_option,
    output_option,
    paths_argument,
    plural,
    shown_problems,
)
from cpomdocs.cli.exits import EXPORT_EXIT_CODES, IMPORT_EXIT_CODES, IMPORT_GROUP_EXIT_CODES
from cpomdocs.cli.paths import NamedPath


@click.command(cls=FrenchHelp, epilog=EXPORT_EXIT_CODES)
@paths_argument()
@output_option("Dossier de sortie.")
@click.option(
    "--portefeuille",
    "portfolio",
    is_flag=True,
    help="Un seul classeur pour tous les contrats (colonne « Contrat »).",
)
def export(paths: tuple[Path, ...], output: Path, portfolio: bool) -> None:
    """Écrire le tableau de bord de chaque contrat en classeur XLSX.

    Sans chemin, exporte contracts/. Chaque contrat donne DOSSIER/<id>/tableau-de-bord.xlsx ;
    avec --portefeuille, un seul DOSSIER/tableau-de-bord.xlsx. Feuilles : « Indicateurs » (une
    ligne par indicateur et par année : référence, cible, réalisé des comptes-rendus, écart et
    statut calculés par formules), « Financement » (ESSMS × financeur × nature × année, totaux
    en formules), « Mode d'emploi ». Deux exports des mêmes données sont identiques à l'octet.

    \b
    Exemples :
      cpomdocs export contracts/x         build/x/tableau-de-bord.xlsx
      cpomdocs export --portefeuille      build/tableau-de-bord.xlsx, tous les contrats
    """
    from cpomdocs.spreadsheet.export import export as write_workbooks

    result = write_workbooks(contract_paths(paths), output, portfolio)
    for problem in shown_problems(result.problems):
        click.secho(str(problem), fg="red", err=True)
    for path in result.written:
        click.echo(str(path))
    if result.skipped:
        skipped = ", ".join(result.skipped)
        click.secho(f"non exporté (voir ci-dessus) : {skipped}", fg="red", err=True)
    sys.exit(1 if result.skipped else 0)


@click.group(
    "import",
    cls=type("ImportGroup", (FrenchHelp, click.Group), {}),
    epilog=IMPORT_GROUP_EXIT_CODES,
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
)
def import_() -> None:
    """Reprendre dans les fichiers du contrat des données saisies ailleurs.

    \b
    Exemples :
      cpomdocs import realisations tableau-de-bord-rempli.xlsx contracts/x
      cpomdocs import docx contrat-ARS.docx contracts/x
    « cpomdocs import COMMANDE --help » : l'aide et les codes de sortie de chacune.
    """


@import_.command(cls=FrenchHelp, epilog=IMPORT_EXIT_CODES)
@click.argument("workbook", metavar="CLASSEUR", type=NamedPath(path_type=Path))
@click.argument("contract", metavar="CONTRAT", type=NamedPath(path_type=Path))
@file_option(
    "--compte-rendu",
    "report",
    help="Compte-rendu à compléter (par défaut : le plus récent au statut « projet »).",
)
def realisations(workbook: Path, contract: Path, report: Path | None) -> None:
    """Reporter la colonne « Réalisé » d'un tableau de bord dans un compte-rendu.

    CLASSEUR est le classeur de « cpomdocs export » rempli par les directions des ESSMS ;
    CONTRAT le dossier du contrat (contracts/<id>). Les valeurs vont dans le bloc
    « realisations » du compte-rendu nommé par --compte-rendu, sinon du plus récent au statut
    « projet » ; un compte-rendu approuvé n'est jamais modifié. Sont écrites les valeurs de
    l'exercice du compte-rendu et celles d'autres années qu'aucun compte-rendu antérieur ne
    porte déjà. Le reste du fichier (commentaires compris) est conservé. Une cellule qui n'est
    pas un nombre est signalée, puis ignorée :

    \b
      fichier.xlsx!Indicateurs!J12: « n.c. » n'est pas un nombre : valeur ignorée

    \b
    Exemple :
      cpomdocs import realisations tableau-de-bord-rempli.xlsx contracts/x
    """
    from cpomdocs.spreadsheet.import_ import import_realisations

    result = import_realisations(workbook, contract, report)
    for problem in shown_problems(result.problems):
        click.secho(str(problem), fg="yellow", err=True)
    summary = (
        f"{result.report_path}: {plural(result.written, 'valeur')} écrite"
        f"{'s' if result.written > 1 else ''}, {result.unchanged} déjà présente"
        f"{'s' if result.unchanged > 1 else ''}, {plural(len(result.problems), 'cellule')} "
        f"ignorée{'s' if len(result.problems) > 1 else ''}"
    )
    click.secho(summary, fg="yellow" if result.problems else "green")
    sys.exit(1 if result.problems else 0)
