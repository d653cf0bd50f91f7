"""A value of the wrong type no longer hides the business rules of its contract (data/salvage)."""

from __future__ import annotations

import copy
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cpomdocs.data.load import load_document
from cpomdocs.data.schema import Kind, validator
from cpomdocs.data.validate import check_folder, validate_paths

VALID = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal" / "cpom.yaml"
DATA = load_document(VALID).data
SIREN = ("gestionnaire", "siren")
WRONG_SIREN = "433702157"  # the valid example's SIREN with a wrong Luhn key


def replaced(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_wrong_types_do_not_hide_the_rules(tmp_path: Path) -> None:
    # « quarante » places and a date in words showed alone; the wrong SIREN key and the unknown
    # financeur came one run later, once the user had fixed them.
    text = replaced(
        VALID.read_text(encoding="utf-8"),
        ("{autorisees: 78,", '{autorisees: "quarante",'),
        ("  effet: 2025-01-01", "  effet: premier janvier 2025"),
        ('siren: "433702156"', f'siren: "{WRONG_SIREN}"'),
        ("    financeur: ars", "    financeur: cd30"),
        ("forfait_global_soins: {2025: 1120400.00", 'forfait_global_soins: {2025: "un million"'),
    )
    (tmp_path / "cpom.yaml").write_text(text, encoding="utf-8")
    report = validate_paths([tmp_path])
    shown = [str(p).removeprefix(f"{tmp_path}/") for p in report.problems]
    assert shown == [
        'cpom.yaml:11:10: dates.effet: date "premier janvier 2025" invalide : attendu AAAA-MM-JJ'
        " ; écrivez 2025-01-01",
        "cpom.yaml:19:10: gestionnaire.siren: clé de contrôle du SIREN invalide (algorithme de"
        " Luhn) : vérifiez le numéro",
        "cpom.yaml:36:12: avertissement: etablissements.340005131.siret: le SIRET ne commence pas"
        " par le SIREN du gestionnaire (433702157)",
        "cpom.yaml:40:53: etablissements.340005131.capacites.hebergement_permanent.autorisees:"
        ' attendu un nombre entier, trouvé "quarante"',
        "cpom.yaml:64:16: objectifs.O1.financeur: « cd30 » n'est pas une autorité signataire du"
        " contrat (autorites : ars, cd34)",
        "cpom.yaml:86:38: financement.lignes.340005131.ars.forfait_global_soins.2025: attendu un"
        ' nombre, trouvé "un million"',
    ]
    # The total of 2025 no longer adds up, but only because of « un million »: not reported.
    assert check_folder(tmp_path).contract.model is None  # still refused: nothing is built


def test_a_list_for_a_mapping_and_a_missing_field(tmp_path: Path) -> None:
    text = replaced(
        VALID.read_text(encoding="utf-8"),
        ("duree_mois: 60\n", ""),
        ('siren: "433702156"', f'siren: "{WRONG_SIREN}"'),
        ("diagnostic:\n  synthese: Un accompagnement", "diagnostic:\n  - Un accompagnement"),
    )
    (tmp_path / "cpom.yaml").write_text(text, encoding="utf-8")
    shown = {p.field: (p.line, p.message) for p in validate_paths([tmp_path]).problems}
    assert shown[""] == (3, "champ obligatoire « duree_mois » manquant")
    assert shown["diagnostic"][1] == "attendu une table de clés (champ: valeur), trouvé une liste"
    assert shown["gestionnaire.siren"][1].startswith("clé de contrôle du SIREN invalide")


def leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every value's path (mappings and lists too), but the planted SIREN and the fingerprint."""
    if path[:1] == ("empreinte",) or path == SIREN:
        return []
    found = [path] if path and path != SIREN[:1] else []
    if isinstance(data, dict):
        found += [p for key, value in data.items() for p in leaves(value, (*path, key))]
    elif isinstance(data, list):
        found += [p for i, value in enumerate(data) for p in leaves(value, (*path, i))]
    return found


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


OTHER_VALUES = st.one_of(
    st.sampled_from(["quarante", "premier janvier", "2025-13-45", "", "oui"]),
    st.integers(-5, 10**6),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.booleans(),
    st.lists(st.sampled_from(["a", 1, 2.5]), max_size=2),
    st.dictionaries(st.sampled_from(["a", "nom", "2025"]), st.integers(0, 9), max_size=2),
)


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(path=st.sampled_from(leaves(DATA)), value=OTHER_VALUES)
def test_one_value_of_another_type_never_hides_an_independent_rule(
    tmp_path: Path, path: tuple[Any, ...], value: Any
) -> None:
    data = copy.deepcopy(DATA)
    target = data
    for step in path[:-1]:
        target = target[step]
    assume(json_type(target[path[-1]]) != json_type(value))
    target[path[-1]] = value
    data["gestionnaire"]["siren"] = WRONG_SIREN
    assume(any(validator(Kind.CONTRACT).iter_errors(data)))  # a type some field also accepts
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / "cpom.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    problems = validate_paths([folder]).problems  # never raises
    dotted = ".".join(str(p) for p in path)
    about = [p for p in problems if p.field == dotted or p.field.startswith(dotted + ".")]
    about += [p for p in problems if p.field and dotted.startswith(p.field + ".")]
    about += [p for p in problems if p.field == "" and "champ" in p.message]  # renamed key
    assert about, (dotted, value, [str(p) for p in problems])
    assert all(p.line > 0 and p.file.endswith("cpom.json") for p in problems)
    assert all("Traceback" not in p.message and "erreur interne" not in p.message for p in problems)
    if path == ("gestionnaire",):
        return  # the OG unreadable: its SIREN with it
    siren = [p for p in problems if p.field == "gestionnaire.siren"]
    assert siren and siren[0].message.startswith("clé de contrôle du SIREN invalide"), (
        dotted,
        value,
        [str(p) for p in problems],
    )
    assert load_document(folder / "cpom.json").data == data
    # Nothing else: the valid example has no other problem, so any other line would be a
    # consequence of the broken value reported as a problem of its own.
    others = [p for p in problems if p not in about and p.field != "gestionnaire.siren"]
    assert all(p.field.endswith(".siret") and not p.is_error for p in others), (
        dotted,
        value,
        [str(p) for p in others],
    )


def test_a_date_of_the_wrong_type_says_a_date_is_expected(tmp_path: Path) -> None:
    # « attendu un texte, trouvé 14032025 ; mettez la valeur entre guillemets » led to a quoted
    # "14032025", refused again; and the missing signature date was reported as a rule.
    text = replaced(
        VALID.read_text(encoding="utf-8"),
        ("  signature: 2025-03-14", "  signature: 14032025"),
        ("  fin: 2029-12-31", "  fin: [2029]"),
    )
    (tmp_path / "cpom.yaml").write_text(text, encoding="utf-8")
    shown = [str(p).removeprefix(f"{tmp_path}/") for p in validate_paths([tmp_path]).problems]
    expected = "attendu une date AAAA-MM-JJ (ex. 2026-01-31), trouvé"
    assert shown == [
        f"cpom.yaml:10:14: dates.signature: {expected} 14032025",
        f"cpom.yaml:12:8: dates.fin: {expected} une liste",
    ]


def test_a_bad_year_key_in_the_money_does_not_report_its_total(tmp_path: Path) -> None:
    # « 20266 » for 2026 left the 2026 line out of the sum: « total 2026 déclaré 1 557 100,00 €,
    # mais la somme des lignes fait 418 800,00 € » was a consequence, not a second problem.
    text = replaced(
        VALID.read_text(encoding="utf-8"),
        (
            "forfait_global_soins: {2025: 1120400.00, 2026:",
            "forfait_global_soins: {2025: 1120400.00, 20266:",
        ),
        ("    financeur: ars", "    financeur: cd30"),
    )
    (tmp_path / "cpom.yaml").write_text(text, encoding="utf-8")
    shown = {p.field: p.message for p in validate_paths([tmp_path]).problems}
    assert list(shown) == [
        "objectifs.O1.financeur",
        "financement.lignes.340005131.ars.forfait_global_soins.20266",
    ]
    assert shown["objectifs.O1.financeur"].startswith("« cd30 » n'est pas une autorité")


def keyed(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of the keys of id-keyed tables (FINESS, objectives, indicators, years)."""
    if path[:1] == ("empreinte",) or not isinstance(data, dict):
        return []
    found = []
    for key, value in data.items():
        if re.fullmatch(r"[0-9]{9}|O[0-9]+|20[0-9]{2}|[A-Z][A-Z0-9.-]+", str(key)):
            found.append((*path, key))
        found += keyed(value, (*path, key))
    return found


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=st.sampled_from(keyed(DATA)),
    key=st.sampled_from(["20266", "34000513", "o1", "2 027", "x"]),
)
def test_one_bad_key_never_hides_an_independent_rule(
    tmp_path: Path, path: tuple[Any, ...], key: str
) -> None:
    data = copy.deepcopy(DATA)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[key] = target.pop(path[-1])
    data["gestionnaire"]["siren"] = WRONG_SIREN
    assume(any(validator(Kind.CONTRACT).iter_errors(data)))
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / "cpom.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    problems = validate_paths([folder]).problems
    parent = ".".join(str(p) for p in path[:-1])
    about = [p for p in problems if p.field.startswith(parent + ".")]
    assert about and all(p.line > 0 for p in problems)
    shown = [str(p) for p in problems]
    assert any(p.field == "gestionnaire.siren" and p.is_error for p in problems), shown
    others = [p for p in problems if p not in about and p.field != "gestionnaire.siren"]
    assert all(p.field.endswith(".siret") and not p.is_error for p in others), shown
