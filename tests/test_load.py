"""The loader: deliberate YAML typing, positions, and what it refuses."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from cpomdocs.data.load import MAX_BYTES, MAX_DEPTH, Document, load_document, load_text
from cpomdocs.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid" / "ehpad-minimal" / "cpom.yaml"


def messages(text: str, *, json_syntax: bool = False) -> list[str]:
    """The problem lines that loading `text` raises."""
    with pytest.raises(InputError) as caught:
        load_text(text, Path("f.yaml"), json_syntax=json_syntax)
    return [str(p) for p in caught.value.problems]


def data(text: str) -> object:
    return load_text(text, Path("f.yaml")).data


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("no", "no"),  # YAML 1.1 would say False
        ("yes", "yes"),
        ("off", "off"),
        ("0755", "0755"),  # YAML 1.1 would say 493
        ("034", "034"),  # a département keeps its zero
        ("2024-05-01", "2024-05-01"),  # stays ISO text: pydantic makes the date
        ("12:30", "12:30"),  # YAML 1.1 would say 750
        ("1_000", "1_000"),
        ("'12'", "12"),
        ('"true"', "true"),
        ("!!str 7", "7"),
        ("12", 12),
        ("-3", -3),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("", None),
        ("!!float 3", 3.0),
        ("!!int 7", 7),
    ],
)
def test_plain_scalars_follow_yaml_1_2(source: str, value: object) -> None:
    loaded = data(f"v: {source}\n")
    assert loaded == {"v": value}
    assert type(loaded["v"]) is type(value)  # type: ignore[index]


def test_block_scalars_are_always_text() -> None:
    assert data("v: |\n  12\nw: >\n  true\n") == {"v": "12\n", "w": "true\n"}


def test_keys_are_text_even_when_they_look_like_numbers() -> None:
    assert data("cibles: {2025: 9.5, 2026: 9}\n") == {"cibles": {"2025": 9.5, "2026": 9}}


def test_positions_of_keys_and_values() -> None:
    doc = load_text("a:\n  b: 1\n  c:\n    - x\n    - {d: 2}\n", Path("f.yaml"))
    assert doc.locate(("a", "b"), key=True) == (2, 3)
    assert doc.locate(("a", "b")) == (2, 6)
    assert doc.locate(("a", "c", 1, "d")) == (5, 11)
    assert doc.locate(("a", "c", 1, "d"), key=True) == (5, 8)
    assert doc.locate(("a", "nowhere", "deeper")) == (2, 3)  # nearest known parent
    problem = doc.problem(("a", "c", 0), "message")
    assert str(problem) == "f.yaml:4:7: a.c.0: message"


def test_anchors_and_aliases_are_refused() -> None:
    assert messages("a: &x {b: 1}\nc: *x\n") == [
        "f.yaml:1:4: ancre ou alias YAML (&x) refusé : recopiez la valeur au lieu d'y faire "
        "référence"
    ]


def test_alias_bomb_is_refused_with_bounded_memory() -> None:
    lines = ["a: &a [" + ",".join(['"lol"'] * 9) + "]"]
    for a, b in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{b}: &{b} [{','.join(['*' + a] * 9)}]")
    tracemalloc.start()
    try:
        problems = messages("\n".join(lines))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problems[0].startswith("f.yaml:1:4: ancre ou alias YAML (&a) refusé")
    assert peak < 2 * 2**20  # 9**9 "lol"s would need gigabytes


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("!!python/object:os.system ls", "!!python/object:os.system"),
        ("!!binary aGk=", "!!binary"),
        ("!!set {a}", "!!set"),
        ("!custom x", "!custom"),
    ],
)
def test_tags_other_than_the_standard_ones_are_refused(source: str, shown: str) -> None:
    assert messages(f"v: {source}\n") == [
        f"f.yaml:1:4: v: étiquette YAML « {shown} » non prise en charge"
    ]


def test_explicit_tag_must_fit_its_value() -> None:
    assert messages("v: !!int douze\n") == [
        "f.yaml:1:4: v: « douze » ne peut pas être lu comme !!int"
    ]


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    deepest = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert data(f"v: {deepest[1:-1]}\n") is not None
    assert messages("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)) == [
        f"f.yaml:1:{MAX_DEPTH + 1}: imbrication trop profonde (40 niveaux au plus)"
    ]


def test_huge_nesting_is_refused_before_composing() -> None:
    # 200 000 brackets would overflow the C stack of libyaml's composer.
    assert messages("[" * 200_000)[0].endswith("imbrication trop profonde (40 niveaux au plus)")


def test_duplicate_key_names_both_lines() -> None:
    assert messages("objectifs:\n  O1: 1\nautre: 2\nobjectifs:\n  O2: 2\n") == [
        "f.yaml:4:1: objectifs: clé « objectifs » donnée deux fois (lignes 1 et 4) : fusionnez "
        "les deux blocs, le second remplacerait le premier"
    ]


def test_non_scalar_key_is_refused() -> None:
    assert messages("? [a, b]\n: 1\n") == ["f.yaml:1:3: une clé doit être un texte"]


def test_several_documents_are_refused() -> None:
    assert messages("a: 1\n---\nb: 2\n") == [
        "f.yaml:2:1: un seul document YAML par fichier (retirez le second « --- »)"
    ]


def test_tab_indentation_is_explained() -> None:
    assert messages("a:\n\tb: 1\n") == [
        "f.yaml:2:1: syntaxe YAML invalide : caractère interdit en début de valeur (tabulation, "
        "@ ou `) : indentez avec des espaces ou mettez la valeur entre guillemets (found "
        "character that cannot start any token)"
    ]


def test_comments_only_is_empty() -> None:
    assert messages("# rien\n\n   \n") == [
        "f.yaml:1:1: fichier vide : un contenu YAML était attendu"
    ]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_document(tmp_path / "absent.yaml")
    assert str(caught.value) == f"{tmp_path / 'absent.yaml'}: fichier introuvable"
    with pytest.raises(InputError) as caught:
        load_document(tmp_path)
    assert str(caught.value) == f"{tmp_path}: c'est un dossier, un fichier était attendu"


def test_file_over_the_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"\xff" * (MAX_BYTES + 1))  # would fail UTF-8 decoding if it were read
    with pytest.raises(InputError) as caught:
        load_document(big)
    assert str(caught.value) == f"{big}: fichier trop volumineux (2,0 Mo) : 2 Mo au plus"


def test_utf8_bom_is_accepted_and_latin1_located(tmp_path: Path) -> None:
    bom = tmp_path / "bom.yaml"
    bom.write_bytes("\ufeffnom: Cèdres\n".encode())
    assert load_document(bom).data == {"nom": "Cèdres"}
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("a: 1\nnom: Cèdres\n".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_document(latin)
    assert str(caught.value) == (
        f"{latin}:2:7: octet 0xe8 invalide en UTF-8 : enregistrez le fichier en UTF-8 (et non en "
        "Windows-1252 ou Latin-1)"
    )


def json_copy(tmp_path: Path, **dump: object) -> tuple[Path, Document]:
    """The valid fixture as a .json file, and the YAML document it came from."""
    source = load_document(VALID)
    target = tmp_path / "cpom.json"
    target.write_text(json.dumps(source.data, ensure_ascii=False, **dump), encoding="utf-8")  # type: ignore[arg-type]
    return target, source


def test_json_gives_the_same_data_with_positions(tmp_path: Path) -> None:
    target, source = json_copy(tmp_path, indent="\t")
    loaded = load_document(target)
    assert loaded.data == source.data
    lines = target.read_text(encoding="utf-8").splitlines()
    line, column = loaded.locate(("gestionnaire", "siren"))
    assert lines[line - 1][column - 1 :].startswith('"433702156"')
    line, column = loaded.locate(("objectifs", "O2"), key=True)
    assert lines[line - 1][column - 1 :].startswith('"O2": {')


def test_json_keeps_its_escapes_and_types() -> None:
    text = '{"a": "\\ud83d\\ude00 \\u00e9\\/", "b": [1, 2.0, null, true, "0755"]}'
    assert load_text(text, Path("f.json"), json_syntax=True).data == {
        "a": "😀 é/",
        "b": [1, 2.0, None, True, "0755"],
    }


def test_json_errors_are_located_and_french() -> None:
    assert messages('{\n  "a": 1\n  "b": 2\n}', json_syntax=True) == [
        "f.yaml:3:3: JSON invalide : virgule manquante (Expecting ',' delimiter)"
    ]
    assert messages('{"a": "NaN",\n "b": NaN}', json_syntax=True) == [
        "f.yaml:2:7: JSON invalide : NaN n'est pas un nombre admis (un nombre fini est attendu)"
    ]
    assert messages('{"a": 1, "a": 2}', json_syntax=True) == [
        "f.yaml:1:10: a: clé « a » donnée deux fois (lignes 1 et 1) : fusionnez les deux blocs, "
        "le second remplacerait le premier"
    ]


def test_json_that_libyaml_cannot_read_keeps_its_data() -> None:
    # Valid JSON, but YAML wants a key and its colon on one line: no positions then.
    document = load_text('{"a"\n: {"b": [1, "x"]}}', Path("f.json"), json_syntax=True)
    assert document.data == {"a": {"b": [1, "x"]}}
    assert document.locate(("a", "b")) == (1, 1)
    assert messages('{"a"\n: 1, "a": 2}', json_syntax=True) == [
        "f.yaml:1:1: a: clé « a » donnée deux fois : le second bloc remplacerait le premier"
    ]
