"""Commands that start things: init (a users' repository), new (a draft contract or act)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cpomdocs.cli.common import FrenchChoice, FrenchHelp, plural
from cpomdocs.cli.exits import INIT_EXIT_CODES, NEW_EXIT_CODES
from cpomdocs.cli.paths import NamedPath
from cpomdocs.errors import UsageError

BASE_CHOICES = ("ehpad", "handicap", "generique", "chrs")
MEETING_KINDS = (
    "dialogue de gestion annuel",
    "point à mi-parcours",
    "bilan final",
    "comité de suivi",
    "comité de pilotage",
)
ACTS = ("avenant", "compte-rendu")
ESSMS_CHOICES = ("ehpad", "ssiad", "ime", "sessad", "itep", "camsp", "cmpp", "mas", "fam", "eam",
                 "foyer-de-vie", "esat", "samsah", "savs", "chrs")  # fmt: skip


@click.command(cls=FrenchHelp, epilog=INIT_EXIT_CODES)
@click.argument(
    "directory", required=False, default=".", metavar="[DOSSIER]", type=NamedPath(path_type=Path)
)
def init(directory: Path) -> None:
    """Créer un dépôt de contrats dans DOSSIER (par défaut le dossier courant).

    \b
    Écrit contracts/, schema/ (schémas JSON pour l'éditeur), templates/README.md,
    .gitattributes, .pre-commit-config.yaml, .vscode/settings.json, les workflows GitHub
    (pull request, publication), .github/dependabot.yml et un README.
    Un fichier déjà présent n'est jamais modifié ; rien n'est écrit hors de DOSSIER.

    \b
    Exemple :
      cpomdocs init depot && cd depot && git init
      cpomdocs new contracts/ehpad-les-tilleuls-2027 --base ehpad
    """
    from cpomdocs.scaffold.repository import TEXTCONV_COMMAND, init_repository

    result = init_repository(directory)
    for path in result.written:
        click.echo(f"écrit       {path}")
    for path in result.kept:
        click.secho(f"conservé    {path} (déjà présent, non modifié)", fg="yellow")
    for path, lines in result.missing_lines:
        wanted = " ; ".join(f"« {line} »" for line in lines)
        click.secho(
            f"à compléter {path} : ajoutez-y {'la ligne' if len(lines) == 1 else 'les lignes'} "
            f"{wanted}, sans quoi git diff montre les contrats en YAML brut",
            fg="yellow",
        )
    for path, reason in result.refused:
        click.secho(f"refusé      {path} : {reason}", fg="red")
    click.echo(
        f"{plural(len(result.written), 'fichier')} écrit{'s' if len(result.written) > 1 else ''}, "
        f"{len(result.kept)} conservé{'s' if len(result.kept) > 1 else ''}"
        + (f", {len(result.refused)} refusé{'s' if len(result.refused) > 1 else ''}."
           if result.refused else ".")
    )  # fmt: skip
    click.echo(f"Une fois par clone, pour lire les contrats dans git diff :\n  {TEXTCONV_COMMAND}")
    if result.refused:
        raise SystemExit(1)


def _parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        from cpomdocs.data.message_words import iso_date  # pydantic, Babel: only here

        iso = iso_date(value)
        hint = f" : écrivez {iso}" if iso else " (ex. 2027-06-15)"
        raise UsageError(
            f"« {option} » : « {value} » n'est pas une date AAAA-MM-JJ{hint}"
        ) from None


@click.command(cls=FrenchHelp, epilog=NEW_EXIT_CODES)
@click.argument("what", metavar="[avenant|compte-rendu] DOSSIER")
@click.argument("folder", required=False, type=NamedPath(path_type=Path), metavar="")
@click.option(
    "--base",
    type=FrenchChoice(BASE_CHOICES, case_sensitive=False),
    help="Base légale du nouveau contrat.",
)
@click.option(
    "--effet",
    metavar="AAAA-MM-JJ",
    help="Date d'effet du contrat (1er janvier suivant) ou de l'avenant (mois suivant).",
)
@click.option(
    "--essms",
    multiple=True,
    type=FrenchChoice(ESSMS_CHOICES, case_sensitive=False),
    help="Catégorie d'ESSMS du contrat, une par option (ex. --essms ehpad --essms sessad).",
)
@click.option(
    "--type",
    "kind",
    type=FrenchChoice(MEETING_KINDS, case_sensitive=False),
    help="Type de réunion.",
)
@click.option("--date", "day", metavar="AAAA-MM-JJ", help="Date de la réunion.")
def new(
    what: str,
    folder: Path | None,
    base: str | None,
    effet: str | None,
    essms: tuple[str, ...],
    kind: str | None,
    day: str | None,
) -> None:
    """Écrire un projet : contrat, avenant ou compte-rendu, à compléter.

    \b
    cpomdocs new contracts/<id> --base ehpad|handicap|generique|chrs [--essms …]
        contrat : ehpad (L.313-12 IV ter), handicap (L.313-12-2), generique (L.313-11),
        chrs (L.313-11-2) ; --essms, une fois par ESSMS couvert (ehpad, sessad, ime, mas,
        esat…) : chacun avec ses places, sa tarification et ses financeurs ; sans --base,
        la base suit les ESSMS (ehpad s'il y en a un, handicap, chrs, sinon generique)
    cpomdocs new avenant contracts/<id> [--effet 2027-07-01]
        l'avenant suivant, au statut projet, modifications vides
    cpomdocs new compte-rendu contracts/<id> --type "comité de suivi" --date 2027-06-15
        prérempli : participants, indicateurs et actions à examiner pour l'exercice

    Les valeurs à remplacer portent « à compléter » : cpomdocs validate les signale.
    Un fichier existant n'est jamais écrasé.

    \b
    Exemples :
      cpomdocs new contracts/ehpad-les-tilleuls-2027 --base ehpad --effet 2027-01-01
      cpomdocs new contracts/og-les-tilleuls-2027 --base ehpad --essms ehpad --essms sessad
      cpomdocs new avenant contracts/ehpad-les-tilleuls-2027
      cpomdocs new compte-rendu contracts/ehpad-les-tilleuls-2027 --type "comité de suivi" \\
        --date 2028-06-15
    """
    from cpomdocs.scaffold import new as scaffold

    if what in ACTS:
        if essms:
            raise UsageError(
                f"cpomdocs new {what} : --essms est réservé à un nouveau contrat ; un ESSMS "
                "s'ajoute à un contrat existant par un avenant (cpomdocs new avenant, puis "
                "etablissements dans ses modifications)"
            )
        if folder is None:
            raise UsageError(f"cpomdocs new {what} DOSSIER : le dossier du contrat manque")
        if what == "avenant":
            written = scaffold.new_avenant(folder, effet=_parse_date(effet, "--effet"))
        else:
            missing = [name for name, v in (("--type", kind), ("--date", day)) if v is None]
            if missing:
                named = " et ".join(f"« {name} »" for name in missing)
                what_misses = "il manque les options" if len(missing) > 1 else "il manque l'option"
                raise UsageError(
                    f"cpomdocs new compte-rendu : {what_misses} {named} "
                    '(ex. --type "comité de suivi" --date 2027-06-15)'
                )
            meeting = _parse_date(day, "--date")
            assert meeting is not None
            written = scaffold.new_report(folder, kind, meeting)
    else:
        if folder is not None:
            raise UsageError(f"« {what} » : avenant ou compte-rendu attendu avant le dossier")
        if base is None and essms:
            from cpomdocs.scaffold.essms import base_for

            base = base_for(list(essms))
        if base is None:
            raise UsageError(
                f"cpomdocs new {what} : il manque l'option « --base » : "
                f"{', '.join(BASE_CHOICES[:-1])} ou {BASE_CHOICES[-1]} (ex. --base ehpad)"
            )
        folder = Path(what)
        written = scaffold.new_contract(folder, base, _parse_date(effet, "--effet"), list(essms))
    click.echo(f"écrit {written}")
    click.echo(f"Remplacez chaque valeur « à compléter » : cpomdocs validate {folder} les liste.")
