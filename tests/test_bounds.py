"""Bounds on sizes and numbers: every collection, text and amount has a limit, said in French."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpomdocs.cli.main import main
from cpomdocs.data.load import load_text
from cpomdocs.data.model_terms import MAX_ITEMS, MAX_PROSE, MAX_TEXT
from cpomdocs.data.schema import Kind, check_model, check_schema

VALID = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal" / "cpom.yaml"
SYNTHESIS = "  synthese: Un accompagnement de qualité, un absentéisme élevé.\n"


def edited(old: str, new: str) -> str:
    text = VALID.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def schema_lines(text: str) -> list[str]:
    """The JSON Schema problems of a contract given as YAML text."""
    return [str(p) for p in check_schema(load_text(text, Path("c.yaml")), Kind.CONTRACT)]


def model_lines(text: str) -> list[str]:
    """pydantic's problems alone: the same bounds hold without the JSON Schema step."""
    model, problems = check_model(load_text(text, Path("c.yaml")), Kind.CONTRACT)
    assert model is None
    return [str(p) for p in problems]


def forces(count: int, width: int = 10) -> str:
    """A `diagnostic.forces` list of `count` items in flow style, on one line."""
    return "  forces: [" + ", ".join(["x" * width] * count) + "]\n"


CASES = [
    (
        ("duree_mois: 60", "duree_mois: 100000"),
        "c.yaml:13:13: duree_mois: 100000 trop grand : 60 au plus",
    ),
    (
        ("totaux: {2025: 1533000.00", "totaux: {2025: 1.0e+28"),
        "c.yaml:89:18: financement.totaux.2025: 1e+28 trop grand : "
        "10\u202f000\u202f000\u202f000,00\xa0€ au plus",
    ),
    (
        (SYNTHESIS, SYNTHESIS + forces(MAX_ITEMS + 1)),
        "c.yaml:47:11: diagnostic.forces: liste trop longue (101 éléments) : 100 au plus",
    ),
    (
        ("territoire: Hérault (34)", "territoire: " + "x" * (MAX_TEXT + 1)),
        "c.yaml:8:13: territoire: texte trop long (1\u202f001 caractères) : 1\u202f000 au plus",
    ),
    (
        ("  synthese: Un accompagnement", "  synthese: " + "x" * MAX_PROSE + " Un accompagnement"),
        "c.yaml:46:13: diagnostic.synthese: texte trop long (20\u202f052 caractères) : "
        "20\u202f000 au plus",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), CASES)
def test_bounds_are_said_by_the_schema(edit: tuple[str, str], expected: str) -> None:
    assert schema_lines(edited(*edit)) == [expected]


@pytest.mark.parametrize(("edit", "expected"), CASES)
def test_the_models_hold_the_same_bounds(edit: tuple[str, str], expected: str) -> None:
    assert model_lines(edited(*edit)) == [expected]


def test_too_many_entries_in_an_id_keyed_table() -> None:
    actions = "".join(
        f"      A1.{n}: {{libelle: x, pilote: y, echeance: 2025-12-31}}\n" for n in range(2, 52)
    )
    text = edited("    indicateurs:\n      ABS-AS:", actions + "    indicateurs:\n      ABS-AS:")
    expected = ["c.yaml:53:7: objectifs.O1.actions: trop d'entrées (51) : 50 au plus"]
    assert schema_lines(text) == expected
    assert model_lines(text) == expected


def test_two_amounts_near_the_float_limit_are_refused_not_summed() -> None:
    text = edited("{2025: 1120400.00,", "{2025: 1.7e308,")
    text = text.replace("{2025: 412600.00,", "{2025: 1.7e308,", 1)
    assert schema_lines(text) == [
        "c.yaml:86:38: financement.lignes.340005131.ars.forfait_global_soins.2025: 1.7e+308 trop "
        "grand : 10\u202f000\u202f000\u202f000,00\xa0€ au plus",
        "c.yaml:88:43: financement.lignes.340005131.cd34.forfait_global_dependance.2025: 1.7e+308 "
        "trop grand : 10\u202f000\u202f000\u202f000,00\xa0€ au plus",
    ]


def test_a_contract_of_100_000_forces_is_refused_quickly_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "enorme"
    folder.mkdir()
    (folder / "cpom.yaml").write_text(edited(SYNTHESIS, SYNTHESIS + forces(100_000, 12)))
    assert (folder / "cpom.yaml").stat().st_size > 1_300_000
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["validate", str(folder)])
    seconds = time.perf_counter() - started
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{folder}/cpom.yaml:47:11: diagnostic.forces: liste de plus de 1\u202f000 éléments : "
        "bien au-delà des limites d'un contrat, lecture arrêtée",
        "1 contrat vérifié : 1 erreur, 0 avertissement",
    ]
    assert seconds < 2, f"{seconds:.1f} s"  # 6 s to validate, minutes to render, before


def test_a_date_in_year_9999_is_refused_before_the_end_date_is_computed() -> None:
    text = edited("  effet: 2025-01-01", "  effet: 9999-12-01")
    assert model_lines(text) == [
        'c.yaml:11:10: dates.effet: date "9999-12-01" hors limites : attendu une date de 1900 '
        "à 2199"
    ]
