"""The type of every path the command line takes: click's, an empty value refused.

`Path("")` is `Path(".")`: `build -o "$SORTIE"` with the variable unset built into the
current folder (the repository's root: outputs, cache and lock among the sources), and
`init ""` set up the current folder.
"""

from __future__ import annotations

from typing import Any

import click

EMPTY = "chemin vide : un chemin était attendu (variable d'environnement non définie ?)"


class NamedPath(click.Path):
    """click.Path, refusing an empty or blank value."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail(EMPTY, param, ctx)
        return super().convert(value, param, ctx)
