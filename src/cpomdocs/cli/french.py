"""click's own messages in French: a catalogue that click's gettext calls look up."""

from __future__ import annotations

import gettext
import sys

# click marks its strings with `from gettext import gettext as _` (and ngettext): the keys below
# are its message ids, word for word. tests/test_cli_french.py extracts every id from click's
# source with Babel and fails on one missing here, so a click upgrade cannot slip English in.
MESSAGES = {
    # help pages
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Positional arguments": "Arguments positionnels",
    "Commands": "Commandes",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "default: {default}": "par défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "required": "obligatoire",
    "(dynamic)": "(calculé)",
    "deprecated": "obsolète",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Avertissement : la commande « {name} » est obsolète.{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "Avertissement : « {name} » est obsolète.{extra_message}"
    ),
    # usage errors (exit code 2)
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Aide : « {command} {option} ».",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Missing argument": "Il manque l'argument",
    "Missing option": "Il manque l'option",
    "Missing parameter": "Il manque le paramètre",
    "Missing {param_type}": "Il manque : {param_type}",
    "Missing parameter: {param_name}": "Il manque le paramètre {param_name}",
    "Missing command.": "Il manque la commande.",
    "No such option {name!r}.": "Option inconnue : « {name} ».",
    "No such command {name!r}.": "Commande inconnue : « {name} ».",
    "Option {name!r} does not take a value.": "L'option « {name} » ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument « {name} » prend {nargs} valeurs.",
    "Invalid start character for option ({option})": (
        "Caractère de début d'option invalide ({option})"
    ),
    "Value must be an iterable.": "Une liste de valeurs est attendue.",
    "Choose from:\n\t{choices}": "Valeurs possibles :\n\t{choices}",
    "Choice({choices})": "Choix({choices})",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un nombre valide.",
    "{value} is not in the range {range}.": "{value} ne convient pas : {range} attendu.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "« {value} » n'est pas un booléen valide. Valeurs reconnues : {states}"
    ),
    "{value!r} is not a valid UUID.": "« {value} » n'est pas un UUID valide.",
    # click.Path: the name is « fichier », « dossier » or « chemin », capitalised by click
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "{name} {filename!r} does not exist.": "{name} introuvable : « {filename} ».",
    "{name} {filename!r} is a file.": "« {filename} » est un fichier : un dossier est attendu.",
    "{name} {filename!r} is a directory.": (
        "« {filename} » est un dossier : un fichier est attendu."
    ),
    "{name} {filename!r} is not readable.": "{name} illisible : « {filename} ».",
    "{name} {filename!r} is not writable.": "{name} non modifiable : « {filename} ».",
    "{name} {filename!r} is not executable.": "{name} non exécutable : « {filename} ».",
    "Could not open file {filename!r}: {message}": (
        "Impossible d'ouvrir le fichier « {filename} » : {message}"
    ),
    "unknown error": "erreur inconnue",
    # prompts, terminal, interruption
    "Aborted!": "Interrompu.",
    "Do you want to continue?": "Continuer ?",
    "Confirm the action without prompting.": "Confirmer sans poser la question.",
    "Repeat for confirmation": "Répétez pour confirmer",
    "Error: The two entered values do not match.": "Erreur : les deux saisies diffèrent.",
    "Error: invalid input": "Erreur : saisie invalide",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
    "Unknown color {colour!r}": "Couleur inconnue : « {colour} »",
    "Unknown standard stream '{name}'": "Flux standard inconnu : « {name} »",
    "{editor}: Editing failed": "{editor} : échec de l'édition",
    "{editor}: Editing failed: {e}": "{editor} : échec de l'édition : {e}",
    "Windows error: {error}": "Erreur Windows : {error}",
    "Shell completion is not supported for Bash versions older than 4.4.": (
        "La complétion n'est pas prise en charge par Bash avant la version 4.4."
    ),
    "Couldn't detect Bash version, shell completion is not supported.": (
        "Version de Bash inconnue : la complétion n'est pas prise en charge."
    ),
    # errors in the program itself (a command declared wrongly), not in the user's input
    "Name '{name}' defined twice": "Nom « {name} » défini deux fois",
    "Boolean option {decl!r} cannot use the same flag for true/false.": (
        "L'option booléenne « {decl} » ne peut pas servir pour vrai et pour faux."
    ),
    "Could not determine name for option with declarations {decls!r}": (
        "Impossible de nommer l'option déclarée par {decls!r}"
    ),
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?": (
        "Aucune option déclarée mais un nom donné ({name}) : un argument, ou « --{name} » ?"
    ),
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": (
        "Un argument prend exactement une déclaration, reçu {length} : {decls}."
    ),
}

# (singular id, plural id) → (French singular, French plural); French uses the singular for 0 and 1
PLURALS = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Argument en trop : {args}",
        "Arguments en trop : {args}",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "{nargs} valeurs attendues, {len} reçue.",
        "{nargs} valeurs attendues, {len} reçues.",
    ),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Vouliez-vous dire {possibility} ?",
        "(Vouliez-vous dire l'une de : {possibilities} ?)",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "« {value} » n'est pas {choice}.",
        "« {value} » n'est pas parmi {choices}.",
    ),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): (
        "« {value} » n'est pas une date au format {format}.",
        "« {value} » n'est pas une date dans l'un des formats {formats}.",
    ),
    (
        "Option {name!r} requires an argument.",
        "Option {name!r} requires {nargs} arguments.",
    ): (
        "L'option « {name} » demande une valeur.",
        "L'option « {name} » demande {nargs} valeurs.",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "{len_type} valeurs attendues, {len_value} reçue.",
        "{len_type} valeurs attendues, {len_value} reçues.",
    ),
}
_PLURAL_BY_SINGULAR = {singular: french for (singular, _plural), french in PLURALS.items()}


def french(message: str) -> str:
    """click's message in French (unchanged if the catalogue lacks it)."""
    return MESSAGES.get(message, message)


def french_plural(singular: str, plural: str, count: int) -> str:
    """click's message for `count` things in French."""
    one, many = _PLURAL_BY_SINGULAR.get(singular, (singular, plural))
    return one if count <= 1 else many


def speak_french() -> None:
    """Point the gettext functions of click's loaded modules at this catalogue."""
    import click.shell_completion  # noqa: F401  (loaded on demand by click: make it French too)

    for name, module in list(sys.modules.items()):
        if name != "click" and not name.startswith("click."):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = french  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = french_plural  # type: ignore[attr-defined]
