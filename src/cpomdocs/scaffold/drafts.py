"""The drafts that `cpomdocs new` writes, rendered from the YAML templates of the package."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def render_contract(base: str, effet: dt.date, schema: str, effet_given: bool) -> str:
    """The draft cpom.yaml of a legal basis, for a contract starting on `effet` (marked « à
    compléter » unless the user gave it: `effet_given`)."""
    basis = BASES[base]
    fin = contract_end(effet)
    years = list(range(effet.year, fin.year + 1))
    template = _environment().get_template(basis.template)
    return template.render(
        basis=basis, effet=effet, effet_given=effet_given, fin=fin, years=years, schema=schema
    )


def render_avenant(numero: int, effet: dt.date, schema: str, effet_given: bool = False) -> str:
    """The draft of avenant n° `numero`, its date d'effet marked « à compléter » unless the
    user gave it (`effet_given`)."""
    template = _environment().get_template("avenant.yaml.j2")
    return template.render(numero=numero, effet=effet, effet_given=effet_given, schema=schema)


def render_report(context: dict[str, Any], schema: str) -> str:
    """The draft of a compte-rendu, pre-filled from the contract in force (see `report_context`)."""
    return _environment().get_template("compte-rendu.yaml.j2").render(**context, schema=schema)
