"""The business rules of a file that the schema refuses, found on what can be read of it: the
rules whose problems show identically in the two salvaged readings (data/salvage).

A misspelt field, « quarante » places or a date written « 30/09/2028 » no longer hide, until
fixed, a SIREN key, a total, or an indicator code that the contract does not have: the user does
not meet the errors one run at a time. The file stays refused (no model): nothing is built from
data the user did not mean.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from cpomdocs.data import rules, rules_acts
from cpomdocs.data.document import Path_
from cpomdocs.data.load import Document
from cpomdocs.data.model import Contract
from cpomdocs.data.model_acts import MeetingReport
from cpomdocs.data.placeholders import pending_figures
from cpomdocs.data.salvage import salvage
from cpomdocs.data.schema import Kind, check_model
from cpomdocs.errors import CpomError, Problem


def contract_rules_beyond_schema(document: Document, paths: frozenset[Path_]) -> list[Problem]:
    """The problems `rules.check_contract` finds in both salvaged readings of a refused contract
    (`paths`: its values « à compléter »), none that depends on a stood-in value."""
    salvaged = salvage(document, Kind.CONTRACT)
    if salvaged is None:
        return []
    readings = []
    for reading in salvaged.copies:
        model, problems = check_model(reading, Kind.CONTRACT)
        if not isinstance(model, Contract) or problems:
            return []
        found = rules.check_contract(reading, model, pending_figures(reading, paths))
        readings.append({p for p in found if not salvaged.depends_on_replaced(p.field)})
    return sorted(readings[0] & readings[1])


def report_rules_beyond_schema(
    document: Document, contract_on: Callable[[dt.date], Contract]
) -> list[Problem]:
    """The problems `rules_acts.check_report` finds in both salvaged readings of a refused
    compte-rendu, none that depends on a stood-in value (`contract_on`: the contract in force
    on a day)."""
    salvaged = salvage(document, Kind.REPORT)
    if salvaged is None:
        return []
    readings = []
    for reading in salvaged.copies:
        model, problems = check_model(reading, Kind.REPORT)
        if not isinstance(model, MeetingReport) or problems:
            return []
        try:
            contract = contract_on(model.date)
        except CpomError:  # the consolidated contract of a stood-in date: nothing to say
            return []
        found = rules_acts.check_report(contract, reading, model)
        readings.append({p for p in found if not salvaged.depends_on_replaced(p.field)})
    return sorted(readings[0] & readings[1])
