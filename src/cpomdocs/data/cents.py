"""Amounts are written to the cent at most: checked on the number's text as written in the file.

A JSON Schema `multipleOf: 0.01` is unreliable on binary floats (0.07 is no exact multiple of
0.01), and a float has already lost what a long text held (« 12345678901234567.891 »): the
check reads the text the YAML (or JSON) file holds, as a decimal, with no tolerance.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation, localcontext

from cpomdocs.data.document import Document, Path_, dotted
from cpomdocs.errors import Problem

CENT = Decimal("0.01")
SUB_CENT = "un montant s'écrit au centime près au plus (deux décimales)"
# Euros live under these keys (a compte-rendu's results; a contract's or an avenant's
# financing), except the rates of the activity modulation.
MONEY_ROOTS = ("financement", "execution_financiere")
NOT_MONEY = ("modulation_activite",)
# An EHPAD's daily hébergement price is billed to residents: cents at most. The valeur du point
# GIR is a coefficient of the forfait dépendance, printed with every decimal it holds instead.
PRICES = (("ehpad", "tarif_hebergement"),)


def is_money(path: Path_) -> bool:
    """True for a number that holds euros; an avenant's modifications are contract paths."""
    if path[:1] == ("modifications",):
        path = path[1:]
    if len(path) == 4 and path[0] == "etablissements" and path[2:] in PRICES:
        return True
    return bool(path) and path[0] in MONEY_ROOTS and not any(k in path for k in NOT_MONEY)


def whole_cents(text: str) -> bool:
    """True when the decimal number `text` has no digit beyond the cents (« 1.50 », « 1.500 »)."""
    try:
        with localcontext() as context:
            context.prec = len(text) + 8  # exact for any text the reader kept
            value = Decimal(text.strip())
            return not value.is_finite() or value % CENT == 0
    except (InvalidOperation, ValueError):
        return True  # not a decimal number: the schema has said so already


def check_cents(doc: Document) -> list[Problem]:
    """One error per amount written with more than two decimals."""
    found = []
    for path, text in doc.numbers.items():
        if is_money(path) and not whole_cents(text):
            line, column = doc.values.get(path, doc.locate(path))
            message = f"« {text.strip()} » : {SUB_CENT}"
            found.append(Problem(doc.name, line, column, dotted(path), message))
    return found
