"""Commands on the contracts' data: validate, schema, sign-off."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cpomdocs.cli.common import (
    EXIT_CODES,
    FrenchHelp,
    folder_option,
    format_option,
    output_option,
    paths_argument,
    problem_color,
    shown_problems,
)
from cpomdocs.cli.formats import VALIDATE_FORMATS, github_annotation, problems_json
from cpomdocs.errors import Problem


def __getattr__(name: str) -> object:
    """validate_paths, imported on first use: a no-op build must not pay for pydantic."""
    if name == "validate_paths":
        from cpomdocs.data.validate import validate_paths

        return validate_paths
    raise AttributeError(name)


@click.command(cls=FrenchHelp, epilog=EXIT_CODES)
@paths_argument()
@click.option("--strict", is_flag=True, help="Les avertissements font aussi échouer la validation.")
@format_option(
    VALIDATE_FORMATS, name="output_format", default="text", show_default=True,
    help="text (une ligne par problème), json, ou github (annotations d'un workflow GitHub).",
)  # fmt: skip
@click.option(
    "--whole-contract",
    is_flag=True,
    help="Valider chaque fichier avec tout le dossier de son contrat (pour pre-commit).",
)
def validate(
    paths: tuple[Path, ...], strict: bool, output_format: str, whole_contract: bool
) -> None:
    """Valider des contrats : dossiers de contrats, dossiers qui en contiennent, ou fichiers.

    Sans chemin, valide contracts/. Un contrat invalide n'empêche pas de vérifier les autres.
    Chaque problème tient sur une ligne de la sortie standard, puis vient une ligne de bilan :

    \b
      fichier:ligne:colonne: champ: message
      fichier:ligne:colonne: avertissement: champ: message

    --format github écrit chaque problème comme une annotation de GitHub Actions
    (::error file=…,line=…,col=…::champ: message, ::warning pour un avertissement).
    """
    validate_paths = globals().get("validate_paths") or __getattr__("validate_paths")

    targets = list(paths) or [Path("contracts")]
    if whole_contract:
        from cpomdocs.data.folders import whole_contracts

        targets = whole_contracts(targets)
    report = validate_paths(targets)
    failed = report.failed(strict)
    summary = report.summary()
    if strict and report.warnings and not report.errors:
        summary += " (--strict : les avertissements font échouer)"
    if output_format == "json":
        click.echo(problems_json(report.problems, summary, failed))
        sys.exit(1 if failed else 0)
    for problem in shown_problems(report.problems):  # json above keeps every problem
        if output_format == "github" and isinstance(problem, Problem):
            click.echo(github_annotation(problem))
        else:
            click.secho(str(problem), fg=problem_color(problem))
    click.secho(summary, fg="red" if failed else "green")
    sys.exit(1 if failed else 0)


SCHEMA_EXIT_CODES = """\b
Codes de sortie :
  0  schémas écrits (ou à jour, avec --check)
  1  avec --check : un schéma manque ou diffère des modèles
  2  commande mal formée (option invalide)
  3  erreur interne de cpomdocs (à signaler ; CPOMDOCS_DEBUG=1 affiche la trace)"""


@click.command(cls=FrenchHelp, epilog=SCHEMA_EXIT_CODES)
@output_option("Dossier où écrire les schémas.", default="schema")
@click.option("--check", is_flag=True, help="Vérifier sans écrire que les schémas sont à jour.")
def schema(output: Path, check: bool) -> None:
    """Écrire les schémas JSON (cpom, avenant, compte-rendu) tirés des modèles.

    Les éditeurs (serveur de langage YAML) s'en servent pour compléter et documenter
    les champs pendant la saisie.
    """
    from cpomdocs.data.schema import stale_schemas, write_schemas

    if check:
        stale = stale_schemas(output)
        for path in stale:
            click.secho(
                f"{path}: schéma périmé ou absent : lancez « cpomdocs schema -o {output} »",
                fg="red",
            )
        sys.exit(1 if stale else 0)
    for path in write_schemas(output):
        click.echo(str(path))


@click.command("sign-off", cls=FrenchHelp, epilog=EXIT_CODES)
@paths_argument(required=True)
@folder_option(
    "--templates",
    default="templates",
    help="Dossier de modèles qui remplacent ceux de cpomdocs, comme pour « cpomdocs build » "
    "(ignoré s'il n'existe pas).",
)
@click.option(
    "--remplacer-texte",
    "replace_text",
    is_flag=True,
    help="Remplacer l'empreinte du texte signé déjà enregistrée quand le texte produit "
    "aujourd'hui diffère (seulement si ce nouveau texte a bien été signé).",
)
@click.option(
    "--nouveau-contenu",
    "replace_content",
    is_flag=True,
    help="Remplacer une empreinte déjà enregistrée pour un autre contenu (seulement si ce "
    "nouveau contenu a bien été signé : un nouvel exemplaire).",
)
def sign_off(
    paths: tuple[Path, ...], templates: Path, replace_text: bool, replace_content: bool
) -> None:
    """Enregistrer l'empreinte d'un contrat ou d'un avenant signé dans son fichier.

    L'empreinte (sha256) du contenu : toute modification ultérieure fera échouer la validation ;
    un document signé ne change plus, on passe par un avenant. Et celle du texte signé (contrat
    et annexes, ou avenant, tels que cpomdocs les compose aujourd'hui) : une construction
    ultérieure signale un document dont le texte n'est plus celui-là ; une fois enregistrée,
    elle n'est remplacée qu'avec --remplacer-texte. Un fichier dont le contenu a changé depuis
    son empreinte est refusé (un document signé ne change plus) sauf avec --nouveau-contenu.
    Commentaires et mise en page du fichier sont conservés.
    """
    from functools import partial

    from cpomdocs.build.signed import signed_text
    from cpomdocs.data.signoff import sign_off as record

    text_of = partial(signed_text, templates=templates if templates.is_dir() else None)
    for path in paths:
        sha256 = record(
            path, signed_text=text_of, replace_text=replace_text, replace_content=replace_content
        )
        click.echo(f"{path}: empreinte enregistrée (sha256 {sha256[:16]}…), texte signé compris")
