"""Commands on the contracts' data: validate, schema, sign-off, and diff, textconv (versions).

The validation report in the formats programs read: JSON, and GitHub workflow commands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from cpomdocs.cli.common import (
    EXIT_CODES,
    FrenchHelp,
    contract_paths,
    file_option,
    folder_option,
    format_option,
    output_option,
    paths_argument,
    print_problems,
    problem_color,
    require_files,
    shown_problems,
)
from cpomdocs.cli.exits import (
    DIFF_EXIT_CODES,
    SCHEMA_EXIT_CODES,
    SIGN_OFF_EXIT_CODES,
    TEXTCONV_EXIT_CODES,
)
from cpomdocs.cli.paths import NamedPath
from cpomdocs.errors import Problem

VALIDATE_FORMATS = ("text", "json", "github")
FIELDS = ("fichier", "ligne", "colonne", "champ", "message", "gravite")  # of --format json


def _escape_data(text: str) -> str:
    """A workflow command's message: %, CR and LF escaped as the runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value: also « : » and « , » escaped."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """One problem as `::error file=…,line=…,col=…::champ: message` (::warning for a warning)."""
    command = "error" if problem.is_error else "warning"
    properties = [f"file={_escape_property(problem.file)}"]
    if problem.line:
        properties += [f"line={problem.line}", f"col={problem.column}"]
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return f"::{command} {','.join(properties)}::{_escape_data(message)}"


def _values(p: Problem) -> tuple[str | int, ...]:
    return p.file, p.line, p.column, p.field, p.message, p.severity.value


def problems_json(problems: list[Problem], summary: str, failed: bool) -> str:
    """The whole report as one JSON document."""
    document = {
        "valide": not failed,
        "bilan": summary,
        "erreurs": sum(p.is_error for p in problems),
        "avertissements": sum(not p.is_error for p in problems),
        "problemes": [dict(zip(FIELDS, _values(p), strict=True)) for p in problems],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


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

    \b
    Exemples :
      cpomdocs validate                              tout contracts/
      cpomdocs validate contracts/x                  un contrat, ses avenants et comptes-rendus
      cpomdocs validate contracts/x/cpom.yaml        un fichier seul
      cpomdocs validate --strict -f github           pour la CI
    """
    validate_paths = globals().get("validate_paths") or __getattr__("validate_paths")

    targets = contract_paths(paths)
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


@click.command(cls=FrenchHelp, epilog=SCHEMA_EXIT_CODES)
@output_option("Dossier où écrire les schémas.", default="schema")
@click.option("--check", is_flag=True, help="Vérifier sans écrire que les schémas sont à jour.")
def schema(output: Path, check: bool) -> None:
    """Écrire les schémas JSON (cpom, avenant, compte-rendu) tirés des modèles.

    Les éditeurs (serveur de langage YAML) s'en servent pour compléter et documenter
    les champs pendant la saisie.

    \b
    Exemples :
      cpomdocs schema              après une mise à jour de cpomdocs : réécrit schema/
      cpomdocs schema --check      dans la CI : échoue si schema/ est périmé
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


@click.command("sign-off", cls=FrenchHelp, epilog=SIGN_OFF_EXIT_CODES)
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

    \b
    Exemple, le jour de la signature (statut: signé) :
      cpomdocs sign-off contracts/x/cpom.yaml contracts/x/avenants/01-extension.yaml
    """
    from functools import partial

    from cpomdocs.build.signed import signed_text
    from cpomdocs.data.signoff import sign_off as record

    require_files(paths)
    text_of = partial(signed_text, templates=templates if templates.is_dir() else None)
    for path in paths:
        sha256 = record(
            path, signed_text=text_of, replace_text=replace_text, replace_content=replace_content
        )
        click.echo(f"{path}: empreinte enregistrée (sha256 {sha256[:16]}…), texte signé compris")


DIFF_FORMATS = ("text", "md", "json", "html", "pdf", "docx")


@click.command(cls=FrenchHelp, epilog=DIFF_EXIT_CODES)
@click.argument("sources", nargs=-1, metavar="[SOURCE]...")
@click.option("--rev", "rev_range", metavar="A..B", help="Un contrat entre deux révisions git.")
@click.option("--avenant", type=int, metavar="N", help="Le contrat avant et après l'avenant N.")
@format_option(
    DIFF_FORMATS, name="output_format", default="text",
    help="text (terminal, par défaut), md (commentaire de pull request), json, html, pdf, docx.",
)  # fmt: skip
@file_option("-o", "--output", help="Écrire dans ce fichier (obligatoire pour pdf et docx).")
@click.option(
    "--ancien-nom", "old_name", is_flag=True,
    help="Avec --rev A..B DOSSIER : seulement le nom du dossier à la révision A s'il a été "
    "renommé depuis, suivi d'un octet nul (rien sinon), pour les scripts.",
)  # fmt: skip
def diff(
    sources: tuple[str, ...],
    rev_range: str | None,
    avenant: int | None,
    output_format: str,
    output: Path | None,
    old_name: bool,
) -> None:
    """Comparer deux versions d'un contrat, dans les mots du métier.

    \b
    cpomdocs diff ANCIEN NOUVEAU        fichiers, dossiers ou révisions git
                                        (HEAD~3:contracts/x/cpom.yaml)
    cpomdocs diff --rev A..B DOSSIER    un contrat entre deux révisions git
    cpomdocs diff --avenant 1 DOSSIER   un contrat avant et après son avenant n° 1

    text, md et json s'affichent sur la sortie standard ; html, pdf et docx (modifications suivies
    de Word) sont des versions annotées du contrat, écrites avec -o FICHIER.

    \b
    Exemples :
      cpomdocs diff --rev HEAD.. contracts/x           le disque face au dernier commit
      cpomdocs diff --rev main.. contracts/x -f md     pour une pull request
      cpomdocs diff --avenant 1 contracts/x -f pdf -o annote.pdf
    """
    from cpomdocs.build.compare import run_diff

    if old_name:
        from cpomdocs.build.compare import old_name_line

        tty = sys.stdout.isatty()
        click.echo(old_name_line(list(sources), rev_range, avenant, output, tty), nl=False)
        return
    color = output is None and sys.stdout.isatty()
    text = run_diff(list(sources), rev_range, avenant, output_format, output, color=color)
    if text is not None:
        click.echo(text, nl=False)
    else:
        click.echo(f"{output} écrit", err=True)


@click.command(cls=FrenchHelp, epilog=TEXTCONV_EXIT_CODES)
@click.argument("path", metavar="FICHIER", type=NamedPath(dir_okay=False, path_type=Path))
def textconv(path: Path) -> None:
    """Afficher un contrat, un avenant ou un compte-rendu en français, un fait par ligne.

    \b
    Exemple :
      cpomdocs textconv contracts/x/cpom.yaml
    Pour git diff, une fois par clone :  git config diff.cpom.textconv "cpomdocs textconv"
    et dans .gitattributes :  contracts/**/*.yaml diff=cpom
    """
    from cpomdocs.versions.text import textconv as as_text

    require_files((path,))
    text, problems = as_text(path)  # a file that does not read: as it is, its problems on stderr
    print_problems(problems, strict=False)
    click.echo(text, nl=False)
