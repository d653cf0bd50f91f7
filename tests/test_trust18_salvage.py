"""trust18: an unreadable OG, parties or ESSMS block, or a broken amount, no longer hides the
rules that do not depend on it (data/salvage, user17's two leftovers)."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_salvage import DATA, OTHER_VALUES, VALID, WRONG_SIREN, replaced

from cpomdocs.data.validate import validate_paths

SIREN_KEY = "gestionnaire.siren: clé de contrôle du SIREN invalide (algorithme de Luhn)"


def _problems(tmp_path: Path, text: str) -> list[str]:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / "cpom.yaml").write_text(text, "utf-8")
    return [str(p).replace(f"{folder}/", "") for p in validate_paths([folder]).problems]


def test_unreadable_parties_leave_the_other_rules_running(tmp_path: Path) -> None:
    """`autorites` written as a list stopped at the schema: the wrong SIREN key and a target
    outside the contract's period came one run later. Now all three, and nothing about the
    financeurs that the list no longer names."""
    text = VALID.read_text("utf-8")
    start, end = text.index("autorites:\n"), text.index("etablissements:\n")
    text = text[:start] + "autorites:\n  - ars\n  - cd34\n" + text[end:]
    text = replaced(
        text, ('siren: "433702156"', f'siren: "{WRONG_SIREN}"'), ("2029: 8}", "2029: 8, 2031: 7}")
    )
    assert _problems(tmp_path, text) == [
        "cpom.yaml:19:10: gestionnaire.siren: clé de contrôle du SIREN invalide (algorithme de "
        "Luhn) : vérifiez le numéro",
        "cpom.yaml:24:3: autorites: attendu une table de clés (champ: valeur), trouvé une liste",
        "cpom.yaml:30:12: avertissement: etablissements.340005131.siret: le SIRET ne commence "
        "pas par le SIREN du gestionnaire (433702157)",
        "cpom.yaml:56:70: objectifs.O1.indicateurs.ABS-AS.cibles.2031: cible 2031 hors de la "
        "période du contrat (2025–2029)",
    ]


def test_unreadable_establishments_leave_the_other_rules_running(tmp_path: Path) -> None:
    """`etablissements` as a text: the SIREN key is still checked, and no financing line is
    said to name an ESSMS « absent du périmètre »."""
    text = VALID.read_text("utf-8")
    start, end = text.index("etablissements:\n"), text.index("\n", text.index("objectifs:")) + 1
    text = text[:start] + "etablissements: voir annexe\n" + text[end - len("objectifs:\n") :]
    text = replaced(text, ('siren: "433702156"', f'siren: "{WRONG_SIREN}"'))
    found = _problems(tmp_path, text)
    assert any(SIREN_KEY in p for p in found), found
    assert any("etablissements: attendu une table de clés" in p for p in found), found
    assert not any("absent du périmètre" in p for p in found), found


def test_a_broken_amount_leaves_the_other_money_rules_running(tmp_path: Path) -> None:
    """A line's amounts written as a list skipped every rule of `financement`: an unknown
    financeur and a year outside the period on another line now show; the totals, which
    depend on the lost amounts, do not."""
    text = replaced(
        VALID.read_text("utf-8"),
        (
            "forfait_global_soins: {2025: 1120400.00, 2026: 1138300.00}",
            "forfait_global_soins: [1120400.00, 1138300.00]",
        ),
        (
            "      cd34:\n        forfait_global_dependance: {",
            "      cd30:\n        forfait_global_dependance: {2031: 1, ",
        ),
    )
    found = _problems(tmp_path, text)
    assert any(
        "financement.lignes.340005131.cd30: « cd30 » n'est pas une autorité signataire du "
        "contrat (autorites : ars, cd34)" in p
        for p in found
    ), found
    assert any(
        "financement.lignes.340005131.cd30.forfait_global_dependance.2031: année 2031 hors "
        "de la période du contrat" in p
        for p in found
    ), found
    assert any("forfait_global_soins: attendu une table de clés" in p for p in found), found
    assert not any("total" in p for p in found), found


SECTIONS = [("gestionnaire",), ("autorites",), ("etablissements",), ("financement", "lignes")]
SECTIONS += [("financement", "lignes", "340005131", "ars")]
SECTIONS += [("financement", "lignes", "340005131", "cd34", "forfait_global_dependance")]
SECTIONS += [("financement", "totaux"), ("suivi", "comite")]


@settings(
    max_examples=80,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(path=st.sampled_from(SECTIONS), value=OTHER_VALUES)
def test_an_unreadable_section_never_makes_a_false_report(
    tmp_path: Path, path: tuple[Any, ...], value: Any
) -> None:
    """A whole section replaced by a value of another type: one message for it, with its
    line; the SIREN error planted elsewhere still reported (unless inside it); nothing else."""
    data = copy.deepcopy(DATA)
    target = data
    for step in path[:-1]:
        target = target[step]
    if isinstance(value, dict) and isinstance(target[path[-1]], dict):
        value = [value]  # a mapping for a mapping may be valid: always another type
    target[path[-1]] = value
    if path != ("gestionnaire",):
        data["gestionnaire"]["siren"] = WRONG_SIREN
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / "cpom.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    problems = validate_paths([folder]).problems
    dotted = ".".join(str(p) for p in path)
    about = [p for p in problems if p.field == dotted or p.field.startswith(dotted + ".")]
    shown = [str(p) for p in problems]
    assert about and all(p.line > 0 for p in problems), (dotted, value, shown)
    if path != ("gestionnaire",):
        assert any(p.field == "gestionnaire.siren" and p.is_error for p in problems), shown
    others = [p for p in problems if p not in about and p.field != "gestionnaire.siren"]
    assert all(p.field.endswith(".siret") and not p.is_error for p in others), (dotted, shown)
