"""The command line: parse options, call the library, print. Nothing else lives here."""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading
from typing import Any

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
USAGE_ERROR = 2  # as UsageError: a command asked something it cannot do
INTERRUPTED = 130  # as a shell reports a command stopped by SIGINT (128 + 2)
INTERRUPTED_MESSAGE = (
    "interrompu (Ctrl-C) : les fichiers déjà écrits sont complets, les autres n'ont pas été "
    "écrits ; relancez la commande pour terminer"
)
DEBUG_VARIABLE = "CPOMDOCS_DEBUG"
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)  # kill, a CI job cancelled, a terminal closed


class Stopped(KeyboardInterrupt):
    """A stop signal received: the command unwinds as on Ctrl-C (temporary files removed, the
    workers stopped), instead of dying with an English warning about leaked semaphores."""


_RECEIVED: list[int] = []  # stop signals received: one raised where it cannot unwind (a __del__)
# is swallowed by Python, and the command would go on to its end as if nothing happened
AGAIN = 0.01  # seconds after which a swallowed stop signal is raised again
_WATCHING = threading.Lock()  # held while the stop signals' handlers are swapped
_WATCHED: list[bool] = [False]


def _stop(signum: int, frame: object) -> None:
    _RECEIVED.append(signum)
    if _WATCHED[0]:  # not once the command reports its stop (a signal raised again, a second)
        raise Stopped(signum)


def _unwatch() -> None:
    """The stop signals no longer raise: the command is reporting one."""
    with _WATCHING:
        _WATCHED[0] = False


def _again(signum: int) -> None:
    """A swallowed stop signal raised again (from a timer thread), if still watched."""
    with _WATCHING:
        if _WATCHED[0]:
            signal.raise_signal(signum)  # the main thread runs _stop at its next instruction


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """Python's hook for exceptions it cannot raise: a Stopped swallowed inside a finalizer or
    a garbage collector's callback is raised again a moment later (the build went on for all
    its documents), without Python's « Exception ignored in … Traceback » in English."""
    if isinstance(unraisable.exc_value, Stopped):
        timer = threading.Timer(AGAIN, _again, (unraisable.exc_value.args[0],))
        timer.daemon = True
        timer.start()
    else:
        sys.__unraisablehook__(unraisable)


def _watch_stop_signals() -> dict[int, Any]:
    """Stop signals turned into Stopped (in the main thread only); the handlers they replace
    (and the unraisable hook, under the key 0)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    _RECEIVED.clear()
    previous: dict[int, Any] = {0: sys.unraisablehook}
    sys.unraisablehook = _unraisable
    with _WATCHING:
        _WATCHED[0] = True
        return previous | {number: signal.signal(number, _stop) for number in STOP_SIGNALS}


def _restore(previous: dict[int, Any]) -> None:
    """The signal handlers and the unraisable hook as they were before the command."""
    _unwatch()
    for number, handler in previous.items():
        if number == 0:
            sys.unraisablehook = handler
        else:
            signal.signal(number, handler)


def _stopped_message(exc: KeyboardInterrupt) -> tuple[str, int]:
    """What to print and the exit code (128 + the signal number, as a shell reports it)."""
    if not isinstance(exc, Stopped):
        return INTERRUPTED_MESSAGE, INTERRUPTED
    number = exc.args[0]
    name = signal.Signals(number).name.removeprefix("SIG")
    return INTERRUPTED_MESSAGE.replace("(Ctrl-C)", f"(signal {name})"), 128 + number


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
        previous = _watch_stop_signals()
        try:
            result = super().invoke(ctx)
            if _RECEIVED:  # the signal was swallowed: the run still reports it
                raise Stopped(_RECEIVED[0])
            return result
        except InputError as exc:  # many problems of one kind: the first ones, then a count
            print_problems(exc.problems, strict=False)
            ctx.exit(exc.exit_code)
        except CpomError as exc:
            click.secho(str(exc), fg="red", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt as exc:
            _unwatch()
            message, code = _stopped_message(exc)
            click.secho(message, fg="red", err=True)
            ctx.exit(code)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # `cpomdocs validate | head`: the reader left, nothing is wrong
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:  # a bug of ours: no traceback for users, unless asked
            if refused := _name_too_long(exc):
                click.secho(refused, fg="red", err=True)
                ctx.exit(USAGE_ERROR)
            if os.environ.get(DEBUG_VARIABLE) == "1":
                raise
            click.secho(f"erreur interne : {type(exc).__name__}: {exc}", fg="red", err=True)
            click.echo(
                "C'est un défaut de cpomdocs, pas de vos fichiers : signalez-le avec la commande "
                f"lancée ; {DEBUG_VARIABLE}=1 affiche la trace complète.",
                err=True,
            )
            ctx.exit(INTERNAL_ERROR)
        finally:
            _restore(previous)


_NAME_MAX = 255  # bytes in one file or folder name, on Linux, macOS and Windows file systems


def _name_too_long(exc: Exception) -> str:
    """A path given on the command line that no file system takes (any command answered
    « erreur interne : OSError: [Errno 36] File name too long »)."""
    if not (isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG):
        return ""
    path = os.fsdecode(exc.filename or "")
    # the part of the path that is too long (the OS names the whole path it was asked)
    name = next((p for p in path.split(os.sep) if len(os.fsencode(p)) > _NAME_MAX), path)
    shown = f"{name[:60]}…" if len(name) > 60 else name
    return (
        f"« {shown} » ({len(name)} caractères) : nom trop long pour le système de fichiers "
        "(255 octets au plus par nom de fichier ou de dossier) : raccourcissez-le"
    )


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
