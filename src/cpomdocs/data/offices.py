"""Titles of office the law names otherwise: « président du Département », « conseil général »."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cpomdocs.data.document import Document, Path_
from cpomdocs.errors import Problem, Severity

# The Département is the collectivity; its executive is the président of its assembly (CGCT,
# art. L.3221-1). « président du Département » is a usage of communication, not the title an
# act or a signature block names. A vice-président is caught too: the same fix applies.
_DEPARTMENT_HEAD = re.compile(r"\b(président(?:e)?) du département\b", re.IGNORECASE)
# Renamed by the loi n° 2013-403 du 17 mai 2013 (in force at the 2015 elections): an act of
# 2010 signed by the « président du conseil général » is still cited so; a person's office
# (a `qualite`) today is not.
_OLD_COUNCIL = re.compile(r"\bconseil général\b", re.IGNORECASE)
OFFICE_FIELD = "qualite"


def check_offices(document: Document) -> list[Problem]:
    """A warning for each text naming the head of a département by a title the law does not."""
    problems = []
    for path, text in _strings(document.data, ()):
        found = _DEPARTMENT_HEAD.search(text)
        if found:
            title = found.group(1).lower()
            why = (
                f"« {found.group(0)} » n'est pas le titre d'une fonction : l'exécutif du "
                f"département est le « {title} du conseil départemental » (CGCT, art. L.3221-1) ; "
                f"écrivez « {title} du conseil départemental » (le Département reste le nom de "
                "la collectivité)"
            )
            problems.append(document.problem(path, why, severity=Severity.WARNING))
        elif path[-1] == OFFICE_FIELD and _OLD_COUNCIL.search(text):
            why = (
                "« conseil général » : l'assemblée du département s'appelle « conseil "
                "départemental » depuis la loi n° 2013-403 du 17 mai 2013 ; écrivez la qualité "
                "d'aujourd'hui (ex. : « président du conseil départemental »)"
            )
            problems.append(document.problem(path, why, severity=Severity.WARNING))
    return problems


def _strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str) and path:
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
