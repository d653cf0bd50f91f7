"""Avenants as JSON Merge Patches: consolidation at a date, and their validation."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpomdocs.data.consolidate import consolidate, merge_patch
from cpomdocs.data.load import load_document
from cpomdocs.data.model_acts import Avenant
from cpomdocs.data.validate import check_folder

FIXTURE = Path(__file__).parent / "fixtures" / "versions"
AVENANT_1 = FIXTURE / "avenants" / "01-extension-pasa.yaml"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "ehpad-test"
    shutil.copytree(FIXTURE, target)
    return target


def _avenant(path: Path) -> Avenant:
    return Avenant.model_validate(load_document(path).data)


def test_merge_patch_follows_rfc_7396_examples() -> None:
    assert merge_patch({"a": "b"}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "b"}, {"b": "c"}) == {"a": "b", "b": "c"}
    assert merge_patch({"a": "b"}, {"a": None}) == {}
    assert merge_patch({"a": "b", "b": "c"}, {"a": None}) == {"b": "c"}
    assert merge_patch({"a": ["b"]}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "c"}, {"a": ["b"]}) == {"a": ["b"]}
    assert merge_patch({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}) == {"a": {"b": "d"}}
    assert merge_patch({"a": [{"b": "c"}]}, {"a": [1]}) == {"a": [1]}
    assert merge_patch({"e": None}, {"a": 1}) == {"e": None, "a": 1}
    assert merge_patch([1, 2], {"a": "b", "c": None}) == {"a": "b"}
    assert merge_patch({}, {"a": {"bb": {"ccc": None}}}) == {"a": {"bb": {}}}


def test_merge_patch_leaves_its_inputs_untouched() -> None:
    target = {"a": {"b": 1}}
    merge_patch(target, {"a": {"b": 2}})
    assert target == {"a": {"b": 1}}


def test_consolidation_applies_signed_avenants_in_force_at_the_date() -> None:
    data = load_document(FIXTURE / "cpom.yaml").data
    avenant = _avenant(AVENANT_1)
    before = consolidate(data, [avenant], as_of=dt.date(2026, 6, 30))
    after = consolidate(data, [avenant], as_of=dt.date(2026, 7, 1))
    latest = consolidate(data, [avenant])
    assert before.applied == [] and before.date == dt.date(2026, 6, 30)
    essms = before.contract.etablissements["340005131"]
    assert essms.capacites.hebergement_temporaire.autorisees == 4
    assert (
        after.contract.etablissements["340005131"].capacites.hebergement_temporaire.autorisees == 6
    )
    assert after.contract.objectifs["O3"].indicateurs["TO-HP"].cibles[2027] == 98
    assert after.contract.objectifs["O3"].indicateurs["TO-HP"].cibles[2025] == 97
    assert latest.applied == [avenant] and latest.date == dt.date(2026, 7, 1)


def test_draft_avenants_are_not_consolidated() -> None:
    data = load_document(FIXTURE / "cpom.yaml").data
    draft = _avenant(AVENANT_1).model_copy(update={"statut": "projet"})
    assert consolidate(data, [draft]).applied == []


def test_the_fixture_with_its_avenant_is_valid() -> None:
    assert check_folder(FIXTURE).all_problems == []


def _write_avenant(folder: Path, body: str) -> Path:
    path = folder / "avenants" / "02-essai.yaml"
    header = "numero: 2\nobjet: essai\nstatut: projet\ndates:\n  effet: 2028-01-01\nmotifs: essai\n"
    path.write_text(header + body, encoding="utf-8")
    return path


def _messages(folder: Path) -> list[str]:
    return [str(p) for p in check_folder(folder).all_problems]


def test_an_unknown_objective_is_reported_at_the_avenant_line(folder: Path) -> None:
    path = _write_avenant(folder, "modifications:\n  objectifs:\n    O9:\n      titre: x\n")
    assert _messages(folder) == [
        f"{path}:9:5: objectifs.O9: « O9 » n'existe pas dans le contrat (existants : O1, O2, O3)"
        " : pour l'ajouter, donnez l'élément complet ; pour le modifier, corrigez l'identifiant"
    ]


def test_deleting_a_missing_key_is_an_error(folder: Path) -> None:
    body = "modifications:\n  objectifs:\n    O1:\n      indicateurs:\n        XYZ: null\n"
    path = _write_avenant(folder, body)
    assert _messages(folder) == [
        f"{path}:11:9: objectifs.O1.indicateurs.XYZ: suppression de « XYZ » : "
        "cet élément n'existe pas dans le contrat"
    ]


def test_a_full_new_objective_is_accepted_and_checked(folder: Path) -> None:
    body = """modifications:
  objectifs:
    O4:
      titre: Développer l'accueil de jour
      axe: Parcours
      constat: Pas d'accueil de jour sur le territoire.
      indicateurs:
        AJ:
          libelle: Places d'accueil de jour
          methode_calcul: places installées
          source: FINESS
          unite: nombre
          sens: hausse
          reference: {valeur: 0, annee: 2025}
          cibles: {2026: 0, 2027: 0, 2028: 6, 2029: 6}
      echeance: 2029-12-31
      financeur: cnsa
"""
    path = _write_avenant(folder, body)
    assert _messages(folder) == [
        f"{path}:23:18: objectifs.O4.financeur: « cnsa » n'est pas une autorité signataire du "
        "contrat (autorites : ars, cd34)"
    ]


def test_a_schema_error_in_a_patch_points_at_the_avenant(folder: Path) -> None:
    body = "modifications:\n  duree_mois: soixante\n"
    path = _write_avenant(folder, body)
    assert _messages(folder) == [
        f'{path}:8:15: duree_mois: attendu un nombre entier, trouvé "soixante"'
    ]


def test_a_consequence_elsewhere_points_at_the_contract_line(folder: Path) -> None:
    body = """modifications:
  financement:
    lignes:
      "340005131":
        ars:
          forfait_global_soins: {2028: 1300000.00}
"""
    _write_avenant(folder, body)
    contract = folder / "cpom.yaml"
    assert _messages(folder) == [
        f"{contract}:180:72: financement.totaux.2028: total 2028 déclaré "
        "1\u202f631\u202f500,00\xa0€, mais la somme des lignes fait 1\u202f731\u202f500,00\xa0€ "
        "(une fois l'avenant n° 2 appliqué)"
    ]


def test_changing_the_status_by_avenant_is_refused(folder: Path) -> None:
    path = _write_avenant(folder, "modifications:\n  statut: échu\n")
    assert _messages(folder) == [f"{path}:8:3: statut: « statut » ne se modifie pas par avenant"]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("abc"), inner),
    max_leaves=12,
)


def _rfc7396(target: object, patch: object) -> object:
    """RFC 7396's MergePatch pseudo-code, as written there."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = _rfc7396(result.get(name), value)
    return result


@settings(max_examples=300, deadline=None)
@given(target=_JSON, patch=_JSON)
def test_merge_patch_is_rfc7396_and_leaves_its_inputs_alone(target: object, patch: object) -> None:
    before = copy.deepcopy((target, patch))
    result = merge_patch(target, patch)
    assert result == _rfc7396(copy.deepcopy(target), copy.deepcopy(patch))
    assert (target, patch) == before  # neither input changed
    _mutate(result)  # the result shares nothing with its inputs
    assert (target, patch) == before


def _mutate(value: object) -> None:
    if isinstance(value, dict):
        for inner in value.values():
            _mutate(inner)
        value["mutated"] = True
    elif isinstance(value, list):
        for inner in value:
            _mutate(inner)
        value.append("mutated")
