"""Bounds on what one file may hold, shared by the models (and so by the schemas).

Generous for real contracts (the largest example has 7 objectives, 11 ESSMS, texts of 1 700
characters), small enough that a document's cost stays bounded. Listed in the README
(« Validation »).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field
from pydantic_core import PydanticCustomError

MAX_TEXT = 1_000  # characters of a name, a label, a list item
MAX_PROSE = 20_000  # characters of a Markdown field (préambule, constat…)
MAX_ITEMS = 100  # items of a list (forces, visas, décisions…)
MAX_ENTRIES = 200  # entries of an id-keyed table (ESSMS, financing lines…)
MAX_OBJECTIVES = 50  # objectives of a contract, actions or indicators of an objective
MAX_MEMBERS = 50  # people of one party in a committee or a meeting
MAX_AMOUNT = 10_000_000_000  # euros: ten billion, far above any CPOM line
MAX_VALUE = 1_000_000_000_000  # an indicator's value, in any unit
MAX_PLACES = 100_000  # places of an ESSMS
MAX_PASSAGES = 1_000  # passages (headings) of one signed document's text, in its empreinte
MAX_MONTHS = 60  # a CPOM lasts five years at most (L.313-11 CASF)
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)  # any date of a contract
FIRST_YEAR, LAST_YEAR = 2000, 2099  # a year key (cibles, financement) or a reference year

Measure = Annotated[float, Field(ge=-MAX_VALUE, le=MAX_VALUE)]
Places = Annotated[int, Field(ge=0, le=MAX_PLACES)]


def items(title: str, description: str | None = None, max_length: int = MAX_ITEMS) -> Any:
    """A Field for a list of at most `max_length` items, empty by default."""
    return Field(default_factory=list, title=title, description=description, max_length=max_length)


def date_in_range(value: Any) -> Any:
    """A date from 1900 to 2199 (date arithmetic, end and notice, never overflows)."""
    if isinstance(value, dt.date) and not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError("date_range", "date hors limites", {"value": value})
    return value
