"""JSON Schemas: French titles, freshness of schema/, and French errors at the right line."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from cpomdocs.data.folders import AVENANTS_DIR, REPORTS_DIR
from cpomdocs.data.load import load_document, load_text
from cpomdocs.data.schema import (
    SCHEMA_FILES,
    TITLES,
    Kind,
    check_model,
    check_schema,
    schema_for,
    stale_schemas,
    validator,
)

ROOT = Path(__file__).parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid" / "ehpad-minimal" / "cpom.yaml"


def test_committed_schemas_are_fresh() -> None:
    stale = [str(p.relative_to(ROOT)) for p in stale_schemas(ROOT / "schema")]
    assert not stale, f"schémas périmés {stale} : lancez « make schema » et committez schema/"


def test_every_definition_has_a_french_title_and_help() -> None:
    used = set()
    for kind in Kind:
        for name, definition in schema_for(kind)["$defs"].items():
            used.add(name)
            assert name in TITLES, f"ajoutez un titre français pour {name} dans schema.TITLES"
            assert definition["title"] == TITLES[name][0]
            assert definition["description"] == TITLES[name][1]
    assert sorted(set(TITLES) - used) == []  # no title left for a class that is gone


def test_root_titles_are_french() -> None:
    assert schema_for(Kind.CONTRACT)["title"] == (
        "Contrat pluriannuel d'objectifs et de moyens (CPOM)"
    )
    assert schema_for(Kind.AVENANT)["description"].startswith("Avenant au CPOM : ")
    assert SCHEMA_FILES[Kind.REPORT] == "compte-rendu.schema.json"


def test_example_contracts_match_the_schema() -> None:
    files = [(p, Kind.CONTRACT) for p in sorted((ROOT / "contracts").glob("*/cpom.yaml"))]
    files += [(p, Kind.AVENANT) for p in sorted(ROOT.glob(f"contracts/*/{AVENANTS_DIR}/*.yaml"))]
    files += [(p, Kind.REPORT) for p in sorted(ROOT.glob(f"contracts/*/{REPORTS_DIR}/*.yaml"))]
    files.append((VALID, Kind.CONTRACT))
    assert len(files) >= 2
    for path, kind in files:
        errors = [e.message for e in validator(kind).iter_errors(load_document(path).data)]
        assert errors == [], path


@pytest.mark.parametrize("kind", list(Kind))
def test_schemas_follow_the_2020_12_meta_schema(kind: Kind) -> None:
    jsonschema.Draft202012Validator.check_schema(schema_for(kind))


def test_compiled_validator_is_built_once() -> None:
    assert validator(Kind.CONTRACT) is validator(Kind.CONTRACT)


def lines(text: str) -> list[str]:
    """Schema problems of a contract given as YAML text."""
    return [str(p) for p in check_schema(load_text(text, Path("c.yaml")), Kind.CONTRACT)]


def edited(old: str, new: str) -> str:
    text = VALID.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def test_error_inside_an_optional_mapping_names_the_real_cause() -> None:
    text = edited("{autorisees: 78, installees: 78}", "{autorisees: -1, installees: 78}")
    assert lines(text) == [
        "c.yaml:40:53: etablissements.340005131.capacites.hebergement_permanent.autorisees: "
        "-1 trop petit : 0 au moins"
    ]


def test_unknown_field_without_a_close_name_lists_the_fields() -> None:
    text = edited("    nom: Agence régionale de santé Occitanie\n", "    zzz: 1\n    nom: x\n")
    assert lines(text) == [
        "c.yaml:26:5: autorites.ars.zzz: champ inconnu « zzz » (champs possibles : adresse, nom, "
        "representant, type)"
    ]


def test_missing_field_points_at_its_parent_key() -> None:
    text = edited("  effet: 2025-01-01\n", "")
    assert lines(text) == ["c.yaml:9:1: dates: champ obligatoire « effet » manquant"]


def test_bad_date_and_bad_key_of_a_party() -> None:
    text = edited("  effet: 2025-01-01\n", "  effet: 2025-13-01\n")
    assert lines(text) == [
        'c.yaml:11:10: dates.effet: date "2025-13-01" invalide : attendu AAAA-MM-JJ '
        "(ex. 2026-01-31)"
    ]
    text = edited("  cd34:\n    type", "  CD34:\n    type")
    assert lines(text) == [
        "c.yaml:28:3: autorites.CD34: clé « CD34 » invalide : attendu un identifiant de partie en "
        "minuscules (ex. « ars », « cd34 »)"
    ]


def test_root_must_be_a_mapping() -> None:
    assert lines("- a\n- b\n") == [
        "c.yaml:1:1: le fichier doit contenir une table de clés (champ: valeur), pas une liste"
    ]


def model_lines(old: str, new: str) -> list[str]:
    """pydantic's problems alone (the JSON Schema step skipped on purpose)."""
    model, problems = check_model(load_text(edited(old, new), Path("c.yaml")), Kind.CONTRACT)
    assert model is None
    return [str(p) for p in problems]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "duree_mois: 60",
            "duree_mois: soixante",
            'c.yaml:13:13: duree_mois: attendu un nombre entier, trouvé "soixante"',
        ),
        (
            'siren: "433702156"',
            "siren: 433702156",
            "c.yaml:19:10: gestionnaire.siren: attendu un texte, trouvé 433702156 ; mettez la "
            'valeur entre guillemets : "433702156"',
        ),
        (
            "territoire: Hérault (34)\n",
            "",
            "c.yaml:3:1: champ obligatoire « territoire » manquant",
        ),
        (
            "objectifs:\n",
            "objectif:\n",
            "c.yaml:47:1: objectif: champ inconnu « objectif »",
        ),
        (
            "statut: signé",
            "statut: signe",
            'c.yaml:5:9: statut: valeur "signe" non reconnue ; vouliez-vous dire « signé » ? '
            "(valeurs possibles : « projet », « signé », « prorogé », « échu », « résilié »)",
        ),
        (
            "{2025: 10.5, 2026: 9.5",
            "{2025: 10.5, 20266: 9.5",
            "c.yaml:62:30: objectifs.O1.indicateurs.ABS-AS.cibles.20266: clé « 20266 » invalide : "
            "attendu une année de 2000 à 2099 (ex. 2026)",
        ),
        (
            "  effet: 2025-01-01\n",
            "  effet: 2025-13-01\n",
            'c.yaml:11:10: dates.effet: date "2025-13-01" invalide : attendu AAAA-MM-JJ '
            "(ex. 2026-01-31)",
        ),
        (
            '  finess_ej: "340005123"\n  siren',
            '  finess_ej: "34000512"\n  siren',
            'c.yaml:18:14: gestionnaire.finess_ej: "34000512" invalide : attendu un numéro FINESS '
            "de 9 caractères (ex. « 340780477 »)",
        ),
        (
            "{autorisees: 78, installees: 78}",
            "78",
            "c.yaml:40:40: etablissements.340005131.capacites.hebergement_permanent: attendu une "
            "table de clés (champ: valeur), trouvé 78",
        ),
        (
            "dates:\n  signature",
            "dates: [2025]\nx:\n  signature",
            "c.yaml:9:8: dates: attendu une table de clés (champ: valeur), trouvé une liste",
        ),
    ],
)
def test_pydantic_errors_are_french_and_located(old: str, new: str, expected: str) -> None:
    assert expected in model_lines(old, new)


def test_misspelt_required_field_is_said_once() -> None:
    text = edited("    constat: Le taux", "    constats: Le taux")
    assert lines(text) == [
        "c.yaml:68:5: objectifs.O2.constats: champ inconnu « constats » : vouliez-vous dire "
        "« constat » ?"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "duree_mois: 60",
            'duree_mois: "60"',
            'c.yaml:13:13: duree_mois: attendu un nombre entier, trouvé "60" ; écrivez 60 (sans '
            "guillemets ni espaces)",
        ),
        (
            "  totaux: {2025: 1533000.00,",
            '  totaux: {2025: "1 533 000,00 €",',
            'c.yaml:89:18: financement.totaux.2025: attendu un nombre, trouvé "1 533 000,00 €" ; '
            "écrivez 1533000.00 (sans guillemets, espaces ni unité ; point décimal)",
        ),
        (
            "habilitation_aide_sociale: true",
            "habilitation_aide_sociale: oui",
            "c.yaml:42:32: etablissements.340005131.habilitation_aide_sociale: attendu true ou "
            'false, trouvé "oui" ; écrivez true',
        ),
        (
            "territoire: Hérault (34)",
            "territoire:",
            "c.yaml:8:12: territoire: attendu un texte, trouvé une valeur vide",
        ),
    ],
)
def test_type_errors_say_how_to_write_the_value(old: str, new: str, expected: str) -> None:
    assert lines(edited(old, new)) == [expected]
