"""Hostile audit 9, the schema negated: a valid contract with one value replaced by a value of
the wrong type, one key removed or one unknown key added is validated without a crash, and each
error names the file, the line and the column (hypothesis, fixed seed, 50 examples)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpomdocs.data.validate import check_folder

VALID = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal" / "cpom.yaml"
WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["2027-02-30", "1899-12-31", "31/12/2026", "oui", "no", "0755", "1e999"]),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.lists(st.integers(min_value=-5, max_value=5), max_size=3),
    st.dictionaries(st.sampled_from(["x", "id", "2026", "nom"]), st.integers(), max_size=2),
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value of `node` (keys of mappings, indexes of lists)."""
    found = [prefix] if prefix else []
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        found.extend(_paths(child, (*prefix, key)))
    return found


def _mutated(data: Any, draw: st.DataObject) -> Any:
    path = draw.draw(st.sampled_from(_paths(data)), label="chemin")
    *parents, last = path
    node = data
    for key in parents:
        node = node[key]
    how = draw.draw(st.sampled_from(["remplacer", "retirer", "ajouter"]), label="mutation")
    if how == "retirer":
        del node[last]
    elif how == "ajouter" and isinstance(node, dict):
        node[draw.draw(st.sampled_from(["inconnu", "2026", "id"]))] = draw.draw(WRONG)
    else:
        node[last] = draw.draw(WRONG, label="valeur")
    return data


@settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.data())
def test_a_mutated_contract_is_refused_at_a_line_or_accepted(draw: st.DataObject) -> None:
    data = yaml.safe_load(VALID.read_text(encoding="utf-8"))
    del data["empreinte"]  # a signed contract refuses any change, for that reason alone
    data["statut"] = "projet"
    data = _mutated(data, draw)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "mute"
        folder.mkdir()
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / "cpom.yaml").write_text(text, encoding="utf-8")
        result = check_folder(folder)
    for problem in result.all_problems:
        assert "erreur interne" not in problem.message
        assert "Traceback" not in problem.message
        assert problem.file.endswith("cpom.yaml"), str(problem)
        assert problem.line >= 1 and problem.column >= 1, str(problem)
