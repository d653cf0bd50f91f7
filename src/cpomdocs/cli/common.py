"""What every command shares: French help, exit codes, the way problems are printed."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from cpomdocs.cli.french import speak_french
from cpomdocs.cli.paths import NamedPath
from cpomdocs.errors import Problem, UsageError

NNBSP = "\u202f"  # narrow no-break space: the French group separator (197 809)

speak_french()  # before any command is declared: a click.Path takes its name when created

EXIT_CODES = """\b
Codes de sortie :
  0  tout est valide
  1  au moins une erreur (ou un avertissement avec --strict)
  2  commande mal formée (chemin introuvable, option invalide)
  3  erreur interne de cpomdocs (à signaler ; CPOMDOCS_DEBUG=1 affiche la trace)"""
INTERNAL_EXIT = EXIT_CODES.splitlines()[-1]


def exit_codes(*lines: str) -> str:
    """A command's « Codes de sortie » block: its own codes, then the internal error (3)."""
    return "\n".join(["\b", "Codes de sortie :", *(f"  {line}" for line in lines), INTERNAL_EXIT])


class FrenchFormatter(click.HelpFormatter):
    """Help pages with French typography: a space before the colon of « Options : » and before
    the semicolon between an option's extras (« [par défaut : 300 ; au moins 1] »)."""

    def write_heading(self, heading: str) -> None:
        """One heading line, « Titre : »."""
        self.write(f"{'':>{self.current_indent}}{heading} :\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        """click's definition list, with « ; » between the extras of an option."""
        rows = [(term, _held(_french_extras(text))) for term, text in rows]
        super().write_dl(rows, *args, **kwargs)

    def write_text(self, text: str) -> None:
        """A paragraph, never wrapped between a guillemet and its word."""
        super().write_text(_held(text))

    def getvalue(self) -> str:
        """The help page, its held spaces plain again."""
        return super().getvalue().replace(_HELD_SPACE, " ")


# A space that the wrapper does not break at (textwrap breaks at ASCII whitespace only): held
# beside « and », so that « (colonne «⏎Contrat ») » no longer happens; made plain at the end.
_HELD_SPACE = "\u00a0"


def _held(text: str) -> str:
    return text.replace("« ", f"«{_HELD_SPACE}").replace(" »", f"{_HELD_SPACE}»")


def _french_extras(text: str) -> str:
    """An option's help whose trailing « [a; b] » extras get the French « ; »."""
    help_text, bracket, extras = text.rpartition("  [")
    if not bracket or not extras.endswith("]"):
        return text
    return f"{help_text}{bracket}{extras.replace('; ', ' ; ')}"


class _FrenchRange:
    """A range said in French in the help and the refusal (« de 1 à 256 »), not « 1<=x<=256 »."""

    min: float | None
    max: float | None

    def _describe_range(self) -> str:  # click's hook for the help and the error message
        from cpomdocs import fmt  # Babel: only when a range is said

        if self.max is None:
            return f"au moins {fmt.number(self.min)}"
        return f"de {fmt.number(self.min)} à {fmt.number(self.max)}"


MAX_TIMEOUT = 86_400  # a day: beyond, the clocks of the worker pool overflow


class AtLeastInteger(_FrenchRange, click.IntRange):
    """An integer of at least `min` (and at most `max`)."""


class FrenchChoice(click.Choice):
    """A choice whose refusal names the choices in « », as the rest of the French messages."""

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        """« foo » n'est pas parmi « ehpad », « handicap »…"""
        choices = ", ".join(f"« {choice} »" for choice in self.choices)
        if len(self.choices) == 1:
            return f"« {value} » n'est pas {choices}."
        return f"« {value} » n'est pas parmi {choices}."


class IsoDate(click.DateTime):
    """A date written AAAA-MM-JJ, refused with an example rather than click's '%Y-%m-%d'."""

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d"])

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The date, or « 2027-13-01 » n'est pas une date AAAA-MM-JJ (ex. 2027-06-15)."""
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            from cpomdocs.data.message_words import iso_date  # pydantic, Babel: only here

            iso = iso_date(value)
            hint = f" : écrivez {iso}." if iso else " (ex. 2027-06-15)."
            self.fail(f"« {value} » n'est pas une date AAAA-MM-JJ{hint}", param, ctx)


class FrenchContext(click.Context):
    """A context whose help pages use FrenchFormatter."""

    formatter_class = FrenchFormatter


def french_hint(param: click.Parameter, ctx: click.Context | None) -> str:
    """An option or argument as error messages name it: « --base », « -o » / « --output »."""
    names = param.opts if isinstance(param, click.Option) else []
    if not names:
        names = [param.make_metavar(ctx) if ctx is not None else param.human_readable_name]
    return " / ".join(f"« {name} »" for name in names)


def french_suggestions(exc: click.NoSuchOption | click.NoSuchCommand) -> click.UsageError:
    """An unknown option or command and its close names in « », as the rest of the message."""
    if not exc.possibilities:
        return exc
    names = ", ".join(f"« {name} »" for name in sorted(exc.possibilities))
    if len(exc.possibilities) == 1:
        hint = f"Vouliez-vous dire {names} ?"
    else:
        hint = f"(Vouliez-vous dire l'une de : {names} ?)"
    return click.UsageError(f"{exc.message} {hint}", exc.ctx)


class FrenchHelp(click.Command):
    """A command whose help and usage errors are in French (see cli/french.py)."""

    context_class = FrenchContext

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """click's parsing, its errors naming options in « » (« --base »), not '--base'."""
        try:
            return super().parse_args(ctx, args)
        except click.BadParameter as exc:  # also MissingParameter
            if exc.param_hint is None and exc.param is not None:
                exc.param_hint = french_hint(exc.param, exc.ctx)
            raise
        except click.NoSuchOption as exc:
            raise french_suggestions(exc) from None


SHOWN_PER_KIND = 20  # problems of one kind printed before the rest are summed up in one line
_VALUE = re.compile(r"«[^»]*»|\d+")
_PLACE = re.compile(r"(:\d+)+$|![A-Z]+\d+$")  # line:column, or a workbook cell (Feuille!J12)


def problem_kind(problem: object) -> tuple[str, str]:
    """What makes two problems « the same problem »: the file (line or cell aside) and the field
    and message, values aside."""
    where, _, what = str(problem).partition(": ")
    return _PLACE.sub("", where), _VALUE.sub("#", what)


def shown_problems(problems: Sequence[Any]) -> Iterator[Any]:
    """The problems to print: the first SHOWN_PER_KIND of each kind, then for a kind with more,
    one line « … et 197 809 autres lignes avec le même problème » in the place of the rest."""
    totals = Counter(problem_kind(problem) for problem in problems)
    seen: Counter[tuple[str, str]] = Counter()
    for problem in problems:
        kind = problem_kind(problem)
        seen[kind] += 1
        if seen[kind] <= SHOWN_PER_KIND:
            yield problem
        elif seen[kind] == SHOWN_PER_KIND + 1:
            others = f"{totals[kind] - SHOWN_PER_KIND:,}".replace(",", NNBSP)
            yield f"{kind[0]}: … et {others} autres lignes avec le même problème"


def problem_color(problem: object) -> str:
    """Red for an error, yellow for a warning or a summary line."""
    return "red" if isinstance(problem, Problem) and problem.is_error else "yellow"


def print_problems(problems: list[Problem], strict: bool) -> tuple[int, int]:
    """Print the problems on stderr (errors in red, warnings in yellow, many of one kind summed
    up); count them."""
    for line in shown_problems(problems):
        click.secho(str(line), fg=problem_color(line), err=True)
    errors = sum(problem.is_error for problem in problems)
    return errors, len(problems) - errors


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


# The options and arguments several commands declare: one definition each, French metavars.
Decorator = Callable[[Callable[..., None]], Callable[..., None]]


def require_files(paths: Sequence[Path]) -> None:
    """Refuse a path that names nothing as a usage error (code 2), as validate and build do."""
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: fichier introuvable")


def contract_paths(paths: Sequence[Path]) -> list[Path]:
    """The paths given, or contracts/ of the current folder; its absence said with what to do
    (a newcomer who runs `cpomdocs build` outside a repository of contracts)."""
    if paths:
        return list(paths)
    default = Path("contracts")
    if not default.exists():
        raise UsageError(
            f"pas de dossier contracts/ dans {Path.cwd()} : lancez la commande depuis votre dépôt "
            "de contrats (« cpomdocs init » en crée un), ou nommez le contrat "
            "(ex. contracts/ehpad-les-tilleuls-2027)"
        )
    return [default]


def paths_argument(required: bool = False) -> Decorator:
    """Contract folders, folders holding them, or files (CHEMIN...)."""
    return click.argument(
        "paths", nargs=-1, required=required, metavar="CHEMIN..." if required else "[CHEMIN]...",
        type=NamedPath(path_type=Path),
    )  # fmt: skip


def folder_option(
    *names: str, help: str, default: str | None = None, files_too: bool = False
) -> Decorator:
    """An option naming a folder (DOSSIER), its default shown in --help."""
    # files_too: a file there gets cpomdocs' own message (cache.output_lock) rather than click's
    kind = NamedPath(path_type=Path) if files_too else NamedPath(file_okay=False, path_type=Path)
    return click.option(
        *names, type=kind, metavar="DOSSIER", help=help,
        default=Path(default) if default else None, show_default=default is not None,
    )  # fmt: skip


def output_option(help: str, default: str = "build", files_too: bool = False) -> Decorator:
    """-o/--output: the folder a command writes into."""
    return folder_option("-o", "--output", help=help, default=default, files_too=files_too)


def file_option(*names: str, help: str, multiple: bool = False) -> Decorator:
    """An option naming a file (FICHIER); repeatable with multiple=True."""
    return click.option(
        *names, type=NamedPath(dir_okay=False, path_type=Path), metavar="FICHIER",
        multiple=multiple, help=help,
    )  # fmt: skip


def format_option(
    choices: tuple[str, ...], help: str, name: str, default: str | None = None,
    multiple: bool = False, show_default: bool = False,
) -> Decorator:  # fmt: skip
    """-f/--format: one of a command's output formats (repeatable with multiple=True)."""
    return click.option(
        "-f", "--format", name, type=FrenchChoice(choices), default=default, multiple=multiple,
        show_default=show_default, help=help,
    )  # fmt: skip


def trust_option(help: str) -> Decorator:
    """--trust: a root certificate (PEM or DER) that verification accepts; repeatable."""
    return file_option("--trust", help=help, multiple=True)


def timeout_option(help: str) -> Decorator:
    """--timeout: the most seconds one render may take (300 by default; build and verify)."""
    return click.option(
        "--timeout",
        type=AtLeastInteger(min=1, max=MAX_TIMEOUT),
        default=300,
        show_default=True,
        metavar="SECONDES",
        help=help,
    )
