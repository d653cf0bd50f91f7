"""Problems found in user input, and the one exception family the CLI catches."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: errors fail a run, warnings only with --strict."""

    ERROR = "erreur"
    WARNING = "avertissement"


# Line breaks that a key or a value may carry into a message (« O1\n »): written as escapes,
# so that one problem stays one line (grep, editors' problem matchers, the GitHub format).
_ONE_LINE = {c: f"\\u{c:04x}" for c in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029)}
_ONE_LINE |= {0x0A: "\\n", 0x0D: "\\r"}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file, located at a line and column."""

    file: str
    line: int
    column: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        label = "" if self.severity is Severity.ERROR else "avertissement: "
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {label}{field}{self.message}".translate(_ONE_LINE)

    @property
    def is_error(self) -> bool:
        """True when this problem fails the run even without --strict."""
        return self.severity is Severity.ERROR


class CpomError(Exception):
    """Base class of every error cpomdocs reports to a person; the CLI catches only this."""

    exit_code = 1


class InputError(CpomError):
    """Raised when input files hold problems; carries all of them, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(CpomError):
    """Raised when a command is asked something it cannot do (a missing path, a bad revision)."""

    exit_code = 2


class RenderError(CpomError):
    """Raised when a template or a writer fails on data that passed validation."""

    exit_code = 1


class OutputError(CpomError):
    """Raised when the output folder cannot be written (full disk, read-only folder, a file where
    a folder is expected, a path leading outside it, another build holding its lock)."""

    exit_code = 1
