"""Commands that read documents back: import docx (in the « import » group of cli/spreadsheet)."""

from __future__ import annotations

from pathlib import Path

import click

from cpomdocs.cli.common import EXIT_CODES, FrenchHelp, file_option, folder_option


@click.command(name="docx", cls=FrenchHelp, epilog=EXIT_CODES)
@click.argument("paths", metavar="FICHIER.docx... contracts/<id>", nargs=-1, required=True,
                type=click.Path(path_type=Path))  # fmt: skip
@file_option("-r", "--rapport", help="Écrire aussi le rapport Markdown dans ce fichier.")
@folder_option(
    "--templates",
    help="Modèles avec lesquels le document a été construit (défaut : templates/ s'il existe).",
)
@click.option("-n", "--dry-run", is_flag=True, help="Afficher le rapport sans rien écrire.")
def docx(
    paths: tuple[Path, ...], rapport: Path | None, templates: Path | None, dry_run: bool
) -> None:
    """Relire un DOCX renvoyé par une autre partie : ses modifications deviennent des données.

    \b
    Modifications suivies (auteur et date conservés) ou non (trouvées en comparant
    avec le document que cpomdocs construit depuis le commit inscrit dans le DOCX).
    Le contrat et ses annexes renvoyés ensemble s'importent en une fois.
    Contrat signé : un projet d'avenant avenants/NN-modifications-docx.yaml.
    Contrat en projet : cpom.yaml mis à jour en place (version + 1).
    Les modifications de clause type ne sont pas appliquées : le rapport les
    liste, avec ce qui n'a pas pu être relu. Rien n'est écrit en cas d'erreur.
    """
    from cpomdocs.errors import UsageError
    from cpomdocs.wordback.importer import import_documents, write_result
    from cpomdocs.wordback.report import render_report
    from cpomdocs.write import write_text_atomic

    if templates is None and Path("templates").is_dir():
        templates = Path("templates")
    if len(paths) < 2:
        raise UsageError("attendu : un ou plusieurs fichiers .docx puis le dossier du contrat")
    *documents, folder = paths
    if rapport is not None:
        _check_report(rapport, documents)
    result = import_documents(documents, folder, templates)
    written = ""
    if result.target is not None:
        if result.kind == "avenant":
            verb = "sera écrit" if dry_run else "écrit"
            written = f"Projet d'avenant {verb} dans `{result.target}`."
        else:
            verb = "sera écrite" if dry_run else "écrite"
            written = f"Nouvelle version du contrat {verb} dans `{result.target}`."
    report = render_report(result, written)
    if not dry_run:
        if rapport is not None:  # first: a report that cannot be written stops before the data
            write_text_atomic(rapport, report)
        write_result(result)
    click.echo(report, nl=False)


def _check_report(rapport: Path, documents: list[Path]) -> None:
    """Refuse a report written over a returned DOCX or among a contract's sources
    (`-r contracts/x/cpom.yaml` replaced the contract just updated by the report)."""
    from cpomdocs.data.folders import holding_contract
    from cpomdocs.errors import UsageError

    if any(rapport.resolve() == document.resolve() for document in documents):
        raise UsageError(f"{rapport}: c'est un des documents importés, il serait écrasé : "
                         "choisissez un autre fichier pour le rapport (-r)")  # fmt: skip
    if folder := holding_contract(rapport):
        raise UsageError(
            f"{rapport}: ce rapport serait écrit dans le dossier du contrat {folder.name}, "
            "parmi ses sources : écrivez-le ailleurs, par exemple -r retour/rapport.md"
        )
