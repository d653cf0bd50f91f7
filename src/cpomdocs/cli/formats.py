"""The validation report in the formats programs read: JSON, and GitHub workflow commands."""

from __future__ import annotations

import json

from cpomdocs.errors import Problem

VALIDATE_FORMATS = ("text", "json", "github")


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


def problems_json(problems: list[Problem], summary: str, failed: bool) -> str:
    """The whole report as one JSON document."""
    document = {
        "valide": not failed,
        "bilan": summary,
        "erreurs": sum(p.is_error for p in problems),
        "avertissements": sum(not p.is_error for p in problems),
        "problemes": [
            {
                "fichier": p.file,
                "ligne": p.line,
                "colonne": p.column,
                "champ": p.field,
                "message": p.message,
                "gravite": p.severity.value,
            }
            for p in problems
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
