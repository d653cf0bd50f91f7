"""The drafts that `cpomdocs new` writes, rendered from the YAML templates of the package.

What a compte-rendu draft is pre-filled with: the contract in force on the meeting's day.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cpomdocs.errors import UsageError

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Basis:
    """A legal basis that `cpomdocs new --base` knows: its model value, label and sector."""

    legal: str
    label: str
    sector: str
    template: str


BASES: dict[str, Basis] = {
    "ehpad": Basis("L.313-12 IV ter", "EHPAD", "personnes âgées", "ehpad.yaml.j2"),
    "handicap": Basis("L.313-12-2", "handicap", "personnes handicapées", "handicap.yaml.j2"),
    "generique": Basis("L.313-11", "générique", "mixte", "generique.yaml.j2"),
    "chrs": Basis("L.313-11-2", "CHRS", "accueil, hébergement et insertion", "chrs.yaml.j2"),
}
CONTRACT_MONTHS = 60


def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "new"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # YAML, not HTML: every data-borne value goes through |q
    )
    env.filters["q"] = _quoted
    return env


def _quoted(value: object) -> str:
    """A value as a YAML scalar that reads back as the same text (JSON is valid YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


def contract_end(effet: dt.date, months: int = CONTRACT_MONTHS) -> dt.date:
    """The last day of a contract of `months` months starting on `effet`."""
    from cpomdocs.data.model_terms import add_months

    return add_months(effet, months) - dt.timedelta(days=1)


def render_contract(
    base: str, effet: dt.date, schema: str, effet_given: bool, essms: list[str] | None = None
) -> str:
    """The draft cpom.yaml of a legal basis, for a contract starting on `effet` (marked « à
    compléter » unless the user gave it: `effet_given`), holding the ESSMS categories `essms`
    (scaffold/essms; none: the base's usual one)."""
    from cpomdocs.scaffold.essms import perimeter

    basis = BASES[base]
    scope = perimeter(base, essms or [], basis.sector)
    fin = contract_end(effet)
    years = list(range(effet.year, fin.year + 1))
    template = _environment().get_template(basis.template)
    return template.render(
        basis=basis,
        effet=effet,
        effet_given=effet_given,
        fin=fin,
        years=years,
        schema=schema,
        perimeter=scope,
    )


def render_avenant(
    numero: int, effet: dt.date, schema: str, effet_given: bool = False, contract: Any = None
) -> str:
    """The draft of avenant n° `numero`, its date d'effet marked « à compléter » unless the
    user gave it (`effet_given`); its example patch names the contract's own first ESSMS."""
    template = _environment().get_template("avenant.yaml.j2")
    example = _avenant_example(contract)
    return template.render(
        numero=numero, effet=effet, effet_given=effet_given, schema=schema, example=example
    )


def _avenant_example(contract: Any) -> dict[str, Any]:
    """The first ESSMS of the contract and its first capacity, 10 places more: an example a
    user can keep (one copied from another contract names a FINESS this one does not have)."""
    example = {"finess": "340005131", "nom": "", "mode": "hebergement_permanent"}
    example |= {"autorisees": 90, "installees": 90}
    essms = contract.get("etablissements") if isinstance(contract, dict) else None
    if not isinstance(essms, dict) or not essms:
        return example
    finess, first = next(iter(essms.items()))
    first = first if isinstance(first, dict) else {}
    example |= {"finess": str(finess), "nom": " ".join(str(first.get("nom") or "").split())}
    capacities = first.get("capacites")
    if isinstance(capacities, dict) and capacities:
        mode, places = next(iter(capacities.items()))
        places = places if isinstance(places, dict) else {}
        example["mode"] = str(mode)
        for key in ("autorisees", "installees"):
            value = places.get(key)
            example[key] = value + 10 if isinstance(value, int) else example[key]
    return example


def render_report(context: dict[str, Any], schema: str) -> str:
    """The draft of a compte-rendu, pre-filled from the contract in force (see `report_context`)."""
    return _environment().get_template("compte-rendu.yaml.j2").render(**context, schema=schema)


def report_context(folder: Path, kind: str, day: dt.date) -> dict[str, Any]:
    """Participants, ESSMS, and the indicators, objectives and actions due for the exercice."""
    from cpomdocs.blanks import any_pending
    from cpomdocs.data.model import Contract
    from cpomdocs.data.validate import check_folder, contract_on

    checked = check_folder(folder)
    errors = [p for p in checked.all_problems if p.is_error]
    if not isinstance(checked.contract.model, Contract) or errors:
        shown = "\n".join(str(p) for p in errors[:10])
        raise UsageError(
            f"{folder} : le contrat doit être valide pour préparer un compte-rendu "
            f"(cpomdocs validate {folder}) :\n{shown}"
        )
    _check_day(day, checked.contract.model)
    contract = contract_on(checked, day)
    first, last = contract.dates.effet.year, contract.dates.fin.year
    exercice = min(max(day.year - 1, first), last)
    indicators: dict[str, str] = {}
    objectives: dict[str, str] = {}
    for oid, objective in contract.objectifs.items():
        due = [code for code, i in objective.indicateurs.items() if exercice in i.cibles]
        indicators.update({code: _oneline(objective.indicateurs[code].libelle) for code in due})
        actions = [
            f"{code} « {_oneline(action.libelle)} » ({action.echeance.isoformat()})"
            for code, action in objective.actions.items()
            if action.echeance.year == exercice
        ]
        parts = [f"indicateurs {', '.join(due)}"] if due else []
        parts += [f"actions à échéance en {exercice} : {' ; '.join(actions)}"] if actions else []
        if objective.echeance.year == exercice:
            parts.append(f"objectif à échéance le {objective.echeance.isoformat()}")
        if parts:
            objectives[oid] = "Revue : " + " ; ".join(parts) + "."
    participants = {party: list(members) for party, members in contract.suivi.comite.items()}
    activity = {  # the contract's places; still « à compléter » when the contract's are
        finess: {
            "capacite": sum(c.autorisees for _, c in essms.capacites if c is not None),
            "to_fill": any_pending(checked.contract.figures, f"etablissements.{finess}.capacites"),
            "actes": _counts_acts(essms),
        }
        for finess, essms in contract.etablissements.items()
    }
    return {
        "type": kind,
        "date": day,
        "exercice": exercice,
        "participants": participants or {"gestionnaire": []},
        "activite": activity,
        "indicateurs": indicators,
        "objectifs": objectives,
    }


def _check_day(day: dt.date, contract: Any) -> None:
    """Refuse a meeting's date out of the contract's time: before its date d'effet, or after the
    year that follows its end (the last exercice's review), or out of the model's bounds."""
    from cpomdocs.data.model_terms import FIRST_DAY, LAST_DAY

    start, end = contract.dates.effet, contract.dates.fin
    last = min(dt.date(end.year + 1, 12, 31), LAST_DAY)
    if not max(start, FIRST_DAY) <= day <= last:
        raise UsageError(
            f"--date {day} : hors de la période du contrat : attendu une date du {start} "
            f"(date d'effet) au {last} (fin de l'année qui suit la fin du contrat, le {end})"
        )


def _oneline(text: str) -> str:
    return " ".join(text.split())


# A SESSAD, a CAMSP or a CMPP counts its activity in acts, not in days of presence.
ACT_CATEGORIES = frozenset({"182", "189", "190"})


def _counts_acts(essms: Any) -> bool:
    """True when the establishment's activity is counted in acts (its activity sheet says so,
    or its category does)."""
    sheet = getattr(essms, "activite", None)
    if sheet is not None:
        return str(sheet.unite) == "actes"
    return essms.categorie.code in ACT_CATEGORIES
