"""French wording for the diff: field titles from the models, values formatted with Babel."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from cpomdocs import fmt
from cpomdocs.blanks import ZERO_IDENTIFIER
from cpomdocs.data import model, model_parties
from cpomdocs.data.message_words import READABLE_AMOUNT


def euros(value: float) -> str:
    """An amount: « 1 234 500,00 € »; a boolean or an absurd one (« 1e+300 ») as written, which
    Babel cannot format (« erreur interne » in textconv and diff of a file being written)."""
    if isinstance(value, bool) or abs(value) >= READABLE_AMOUNT:
        return str(value).lower() if isinstance(value, bool) else repr(value)
    return fmt.amount(value)


MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()


@cache
def titles() -> dict[str, str]:
    """Every field name of the models → its French title (first model wins on a clash)."""
    found: dict[str, str] = {}
    classes = [model.Funding, model_parties.Capacities, model_parties.Capacity, model.Dates]
    classes += [  # in the order the models are defined: the parties and ESSMS first
        c
        for module in (model_parties, model)
        for c in vars(module).values()
        if isinstance(c, type) and issubclass(c, model_parties.Strict)
    ]
    for cls in classes:
        for name, info in cls.model_fields.items():
            found.setdefault(name, info.title or name)
    return found


def title(name: str | int) -> str:
    """The French title of a field, in lower case for use inside a sentence."""
    return _lower(titles().get(str(name), str(name).replace("_", " ")))


def _lower(text: str) -> str:
    return text[0].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _inner(annotation: Any) -> tuple[Any, bool]:
    """The model inside an annotation (Optional, list, dict values); True when keyed by ids."""
    origin = get_origin(annotation)
    if origin is dict:
        return _inner(get_args(annotation)[1])[0], True
    if origin in (list, Union, UnionType) or origin is not None:
        for arg in get_args(annotation):
            found, keyed = _inner(arg)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found, keyed
    return annotation, False


def path_titles(path: tuple) -> list[str]:
    """The titles along a data path from the contract's root (ids and years kept as they are)."""
    return list(_path_titles(path))


@lru_cache(maxsize=4096)  # the models' annotations read again for each change
def _path_titles(path: tuple) -> tuple[str, ...]:
    current: Any = model.Contract
    keyed = False
    shown: list[str] = []
    for index, step in enumerate(path):
        if isinstance(step, int) and not keyed:
            shown.append(str(step))  # an index in a list: the item has the list's model
            continue
        if keyed or not (isinstance(current, type) and issubclass(current, BaseModel)):
            shown.append(str(step))
            keyed = False
            continue
        info = current.model_fields.get(str(step))
        if info is None:
            shown.append(title(step))
            current = None
            continue
        pair = (str(path[index - 1]), str(step)) if index else ("", str(step))
        shown.append(_RENAMED.get(pair) or _lower(info.title or str(step)))
        current, keyed = _inner(info.annotation)
    return tuple(shown)


_RENAMED = {
    ("reference", "valeur"): "valeur",
    ("reference", "annee"): "année",
    ("", "financement"): "financement",
    ("", "suivi"): "suivi",
}


def number(value: float) -> str:
    """A number as French people write it: 1 234,5; an absurd one as written (« 1e+300 »: Babel
    raised decimal.InvalidOperation on it, « erreur interne » in textconv and diff)."""
    return repr(value) if abs(value) >= READABLE_AMOUNT else fmt.number(value)


signed = fmt.signed


def long_date(value: Any) -> str:
    """A date in words: 1er juillet 2027; a text that is no date (« 2026-02-30 ») as written."""
    if isinstance(value, dt.date):
        return fmt.date_fr(value)
    try:
        return fmt.date_fr(dt.date.fromisoformat(str(value)))
    except ValueError:  # textconv and diff show an invalid file too: validate names the fault
        return str(value)


def is_date(value: Any) -> bool:
    """True for a date or an ISO date string."""
    return isinstance(value, dt.date) or bool(
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    )


def with_unit(value: Any, unit: str) -> str:
    """An indicator value with its unit: 95 %, 12 jours, 1 500,00 €."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return plain(value)
    return repr(value) if abs(value) >= READABLE_AMOUNT else fmt.with_unit(value, unit)


def plain(value: Any) -> str:
    """Any value as a short French text."""
    if value is MISSING or value is None:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int) and 1900 <= value <= 2100:
        return str(value)  # a year
    if isinstance(value, int | float):
        return number(value)
    if is_date(value):
        return long_date(value)
    if isinstance(value, dict):
        return ", ".join(f"{title(k)} : {plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return " ; ".join(plain(v) for v in value)
    return f"«\u00a0{value}\u00a0»" if isinstance(value, str) and len(value) < 80 else str(value)


of = fmt.of  # « de l'EHPAD … », « du SESSAD … », « de la MAS … »


def entry(data: dict[str, Any], section: str, key: str) -> dict[str, Any]:
    """data[section][key] when both are tables, else {}: a version being written may hold a
    text or nothing there (« autorites: » left empty made textconv say « erreur interne »)."""
    found = data.get(section)
    found = found.get(key) if isinstance(found, dict) else None
    return found if isinstance(found, dict) else {}


def essms_label(finess: str, data: dict[str, Any]) -> str:
    """An establishment as a reader knows it: EHPAD Les Cèdres (FINESS 34 000 513 1)."""
    name = entry(data, "etablissements", finess).get("nom")
    shown = _finess(finess)
    return f"{name} (FINESS {shown})" if name else f"ESSMS {shown}"


def essms_name(finess: str, data: dict[str, Any]) -> str:
    """An establishment's name, else its FINESS."""
    return entry(data, "etablissements", finess).get("nom") or f"ESSMS {_finess(finess)}"


def _finess(finess: str) -> str:
    """A FINESS as a diff shows it; a draft's fictitious one as written (« 000000018 »), the key
    the user finds in the file: « [à compléter] » escaped for Markdown named every ESSMS alike."""
    return finess if ZERO_IDENTIFIER.match(finess) else fmt.finess(finess)


def party_label(party: str, data: dict[str, Any]) -> str:
    """A financeur as a reader knows it: ARS, Département de l'Hérault."""
    found = entry(data, "autorites", party)
    return "ARS" if found.get("type") == "ARS" else found.get("nom", party)


def objective_label(oid: str, data: dict[str, Any]) -> str:
    """Objectif O2 « Taux d'occupation »."""
    name = entry(data, "objectifs", oid).get("titre")
    return f"Objectif {oid} «\u00a0{name}\u00a0»" if name else f"Objectif {oid}"


def item_summary(value: Any, path: tuple = ()) -> str:
    """One line for an item of a list (a dialogue, an investment, a member of the comité)."""
    if isinstance(value, dict):
        if {"nom", "qualite"} <= set(value):
            return f"{value['nom']} ({value['qualite']})"
        parts = []
        for key, item in value.items():
            shown = euros(item) if key == "montant" else plain(item).strip("«\u00a0»")
            parts.append(f"{path_titles((*path, 0, key))[-1]} : {shown}")
        return ", ".join(parts)
    return str(value) if isinstance(value, str) else plain(value)
