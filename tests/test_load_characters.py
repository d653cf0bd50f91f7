"""Hostile characters and numbers are refused by the loader, each at its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cpomdocs.cli.main import main
from cpomdocs.data.characters import bad_character, drawable
from cpomdocs.data.load import load_text
from cpomdocs.errors import InputError

CONTROL = "caractère de contrôle invisible U+000B interdit : supprimez-le"
SURROGATE = (
    "caractère U+D800 invalide (moitié de paire UTF-16 isolée, écrite « \\ud800 » en JSON) : "
    "supprimez-le"
)
BIDI = (
    "caractère de contrôle de direction U+202E interdit (il changerait l'ordre d'affichage "
    "du texte) : supprimez-le"
)
INFINITE = "nombre « 1e999 » hors limites : un nombre fini d'au plus 30 chiffres est attendu"


def problems(text: str, *, json_syntax: bool = False) -> list[str]:
    """The problem lines that loading `text` raises."""
    name = Path("f.json" if json_syntax else "f.yaml")
    with pytest.raises(InputError) as caught:
        load_text(text, name, json_syntax=json_syntax)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "json_syntax", "expected"),
    [
        ('a: b\nt: "Hérault\\v(34)"\n', False, f"f.yaml:2:12: t: {CONTROL}"),
        ('a: b\nt: "Hérault\\x0b(34)"\n', False, f"f.yaml:2:12: t: {CONTROL}"),
        ("a: b\nt: Hérault\x0b(34)\n", False, f"f.yaml:2:11: {CONTROL}"),  # refused by libyaml
        ('{"a": "b",\n "t": "Hérault\\u000b(34)"}', True, f"f.json:2:15: t: {CONTROL}"),
        ('{"a": "b",\n "t": "x\\ud800"}', True, f"f.json:2:9: t: {SURROGATE}"),
        ('{"a": "b",\n "\\ud800": 1}', True, f"f.json:2:3: clé « \\ud800 » : {SURROGATE}"),
        ("a: b\nt: 1 000\u202e €\n", False, f"f.yaml:2:9: t: {BIDI}"),
        ("a: [1, 1e999]\n", False, f"f.yaml:1:8: a.1: {INFINITE}"),
        ('{"a": 1e999}', True, f"f.json:1:7: a: {INFINITE}"),
    ],
)
def test_hostile_characters_and_numbers_are_located(
    text: str, json_syntax: bool, expected: str
) -> None:
    assert problems(text, json_syntax=json_syntax) == [expected]


def test_json_nul_character_is_refused_at_its_escape() -> None:
    found = problems('{"t": "a\\u0000b"}', json_syntax=True)
    assert found == [
        "f.json:1:9: t: caractère de contrôle invisible U+0000 interdit : supprimez-le"
    ]


@pytest.mark.parametrize("json_syntax", [False, True])
def test_an_integer_of_5000_digits_is_refused_not_a_crash(json_syntax: bool) -> None:
    digits = "9" * 5000
    text = f'{{"duree_mois": {digits}}}' if json_syntax else f"duree_mois: {digits}\n"
    column = 16 if json_syntax else 13
    assert problems(text, json_syntax=json_syntax) == [
        f"f.{'json' if json_syntax else 'yaml'}:1:{column}: duree_mois: nombre "
        "« 99999999999999999999… » hors limites : un nombre fini d'au plus 30 chiffres est attendu"
    ]


def test_characters_the_fonts_cannot_draw_are_refused_with_their_column() -> None:
    assert problems("nom: EHPAD 中文\nautre: 🚀\n") == [
        "f.yaml:1:12: nom: caractère « 中 » (U+4E2D) que les polices du document ne savent pas "
        "dessiner (il sortirait en carré vide dans le PDF) : remplacez-le ou retirez-le",
        "f.yaml:2:8: autre: caractère « 🚀 » (U+1F680) que les polices du document ne savent pas "
        "dessiner (il sortirait en carré vide dans le PDF) : remplacez-le ou retirez-le",
    ]


@pytest.mark.parametrize(
    "text",
    ["Nguyễn Thị Ánh", "Œuvre « x » – 1\u202f000 € … ’", "e\u0301", "Ελλάδα", "Москва", "😀 ✓ → ≥"],
)
def test_french_text_and_what_the_fonts_draw_is_accepted(text: str) -> None:
    assert bad_character(text) is None


def test_the_drawable_table_knows_latin_and_not_cjk() -> None:
    assert drawable("é") and drawable("€") and drawable("\u202f")
    assert not drawable("中") and not drawable("\ue000")  # CJK, private use


def test_unclosed_quote_is_reported_where_it_opens() -> None:
    text = 'reference: CPOM-1\nterritoire: "Hérault (34)\nversion: 1\nstatut: projet\n'
    assert problems(text) == [
        'f.yaml:2:13: syntaxe YAML invalide : guillemet " ouvert ici et jamais refermé '
        "(fin de fichier atteinte ligne 5)"
    ]


MINIMAL = Path(__file__).parent / "fixtures" / "valid" / "ehpad-minimal" / "cpom.yaml"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "cpom.json",
            '{"reference": "x",\n "\\ud800": 1}',
            f"cpom.json:2:3: clé « \\ud800 » : {SURROGATE}",
        ),
        (
            "cpom.yaml",
            MINIMAL.read_text(encoding="utf-8").replace(
                "duree_mois: 60", "duree_mois: " + "7" * 4400
            ),
            "cpom.yaml:13:13: duree_mois: nombre « 77777777777777777777… » hors limites : un "
            "nombre fini d'au plus 30 chiffres est attendu",
        ),
        (
            "cpom.yaml",
            MINIMAL.read_text(encoding="utf-8").replace(
                "totaux: {2025: 1533000.00", "totaux: {2025: 1.0e+28"
            ),
            "cpom.yaml:89:18: financement.totaux.2025: 1e+28 trop grand : "
            "10\u202f000\u202f000\u202f000,00\xa0€ au plus",
        ),
    ],
)
def test_validate_answers_each_finding_in_french(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[0] == f"{tmp_path}/{expected}"


def test_quote_left_open_before_another_quote_is_reported_where_it_opens() -> None:
    text = 'reference: CPOM-1\nterritoire: "Hérault (34)\nversion: 1\nsiren: "433702156"\n'
    assert problems(text) == [
        "f.yaml:2:13: syntaxe YAML invalide : le guillemet \" ouvert ici n'est refermé que "
        "ligne 4 (guillemet oublié ?)"
    ]


@pytest.mark.parametrize("written", [".inf", "-.inf", ".nan", ".NaN"])
def test_yaml_infinity_and_nan_are_refused(written: str) -> None:
    assert problems(f"montant: {written}\n") == [
        f"f.yaml:1:10: montant: nombre « {written} » hors limites : un nombre fini d'au plus 30 "
        "chiffres est attendu"
    ]
