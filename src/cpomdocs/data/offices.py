"""Titles of office the law names otherwise (« président du Département », « conseil
général »), and an authority named for an act older than it (an ARS before 1 April 2010)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from cpomdocs import fmt
from cpomdocs.data.document import Document, Path_, strings_of
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
# The agences régionales de santé (loi n° 2009-879 du 21 juillet 2009, « HPST ») took office on
# 1 April 2010, when the décret creating them was published; an authorisation of 2009 was the
# préfet's (the DDASS instructing it), or the président du conseil général's.
ARS_START = "2010-04-01"
_ARS = re.compile(r"\bARS\b|agence régionale de santé", re.IGNORECASE)
ACT_FIELDS = ("reference", "autorite")


def check_offices(document: Document) -> list[Problem]:
    """A warning for each text naming the head of a département by a title the law does not."""
    problems = []
    for path, text in strings_of(document.data):
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
    return problems + _early_ars(document, document.data, ())


def _early_ars(document: Document, value: Any, path: Path_) -> list[Problem]:
    """A warning for each act (a mapping with a date, a reference or an authority) dated before
    the ARS existed that names one."""
    found: list[Problem] = []
    if isinstance(value, dict):
        day = _day(value.get("date"))
        if day is not None and day < dt.date.fromisoformat(ARS_START):
            for field in ACT_FIELDS:
                text = value.get(field)
                if isinstance(text, str) and _ARS.search(text):
                    when = fmt.date_fr(day)
                    why = (
                        f"acte du {when} attribué à une ARS : les agences régionales de santé "
                        "n'existent que depuis le 1er avril 2010 (loi n° 2009-879 du 21 juillet "
                        "2009) ; avant, l'autorisation relevait du préfet (ou du président du "
                        "conseil général)"
                    )
                    found.append(document.problem((*path, field), why, severity=Severity.WARNING))
        for key, item in value.items():
            found += _early_ars(document, item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _early_ars(document, item, (*path, index))
    return found


def _day(value: Any) -> dt.date | None:
    """The date of an act, None when it is not one (the schema says what is wrong with it)."""
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value is not None else None
    except ValueError:
        return None
